"""The document model: Document > Section > Clause, with stable ids and readable citations.

A *document* is a resolution (of an ITU conference or assembly, or of another body) or any other
text cut into passages. Clause ids are built from the document id, the section heading and the
printed labels only, so they stay the same when the same file is parsed again.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from collections import OrderedDict
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

SectionKind = Literal["preamble", "operative", "passages"]
DocumentKind = Literal["resolution", "passages"]
ChangeKind = Literal["insert", "delete"]


def slugify(text: str, max_words: int = 0) -> str:
    """Lower-case ASCII slug: ``'Rev. New Delhi, 2024'`` -> ``'rev-new-delhi-2024'``."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    words = re.findall(r"[a-z0-9]+", ascii_text.lower())
    if max_words:
        words = words[:max_words]
    return "-".join(words)


class _Suffixes:
    """For one set of used keys: per key, the suffix below which every ``key-N`` is taken."""

    def __init__(self, used: set[str]):
        self.used = used  # held, so that ``id(used)`` cannot be reused while it is remembered
        self.size = len(used)
        self.next: dict[str, int] = {}


_SUFFIXES: OrderedDict[int, _Suffixes] = OrderedDict()
_SUFFIX_SETS = 16  # the sets remembered (one per document or section list being parsed)
_SUFFIX_LOCK = threading.Lock()


def _suffixes(used: set[str]) -> _Suffixes:
    entry = _SUFFIXES.get(id(used))
    if entry is None or entry.used is not used or len(used) < entry.size:
        entry = _SUFFIXES[id(used)] = _Suffixes(used)  # new, or shrunk: hints no longer hold
        while len(_SUFFIXES) > _SUFFIX_SETS:
            _SUFFIXES.popitem(last=False)
    _SUFFIXES.move_to_end(id(used))
    return entry


def unique_key(key: str, used: set[str]) -> str:
    """``key``, or the first of ``key-2``, ``key-3``... not in ``used``; added to ``used``.

    Linear over many calls with the same key: the suffix reached last time is remembered per set
    (``used`` only grows between calls), so probing resumes there instead of at 2.
    """
    with _SUFFIX_LOCK:
        entry = _suffixes(used)
        candidate, counter = key, entry.next.get(key, 2)
        if candidate in used:
            candidate = f"{key}-{counter}"
            while candidate in used:
                counter += 1
                candidate = f"{key}-{counter}"
            entry.next[key] = counter + 1
        used.add(candidate)
        entry.size = len(used)
        return candidate


FOOTNOTE_OPEN = "[Footnote: "  # how :attr:`Clause.full_text` sets a footnote into the text


def without_footnotes(text: str) -> str:
    """``text`` (a :attr:`Clause.full_text`) without the footnotes set at its end."""
    return text.split(f" {FOOTNOTE_OPEN.rstrip()}")[0].strip()


@dataclass
class Change:
    """One tracked change inside a clause (from Word revision marks)."""

    kind: ChangeKind
    text: str
    author: str = ""
    date: str = ""
    moved: bool = False


@dataclass
class Clause:
    """A clause as printed: its label, an optional sub-item label, and its text.

    ``label`` is the top-level label without closing parenthesis (``b``, ``3`` or ``""``); ``sub``
    the sub-item label (``ii``, ``indent 2``) or ``""`` for the clause itself.
    """

    id: str
    label: str
    sub: str
    text: str
    printed_label: str = ""
    printed_sub: str = ""
    footnotes: list[str] = field(default_factory=list)
    original_text: str | None = None
    changes: list[Change] = field(default_factory=list)
    line: int = 0

    @property
    def full_text(self) -> str:
        """The text with its footnotes resolved into it (what search and answers see)."""
        if not self.footnotes:
            return self.text
        notes = " ".join(f"{FOOTNOTE_OPEN}{note}]" for note in self.footnotes)
        return f"{self.text} {notes}"


@dataclass
class Section:
    """A heading as printed and the clauses under it."""

    heading: str
    kind: SectionKind
    keyword: str
    slug: str
    clauses: list[Clause] = field(default_factory=list)


@dataclass
class Document:
    """A parsed file: a resolution, or passages of any other document."""

    id: str
    kind: DocumentKind
    body: str
    number: str
    revision: str
    title: str
    adopting: str = ""
    # the note that records the adoption, as printed after the text ("Adopted at the 2963rd
    # meeting by 12 votes to 2 (Cuba and Yemen), with 1 abstention (China)."); "" if none
    adoption: str = ""
    status: str = "in force"
    source: str = ""
    sections: list[Section] = field(default_factory=list)

    @property
    def short_name(self) -> str:
        """``WTSA Res. 43 (Rev. New Delhi, 2024)``, or the title for plain documents."""
        if self.kind != "resolution":
            return self.title or self.id
        name = f"{self.body} Res. {self.number}".strip()
        return f"{name} ({self.revision})" if self.revision else name

    def clauses(self) -> list[tuple[Section, Clause]]:
        """Every clause with its section, in reading order."""
        return [(section, clause) for section in self.sections for clause in section.clauses]

    def clause(self, clause_id: str) -> tuple[Section, Clause] | None:
        """The clause with this id, or ``None``."""
        for section, clause in self.clauses():
            if clause.id == clause_id:
                return section, clause
        return None


def citation_string(document: Document, section: Section, clause: Clause) -> str:
    """The citation a person reads: ``PP Res. 58 (Rev. Doha, 2026), considering b)``."""
    if document.kind != "resolution":
        where = f"{section.heading}, paragraph {clause.label}" if section.heading else clause.label
        return f"{document.short_name}, {where}".strip(", ")
    parts = [section.heading]
    if clause.label:
        printed = clause.printed_label or clause.label
        parts.append(printed)
    text = " ".join(parts)
    if clause.sub:
        text += f", {clause.sub}" if clause.sub.startswith("indent") else f" {clause.printed_sub}"
    return f"{document.short_name}, {text}"


def citation(document: Document, section: Section, clause: Clause) -> dict[str, Any]:
    """The citation object of one clause (JSON of the CLI and the API)."""
    return {
        "id": clause.id,
        "document": document.id,
        "body": document.body,
        "number": document.number,
        "revision": document.revision,
        "section": section.heading,
        "label": clause.label,
        "sub": clause.sub,
        "citation": citation_string(document, section, clause),
        "text": clause.full_text,
    }


# The ``section`` of a heading's citation, and the last part of its id (``unsc-678-1990/heading``).
HEADING = "heading"


def heading_text(document: Document) -> str:
    """The heading as printed (title, revision, adopting line) and the adoption note."""
    lines = [document.title, document.adopting, document.adoption]
    if not document.title.lower().startswith("resolution"):  # ITU: number line, then the title
        lines.insert(0, f"Resolution {document.number} ({document.revision})")
    return "\n".join(line for line in lines if line)


def heading_citation(document: Document) -> dict[str, Any]:
    """The citation object of a document's heading: what answers "When was it adopted?"
    (:mod:`assistant.answering.adoption`); its id is ``<document id>/heading``."""
    return {
        "id": f"{document.id}/{HEADING}",
        "document": document.id,
        "body": document.body,
        "number": document.number,
        "revision": document.revision,
        "section": HEADING,
        "label": "",
        "sub": "",
        "citation": f"{document.short_name}, {HEADING}",
        "text": heading_text(document),
    }


def document_summary(document: Document) -> dict[str, Any]:
    """The citation fields of a document, without its sections."""
    return {
        "document": document.id,
        "kind": document.kind,
        "body": document.body,
        "number": document.number,
        "revision": document.revision,
        "title": document.title,
        "status": document.status,
        "source": document.source,
        "name": document.short_name,
    }


def document_structure(document: Document) -> dict[str, Any]:
    """The JSON of ``resolutions parse --json`` for one document."""
    data = document_summary(document)
    data["adopting"] = document.adopting
    data["sections"] = [
        {
            "heading": section.heading,
            "kind": section.kind,
            "keyword": section.keyword,
            "clauses": [
                {**citation(document, section, clause), **_revision_fields(clause)}
                for clause in section.clauses
            ],
        }
        for section in document.sections
    ]
    return data


def _revision_fields(clause: Clause) -> dict[str, Any]:
    if clause.original_text is None and not clause.changes:
        return {}
    return {
        "original_text": clause.original_text,
        "changes": [asdict(change) for change in clause.changes],
    }


def document_to_dict(document: Document) -> dict[str, Any]:
    """Lossless JSON form of a parsed document (for storage beside the index)."""
    return asdict(document)


def document_from_dict(data: dict[str, Any]) -> Document:
    """Inverse of :func:`document_to_dict`."""
    sections = []
    for section in data.get("sections", []):
        clauses = [
            Clause(**{**clause, "changes": [Change(**c) for c in clause.get("changes", [])]})
            for clause in section.get("clauses", [])
        ]
        sections.append(Section(**{**section, "clauses": clauses}))
    return Document(**{**data, "sections": sections})
