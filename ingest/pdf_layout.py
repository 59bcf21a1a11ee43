"""From the glyphs of PDF pages to the ITU text layout (used by :mod:`ingest.pdf_reader`).

The characters of each page come in the order the PDF gives them (the reading order of
documents printed from Word) with their baseline, box and font size; the thin horizontal rules
drawn on the page come with them. From them:

- lines and words come from the geometry (a gap wider than the font size after a label is the
  label's TAB); a raised, smaller number inside a line is a footnote reference ``[^N]``;
- the footnotes of a page are the lines under its footnote separator (a short rule at the left
  edge of the text, just above them), or, without one, the smaller-type or set-apart lines at
  its foot that open with the number of a note referred to above; a note that goes on at the
  foot of the next page (under the separator, with no number of its own) is carried over;
- page numbers, and running heads or feet (the same text, set apart from the text, at the same
  place on several pages, only a page number changing) are dropped;
- a paragraph is the lines from one paragraph space to the next where the document spaces its
  paragraphs; elsewhere a line that the next line's first word would not have fitted after is a
  hard wrap (Word wraps that way); a label, a heading or a wider gap starts a new one.

Paragraphs are separated by a blank line (the UN paragraph layout needs them; the ITU layout
reads one either way), footnotes ``[^N]: text`` follow the body.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from ingest.collection import is_header_line
from ingest.errors import IngestError, UnsupportedFileError
from ingest.layout import FOOTNOTE_REF, heading_keyword, looks_like_heading

_LABEL_WORD = re.compile(r"^(?:\(?\d{1,3}[a-z]?[.)]?|\(?[a-z]{1,5}\)|[–—•·\-])$")
_PAGE_NUMBER = re.compile(
    r"^(?:(?:page|p\.)\s*)?[-–—]?\s*\d{1,4}\s*[-–—]?(?:\s*(?:/|of)\s*\d{1,4})?$", re.IGNORECASE
)
_NOTE_OPENING = re.compile(r"^(?:\[\^(\d+)\]|(\d{1,3})(?=\s))")
_SUPERSCRIPT_DIGITS = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹", "0123456789")
_OPENING_PUNCTUATION = set("([{“‘«\"'„")  # no line break after these (UAX #14, class OP/QU)
_NUMBER = re.compile(r"\d+")


class ScannedPdfError(UnsupportedFileError):
    """The PDF has pages but no text layer: it is a picture of text."""


@dataclass
class Glyph:
    """One character: its text, horizontal extent, baseline (from the top) and font size."""

    text: str
    x0: float
    x1: float
    baseline: float
    size: float


@dataclass(frozen=True)
class Rule:
    """A thin horizontal line drawn on a page (a footnote separator, a border): its extent and
    its height from the top of the page."""

    x0: float
    x1: float
    y: float


@dataclass
class Page:
    """The glyphs of one page in the order the PDF gives them, the page's size, the number of
    its pictures and its thin horizontal rules."""

    width: float
    height: float
    glyphs: list[Glyph]
    images: int = 0
    rules: list[Rule] = field(default_factory=list)


@dataclass
class Line:
    """A printed line: its words (text, x0, x1), baseline, font size and page."""

    words: list[tuple[str, float, float]]
    baseline: float
    size: float
    page: int
    tab_after_label: bool = False

    @property
    def x0(self) -> float:
        return self.words[0][1]

    @property
    def x1(self) -> float:
        return self.words[-1][2]

    def text(self) -> str:
        """The line as text; the label's gap becomes a TAB, notes ``[^N]``."""
        out = ""
        for i, (word, _, _) in enumerate(self.words):
            if i:
                out += "\t" if i == 1 and self.tab_after_label else " "
            out += word
        return out


def layout_text(pages: list[Page], source: str) -> str:
    """The text of the pages in the ITU text layout: paragraphs apart, notes at the end."""
    if not pages:
        raise IngestError(source, 0, "the PDF has no pages; export the document again")
    if not any(page.glyphs for page in pages):
        if any(page.images for page in pages):
            raise ScannedPdfError(
                source,
                0,
                "the PDF has no text layer, only images (a scan?); run OCR on it first "
                "(for example ocrmypdf) or export the text as .txt or .docx",
            )
        raise IngestError(source, 0, "the PDF has no text; it is empty")
    lines_by_page = [_lines(page, n) for n, page in enumerate(pages)]
    areas = [_note_area(lines, page) for lines, page in zip(lines_by_page, pages, strict=True)]
    lines_by_page = _drop_furniture(lines_by_page, pages, areas)
    body_size = _body_size(pages)
    body: list[Line] = []
    notes: list[tuple[str | None, Line]] = []
    refs: set[str] = set()
    defined: set[str] = set()
    carried = False  # the page before ended with notes under a separator
    for lines, area in zip(lines_by_page, areas, strict=True):
        page_body, page_notes, carried = _split_notes(
            lines, area, body_size, refs, defined, carried
        )
        body.extend(page_body)
        notes.extend(page_notes)
    text = "\n\n".join(_paragraphs(body))
    definitions = _note_definitions(notes)
    if definitions:
        text += "\n\n" + "\n".join(definitions)
    return text + "\n"


def _body_size(pages: list[Page]) -> float:
    sizes = Counter(round(g.size, 1) for page in pages for g in page.glyphs if g.text != " ")
    return sizes.most_common(1)[0][0] if sizes else 0.0


# ---- lines --------------------------------------------------------------------------------------


def _lines(page: Page, number: int) -> list[Line]:
    """Group glyphs (in PDF order) into lines and words; raised small digits are note marks."""
    lines: list[Line] = []
    current: list[Glyph] = []
    base: Glyph | None = None  # the first full-size glyph of the line

    def flush() -> None:
        if current:
            lines.append(_make_line(current, base or current[0], number))

    for glyph in page.glyphs:
        if base is not None:
            drop = base.baseline - glyph.baseline
            raised = glyph.size < 0.85 * base.size and 0.15 * base.size < drop < base.size
            same = abs(drop) <= 0.3 * base.size or raised
            backwards = glyph.x0 < current[-1].x0 - 0.5 * base.size
            if same and not backwards:
                current.append(glyph)
                continue
            lowered = glyph.baseline - base.baseline
            if base.size < 0.85 * glyph.size and 0.15 * glyph.size < lowered < glyph.size:
                current.append(glyph)  # the line opened with a raised mark (a note's number)
                base = glyph
                continue
            flush()
            current, base = [], None
        current.append(glyph)
        if base is None:
            base = glyph
    flush()
    return lines


def _make_line(glyphs: list[Glyph], base: Glyph, page: int) -> Line:
    sized = [g for g in glyphs if g.text != " "] or glyphs
    size = Counter(round(g.size, 1) for g in sized).most_common(1)[0][0]
    words: list[tuple[str, float, float]] = []
    gaps: list[float] = []
    previous: Glyph | None = None
    note = ""
    broken = True  # the next glyph starts a word

    def close_note() -> None:
        nonlocal note
        if note:
            if words and not broken:
                text, x0, x1 = words[-1]
                words[-1] = (f"{text}[^{note}]", x0, x1)
            else:
                end = previous.x1 if previous is not None else 0.0
                words.append((f"[^{note}]", end, end))
            note = ""

    for glyph in glyphs:
        if glyph.text == " ":
            close_note()
            broken = True
            continue
        raised = glyph.size < 0.85 * size and base.baseline - glyph.baseline > 0.15 * size
        digit = glyph.text.translate(_SUPERSCRIPT_DIGITS)
        if raised and digit.isdigit():
            note += digit
            previous = glyph
            continue
        close_note()
        gap = glyph.x0 - previous.x1 if previous is not None else 0.0
        if broken or previous is None or gap > 0.2 * size:
            if words:
                gaps.append(gap)
            words.append((glyph.text, glyph.x0, glyph.x1))
        else:
            text, x0, _ = words[-1]
            words[-1] = (text + glyph.text, x0, glyph.x1)
        broken = False
        previous = glyph
    close_note()
    tab = bool(gaps) and gaps[0] > 0.9 * size and _LABEL_WORD.match(words[0][0]) is not None
    return Line(words, base.baseline, size, page, tab)


# ---- footnotes ----------------------------------------------------------------------------------


@dataclass
class NoteArea:
    """The lines under a page's footnote separator (the rule at ``y``)."""

    y: float
    lines: list[Line]


def _note_area(lines: list[Line], page: Page) -> NoteArea | None:
    """The footnote area of a page: under the lowest rule that starts at the left edge of the
    text, with text above it and a line just under it (within 2.5 line heights); the area ends
    at the foot of the page or at a gap of two line heights (a page footer)."""
    if not lines or not page.rules:
        return None
    left = min(line.x0 for line in lines)
    for rule in sorted(page.rules, key=lambda r: r.y, reverse=True):
        below = sorted((line for line in lines if line.baseline > rule.y), key=_baseline)
        if not below or len(below) == len(lines):
            continue
        size = below[0].size
        if abs(rule.x0 - left) > size or below[0].baseline - rule.y > 2.5 * size:
            continue
        area = [below[0]]
        for line in below[1:]:
            if line.baseline - area[-1].baseline > 2 * max(line.size, area[-1].size):
                break
            area.append(line)
        return NoteArea(rule.y, area)
    return None


def _baseline(line: Line) -> float:
    return line.baseline


def _opening(line: Line, refs: set[str], defined: set[str]) -> str | None:
    """The number of the note this line opens: a raised number, or a number referred to in the
    text above and not yet defined."""
    match = _NOTE_OPENING.match(line.text())
    if match is None:
        return None
    raised, plain = match.group(1), match.group(2)
    if raised and raised not in defined:
        return raised
    return plain if plain in refs and plain not in defined else None


def _split_notes(
    lines: list[Line],
    area: NoteArea | None,
    body_size: float,
    refs: set[str],
    defined: set[str],
    carried: bool,
) -> tuple[list[Line], list[tuple[str | None, Line]], bool]:
    """The body and the footnotes of a page (each note line with the number it opens, or None
    when it goes on with the note before); whether the page ends with notes under a separator.
    ``refs`` and ``defined`` grow."""
    if area is not None:
        inside = {id(line) for line in area.lines}
        present = {id(line) for line in lines}
        body = [line for line in lines if id(line) not in inside]
        kept = [line for line in area.lines if id(line) in present]
        page_refs = {m.group(1) for line in body for m in FOOTNOTE_REF.finditer(line.text())}
        if kept and (carried or _opening(kept[0], refs | page_refs, defined)):
            refs.update(page_refs)
            notes = []
            for line in kept:
                number = _opening(line, refs, defined)
                if number:
                    defined.add(number)
                notes.append((number, line))
            return body, notes, True
    return (*_notes_without_separator(lines, body_size, refs, defined), False)


def _notes_without_separator(
    lines: list[Line], body_size: float, refs: set[str], defined: set[str]
) -> tuple[list[Line], list[tuple[str | None, Line]]]:
    """The footnotes at the foot of a page with no separator: from the first line, in smaller
    type or after a wider gap (not a label's TAB: a list item), that opens with the number of a
    note referred to above it and not yet defined."""
    for i, line in enumerate(lines):
        number = _opening(line, refs, defined)
        if i and number:
            previous = lines[i - 1]
            gap = line.baseline - previous.baseline
            smaller = body_size and line.size < 0.92 * body_size
            if smaller or (gap > 1.6 * line.size and not line.tab_after_label):
                notes = []
                for note in lines[i:]:
                    opens = _opening(note, refs, defined)
                    if opens:
                        defined.add(opens)
                    notes.append((opens, note))
                return lines[:i], notes
        refs.update(m.group(1) for m in FOOTNOTE_REF.finditer(line.text()))
    return lines, []


def _note_definitions(notes: Iterable[tuple[str | None, Line]]) -> list[str]:
    definitions: list[str] = []
    for number, line in notes:
        text = line.text()
        if number:
            opening = _NOTE_OPENING.match(text)
            rest = text[opening.end() :].strip() if opening else text
            definitions.append(f"[^{number}]: {rest}")
        elif definitions:
            hyphen = definitions[-1].endswith("-") and not definitions[-1].endswith(" -")
            definitions[-1] += ("" if hyphen else " ") + text
    return definitions


# ---- page furniture -----------------------------------------------------------------------------


def _drop_furniture(
    pages: list[list[Line]], raw_pages: list[Page], areas: list[NoteArea | None]
) -> list[list[Line]]:
    """Drop page numbers and running heads/feet: at the top or the foot of a page, outside its
    footnotes, set apart from the other lines, and at the same place on another page with the
    same text (only a number that moves with the page number may change)."""
    candidates: list[tuple[int, Line]] = []
    dropped: set[int] = set()
    for number, (lines, area) in enumerate(zip(pages, areas, strict=True)):
        notes = {id(line) for line in area.lines} if area else set()
        height = raw_pages[number].height
        for line in {id(x): x for x in (lines[:2] + lines[-2:])}.values():
            if 0.12 * height <= line.baseline <= 0.88 * height:
                continue
            if _PAGE_NUMBER.match(_words(line)):
                dropped.add(id(line))
            elif id(line) not in notes and _set_apart(line, lines):
                candidates.append((number, line))
    for number, line in candidates:
        if any(
            other_page != number and _repeats(line, number, other, other_page)
            for other_page, other in candidates
        ):
            dropped.add(id(line))
    return [[line for line in lines if id(line) not in dropped] for lines in pages]


def _words(line: Line) -> str:
    return " ".join(word for word, _, _ in line.words).strip()


def _set_apart(line: Line, lines: list[Line]) -> bool:
    """More than one and a half line heights from every other line of the page."""
    return all(
        abs(other.baseline - line.baseline) > 1.5 * max(line.size, other.size)
        for other in lines
        if other is not line
    )


def _repeats(line: Line, page: int, other: Line, other_page: int) -> bool:
    """The same running head or foot: same place, same words, the same numbers but one that
    differs as the page numbers do (not in a resolution's header)."""
    if abs(line.baseline - other.baseline) > 0.5 * line.size:
        return False
    text, other_text = _words(line), _words(other)
    if _NUMBER.sub("#", text).lower() != _NUMBER.sub("#", other_text).lower():
        return False
    numbers = [int(n) for n in _NUMBER.findall(text)]
    others = [int(n) for n in _NUMBER.findall(other_text)]
    differ = [(a, b) for a, b in zip(numbers, others, strict=True) if a != b]
    if not differ:
        return True
    if is_header_line(text):  # resolutions 82, 83, 84 on pages 5, 6, 7 are not a running head
        return False
    return len(differ) == 1 and differ[0][1] - differ[0][0] == other_page - page


# ---- paragraphs ---------------------------------------------------------------------------------


def _paragraphs(lines: list[Line]) -> list[str]:
    """Join hard-wrapped lines into paragraphs (see :func:`_continues`)."""
    if not lines:
        return []
    right = max(line.x1 for line in lines)
    left = min(line.x0 for line in lines)
    pairs = [
        (a, b) for a, b in itertools.pairwise(lines) if a.page == b.page and b.baseline > a.baseline
    ]
    ratios = Counter(round((b.baseline - a.baseline) / max(a.size, b.size), 2) for a, b in pairs)
    pitch = ratios.most_common(1)[0][0] if ratios else 0.0  # line pitch, in font sizes
    spaced = bool(pairs) and sum(1 for a, b in pairs if _spaced(a, b, pitch)) >= 0.1 * len(pairs)
    paragraphs: list[str] = []
    previous: Line | None = None
    for line in lines:
        text = line.text()
        if previous is not None and _continues(previous, line, left, right, pitch, spaced):
            hyphen = paragraphs[-1].endswith("-") and not paragraphs[-1].endswith(" -")
            paragraphs[-1] += ("" if hyphen else " ") + text
        else:
            paragraphs.append(text)
        previous = line
    return paragraphs


def _spaced(previous: Line, line: Line, pitch: float) -> bool:
    """Is there more room between the two lines (on one page) than the line pitch gives?"""
    size = max(previous.size, line.size)
    return line.baseline - previous.baseline > (pitch + 0.2) * size


def _continues(
    previous: Line, line: Line, left: float, right: float, pitch: float, spaced: bool
) -> bool:
    """Does ``line`` go on with the paragraph of ``previous``? Not after a paragraph space, nor
    when it opens with a label's TAB, is a heading after a closing mark or a resolution's
    header; where the document spaces its paragraphs, a line at the line pitch goes on; else
    when its first word (with an opening bracket or quote before it) would not have fitted at
    the end of ``previous``."""
    if line.tab_after_label:
        return False
    text = line.text()
    short = line.x1 < right - 0.25 * (right - left)
    heading = heading_keyword(text) or looks_like_heading(text)
    if heading and short and previous.text().rstrip()[-1:] in ",;.:":
        return False
    if short and is_header_line(text):  # the next resolution of a collection
        return False
    same_page = previous.page == line.page and line.baseline > previous.baseline
    if same_page and pitch and _spaced(previous, line, pitch):
        return False
    if same_page and spaced:
        return True
    words = line.words
    first = words[0]
    if first[0] in _OPENING_PUNCTUATION and len(words) > 1:
        first = (first[0], first[1], words[1][2])
    space = 0.25 * line.size
    return previous.x1 + space + (first[2] - first[1]) > right - 0.5 * line.size


__all__ = ["Glyph", "Line", "Page", "Rule", "ScannedPdfError", "layout_text"]
