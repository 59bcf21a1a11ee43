"""The library facade: one object that ingests, stores and searches; every shell uses it.

Built once from :class:`~assistant.settings.Settings`; the embedder and the store can be passed in
(tests pass fakes). The CLI, the API, the answerer, the aligner, the drafter and the evals all go
through this object and never touch Chroma or the model directly.

THIS FILE IS THE CONTRACT. Issue 3 implements it; the signatures below are what other modules use.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from assistant.settings import Settings
from ingest.model import Document


@dataclass
class Hit:
    """One search result: the citation object of DESIGN.md plus its score (higher is better)."""

    citation: dict[str, Any]
    score: float

    @property
    def id(self) -> str:
        return str(self.citation["id"])

    def to_json(self) -> dict[str, Any]:
        return {**self.citation, "score": round(self.score, 6)}


@dataclass
class IngestReport:
    """What one ingest did, file by file."""

    added: list[str] = field(default_factory=list)       # document ids newly indexed
    replaced: list[str] = field(default_factory=list)    # document ids re-indexed (file changed)
    unchanged: list[str] = field(default_factory=list)   # document ids skipped (same hash)
    failed: list[dict[str, Any]] = field(default_factory=list)  # {"file", "line", "reason"}
    clauses: int = 0                                      # clauses embedded in this run


ProgressCallback = Callable[[int, int, str], None]  # (done, total, what)


class Library:
    """Ingest, store and search clauses of resolutions."""

    def __init__(self, settings: Settings, embedder: Any = None, store: Any = None) -> None:
        raise NotImplementedError

    def ingest(self, paths: Sequence[str] | None = None,
               progress: ProgressCallback | None = None) -> IngestReport:
        """Parse and index files (default: ``settings.corpus``); incremental by content hash."""
        raise NotImplementedError

    def documents(self) -> list[dict[str, Any]]:
        """Summaries of indexed documents: citation fields, clause count, file, hash, ingested."""
        raise NotImplementedError

    def document(self, document_id: str) -> Document:
        """The parsed structure of an indexed document; ``LookupError`` if unknown."""
        raise NotImplementedError

    def resolve_document(self, name: str) -> str:
        """A document id from a loose name (``'WTSA 43'``, ``'pp-58 busan'``); ``LookupError``."""
        raise NotImplementedError

    def clause(self, clause_id: str) -> dict[str, Any]:
        """The citation object of one clause; ``LookupError`` if unknown."""
        raise NotImplementedError

    def search(self, query: str, k: int = 5,
               filters: dict[str, str | list[str]] | None = None) -> list[Hit]:
        """Hybrid search (dense + BM25, weighted rank fusion). Filters: body, document,
        keyword, status, kind. A body or resolution named in the query is weighted, not filtered."""
        raise NotImplementedError

    def embed(self, texts: Sequence[str]) -> list[list[float]]:
        """Normalized embeddings with the library's embedder (for alignment and drafting)."""
        raise NotImplementedError

    def remove(self, document_id: str) -> None:
        """Remove a document and its clauses from the index."""
        raise NotImplementedError
