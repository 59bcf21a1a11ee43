"""Vector stores of clause chunks: the Protocol, and Chroma (embedded or a ``chroma run`` server).

The Protocol speaks the project's terms: filters are ``{field: [allowed values]}`` (values of a
field OR-ed, fields AND-ed), and a document's chunks are deleted by its id, optionally keeping one
generation. Only :class:`ChromaStore` knows Chroma's ``where`` syntax (``$and``, ``$in``, ``$ne``).

Vectors are always computed by the library's embedder and passed in: the collection is created
with no embedding function, so chromadb's default (which downloads a model) is never used.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol, TypeVar
from urllib.parse import urlparse

from assistant.errors import ConfigurationError

T = TypeVar("T")
Metadata = dict[str, str | int | float | bool]
Filters = Mapping[str, Sequence[str]]  # field -> allowed values (OR-ed); fields AND-ed
Where = dict[str, Any]  # Chroma's filter syntax: inside ChromaStore only


@dataclass
class StoredHit:
    """One chunk found by a vector query: its id, metadata and cosine distance."""

    id: str
    metadata: Metadata
    distance: float


class ClauseStore(Protocol):
    """Where chunk vectors and their metadata live."""

    def upsert(
        self,
        ids: Sequence[str],
        embeddings: Sequence[Sequence[float]],
        texts: Sequence[str],
        metadatas: Sequence[Metadata],
    ) -> None:
        """Add or overwrite chunks (idempotent for the same ids; metadata keys not given again
        may be kept, as Chroma does)."""
        ...

    def delete_document(self, document_id: str, keep_generation: str | None = None) -> None:
        """Delete the chunks whose ``document`` is ``document_id``, except (when given) those
        whose ``generation`` is ``keep_generation``."""
        ...

    def query(
        self, embedding: Sequence[float], k: int, filters: Filters | None = None
    ) -> list[StoredHit]:
        """The ``k`` nearest chunks to ``embedding`` (nearest first) among those whose metadata
        has, for every field of ``filters``, one of its values."""
        ...

    def query_many(
        self, embeddings: Sequence[Sequence[float]], k: int, filters: Filters | None = None
    ) -> list[list[StoredHit]]:
        """:meth:`query` for several vectors at once (one call), in order."""
        ...

    def nearest_ids(
        self, embeddings: Sequence[Sequence[float]], k: int, filters: Filters | None = None
    ) -> list[list[tuple[str, float]]]:
        """:meth:`query_many` without the metadata: ``(id, cosine distance)`` pairs, nearest
        first (far cheaper in Chroma, which reads the metadata of every hit from its SQLite;
        the caller knows what an id is from :meth:`metadatas` or its own state)."""
        ...

    def metadatas(self, ids: Sequence[str]) -> dict[str, Metadata]:
        """The metadata of the chunks of ``ids`` that exist (by id)."""
        ...

    def ids(self, filters: Filters | None = None) -> list[str]:
        """Ids of the chunks matching ``filters`` (all without it)."""
        ...

    def count(self) -> int:
        """Number of chunks stored."""
        ...


def chroma_where(filters: Filters | None) -> Where | None:
    """A Chroma ``where`` from ``{key: [values]}`` (values of a key OR-ed, keys AND-ed)."""
    parts: list[Where] = []
    for key, values in (filters or {}).items():
        if len(values) == 1:
            parts.append({key: values[0]})
        else:
            parts.append({key: {"$in": list(values)}})
    if not parts:
        return None
    return parts[0] if len(parts) == 1 else {"$and": parts}


class ChromaStore:
    """A Chroma collection: ``PersistentClient`` under ``path``, or ``HttpClient`` at ``url``."""

    def __init__(self, collection: str, *, path: Path | None = None, url: str = "") -> None:
        self.name = collection
        self.path = path
        self.url = url
        self._lock = threading.Lock()
        self._open()

    def _open(self) -> None:
        import chromadb
        from chromadb.config import Settings as ChromaSettings

        chroma_settings = ChromaSettings(anonymized_telemetry=False)
        url, path, collection = self.url, self.path, self.name
        if url:
            parsed = urlparse(url if "://" in url else f"http://{url}")
            if not parsed.hostname:
                raise ConfigurationError(
                    f"RESOLUTIONS_CHROMA_URL {url!r} has no host; "
                    "use a URL like http://127.0.0.1:8001"
                )
            https = parsed.scheme == "https"
            self.client: Any = chromadb.HttpClient(
                host=parsed.hostname,
                port=parsed.port or (443 if https else 8000),
                ssl=https,
                settings=chroma_settings,
            )
            self.where = url
        else:
            if path is None:
                raise ConfigurationError("ChromaStore needs a path or a url")
            path.mkdir(parents=True, exist_ok=True)
            self.client = chromadb.PersistentClient(path=str(path), settings=chroma_settings)
            self.where = str(path)
        self.collection: Any = self.client.get_or_create_collection(
            name=collection,
            embedding_function=None,
            metadata={"hnsw:space": "cosine"},
        )

    def _reopen(self, stale: Any) -> None:
        """Open the embedded Chroma of the path anew: another process (a CLI ingest beside a
        server) wrote its files, and this process's cached instance went stale. The old
        instance is left to in-flight reads of other threads, not stopped."""
        from chromadb.api.shared_system_client import SharedSystemClient

        with self._lock:
            if self.collection is not stale:
                return  # another thread reopened it already
            systems = SharedSystemClient._identifier_to_system
            for key in [k for k in systems if self.path and Path(k) == self.path]:
                systems.pop(key)
                SharedSystemClient._identifier_to_refcount.pop(key, None)
            self._open()

    def _retry(self, call: Callable[[Any], T]) -> T:
        """Run a read; if the embedded store went stale under another process's writes,
        reopen it and run the read again."""
        from chromadb.errors import InternalError

        for _ in range(3):
            collection = self.collection
            try:
                return call(collection)
            except InternalError:
                if self.url:
                    raise
                self._reopen(collection)
        return call(self.collection)

    def upsert(
        self,
        ids: Sequence[str],
        embeddings: Sequence[Sequence[float]],
        texts: Sequence[str],
        metadatas: Sequence[Metadata],
    ) -> None:
        step = 2000  # below Chroma's max batch size
        for start in range(0, len(ids), step):
            end = start + step
            self.collection.upsert(
                ids=list(ids[start:end]),
                embeddings=[list(e) for e in embeddings[start:end]],
                documents=list(texts[start:end]),
                metadatas=list(metadatas[start:end]),
            )

    def delete_document(self, document_id: str, keep_generation: str | None = None) -> None:
        where: Where = {"document": document_id}
        if keep_generation:
            where = {"$and": [where, {"generation": {"$ne": keep_generation}}]}
        self.collection.delete(where=where)

    def query(
        self, embedding: Sequence[float], k: int, filters: Filters | None = None
    ) -> list[StoredHit]:
        return self.query_many([embedding], k, filters)[0]

    def query_many(
        self, embeddings: Sequence[Sequence[float]], k: int, filters: Filters | None = None
    ) -> list[list[StoredHit]]:
        if k <= 0 or not embeddings:
            return [[] for _ in embeddings]
        result = self._query(embeddings, k, filters, ["metadatas", "distances"])
        found = []
        for row, ids in enumerate(result["ids"]):
            metadatas = (result.get("metadatas") or [])[row] or []
            distances = (result.get("distances") or [])[row] or []
            found.append(
                [
                    StoredHit(i, dict(m or {}), float(d))
                    for i, m, d in zip(ids, metadatas, distances, strict=False)
                ]
            )
        return found

    def nearest_ids(
        self, embeddings: Sequence[Sequence[float]], k: int, filters: Filters | None = None
    ) -> list[list[tuple[str, float]]]:
        if k <= 0 or not embeddings:
            return [[] for _ in embeddings]
        result = self._query(embeddings, k, filters, ["distances"])
        distances = result.get("distances") or []
        return [
            [(i, float(d)) for i, d in zip(ids, distances[row] or [], strict=False)]
            for row, ids in enumerate(result["ids"])
        ]

    def _query(
        self,
        embeddings: Sequence[Sequence[float]],
        k: int,
        filters: Filters | None,
        include: list[str],
    ) -> Any:
        """One Chroma query for several vectors, returning only the fields in ``include``."""
        where = chroma_where(filters)
        return self._retry(
            lambda collection: collection.query(
                query_embeddings=[list(e) for e in embeddings],
                n_results=k,
                where=where,
                include=include,
            )
        )

    def metadatas(self, ids: Sequence[str]) -> dict[str, Metadata]:
        if not ids:
            return {}
        wanted = list(ids)
        result = self._retry(lambda collection: collection.get(ids=wanted, include=["metadatas"]))
        return {
            i: dict(m or {})
            for i, m in zip(result["ids"], result.get("metadatas") or [], strict=False)
        }

    def ids(self, filters: Filters | None = None) -> list[str]:
        where = chroma_where(filters)
        return list(self._retry(lambda collection: collection.get(where=where, include=[]))["ids"])

    def count(self) -> int:
        return int(self.collection.count())
