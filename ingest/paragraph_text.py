"""Text clean-up for the hard-wrapped paragraph layout: page artefacts, paragraphs, footnotes.

Used by :mod:`ingest.paragraph_parser`. A *paragraph* is a run of non-blank lines joined with
spaces (a line ending in a hyphen after a letter is joined without a space). Page artefacts
(document symbols, job numbers, ``Page 2``, distribution headers) are dropped line by line first,
so a paragraph that a page break cut in two is joined again when its second half starts in
lower case.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from ingest.page_text import join_broken

_ARTEFACT_LINES = [
    r"S/RES/\d+\s*\(\d{4}\)(\s*Page \d+)?",
    r"UNITED NATIONS|United Nations\s+S/RES/\d+\s*\(\d{4}\)",
    r"Security Council\s+Distr\.?:?.*",
    r"Page\s+\d+|-\s*\d+\s*-",
    r"\d{2}-\d{4,6}\s*\(E\).*",
    r"[\[(]\s*(S|A)/[^\s]*.*[\])}]+",  # symbol of the draft: [S/801], (S/1165]
    r"[\[(]\d+/\d+[\])}]",
]
ARTEFACT = re.compile(r"^(?:" + "|".join(_ARTEFACT_LINES) + r")\s*$")
SLASH_NOTE_DEF = re.compile(r"^(\d{1,3})/\s+(\S.*)$")
SLASH_NOTE_REF = re.compile(r"\s*(?<![\d/])(\d{1,3})/(?=[\s,;.:)]|$)")
STAR_NOTE_DEF = re.compile(r"^(\*{1,3})\s*(\S.*)$")
NUMBER_NOTE_DEF = re.compile(r"^(\d{1,3})\s+(\S.*)$")
TRAILING_REF = re.compile(r"(?:(?<=[,;.:)\]])\s+|(?<=\s[,;]))(\d{1,3})\s*$")
STAR_REF = re.compile(r"\s\*{1,3}(?=\s)")
MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
# A footnote call printed against the year of a date: "on 10 September 19906" (1990, note 6).
DATE_REF = re.compile(rf"(\b\d{{1,2}}\s+(?:{MONTHS}),?\s+(?:19|20)\d\d)(\d{{1,3}})\b")


@dataclass
class Paragraph:
    """One blank-line separated block, its lines joined; ``line`` is its first line number."""

    text: str
    line: int
    lines: list[str] = field(default_factory=list)

    @property
    def first_word(self) -> str:
        words = self.text.split()
        return words[0] if words else ""


def join_lines(lines: list[str], words: Counter[str] | None = None) -> str:
    """Join hard-wrapped lines into one string; with the document's ``words``, a word
    hyphenated at a line end is joined again (see :func:`ingest.page_text.join_broken`)."""
    parts: list[str] = []
    for raw in lines:
        line = raw.strip()
        if not line:
            continue
        previous = parts[-1] if parts else ""
        if parts and re.search(r"[A-Za-z]-$", previous[-2:]) and not previous.endswith(" -"):
            parts[-1] = join_broken(previous, line, words)
        else:
            parts.append(line)
    return re.sub(r"[ \t]+", " ", " ".join(parts))


def is_artefact(line: str) -> bool:
    """A page header or footer line, a job number, or the symbol of the draft."""
    return bool(ARTEFACT.match(line.strip()))


def split_paragraphs(
    lines: list[tuple[int, str]],
    opens: Callable[[str, str], bool],
    words: Counter[str] | None = None,
) -> list[Paragraph]:
    """Blank-line separated paragraphs; ``opens(line, previous)`` also opens one inside a block."""
    paragraphs: list[Paragraph] = []
    block: list[str] = []
    first = 0

    def close() -> None:
        if block:
            paragraphs.append(Paragraph(join_lines(block, words), first, list(block)))
            block.clear()

    for number, raw in lines:
        line = raw.strip()
        if not line:
            close()
            continue
        if block and opens(line, block[-1]):
            close()
        if not block:
            first = number
        block.append(line)
    close()
    return paragraphs


def split_note_lines(paragraph: Paragraph) -> list[Paragraph]:
    """Footnote definitions after the adoption note: a line ``N text``, ``N/ text`` or ``* text``
    opens one, the lines after it continue it."""
    groups: list[list[str]] = []
    for line in paragraph.lines or [paragraph.text]:
        if not groups or re.match(r"^(?:\d{1,3}/?|\*{1,3})\s*\S", line.strip()):
            groups.append([])
        groups[-1].append(line)
    return [Paragraph(join_lines(group), paragraph.line, group) for group in groups]


def note_definition(text: str) -> tuple[str, str] | None:
    """``('1', 'S/25046.')`` for a footnote line ``1/ S/25046.`` (also ``12 Ibid.``, ``* ...``)."""
    for pattern in (SLASH_NOTE_DEF, STAR_NOTE_DEF, NUMBER_NOTE_DEF):
        match = pattern.match(text.strip())
        if match:
            return match.group(1), match.group(2).strip()
    return None


def take_references(text: str) -> tuple[str, list[str]]:
    """Remove footnote calls (``1/``, a trailing `` 85``, `` * ``, a year's ``19906``) and
    return them."""
    refs: list[str] = []

    def keep(match: re.Match[str]) -> str:
        refs.append(match.group(1) if match.groups() else match.group(0).strip())
        return ""

    text = SLASH_NOTE_REF.sub(keep, text)
    text = DATE_REF.sub(lambda m: refs.append(m.group(2)) or m.group(1), text)  # type: ignore[func-returns-value]
    text = TRAILING_REF.sub(keep, text)
    text = STAR_REF.sub(lambda m: refs.append(m.group(0).strip()) or "", text)  # type: ignore[func-returns-value]
    return re.sub(r"\s{2,}", " ", text).strip(), refs
