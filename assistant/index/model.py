"""The data types of the index, shared by the library, the indexer, retrieval and the shells."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Hit:
    """One search result: the citation object (see the README) plus its score (higher is better).

    ``signals`` tells where the score came from (``dense``: cosine similarity of the best chunk,
    ``bm25``: its BM25 score, ``dense_rank``/``bm25_rank``), for callers that need an absolute
    measure of relevance; it is not part of the JSON.
    """

    citation: dict[str, Any]
    score: float
    signals: dict[str, float] = field(default_factory=dict)

    @property
    def id(self) -> str:
        return str(self.citation["id"])

    def to_json(self) -> dict[str, Any]:
        return {**self.citation, "score": round(self.score, 6)}


@dataclass
class IngestReport:
    """What one ingest did, file by file."""

    added: list[str] = field(default_factory=list)  # document ids newly indexed
    replaced: list[str] = field(default_factory=list)  # document ids re-indexed (file changed)
    unchanged: list[str] = field(default_factory=list)  # document ids skipped (same hash)
    failed: list[dict[str, Any]] = field(default_factory=list)  # {"file", "line", "reason"}
    clauses: int = 0  # clauses embedded in this run


ProgressCallback = Callable[[int, int, str], None]  # (done, total, what)
