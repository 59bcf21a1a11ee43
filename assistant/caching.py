"""Caches that belong to one library object and die with it.

Keyed by the object itself (weakly), never by ``id()``: a collected library's id is reused by
the next one, which would then read vectors of another embedder (another dimension) or the
catalog of other documents.
"""

from __future__ import annotations

import weakref
from collections.abc import Sequence
from typing import Any

_CACHES: weakref.WeakKeyDictionary[Any, dict[str, dict[Any, Any]]] = weakref.WeakKeyDictionary()


def library_cache(library: Any, name: str) -> dict[Any, Any]:
    """The cache called ``name`` of ``library`` (a new empty dict the first time). An object
    that cannot be weakly referenced gets a fresh dict each call: correct, only not cached."""
    try:
        caches = _CACHES.setdefault(library, {})
    except TypeError:
        return {}
    return caches.setdefault(name, {})


def embed_cached(library: Any, texts: Sequence[str]) -> list[list[float]]:
    """``library.embed`` with the vectors of texts already seen kept for that library."""
    cache = library_cache(library, "texts")
    missing = list(dict.fromkeys(t for t in texts if t not in cache))
    if missing:
        cache.update(zip(missing, library.embed(missing), strict=True))
    return [cache[text] for text in texts]
