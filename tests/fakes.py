"""Deterministic fakes for fast tests: an embedder that needs no model, a store in memory."""

from __future__ import annotations

import hashlib
import math
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from assistant.index.store import Filters, Metadata, StoredHit

_WORD = re.compile(r"[a-z0-9]+")


class FakeEmbedder:
    """Hashed bag of words (and word stems of 5 letters), normalized: similar words, near vectors.

    Deterministic across processes (sha1, not ``hash()``), so indexes built in subprocesses match.
    """

    name = "fake-hashed-bow"

    def __init__(self, dimension: int = 64) -> None:
        self.dimension = dimension
        self.calls = 0
        self.texts_embedded = 0

    def _vector(self, text: str) -> list[float]:
        vector = [0.0] * self.dimension
        for word in _WORD.findall(text.lower()):
            for token in {word, word[:5]}:
                digest = hashlib.sha1(token.encode()).digest()
                index = int.from_bytes(digest[:4], "big") % self.dimension
                vector[index] += 1.0 if digest[4] % 2 else -1.0
        norm = math.sqrt(sum(v * v for v in vector)) or 1.0
        if norm == 1.0 and not any(vector):
            vector[0] = 1.0
        return [v / norm for v in vector]

    def embed_documents(self, texts: Sequence[str]) -> list[list[float]]:
        self.calls += 1
        self.texts_embedded += len(texts)
        return [self._vector(text) for text in texts]

    def embed_query(self, text: str) -> list[float]:
        return self._vector(text)


class MemoryStore:
    """A :class:`~assistant.index.store.ClauseStore` in a dict: exact cosine search, the
    project's filters (``{field: [values]}``) read directly. The store contract runs on it
    beside Chroma (tests/test_store_contract.py)."""

    def __init__(self) -> None:
        self.rows: dict[str, tuple[list[float], str, Metadata]] = {}

    def upsert(
        self,
        ids: Sequence[str],
        embeddings: Sequence[Sequence[float]],
        texts: Sequence[str],
        metadatas: Sequence[Metadata],
    ) -> None:
        for i, vector, text, metadata in zip(ids, embeddings, texts, metadatas, strict=True):
            self.rows[i] = (list(vector), text, dict(metadata))

    def delete_document(self, document_id: str, keep_generation: str | None = None) -> None:
        for i, (_, _, metadata) in list(self.rows.items()):
            if metadata.get("document") == document_id and not (
                keep_generation and metadata.get("generation") == keep_generation
            ):
                del self.rows[i]

    def _matching(self, filters: Filters | None) -> list[str]:
        return [
            i
            for i, (_, _, metadata) in self.rows.items()
            if all(metadata.get(key) in list(values) for key, values in (filters or {}).items())
        ]

    def query(
        self, embedding: Sequence[float], k: int, filters: Filters | None = None
    ) -> list[StoredHit]:
        return self.query_many([embedding], k, filters)[0]

    def query_many(
        self, embeddings: Sequence[Sequence[float]], k: int, filters: Filters | None = None
    ) -> list[list[StoredHit]]:
        candidates = self._matching(filters)
        found = []
        for embedding in embeddings:
            hits = [
                StoredHit(i, dict(self.rows[i][2]), _cosine_distance(embedding, self.rows[i][0]))
                for i in candidates
            ]
            found.append(sorted(hits, key=lambda hit: hit.distance)[: max(k, 0)])
        return found

    def nearest_ids(
        self, embeddings: Sequence[Sequence[float]], k: int, filters: Filters | None = None
    ) -> list[list[tuple[str, float]]]:
        return [
            [(hit.id, hit.distance) for hit in row]
            for row in self.query_many(embeddings, k, filters)
        ]

    def metadatas(self, ids: Sequence[str]) -> dict[str, Metadata]:
        return {i: dict(self.rows[i][2]) for i in ids if i in self.rows}

    def ids(self, filters: Filters | None = None) -> list[str]:
        return self._matching(filters)

    def count(self) -> int:
        return len(self.rows)


def _cosine_distance(a: Sequence[float], b: Sequence[float]) -> float:
    norms = math.sqrt(sum(x * x for x in a)) * math.sqrt(sum(y * y for y in b)) or 1.0
    return 1.0 - sum(x * y for x, y in zip(a, b, strict=True)) / norms


def library_of(home: Path, texts: dict[str, str]) -> Any:
    """A library over ``texts`` (file name -> text) written under ``home``, embedded by
    :class:`FakeEmbedder`: for tests of search over a few resolutions of one's own."""
    from assistant.index.library import Library
    from assistant.settings import Settings

    folder = home / "texts"
    folder.mkdir(parents=True)
    for name, text in texts.items():
        (folder / name).write_text(text, encoding="utf-8")
    library = Library(Settings(home=home / "home", corpus=folder), embedder=FakeEmbedder())
    report = library.ingest()
    assert not report.failed, report.failed
    return library


def hrc_resolution(number: int, date: str, recalling: str, operative: list[str]) -> str:
    """A short resolution of one's own ("Resolution 40 (2031) of 3 March 2031"): one preambular
    paragraph recalling ``recalling``, the ``operative`` paragraphs, then "Decides to remain
    seized of the matter."."""
    paragraphs = [*operative, "Decides to remain seized of the matter."]
    numbered = ";\n\n".join(f"{i}. {p}" for i, p in enumerate(paragraphs, start=1))
    return (
        f"Resolution {number} ({date[-4:]})\nof {date}\n\nThe Human Rights Council,\n\n"
        f"Recalling its earlier resolutions on {recalling},\n\n{numbered}\n"
    )


# The clause with the question's words, and the clause that states the period asked for.
REPORT_WITHIN = hrc_resolution(
    40,
    "3 March 2031",
    "the mission",
    [
        "Requests the Secretary-General to report to the Council on the mission",
        "Requests the Secretary-General to report within thirty days",
    ],
)
REPORT_WITHIN_QUESTION = (
    "Within what period must the Secretary-General report to the Council on the mission?"
)
