"""Clause chunks: one per clause (sub-items are clauses of their own), long clauses split.

The text that is embedded and indexed carries its context: the document's short name, the section
heading and the printed label, so "the standardization assembly invites Member States" can match a
clause whose own words name neither.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

from ingest.model import Clause, Document, Section, citation_string

CHUNK_CHARS = 900  # all-MiniLM-L6-v2 reads 256 word pieces: about 1,000 characters of English
CHUNK_OVERLAP = 150


@dataclass
class Chunk:
    """One piece of one clause, ready to embed and index."""

    id: str
    clause_id: str
    text: str  # with context: what is embedded and indexed
    metadata: dict[str, str | int | float | bool]


@functools.cache
def _splitter() -> Any:
    from langchain_text_splitters import RecursiveCharacterTextSplitter

    return RecursiveCharacterTextSplitter(
        chunk_size=CHUNK_CHARS,
        chunk_overlap=CHUNK_OVERLAP,
        separators=["\n\n", "\n", "; ", ". ", ", ", " ", ""],
    )


def split_clause_text(text: str) -> list[str]:
    """The clause text, cut into pieces of at most :data:`CHUNK_CHARS` when it is longer."""
    if len(text) <= CHUNK_CHARS:
        return [text]
    return [piece for piece in _splitter().split_text(text) if piece.strip()] or [text]


def context_header(document: Document, section: Section, clause: Clause) -> str:
    """``WTSA Res. 43 (Rev. New Delhi, 2024), Regional preparations ...; invites ... 2)``."""
    where = citation_string(document, section, clause)
    title = f" - {document.title}" if document.title else ""
    return f"{where}{title}"


def clause_metadata(
    document: Document, section: Section, clause: Clause, generation: str
) -> dict[str, str | int | float | bool]:
    """Metadata of every chunk of a clause (Chroma accepts only scalar values)."""
    return {
        "clause": clause.id,
        "document": document.id,
        "body": document.body,
        "number": document.number,
        "revision": document.revision,
        "status": document.status,
        "section": section.heading,
        "keyword": section.keyword,
        "label": clause.label,
        "sub": clause.sub,
        "citation": citation_string(document, section, clause),
        "kind": section.kind,
        "generation": generation,
    }


def document_chunks(document: Document, generation: str) -> list[Chunk]:
    """Every chunk of a document, in reading order, with ids stable for one generation."""
    chunks: list[Chunk] = []
    for section, clause in document.clauses():
        text = clause.full_text.strip()
        if not text:
            continue
        header = context_header(document, section, clause)
        metadata = clause_metadata(document, section, clause, generation)
        for piece in split_clause_text(text):
            chunk_id = f"{document.id}@{generation[:16]}#{len(chunks):05d}"
            chunks.append(
                Chunk(chunk_id, clause.id, f"{header}: {piece}", {**metadata, "chunk": len(chunks)})
            )
    return chunks
