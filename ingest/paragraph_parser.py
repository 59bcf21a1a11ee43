"""Resolutions in the hard-wrapped paragraph layout of UN bodies (Security Council and the like).

Layout: a header (``Resolution 242 (1967)`` / ``of 22 November 1967``, or ``50 (1948). Resolution
of 29 May 1948``, or the 1990s ``RESOLUTION 902 (1994)`` / ``Adopted by the Security Council at
its 3347th meeting, ...``), the adopting line ``The Security Council,``, unnumbered preamble
paragraphs (``Recalling ...,``), operative paragraphs ``1. Decides ...;`` with sub-items ``(a)``,
``(i)`` and dashes, then the adoption note ``Adopted unanimously at the 1382nd meeting.`` and
footnotes ``1/ S/25046.`` (or ``12 Ibid., ...`` after the adoption note).

The document model for this layout (no headings are printed, so they follow UN citation usage):

- body from the adopting line (``UNSC``), number, revision = the year (``1967``), title
  ``Resolution 242 (1967) of 22 November 1967``; citation ``UNSC Res. 242 (1967)``.
- section ``preambular paragraph`` (kind ``preamble``, slug ``preamble``): every preamble
  paragraph is a clause labelled by its position ``1``, ``2``, ... (they are unnumbered in print,
  and UN practice cites them as "preambular paragraph 3").
- section ``operative paragraph`` (kind ``operative``, slug ``operative``): numbered paragraphs
  with their printed number as label (``UNSC Res. 242 (1967), operative paragraph 2 (a)``); an
  unnumbered operative paragraph (a resolution with a single decision) has label ``""``.
- sub-items ``(a)``, ``(1)``, ``(i)`` are clauses with ``sub`` = ``a``; a roman item under a
  lettered one has ``sub`` ``a.i``; dash items are ``indent 1``, ``indent 2`` ...
- resolutions in parts (``A``, ``B`` or ``I``, ``II`` standing alone) get one pair of sections per
  part, headed ``part A, operative paragraph``; annexes get a section ``Annex A`` (kind operative).
- the opening verb (``Recalling``, ``Decides``) does not make a section: it stays in the clause
  text; the section keyword is ``preamble``, ``operative`` or ``annex``.
- adoption notes, page artefacts and footnote lines are not clauses; the adoption note is kept
  whole (``Document.adoption``), with the footnote it calls spelled out (older texts print the
  vote there: ``(Note: One member (China) did not participate in the voting.)``); footnotes
  called in a paragraph (``1/``, a trailing number, ``*``) are resolved into its clause when
  defined.
"""

from __future__ import annotations

import re

from ingest.bodies import body_from_adopting_line, body_from_text
from ingest.errors import NotAResolutionError, ParseError
from ingest.header import document_id
from ingest.model import Document
from ingest.page_text import clean_pages, vocabulary
from ingest.paragraph_clauses import OPENING_VERBS, PART, ClauseBuilder
from ingest.paragraph_text import (
    MONTHS,
    Paragraph,
    is_artefact,
    note_definition,
    split_note_lines,
    split_paragraphs,
)

HEADER = re.compile(
    r"^(?:RESOLUTION|Resolution)\s+(?P<n1>\d{1,4})\s*(?:\((?P<y1>\d[\d-]{3,5})\)|$|\s+of\s)"
    r"|^(?P<n2>\d{1,4})\s*\((?P<y2>\d[\d-]{3,5})\)\s*[.,]?\s*Resolution\b"
)
DATE = re.compile(rf"\b(?:of|on)\s+(\d{{1,2}}\s+(?:{MONTHS})\s+\d{{4}})")
ADOPTING = re.compile(
    r"^(?:(?:Therefore|Accordingly),?\s+)?[Tt]he\s+((?:[A-Z][\w-]*\s+){0,5}"
    r"(?:Council|Assembly|Commission|Committee|Conference|Board))\s*[,:]?\s*(?P<rest>.*)$"
)
ADOPTION_NOTE = re.compile(r"^Adopted\b(?!\s+by\s+the\b)")
# The footnote called at the end of an adoption note ("... meeting 25", "... to none33").
NOTE_CALL = re.compile(r"^(?P<before>.*[A-Za-z).])\s*,?\s*(?P<mark>\d{1,3})$")
VOTE_FIGURE = re.compile(r"\b(?:to|by|with|and|of|paragraphs?|resolution)$")  # "... to 1"
MEETING_REST = re.compile(r"^(?:\d{1,4}(?:st|nd|rd|th)\b|[a-z])")
ANNEX = re.compile(r"^(?:ANNEX|Annex)(?:\s+[A-Z0-9]{1,4})?\.?$")
STANDALONE = r"(?:RESOLUTION|Resolution)\s+\d{1,4}\s*\(\d{4}\)"
STARTS = re.compile(
    r"^(?:\d{1,3}[.,]\s*[A-Z“\"(]|Adopted\b(?!\s+by\s+the\b)"
    # "(b) ..." opens a sub-item; "(1983) and ..." is the year of a resolution whose number
    # ended the line before ("367 (1975), 541\n(1983) and 544 (1983)"), never a label
    r"|\((?!\d{4}\))[a-z0-9]{1,5}\)\s?(?=[A-Za-z])"
    r"|[—–]\s?(?=[A-Za-z]))"
)


def is_paragraph_layout(text: str) -> bool:
    """A ``Resolution N (YEAR)`` header followed by an adopting line, and no tab labels."""
    lines = [line.strip() for line in text.split("\n")]
    tab_labelled = sum(1 for line in text.split("\n") if re.match(r"^\S{1,6}\t", line))
    if tab_labelled >= 3:
        return False
    for index, line in enumerate(lines):
        if HEADER.match(line) and (index < 40 or re.fullmatch(STANDALONE, line)):
            following = [other for other in lines[index + 1 : index + 40] if other][:8]
            if index < 40 and not following:
                return False
            if index < 40 or any(ADOPTING.match(other) for other in following):
                return True
    return False


def _opens_paragraph(line: str, previous: str) -> bool:
    """Inside a block of lines: does ``line`` open a new paragraph after ``previous``?"""
    if PART.match(previous.strip()) or ADOPTING.fullmatch(previous.strip().rstrip(",") + ","):
        return True
    ends_part = bool(re.search(r"[,;](?:\s*\d{1,3})?$", previous.rstrip()))
    if not ends_part and not previous.rstrip().endswith((":", ".")):
        return False
    if STARTS.match(line):
        return True
    first = line.split()[0].strip(":,;") if line.split() else ""
    return ends_part and (
        (first.endswith("ing") and first[:1].isupper() and len(first) > 6)
        or (first in OPENING_VERBS)
    )


def _header(paragraphs: list[Paragraph], source: str) -> tuple[str, str, str, int]:
    """Number, year, date and the index of the first paragraph after the header block."""
    candidates = [
        index
        for index, paragraph in enumerate(paragraphs)
        if HEADER.match(paragraph.text) and (index < 12 or re.fullmatch(STANDALONE, paragraph.text))
    ]
    if not candidates:
        raise NotAResolutionError(source, 1, "no header 'Resolution N (YEAR)'")
    index = candidates[0]
    match = HEADER.match(paragraphs[index].text)
    assert match is not None
    number = match.group("n1") or match.group("n2")
    year = re.sub(r"\D", "", match.group("y1") or match.group("y2") or "")
    date = ""
    position = index + 1
    for offset, paragraph in enumerate(paragraphs[index : index + 4]):
        found = DATE.search(paragraph.text)
        if found and not date:
            date = found.group(1)
        if offset and _is_header_line(paragraph.text):
            position = index + offset + 1
        elif offset:
            break
    if len(year) != 4:
        year = date[-4:] if date else ""
    if not year:
        line = paragraphs[index].line
        raise ParseError(source, line, "the header gives no year: write 'Resolution N (YEAR)'")
    return number, year, date, position


def _is_header_line(text: str) -> bool:
    return bool(
        re.match(r"^(?:of|on)\s+\d", text)
        or re.match(r"^Adopted by the\b", text)
        or re.match(r"^[\[({]\s*[SA]?/?\d", text)
        or HEADER.match(text)
    )


def parse_paragraph_resolution(text: str, source: str) -> Document:
    """Parse a resolution in the paragraph layout; :class:`NotAResolutionError` if it is none."""
    texts = text.split("\n")
    cleaned = clean_pages(texts, is_artefact, lower_only=True)
    lines = [(n, line) for n, line in enumerate(cleaned, 1) if line is not None]
    paragraphs = split_paragraphs(lines, _opens_paragraph, vocabulary(texts))
    if not paragraphs:
        raise ParseError(source, 1, "the file is empty")
    number, year, date, position = _header(paragraphs, source)
    body_paragraphs, notes, adoption = _split_notes(paragraphs[position:])
    adopting_match = next(filter(None, (ADOPTING.match(p.text) for p in body_paragraphs[:3])), None)
    adopting = adopting_match.group(0) if adopting_match else ""
    body = body_from_adopting_line(adopting_match.group(1)) if adopting_match else ""
    body = body or body_from_text(" ".join(p.text for p in paragraphs[:8])) or "UN"
    doc_id = document_id(body, number, year)
    title = f"Resolution {number} ({year})" + (f" of {date}" if date else "")
    document = Document(
        id=doc_id,
        kind="resolution",
        body=body,
        number=number,
        revision=year,
        title=title,
        adopting=adopting.split(",")[0] + "," if adopting else "",
        adoption=adoption,
        source=source,
    )
    builder = ClauseBuilder(document, notes)
    for paragraph in body_paragraphs:
        _feed(builder, paragraph)
    if not any(section.clauses for section in document.sections):
        where = body_paragraphs[0].line if body_paragraphs else paragraphs[-1].line
        raise ParseError(source, where, "no preamble or operative paragraphs after the header")
    return document


def _feed(builder: ClauseBuilder, paragraph: Paragraph) -> None:
    text = paragraph.text
    part = PART.match(text)
    if part:
        builder.start_part(part.group("part"))
        return
    if ANNEX.match(text):
        builder.start_part("", heading=text.rstrip(".").title())
        return
    adopting = ADOPTING.match(text)
    rest = adopting.group("rest").strip() if adopting else ""
    if adopting and not rest[:1].islower():
        if builder.part.preamble.clauses or builder.part.operative.clauses:
            builder.start_part(builder.part.name or str(len(builder.document.sections)))
        if rest:
            builder.add(Paragraph(rest, paragraph.line))
        return
    if adopting:  # "The Security Council decides ...": an operative paragraph
        builder.add(paragraph, operative=True)
        return
    builder.add(paragraph)


def _split_notes(paragraphs: list[Paragraph]) -> tuple[list[Paragraph], dict[str, str], str]:
    """Body paragraphs (up to the adoption note), the footnote definitions by mark, and the
    adoption notes (``Adopted at the 2963rd meeting by 12 votes to 2 ...``), one per line."""
    body: list[Paragraph] = []
    notes: dict[str, str] = {}
    adoption: list[str] = []
    after_adoption = False
    for paragraph in paragraphs:
        if ADOPTION_NOTE.match(paragraph.text):
            after_adoption = True
            adoption.append(" ".join(paragraph.text.split()))
            continue
        if adoption and _continues_note(adoption[-1], paragraph.text):
            adoption[-1] += " " + " ".join(paragraph.text.split())
            continue
        pieces = split_note_lines(paragraph) if after_adoption else [paragraph]
        for piece in pieces:
            definition = note_definition(piece.text)
            is_note = definition is not None and (
                after_adoption or re.match(r"^\d{1,3}/\s", piece.text)
            )
            if is_note and definition is not None:
                notes.setdefault(definition[0], definition[1])
            elif not after_adoption:
                body.append(piece)
    return body, notes, "\n".join(_with_note(line, notes) for line in adoption)


def _continues_note(note: str, text: str) -> bool:
    """Whether ``text`` is the rest of an adoption note cut by a blank line ("Adopted
    unanimously at the" / "2351st meeting.")."""
    return not note.endswith((".", ")")) and bool(MEETING_REST.match(text))


def _with_note(line: str, notes: dict[str, str]) -> str:
    """The adoption note with the footnote it calls spelled out: "Adopted at the 80th meeting
    25" and the note "25 Adopted without vote." give "Adopted at the 80th meeting. (Note:
    Adopted without vote.)"; a vote's last figure ("by 14 votes to 1") is no call."""
    match = NOTE_CALL.match(line)
    if not match or VOTE_FIGURE.search(match["before"]):
        return line
    before = match["before"] if match["before"].endswith(".") else match["before"] + "."
    note = notes.get(match["mark"])  # a note the text does not print: the call is dropped
    return f"{before} (Note: {note})" if note else before
