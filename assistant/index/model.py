"""The data types of the index, and the protocol of a library that the layers above rely on."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol, runtime_checkable

from assistant.settings import Settings
from ingest.loader import ParsedFile
from ingest.model import Document


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
    # {"file", "line", "reason"}; "part": true for one resolution of a collection (skipped, the
    # others indexed); "code": "already_indexed" (+ "document", "owner") for an id another file
    # gives (ingest with replace to take it over)
    failed: list[dict[str, Any]] = field(default_factory=list)
    clauses: int = 0  # clauses embedded in this run


ProgressCallback = Callable[[int, int, str], None]  # (done, total, what)


@runtime_checkable
class ClauseLibrary(Protocol):
    """What the domain modules and the shells need of a library (:class:`~assistant.index.
    library.Library` is the real one; the tests' fakes implement it too)."""

    @property
    def settings(self) -> Settings: ...

    def documents(self) -> list[dict[str, Any]]:
        """Summaries of the indexed documents."""
        ...

    def document(self, document_id: str) -> Document:
        """A parsed document by id; :class:`~assistant.errors.NotFoundError` if absent."""
        ...

    def resolve_document(self, name: str) -> str:
        """The id of a document named by id or loosely (``WTSA 43``)."""
        ...

    def clause(self, clause_id: str) -> dict[str, Any]:
        """The citation object of one clause."""
        ...

    def search(
        self, query: str, k: int = 5, filters: dict[str, str | list[str]] | None = None
    ) -> list[Hit]:
        """Ranked clauses for a query."""
        ...

    def nearest(self, texts: Sequence[str], k: int) -> list[list[str]]:
        """The ``k`` clause ids nearest in meaning to each text."""
        ...

    def embed(self, texts: Sequence[str]) -> list[list[float]]:
        """Normalized embeddings of texts."""
        ...

    def ingest(
        self,
        paths: Sequence[str] | None = None,
        progress: ProgressCallback | None = None,
        parsed: Sequence[ParsedFile] = (),
        replace: bool = False,
    ) -> IngestReport:
        """Parse and index files (``replace``: take over ids another file gave)."""
        ...

    def remove(self, document_id: str) -> None:
        """Remove a document and its clauses."""
        ...
