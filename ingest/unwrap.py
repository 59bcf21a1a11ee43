"""Text in the ITU layout as pasted from the web or a PDF, brought back to one paragraph a line.

:func:`tidy_lines` takes the lines of a text and gives the lines :mod:`ingest.resolution_parser`
reads: page artefacts dropped, hard-wrapped lines joined (hyphenation undone where it is one),
and labels written ``label<TAB>text`` whatever separated them (a tab, spaces, nothing).

Labels are conservative: a label not separated by a tab counts only after a line that ends a
clause (or a heading, or a blank line), and a number or letter only when it continues the
section's own sequence (after ``1`` comes ``2``, after ``a)`` comes ``b)``; ``1``, ``a)`` and
``i)`` may always start one). Otherwise the line is continuation text (``2 per cent of ...``).
A text whose lines are already one paragraph each (the tidy layout) keeps its lines.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from ingest.header import MARKER_LINE, read_header
from ingest.layout import (
    FOOTNOTE_DEF,
    LabelledLine,
    heading_keyword,
    looks_like_heading,
    match_label,
    next_letter,
    roman_value,
)
from ingest.page_text import clean_pages, ends_clause, join_broken, vocabulary
from ingest.resolution_parser import SourceLine

_SPACED = re.compile(
    r"^(?P<label>\(?\d{1,3}(?:\.\d{1,3})*(?:\s?(?:bis|ter|quater))?\)?|[-–—•·*])\s+(?P<text>\S.*)$"
)
_GLUED = re.compile(
    r"^(?P<label>\(?\d{1,3}(?:\.\d{1,3})*[.)]|\d{1,3}(?:\.\d{1,3})*(?=[a-z]{2})"
    r"|\(?[a-z]{1,5}\)|[–—•·]|-(?=[A-Za-z]))(?P<text>[^\s\d.,;:)].*)$"
)
_LABEL_ONLY = re.compile(r"^(?:\(?\d{1,3}(?:\.\d{1,3})*[.)]?|\(?[a-z]{1,5}\)|[–—•·-])$")
_ADOPTING = re.compile(r"^the\s+\S", re.IGNORECASE)
MAX_WIDTH = 100


def loose_label(text: str) -> LabelledLine | None:
    """The label of a line whatever separates it from its text (tab, spaces, nothing)."""
    labelled = match_label(text)
    if labelled is not None:
        return labelled
    for pattern in (_SPACED, _GLUED):
        match = pattern.match(text)
        if match:
            return match_label(f"{match.group('label')}\t{match.group('text')}")
    return None


@dataclass
class _Numbering:
    """The labels seen in one section, to tell the next label from text that looks like one."""

    number: int = 0
    carried: int = 0
    letter: str = ""
    roman: int = 0

    def restart(self) -> None:
        self.carried = self.number or self.carried
        self.number, self.letter, self.roman = 0, "", 0

    def fits(self, labelled: LabelledLine) -> bool:
        label = labelled.label
        if labelled.style == "bullet" or re.search(r"bis|ter|quater", label):
            return True
        if labelled.style == "number":
            parts = [int(part) for part in re.findall(r"\d+", label)]
            if len(parts) > 1:
                return parts[0] in (self.number, self.number + 1)
            value = parts[0]
            if value in (1, self.number + 1) or (not self.number and value == self.carried + 1):
                return True
            punctuated = labelled.printed.endswith((".", ")"))
            return punctuated and self.number < value <= self.number + 3
        if label in ("a", next_letter(self.letter) if self.letter else "a"):
            return True
        return labelled.style == "roman" and roman_value(label) in (1, self.roman + 1)

    def take(self, labelled: LabelledLine) -> None:
        label = labelled.label
        if labelled.style == "number":
            self.number = int(re.findall(r"\d+", label)[0])
        elif labelled.style != "bullet":
            if label == (next_letter(self.letter) if self.letter else "a") or label == "a":
                self.letter = label
            if labelled.style == "roman":
                self.roman = roman_value(label)


@dataclass
class _Ahead:
    """The lines after the current one (without copying them)."""

    lines: list[tuple[int, str]]
    start: int

    def text(self) -> str:
        """The next non-blank line, stripped; ``""`` if none is near."""
        for _, text in self.lines[self.start : self.start + 4]:
            if text.strip():
                return text.strip()
        return ""

    def after(self) -> _Ahead:
        """The lines after the next non-blank one."""
        for index in range(self.start, min(len(self.lines), self.start + 4)):
            if self.lines[index][1].strip():
                return _Ahead(self.lines, index + 1)
        return _Ahead(self.lines, len(self.lines))


@dataclass
class _Reader:
    """Turns the body lines (after the adopting line) into logical lines."""

    wrapped: bool
    words: Counter[str]
    width: int
    out: list[SourceLine] = field(default_factory=list)
    numbering: _Numbering = field(default_factory=_Numbering)
    current: SourceLine | None = None
    kind: str = ""  # of the current logical line: heading, clause, text, note
    closed: bool = True
    heading_left: int = 0  # lines still to join to a heading the wrapper broke

    pieces: list[str] = field(default_factory=list)

    def flush(self) -> None:
        if self.current is not None:
            if self.pieces:
                self.current.text = " ".join([self.current.text, *self.pieces])
            self.out.append(self.current)
        self.current, self.kind, self.pieces = None, "", []

    def start(self, line: SourceLine, kind: str) -> None:
        self.flush()
        self.current, self.kind = line, kind

    def feed(self, lines: list[tuple[int, str]]) -> list[SourceLine]:
        pending = ""
        for index, (number, raw) in enumerate(lines):
            text = raw.strip()
            if not text:
                if self.wrapped:
                    self.flush()
                    self.closed = True
                else:
                    self.start(SourceLine(raw, number), "blank")
                continue
            if pending:
                text, pending = f"{pending}\t{text}", ""
            elif _LABEL_ONLY.match(text) and self.closed:
                label = match_label(f"{text}\tx")
                if label is not None and self.numbering.fits(label):
                    pending = text
                    continue
            self.line(number, text, raw, _Ahead(lines, index + 1))
        self.flush()
        return self.out

    def line(self, number: int, text: str, raw: str, following: _Ahead) -> None:
        if FOOTNOTE_DEF.match(text):
            self.start(SourceLine(text, number), "note")
            self.closed = True
            return
        if self.wrapped and (self.kind == "note" or self.heading_left):
            self.append(text)
            self.heading_left = max(0, self.heading_left - 1)
            return
        labelled = loose_label(text)
        fresh = self.closed or self.current is None or not self.wrapped
        extent = None
        if fresh and labelled is None and looks_like_heading(text):
            extent = self.heading_extent(text, following)
        if extent is not None:
            self.numbering.restart()
            self.start(SourceLine(text if self.wrapped else raw, number), "heading")
            self.heading_left = extent
            self.closed = True
            return
        tabbed = labelled is not None and bool(re.match(r"^\S+(?: \S+)?\t", text))
        if labelled is not None and (tabbed or (self.closed and self.numbering.fits(labelled))):
            self.numbering.take(labelled)
            kept = raw if tabbed and not self.wrapped else f"{labelled.printed}\t{labelled.text}"
            self.start(SourceLine(kept, number), "clause")
        elif not self.wrapped or self.current is None or self.kind in ("heading", "blank"):
            role = "text" if labelled is not None else ""
            self.start(SourceLine(text if self.wrapped else raw, number, role=role), "text")
        else:
            self.append(text)
        self.closed = ends_clause(text)

    def append(self, text: str) -> None:
        """Join a wrapped line to the current logical line (in linear time)."""
        assert self.current is not None
        last = self.pieces[-1] if self.pieces else self.current.text
        joined = join_broken(last, text, self.words)
        if joined == f"{last.rstrip()} {text}":
            self.pieces.append(text)
        elif self.pieces:
            self.pieces[-1] = joined
        else:
            self.current.text = joined

    def heading_extent(self, text: str, following: _Ahead) -> int | None:
        """How many more lines a heading starting with ``text`` takes (``None``: not one).

        In wrapped text a heading the wrapper broke (its line is full) goes on until a line
        that is not full; none of its lines ends a clause or is a label, and a heading of
        more than one line has a keyword."""
        if not self.wrapped:
            return 0
        line, ahead = text, following
        for extra in range(4):
            if extra and (ends_clause(line) or loose_label(line) is not None):
                return None
            if not self.full(line, ahead):
                return extra
            if not heading_keyword(text):
                return None
            line, ahead = ahead.text(), ahead.after()
        return None

    def full(self, text: str, following: _Ahead) -> bool:
        """The next word would not have fit on this line: the wrapper broke the paragraph here."""
        after = following.text()
        return bool(after) and len(text) + 1 + len(after.split()[0]) > self.width


def is_hard_wrapped(lines: list[tuple[int, str]]) -> bool:
    """Short lines, many of them running on into the next (no closing punctuation)."""
    texts = [t.strip() for _, t in lines if t.strip() and not FOOTNOTE_DEF.match(t.strip())]
    if len(texts) < 4 or max(map(len, texts)) > MAX_WIDTH:
        return False
    running = sum(
        1
        for text in texts[:-1]
        if not ends_clause(text) and not (looks_like_heading(text) and heading_keyword(text))
    )
    return running >= 3 and running >= 0.3 * len(texts)


def tidy_lines(lines: list[SourceLine]) -> list[SourceLine]:
    """The lines of a resolution in any text layout as the ITU layout's lines (see module doc).

    Text that has no resolution header near its top is given back unchanged.
    """
    texts = [line.text for line in lines]
    cleaned = clean_pages(texts)
    kept = [
        (line.number, text) for line, text in zip(lines, cleaned, strict=True) if text is not None
    ]
    starts = [i for i, (_, text) in enumerate(kept) if text.strip()][:12]
    at = next((i for i in starts if read_header(kept[i][1]) is not None), None)
    if at is None or any(not MARKER_LINE.match(kept[i][1].strip()) for i in starts if i < at):
        return lines
    wrapped = is_hard_wrapped(kept[at + 1 :])
    words = vocabulary(texts)
    head, body = _header_block(kept, at, wrapped, words)
    width = max((len(text.strip()) for _, text in body), default=0)
    return head + _Reader(wrapped, words, width).feed(body)


def _close_parens(text: str, kept: list[tuple[int, str]], index: int) -> tuple[str, int]:
    """``text`` joined with the lines after it until its parentheses close (three at most)."""
    limit = index + 3
    while text.count("(") > text.count(")") and index < min(limit, len(kept)):
        if not kept[index][1].strip():
            break
        text = f"{text.rstrip()} {kept[index][1].strip()}"
        index += 1
    return text, index


def _header_block(
    kept: list[tuple[int, str]], at: int, wrapped: bool, words: Counter[str]
) -> tuple[list[SourceLine], list[tuple[int, str]]]:
    """The lines up to the adopting line (title and adopting line joined when wrapped)."""
    out = [SourceLine(text, number) for number, text in kept[:at]]
    header, index = _close_parens(kept[at][1], kept, at + 1)
    out.append(SourceLine(header, kept[at][0]))
    title: SourceLine | None = None
    while index < len(kept) and index < at + 16:
        number, raw = kept[index]
        text = raw.strip()
        index += 1
        if not text:
            out.append(SourceLine(raw, number))
            continue
        if text.startswith("("):
            text, index = _close_parens(text, kept, index)
            out.append(SourceLine(text, number))
            continue
        if _ADOPTING.match(text):
            joined, end = text, index
            while (
                (wrapped and not joined.endswith((",", ":")))
                or joined.count("(") > joined.count(")")
            ) and end < min(len(kept), index + 4):
                following = kept[end][1].strip()
                if not following or _ADOPTING.match(following):
                    break
                joined, end = join_broken(joined, following, words), end + 1
            if joined.endswith((",", ":")):
                out.append(SourceLine(joined, number))
                return out, kept[end:]
        if wrapped and title is not None and out[-1] is title:
            title.text = join_broken(title.text, text, words)
            continue
        title = SourceLine(text if wrapped else raw, number)
        out.append(title)
    return out, kept[index:]
