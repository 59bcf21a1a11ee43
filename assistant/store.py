"""Vector stores of clause chunks: the Protocol, and Chroma (embedded or a ``chroma run`` server).

Vectors are always computed by the library's embedder and passed in: the collection is created
with no embedding function, so chromadb's default (which downloads a model) is never used.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import urlparse

Metadata = dict[str, str | int | float | bool]
Where = dict[str, Any]


@dataclass
class StoredHit:
    """One chunk found by a vector query: its id, metadata and cosine distance."""

    id: str
    metadata: Metadata
    distance: float


class ClauseStore(Protocol):
    """Where chunk vectors and their metadata live."""

    def upsert(self, ids: Sequence[str], embeddings: Sequence[Sequence[float]],
               texts: Sequence[str], metadatas: Sequence[Metadata]) -> None:
        """Add or overwrite chunks (idempotent for the same ids)."""
        ...

    def delete(self, where: Where) -> None:
        """Delete the chunks matching a metadata filter."""
        ...

    def query(self, embedding: Sequence[float], k: int, where: Where | None = None
              ) -> list[StoredHit]:
        """The ``k`` nearest chunks to ``embedding`` among those matching ``where``."""
        ...

    def ids(self, where: Where | None = None) -> list[str]:
        """Ids of the chunks matching ``where`` (all without it)."""
        ...

    def count(self) -> int:
        """Number of chunks stored."""
        ...


def chroma_where(filters: dict[str, list[str]]) -> Where | None:
    """A Chroma ``where`` from ``{key: [values]}`` (values of a key OR-ed, keys AND-ed)."""
    parts: list[Where] = []
    for key, values in filters.items():
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
        import chromadb
        from chromadb.config import Settings as ChromaSettings

        chroma_settings = ChromaSettings(anonymized_telemetry=False)
        if url:
            parsed = urlparse(url if "://" in url else f"http://{url}")
            if not parsed.hostname:
                raise ValueError(f"RESOLUTIONS_CHROMA_URL {url!r} has no host; "
                                 "use a URL like http://127.0.0.1:8001")
            https = parsed.scheme == "https"
            self.client: Any = chromadb.HttpClient(
                host=parsed.hostname, port=parsed.port or (443 if https else 8000),
                ssl=https, settings=chroma_settings)
            self.where = url
        else:
            if path is None:
                raise ValueError("ChromaStore needs a path or a url")
            path.mkdir(parents=True, exist_ok=True)
            self.client = chromadb.PersistentClient(path=str(path), settings=chroma_settings)
            self.where = str(path)
        self.collection: Any = self.client.get_or_create_collection(
            name=collection, embedding_function=None,
            metadata={"hnsw:space": "cosine"},
        )

    def upsert(self, ids: Sequence[str], embeddings: Sequence[Sequence[float]],
               texts: Sequence[str], metadatas: Sequence[Metadata]) -> None:
        step = 2000  # below Chroma's max batch size
        for start in range(0, len(ids), step):
            end = start + step
            self.collection.upsert(
                ids=list(ids[start:end]), embeddings=[list(e) for e in embeddings[start:end]],
                documents=list(texts[start:end]), metadatas=list(metadatas[start:end]),
            )

    def delete(self, where: Where) -> None:
        self.collection.delete(where=where)

    def query(self, embedding: Sequence[float], k: int, where: Where | None = None
              ) -> list[StoredHit]:
        if k <= 0:
            return []
        result = self.collection.query(
            query_embeddings=[list(embedding)], n_results=k, where=where,
            include=["metadatas", "distances"],
        )
        ids = result["ids"][0]
        metadatas = (result.get("metadatas") or [[]])[0] or []
        distances = (result.get("distances") or [[]])[0] or []
        return [StoredHit(i, dict(m or {}), float(d))
                for i, m, d in zip(ids, metadatas, distances, strict=False)]

    def ids(self, where: Where | None = None) -> list[str]:
        return list(self.collection.get(where=where, include=[])["ids"])

    def count(self) -> int:
        return int(self.collection.count())
