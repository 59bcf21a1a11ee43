"""Structure of a resolution in the ITU plain-text layout (also fed by the .docx reader).

One paragraph per line: a header (``RESOLUTION 43 (Rev. New Delhi, 2024)``), the title, an optional
history line, the adopting line (``The World ... Assembly (New Delhi, 2024),``), then section
headings standing alone and clauses ``<label><TAB><text>``; footnotes ``[^1]: text`` at the end.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from ingest.bodies import body_from_adopting_line
from ingest.errors import NotAResolutionError, ParseError
from ingest.header import MARKER_LINE, document_id, normalize_revision, read_header
from ingest.layout import (
    FOOTNOTE_DEF,
    FOOTNOTE_REF,
    ROMAN,
    heading_keyword,
    looks_like_heading,
    match_label,
    next_letter,
    roman_value,
    section_kind,
    strip_markdown,
)
from ingest.model import Change, Clause, Document, Section, slugify, unique_key

MARKERS = {"MOD", "ADD", "SUP", "NOC", "(MOD)", "(ADD)", "DRAFT"}
MAX_HEADER_LINES = 8


@dataclass
class SourceLine:
    """One paragraph of the source with where it came from and its tracked changes."""

    text: str
    number: int
    original: str | None = None
    changes: list[Change] = field(default_factory=list)
    role: str = ""  # "text": never a label or heading (set by ingest.unwrap); "": decide here


def lines_of_text(text: str) -> list[SourceLine]:
    """Split plain text or Markdown into source lines (Markdown marks removed), one paragraph
    a line: text pasted from the web or a PDF is unwrapped (:func:`ingest.unwrap.tidy_lines`)."""
    from ingest.unwrap import tidy_lines  # it builds SourceLines: imported here, not at the top

    return tidy_lines(
        [
            SourceLine(strip_markdown(line.rstrip("\r")), number)
            for number, line in enumerate(text.split("\n"), start=1)
        ]
    )


def parse_resolution(lines: list[SourceLine], source: str) -> Document:
    """Parse the lines of one resolution; raise :class:`NotAResolutionError` if it is not one."""
    footnotes, body_lines = _split_footnotes(lines)
    content = [line for line in body_lines if line.text.strip()]
    content = [line for line in content if line.text.strip().upper() not in MARKERS]
    while len(content) > 1 and MARKER_LINE.match(content[0].text.strip()):
        content = content[1:]  # 'MOD PP/58/1' before the header
    if not content:
        raise ParseError(source, 1, "the file is empty")
    header = read_header(content[0].text)
    if header is None:
        raise NotAResolutionError(source, content[0].number, "no RESOLUTION header line")
    number, revision = header.number, header.revision
    title_parts: list[str] = []
    adopting = ""
    position = 1
    while position < len(content) and position <= MAX_HEADER_LINES:
        text = content[position].text.strip()
        position += 1
        if _is_adopting_line(text):
            adopting = text
            break
        if text.startswith("(") and text.endswith(")"):
            continue  # history line: (Florianópolis, 2004; ...)
        title_parts.append(text)
    if not adopting:
        raise NotAResolutionError(
            source, content[0].number, "no adopting line ('The ... Conference (Place, Year),')"
        )
    body = body_from_adopting_line(adopting)
    if not revision:
        revision = _revision_from_adopting(adopting)
    doc_id = document_id(body, number, revision, header.instrument)
    document = Document(
        id=doc_id,
        kind="resolution",
        body=body,
        number=number,
        revision=revision,
        title=" ".join(title_parts),
        adopting=adopting,
        status=_status(source, content),
        source=source,
    )
    _read_sections(document, content[position:], footnotes, source)
    if not document.sections:
        raise ParseError(
            source,
            content[-1].number,
            "no section headings after the adopting line ('considering', 'resolves', ...)",
        )
    return document


def parse_resolution_text(text: str, source: str) -> Document:
    """Parse plain text or Markdown in the ITU layout."""
    return parse_resolution(lines_of_text(text), source)


def _split_footnotes(lines: list[SourceLine]) -> tuple[dict[str, str], list[SourceLine]]:
    footnotes: dict[str, str] = {}
    rest: list[SourceLine] = []
    for line in lines:
        match = FOOTNOTE_DEF.match(line.text.strip())
        if match:
            footnotes[match.group(1)] = match.group(2).strip()
        else:
            rest.append(line)
    return footnotes, rest


def _is_adopting_line(text: str) -> bool:
    return bool(re.match(r"^the\s+\S", text, re.IGNORECASE)) and text.rstrip().endswith((",", ":"))


def _revision_from_adopting(adopting: str) -> str:
    match = re.search(r"\(([^)]*\d{4}[^)]*)\)", adopting)
    return normalize_revision(match.group(1)) if match else ""


def _status(source: str, content: list[SourceLine]) -> str:
    head = " ".join(line.text for line in content[:3]).lower()
    if "draft" in Path(source).name.lower() or "draft" in head:
        return "draft"
    return "in force"


class _SectionBuilder:
    """Collects the clauses of one section, deciding what is top-level and what a sub-item."""

    def __init__(self, document: Document, section: Section, footnotes: dict[str, str]):
        self.document = document
        self.section = section
        self.footnotes = footnotes
        self.top_group = ""
        self.top: Clause | None = None
        self.last: Clause | None = None
        self.indents = 0
        self.last_sub = ""
        self.tail: list[str] = []
        self.used_ids: set[str] = set()

    def add_labelled(self, line: SourceLine, source: str) -> None:
        labelled = match_label(line.text.strip())
        assert labelled is not None
        group = "number" if labelled.style == "number" else "alpha"
        if labelled.style == "bullet":
            self.indents += 1
            parent = self.top
            self._add(line, labelled.text, parent, f"indent {self.indents}", "")
            return
        is_top = not self.top_group or group == self.top_group
        continues_subs = bool(self.last_sub) and roman_value(labelled.label) == (
            roman_value(self.last_sub) + 1
        )
        if continues_subs and self.top is not None:
            is_top = False  # 'ii)' after the sub-item 'i)'
        elif is_top and labelled.style == "roman" and self.top is not None and self.top.label:
            # 'i)' after 'h)' continues the letters; after anything else it opens sub-items.
            is_top = next_letter(self.top.label) == labelled.label or (
                self.top_group == "alpha" and not self.top.label.isalpha()
            )
            if not is_top and self.top_group == "alpha" and _is_roman(self.top.label):
                # a run of roman top-level labels (i), ii), iii)), not sub-items under c) or l)
                is_top = roman_value(labelled.label) == roman_value(self.top.label) + 1
        if is_top:
            self.top_group = self.top_group or group
            self.indents = 0
            self.last_sub = ""
            self.top = self._add(line, labelled.text, None, labelled.label, labelled.printed)
        else:
            self.last_sub = labelled.label
            self._add(line, labelled.text, self.top, labelled.label, labelled.printed)

    def add_unlabelled(self, line: SourceLine) -> None:
        if self.last is None:
            self.top = self._add(line, line.text.strip(), None, "", "")
            return
        text, notes = self._resolve_footnotes(line.text.strip())
        self.tail.append(text)  # joined in flush(): linear time for long clauses
        self.last.footnotes.extend(notes)
        if line.original is not None:
            base = self.last.original_text or ""
            self.last.original_text = f"{base}\n{_strip_label(line.original)}".strip("\n")
        self.last.changes.extend(line.changes)

    def _add(
        self, line: SourceLine, text: str, parent: Clause | None, label: str, printed: str
    ) -> Clause:
        text, notes = self._resolve_footnotes(text)
        if parent is None:
            top_label, sub, printed_label, printed_sub = label, "", printed.rstrip("."), ""
            key = slugify(top_label) or "p"
        else:
            top_label, sub = parent.label, label
            printed_label, printed_sub = parent.printed_label, printed
            key = f"{slugify(parent.label) or 'p'}/{slugify(sub)}"
        clause_id = unique_key(f"{self.document.id}/{self.section.slug}/{key}", self.used_ids)
        original = _strip_label(line.original) if line.original is not None else None
        clause = Clause(
            id=clause_id,
            label=top_label,
            sub=sub,
            text=text,
            printed_label=printed_label,
            printed_sub=printed_sub,
            footnotes=notes,
            original_text=original,
            changes=list(line.changes),
            line=line.number,
        )
        self.section.clauses.append(clause)
        self.flush()
        self.last = clause
        return clause

    def flush(self) -> None:
        """Join the continuation lines collected for the last clause into its text."""
        if self.last is not None and self.tail:
            self.last.text = "\n".join([self.last.text, *self.tail])
        self.tail = []

    def _resolve_footnotes(self, text: str) -> tuple[str, list[str]]:
        notes = [self.footnotes[ref] for ref in FOOTNOTE_REF.findall(text) if ref in self.footnotes]
        return FOOTNOTE_REF.sub("", text).strip(), notes


def _is_roman(label: str) -> bool:
    return bool(ROMAN.match(label))


def _strip_label(text: str) -> str:
    labelled = match_label(text.strip())
    return labelled.text if labelled else text.strip()


def _read_sections(
    document: Document, lines: list[SourceLine], footnotes: dict[str, str], source: str
) -> None:
    slugs: set[str] = set()
    heading_lines: dict[int, int] = {}
    builder: _SectionBuilder | None = None
    for line in lines:
        text = line.text.strip()
        if line.role == "text" and builder is not None:
            builder.add_unlabelled(line)
            continue
        if match_label(text) is None and looks_like_heading(text):
            keyword = heading_keyword(text)
            slug = unique_key(slugify(text, max_words=8) or "section", slugs)
            section = Section(
                heading=text,
                kind=section_kind(keyword) if keyword else "preamble",  # type: ignore[arg-type]
                keyword=keyword or text.split()[0].lower(),
                slug=slug,
            )
            document.sections.append(section)
            heading_lines[id(section)] = line.number
            if builder is not None:
                builder.flush()
            builder = _SectionBuilder(document, section, footnotes)
            continue
        if builder is None:
            raise ParseError(
                source, line.number, f"text before the first section heading: {text[:60]!r}"
            )
        if match_label(text) is not None:
            builder.add_labelled(line, source)
        else:
            builder.add_unlabelled(line)
    if builder is not None:
        builder.flush()
    for section in document.sections:
        if not section.clauses:
            raise ParseError(
                source,
                heading_lines.get(id(section), 0),
                f"section {section.heading!r} has no text under it; put its clauses after it",
            )
