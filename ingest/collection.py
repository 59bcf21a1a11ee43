"""Collections: one file holding several resolutions (Final Acts, a collection of basic texts).

A file is a collection when two or more of its lines start a resolution, decision,
recommendation or opinion: a header line (:mod:`ingest.header`; or the UN ``Resolution 242
(1967)``), not indented, typed with a capital (``RESOLUTION``/``Resolution``, not a
``resolution 678 (1990)`` that a hard wrap put at the start of a line), with nothing after its
parentheses but a date (``of 22 November 1967``), and followed within a few lines by an adopting
line (``The Plenipotentiary Conference ... (Busan, 2014),``, ``The Security Council,``). The
file is cut at those lines (a proposal marker standing just before a header goes with it);
what comes before the first (a cover, a table of contents) is not a resolution and is left out.
Each part is parsed by the text parsers as if it were a file of its own; a part that does not
parse is reported (:class:`PartFailure`) and skipped, the others are kept.

Footnote definitions (``[^N]: text``) stay with the part that holds them; a reference a part
does not define is resolved from the definitions at the end of the file (a PDF's notes are
all gathered there).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from ingest.errors import IngestError
from ingest.header import HEADER, MARKER_LINE
from ingest.layout import FOOTNOTE_DEF, FOOTNOTE_REF
from ingest.model import Document
from ingest.paragraph_text import is_artefact

ADOPTING_WINDOW = 10  # non-empty lines after a header where its adopting line must be
_UN_HEADER = re.compile(
    r"^(?:RESOLUTION|Resolution)\s+\d{1,4}\s*(?:\(\d{4}\))?\s*(?:(?:of|OF)\s+\d.*)?$"
)
_BODY_LINE = re.compile(
    r"^The\s+(?:[A-Z][\w-]*\s+){0,5}(?:Council|Assembly|Commission|Committee|Conference|Board)"
    r"\s*[,:.]?$"
)
_SUBJECT = re.compile(r"(?=.*[A-Z]{4})[A-Z][A-Z '’,.()-]{3,}")
_MASTHEAD = re.compile(
    r"S|Security Council|Distr\.?:?.*|GENERAL|General|\d{1,2}\s+[A-Z][a-z]+\s+\d{4}"
)
_UN_PARAGRAPH = re.compile(
    r"^(?:1\.\s*[A-Z]|[A-Z][a-z]{3,}ing\b|Adopted by the\b|Decides\b|Whereas\b)"
)
_UN_HEADER_AFTER = re.compile(r"^\d{1,4}\s*\(\d{4}\)\s*[.,]?\s*Resolution\b")
_ADOPTING_START = re.compile(r"^(?:(?:Therefore|Accordingly),?\s+)?[Tt]he\s+[A-Z]")
_REST_ALLOWED = re.compile(r"^(?:(?:of|OF)\s+\d.*|\*|\[\^\w+\])?$")


@dataclass
class PartFailure:
    """A resolution of a collection that could not be parsed: skipped, the others kept."""

    source: str
    line: int
    reason: str
    header: str = ""

    def to_json(self) -> dict[str, object]:
        return {"file": self.source, "line": self.line, "reason": self.reason, "part": True}


@dataclass
class Part:
    """The lines of one resolution in a collection: ``start`` is the index of its first line
    (a marker or the header), ``header`` the index of its header line."""

    start: int
    header: int
    end: int


@dataclass
class Collection:
    """What a collection gave: documents, where each starts (1-based line), and failures."""

    documents: list[Document] = field(default_factory=list)
    lines: dict[str, int] = field(default_factory=dict)  # document id -> header line
    failures: list[PartFailure] = field(default_factory=list)


def is_header_line(raw: str) -> bool:
    """Does this line (as it is in the file) look like the header of a resolution?"""
    text = raw.lstrip("\f")
    if not text or text[0].isspace():
        return False
    text = text.strip()
    if _UN_HEADER.match(text) or _UN_HEADER_AFTER.match(text):
        return True
    match = HEADER.match(text)
    if match is None:
        return False
    if not match.group("instrument")[:1].isupper():
        return False
    if not match.group("revision") and not match.group("number").isupper():
        return False  # 'Resolution 5 of the Council ...': a sentence, not a header
    return bool(_REST_ALLOWED.match(match.group("rest").strip()))


def is_un_header(raw: str) -> bool:
    """``Resolution 242 (1967)`` or ``1 (1946) Resolution of 25 January 1946`` alone on its
    line (UN layout)."""
    text = raw.lstrip("\f")
    if not text or text[0].isspace():
        return False
    return bool(_UN_HEADER.match(text.strip()) or _UN_HEADER_AFTER.match(text.strip()))


def _is_adopting(lines: list[str], index: int) -> bool:
    """Does the paragraph starting at ``lines[index]`` read as an adopting line (its end, within
    three lines when hard-wrapped, is a comma or a colon)?"""
    text = lines[index].strip()
    if _BODY_LINE.match(text):
        return True
    if not _ADOPTING_START.match(text):
        return False
    for offset in range(3):
        if index + offset >= len(lines):
            return False
        line = lines[index + offset].strip()
        if not line:
            return False
        if offset and (is_header_line(lines[index + offset]) or FOOTNOTE_DEF.match(line)):
            return False
        if line.endswith((",", ":")):
            return True
    return False


def find_parts(lines: list[str]) -> list[Part]:
    """The resolutions of a file's lines (one per header followed by an adopting line)."""
    starts: list[tuple[int, int]] = []
    for index, raw in enumerate(lines):
        if not is_header_line(raw) or _after_page_break(lines, index):
            continue
        seen = 0
        found = bool(_UN_HEADER_AFTER.match(raw.strip()))  # '17 (1947). Resolution of ...'
        repeated = bool(starts) and raw.strip() == lines[starts[-1][1]].strip()
        for other in range(index + 1, len(lines)):
            if not lines[other].strip():
                continue
            seen += 1
            if seen > ADOPTING_WINDOW or is_header_line(lines[other]):
                break
            if _is_adopting(lines, other) or (
                is_un_header(raw)  # old UN texts have no adopting line: 'Therefore', '1. ...'
                and not repeated  # but then the same header again is a running head
                and _UN_PARAGRAPH.match(lines[other].strip())
            ):
                found = True
                break
        if not found:
            continue
        starts.append((_opening(lines, index, starts[-1][1] if starts else -1), index))
    return [
        Part(start, header, starts[k + 1][0] if k + 1 < len(starts) else len(lines))
        for k, (start, header) in enumerate(starts)
    ]


def _after_page_break(lines: list[str], index: int) -> bool:
    """A header repeated at the top of a page, after a page break's furniture (a line starting
    with a form feed)."""
    previous = index - 1
    while previous >= 0 and not lines[previous].strip():
        previous -= 1
    return previous >= 0 and lines[previous].startswith("\f")


def _opening(lines: list[str], header: int, floor: int) -> int:
    """Where the part of the header at ``header`` starts: with the proposal markers (``MOD``,
    ``ADD PP/58/1``) and the subject heading in capitals (``MILITARY STAFF COMMITTEE``, after a
    blank line) and a UN masthead standing just before it, not before the line ``floor``."""
    start = header
    while True:
        previous = start - 1
        while previous > floor and not lines[previous].strip():
            previous -= 1
        if previous <= floor:
            return start
        after_break = previous > 0 and lines[previous - 1].startswith("\f")  # a running head
        if lines[previous].startswith("\f") or after_break or not _opening_line(lines[previous]):
            return start  # what is before a page break is the previous page's
        start = previous


def _opening_line(raw: str) -> bool:
    """A line that goes with the header after it: a proposal marker, a subject heading in
    capitals, the masthead of a UN document (``UNITED NATIONS``, ``Distr.: General``, its
    symbol and date)."""
    text = raw.strip()
    if is_header_line(raw) or FOOTNOTE_DEF.match(text):
        return False
    return bool(
        MARKER_LINE.match(text)
        or _SUBJECT.fullmatch(text)
        or _MASTHEAD.fullmatch(text)
        or is_artefact(text)
    )


def _trailing_notes(lines: list[str]) -> dict[str, str]:
    """The footnote definitions at the end of the file (after its last line of text)."""
    notes: dict[str, str] = {}
    for raw in reversed(lines):
        text = raw.strip()
        if not text:
            continue
        match = FOOTNOTE_DEF.match(text)
        if match is None:
            break
        notes.setdefault(match.group(1), raw)
    return notes


def part_text(lines: list[str], part: Part, trailing: dict[str, str]) -> str:
    """The text of one part, with the definitions of the notes it calls but does not hold."""
    own = lines[part.start : part.end]
    defined = {m.group(1) for line in own if (m := FOOTNOTE_DEF.match(line.strip()))}
    called = dict.fromkeys(
        ref
        for line in own
        if not FOOTNOTE_DEF.match(line.strip())
        for ref in FOOTNOTE_REF.findall(line)
    )
    extra = [trailing[ref] for ref in called if ref not in defined and ref in trailing]
    return "\n".join([*own, "", *extra] if extra else own)


def parse_collection(
    text: str, source: str, parse: Callable[[str, str], Document]
) -> Collection | None:
    """The documents of a file holding two or more resolutions, or ``None`` when it holds fewer.

    ``parse`` reads one part (:func:`ingest.loader.parse_text`). A part that raises an
    :class:`IngestError`, reads as no resolution, or repeats the id of an earlier part is a
    failure; line numbers (of errors and clauses) are those of the whole file."""
    lines = text.split("\n")
    parts = find_parts(lines)
    if len(parts) < 2:
        return None
    trailing = _trailing_notes(lines)
    result = Collection()
    first_line: dict[str, int] = {}
    for part in parts:
        header = lines[part.header].strip()
        where = part.header + 1
        try:
            document = parse(part_text(lines, part, trailing), source)
        except IngestError as error:
            line = error.line + part.start if error.line else where
            result.failures.append(PartFailure(source, line, f"{header}: {error.reason}", header))
            continue
        if document.kind != "resolution":
            result.failures.append(
                PartFailure(
                    source, where, f"{header}: not read as a resolution (no sections)", header
                )
            )
            continue
        if document.id in first_line:
            result.failures.append(
                PartFailure(
                    source,
                    where,
                    f"{header}: document id {document.id!r} already given by the resolution at "
                    f"line {first_line[document.id]} of this file; the second is skipped",
                    header,
                )
            )
            continue
        for _, clause in document.clauses():
            if clause.line:
                clause.line += part.start
        first_line[document.id] = where
        result.documents.append(document)
        result.lines[document.id] = where
    return result


__all__ = ["Collection", "Part", "PartFailure", "find_parts", "is_header_line", "parse_collection"]
