"""The corpus the evaluation runs on: the shipped resolutions plus the seed contribution."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from assistant.settings import PROJECT_ROOT
from ingest.loader import load_file
from ingest.model import Document, citation

CORPUS_DIR = PROJECT_ROOT / "corpus"
# The seed contribution, copied into the repository so the eval runs from a fresh clone.
SEED_FILE = Path(__file__).resolve().parent / "data" / "seed" / "000_709f3f257bb0f9f2.txt"
MAX_BYTES = 20 * 1024 * 1024


def default_paths() -> list[Path]:
    """The shipped corpus files, and the seed contribution when it is beside the project."""
    paths = sorted(CORPUS_DIR.glob("*.txt"))
    if SEED_FILE.is_file():
        paths.append(SEED_FILE)
    return paths


@dataclass
class ParsedCorpus:
    """Parsed documents and their clauses, in order (citation dicts as the library gives them)."""

    documents: list[Document]
    clauses: list[dict[str, Any]]
    files: dict[str, Path]  # document id -> file

    @property
    def ids(self) -> set[str]:
        return {c["id"] for c in self.clauses}

    @property
    def texts(self) -> dict[str, str]:
        return {c["id"]: c["text"] for c in self.clauses}

    @property
    def document_ids(self) -> set[str]:
        return {d.id for d in self.documents}

    def find_document(self, body: str, number: str, status: str | None = None) -> str | None:
        """The id of the first document with this body and number (and status, if given)."""
        for doc in self.documents:
            if (
                doc.body == body
                and doc.number == number
                and (status is None or doc.status == status)
            ):
                return doc.id
        return None


def parse_corpus(paths: Sequence[Path] | None = None) -> ParsedCorpus:
    """Parse files with the project's own loader (no index, no model)."""
    documents: list[Document] = []
    clauses: list[dict[str, Any]] = []
    files: dict[str, Path] = {}
    for path in paths or default_paths():
        for doc in load_file(path, MAX_BYTES).documents:
            documents.append(doc)
            files[doc.id] = Path(path)
            clauses.extend(citation(doc, section, clause) for section, clause in doc.clauses())
    return ParsedCorpus(documents, clauses, files)
