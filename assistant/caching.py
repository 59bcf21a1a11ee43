"""Caches that belong to one library object and die with it, each bounded (LRU).

Keyed by the object itself (weakly), never by ``id()``: a collected library's id is reused by
the next one, which would then read vectors of another embedder (another dimension) or the
catalog of other documents.

Every cache keeps at most ``RESOLUTIONS_VECTOR_CACHE_ENTRIES`` entries (the library's settings;
default 20,000), dropping the least recently used: a server answering different questions for
days holds a bounded set of vectors (issue 17: RSS after 10 minutes of /ask within 1.2x of RSS
after 1 minute, bench/memory.py).
"""

from __future__ import annotations

import threading
import weakref
from collections import OrderedDict
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

T = TypeVar("T")

DEFAULT_ENTRIES = 20_000
MIN_ENTRIES = 1_000  # a request's own entries are never evicted before it reads them

_CACHES: weakref.WeakKeyDictionary[Any, dict[str, LruCache]] = weakref.WeakKeyDictionary()
_LOCK = threading.Lock()


class LruCache(OrderedDict[Any, Any]):
    """A dict of at most ``limit`` entries: reading an entry makes it the newest, writing past
    the limit drops the oldest. Safe to share between request threads."""

    def __init__(self, limit: int = DEFAULT_ENTRIES) -> None:
        super().__init__()
        self.limit = max(int(limit), 1)
        self._lock = threading.RLock()

    def __getitem__(self, key: Any) -> Any:
        with self._lock:
            value = super().__getitem__(key)
            self.move_to_end(key)
            return value

    def get(self, key: Any, default: Any = None) -> Any:
        with self._lock:
            if key in self:
                return self[key]
            return default

    def __setitem__(self, key: Any, value: Any) -> None:
        with self._lock:
            super().__setitem__(key, value)
            self.move_to_end(key)
            while len(self) > self.limit:
                self.popitem(last=False)

    def update(self, *args: Any, **kwargs: Any) -> None:
        with self._lock:
            for key, value in dict(*args, **kwargs).items():
                self[key] = value

    def clear(self) -> None:
        with self._lock:
            super().clear()


def cache_limit(library: Any) -> int:
    """The entries each cache of ``library`` may hold (its settings, else the default)."""
    settings = getattr(library, "settings", None)
    limit = getattr(settings, "vector_cache_entries", DEFAULT_ENTRIES)
    return max(int(limit) if isinstance(limit, int) else DEFAULT_ENTRIES, MIN_ENTRIES)


def library_cache(library: Any, name: str) -> LruCache:
    """The cache called ``name`` of ``library`` (a new empty one the first time). An object
    that cannot be weakly referenced gets a fresh cache each call: correct, only not cached."""
    try:
        with _LOCK:
            caches = _CACHES.setdefault(library, {})
            found = caches.get(name)
            if found is None:
                found = caches[name] = LruCache(cache_limit(library))
            return found
    except TypeError:
        return LruCache(MIN_ENTRIES)


def per_documents(library: Any, name: str, build: Callable[[list[dict[str, Any]]], T]) -> T:
    """``build(library.documents())``, kept in the library's cache ``name`` until its documents
    change (their ids and content hashes): the catalog, the IDF statistics."""
    summaries = library.documents()
    key = tuple(
        sorted(f"{s.get('document')}:{s.get('sha256', s.get('hash', ''))}" for s in summaries)
    )
    cache = library_cache(library, name)
    cached = cache.get(name)
    if cached and cached[0] == key:
        return cached[1]
    value = build(summaries)
    cache[name] = (key, value)
    return value


def embed_cached(library: Any, texts: Sequence[str]) -> list[list[float]]:
    """``library.embed`` with the vectors of texts already seen kept for that library (as
    float32 arrays: a sixth of the memory of lists of floats)."""
    import numpy as np

    cache = library_cache(library, "texts")
    found: dict[str, Any] = {}
    for text in texts:
        vector = cache.get(text)
        if vector is not None:
            found[text] = vector
    missing = list(dict.fromkeys(t for t in texts if t not in found))
    if missing:
        for text, vector in zip(missing, library.embed(missing), strict=True):
            found[text] = cache[text] = np.asarray(vector, dtype=np.float32)
    return [found[text].tolist() for text in texts]
