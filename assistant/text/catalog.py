"""The documents a resolver can point at: series (body + number), revisions, places and years.

Built from the library (or from parsed documents in tests). A reference without a revision means
the newest version of its series; a reference to an older revision than the corpus holds is flagged.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Protocol

from ingest.bodies import BODY_PATTERNS
from ingest.model import Document

ORDINALS = {
    "first": 1,
    "second": 2,
    "third": 3,
    "fourth": 4,
    "fifth": 5,
    "sixth": 6,
    "seventh": 7,
    "eighth": 8,
    "ninth": 9,
    "tenth": 10,
    "last": -1,
}
KNOWN_BODIES = tuple(short for _, short in BODY_PATTERNS)


class DocumentSource(Protocol):
    """What the catalog needs of a library."""

    def documents(self) -> list[dict[str, Any]]: ...

    def document(self, document_id: str) -> Document: ...


def revision_year(revision: str) -> int:
    """``'Rev. New Delhi, 2024'`` -> 2024; ``'Rev. WRC-07'`` -> 2007; 0 when none."""
    four = re.findall(r"\b(1[89]\d\d|20\d\d)\b", revision)
    if four:
        return int(four[-1])
    two = re.search(r"-(\d\d)\b", revision)
    if two:
        year = int(two.group(1))
        return 2000 + year if year < 50 else 1900 + year
    return 0


def revision_place(revision: str) -> str:
    """``'Rev. New Delhi, 2024'`` -> ``'new delhi'``; ``'Rev. WRC-19'`` -> ``'wrc-19'``."""
    place = re.sub(r"^\s*rev\.?\s*", "", revision, flags=re.IGNORECASE)
    place = re.sub(r",?\s*\b(1[89]\d\d|20\d\d)\b.*$", "", place)
    return re.sub(r"\s+", " ", place).strip(" ,.").lower()


def body_of_revision(revision: str) -> str:
    """``'Rev. WRC-07'`` names its body (``WRC``); most revisions do not."""
    match = re.search(r"\b([A-Z]{2,6})-\d\d\b", revision)
    return match.group(1) if match and match.group(1) in KNOWN_BODIES else ""


@dataclass(frozen=True)
class Cited:
    """A resolution as a text or a person names it; any field may be empty."""

    body: str = ""
    number: str = ""
    place: str = ""
    year: int = 0
    status: str = ""

    def is_empty(self) -> bool:
        return not (self.body or self.number or self.place or self.year or self.status)


class Catalog:
    """Parsed documents indexed by series, place and year."""

    def __init__(self, documents: list[Document]) -> None:
        self.documents = list(documents)
        self.by_id = {document.id: document for document in self.documents}
        self.memo: dict[Any, Any] = {}  # results computed from these documents (cross-references)

    @classmethod
    def from_library(cls, library: DocumentSource) -> Catalog:
        ids = [str(summary["document"]) for summary in library.documents()]
        return cls([library.document(document_id) for document_id in ids])

    @property
    def bodies(self) -> list[str]:
        names = {document.body for document in self.documents if document.body}
        return sorted(names | set(KNOWN_BODIES), key=len, reverse=True)

    @property
    def places(self) -> list[str]:
        names = {revision_place(d.revision) for d in self.documents if d.kind == "resolution"}
        return sorted((name for name in names if len(name) >= 3), key=len, reverse=True)

    @property
    def years(self) -> set[int]:
        return {revision_year(d.revision) for d in self.documents} - {0}

    def matching(self, cited: Cited) -> list[Document]:
        """Documents compatible with every field given."""
        found = []
        for document in self.documents:
            if cited.body and document.body.lower() != cited.body.lower():
                continue
            if cited.number and document.number.lower() != cited.number.lower():
                continue
            if cited.place and revision_place(document.revision) != cited.place:
                continue
            if cited.year and revision_year(document.revision) != cited.year:
                continue
            if cited.status and cited.status not in document.status.lower():
                continue
            found.append(document)
        return found

    def series(self, document: Document) -> list[Document]:
        """Every version of the same resolution, oldest first."""
        same = [
            d
            for d in self.documents
            if d.kind == "resolution" and d.body == document.body and d.number == document.number
        ]
        return sorted(same, key=lambda d: revision_year(d.revision))

    def newest(self, documents: list[Document]) -> list[Document]:
        """The newest version of each series among ``documents`` (order kept)."""
        best: dict[tuple[str, str], Document] = {}
        for document in documents:
            key = (
                (document.body, document.number)
                if document.kind == "resolution"
                else (document.id, "")
            )
            held = best.get(key)
            if held is None or revision_year(document.revision) > revision_year(held.revision):
                best[key] = document
        return [
            d
            for d in documents
            if best.get((d.body, d.number) if d.kind == "resolution" else (d.id, "")) is d
        ]

    def newer_than(self, body: str, number: str, year: int) -> Document | None:
        """The newest corpus version of ``body number`` if it is newer than ``year``."""
        if not (body and number and year):
            return None
        versions = [d for d in self.documents if d.body == body and d.number == number]
        newest = max(versions, key=lambda d: revision_year(d.revision), default=None)
        if newest is not None and revision_year(newest.revision) > year:
            return newest
        return None

    def previous_version(self, document: Document) -> Document | None:
        """The version just before ``document`` in its series, if the corpus holds one."""
        versions = self.series(document)
        year = revision_year(document.revision)
        older = [d for d in versions if revision_year(d.revision) < year]
        return older[-1] if older else None
