"""A tiny in-memory library for the answer tests (lexical search, hashed bag-of-words vectors)."""

from __future__ import annotations

import hashlib
import math
from pathlib import Path
from typing import Any

from assistant.library import Hit
from assistant.question import stems
from assistant.settings import Settings
from ingest.loader import load_file
from ingest.model import Document, citation, document_summary

DIM = 256


class TinyLibrary:
    """The part of the Library contract that answers use, over parsed files."""

    def __init__(self, paths: list[Path], home: Path) -> None:
        self.settings = Settings(home=home)
        self.docs: dict[str, Document] = {}
        for path in paths:
            for document in load_file(Path(path)).documents:
                self.docs[document.id] = document
        self.clauses = {
            clause.id: citation(d, s, clause) for d in self.docs.values() for s, clause in d.clauses()
        }
        self.searches = 0

    def documents(self) -> list[dict[str, Any]]:
        return [document_summary(d) for d in self.docs.values()]

    def document(self, document_id: str) -> Document:
        if document_id not in self.docs:
            raise LookupError(f"no document {document_id!r}")
        return self.docs[document_id]

    def clause(self, clause_id: str) -> dict[str, Any]:
        if clause_id not in self.clauses:
            raise LookupError(f"no clause {clause_id!r}")
        return dict(self.clauses[clause_id])

    def search(self, query: str, k: int = 5, filters: dict[str, Any] | None = None) -> list[Hit]:
        self.searches += 1
        terms = stems(query)
        hits = []
        for c in self.clauses.values():
            if filters and any(c.get(key) != value for key, value in filters.items()):
                continue
            words = stems(f"{c['section']} {c['text']}")
            score = sum(1.0 / (1 + len(w)) for w in terms & words) + 0.3 * (c["body"] in query)
            hits.append(Hit(dict(c), score))
        return sorted(hits, key=lambda h: h.score, reverse=True)[:k]

    def embed(self, texts: list[str]) -> list[list[float]]:
        vectors = []
        for text in texts:
            vector = [0.0] * DIM
            for term in stems(text):
                vector[int(hashlib.md5(term.encode()).hexdigest(), 16) % DIM] += 1.0
            norm = math.sqrt(sum(x * x for x in vector)) or 1.0
            vectors.append([x / norm for x in vector])
        return vectors
