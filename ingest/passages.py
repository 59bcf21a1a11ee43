"""Any other document (a report, a contribution, notes): numbered passages under their headings."""

from __future__ import annotations

import re
from pathlib import Path

from ingest.errors import ParseError
from ingest.model import Clause, Document, Section, slugify
from ingest.resolution_parser import SourceLine

_ARTEFACT = re.compile(r"\[(?:bookmark|footnoteRef):[^\]]*\]")
_NUMBERED_HEADING = re.compile(r"^(?:[IVX]+|\d+(?:\.\d+)*)\.?\t\S")


def _is_heading(text: str, style_heading: bool) -> bool:
    if style_heading:
        return True
    if _NUMBERED_HEADING.match(text) and len(text.split()) <= 12 and text[-1] not in ".;,:":
        return True
    words = text.split()
    return len(words) <= 10 and text[-1] not in ".;,:!?" and text[:1].isupper() and len(text) < 90


def parse_passages(
    lines: list[SourceLine], source: str, title: str = "", headings: set[int] | None = None
) -> Document:
    """Cut a document into numbered passages under its headings.

    ``headings`` names the line numbers known to be headings (from Word heading styles).
    """
    doc_id = slugify(Path(source).stem) or "document"
    document = Document(
        id=doc_id, kind="passages", body="", number="", revision="",
        title=title or Path(source).stem, source=source, status="",
    )
    section = Section(heading="", kind="passages", keyword="", slug="start")
    document.sections.append(section)
    slugs = {"start"}
    for line in lines:
        text = _ARTEFACT.sub("", line.text).strip()
        if not text or set(text) <= set("_-–= "):
            continue
        if _is_heading(text, line.number in (headings or set())):
            slug = slugify(text, max_words=8) or "section"
            base, counter = slug, 2
            while slug in slugs:
                slug, counter = f"{base}-{counter}", counter + 1
            slugs.add(slug)
            section = Section(heading=text, kind="passages", keyword="", slug=slug)
            document.sections.append(section)
            continue
        number = str(len(section.clauses) + 1)
        section.clauses.append(
            Clause(id=f"{doc_id}/{section.slug}/{number}", label=number, sub="", text=text,
                   line=line.number)
        )
    document.sections = [s for s in document.sections if s.clauses]
    if not document.sections:
        raise ParseError(source, 0, "no text found in the document")
    return document
