"""Text pasted from a PDF or the web: page artefacts, hard-wrapped lines and hyphenation.

Shared by the ITU layout (:mod:`ingest.unwrap`) and the paragraph layout
(:mod:`ingest.paragraph_text`).

- page artefacts: page numbers (``3``, ``- 3 -``, ``Page 3``, ``Page 3 of 9``), document symbols
  (``PP-26/58-E``, ``S/RES/242 (1967)``), form feeds, and running heads (a short line repeated
  beside other artefacts). A page break inside a paragraph (the line before it does not end a
  clause) is removed with its blank lines, so the paragraph joins up again.
- hyphenation: ``Gr-`` + ``oup`` is joined as ``Group`` when the document writes the joined form
  and never the hyphenated one; otherwise the hyphen stays when the document writes the
  hyphenated form, after a capital (``Secretary-`` + ``General``) and in compounds (``non-``,
  ``co-``, ``forty-``, ``-owned``...); else the word is joined.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable

PAGE_NUMBER = re.compile(
    r"^(?:[-–—]\s*\d{1,4}\s*[-–—]|Page\s+\d{1,4}(?:\s+of\s+\d{1,4})?|\d{1,4}\s*/\s*\d{1,4})$",
    re.IGNORECASE,
)
BARE_NUMBER = re.compile(r"^\d{1,4}$")
SYMBOL = re.compile(r"^[A-Z]{1,10}(?:-\d{1,4})?(?:/[A-Za-z0-9().]+)+-[EFSACR]$")
# Words that make compounds: a break after their hyphen keeps it (``non-`` / ``governmental``).
COMPOUND_PREFIXES = frozenset(
    "non co self cease above well anti vice cross semi multi "
    "twenty thirty forty fifty sixty seventy eighty ninety long short full part mid".split()
)
COMPOUND_SUFFIXES = ("owned", "based", "building", "making", "keeping", "related", "level")
CLAUSE_END = re.compile(r"(?:[;,.:!?]|[;,]\s+(?:and|or))[\"”’)\]]*$")
_WORD = re.compile(r"[A-Za-zÀ-ÿ]+(?:-[A-Za-zÀ-ÿ]+)*")


def ends_clause(text: str) -> bool:
    """The line ends a clause or sentence (``;``, ``,``, ``.``, ``:``, ``; and``...)."""
    return bool(CLAUSE_END.search(text.rstrip()))


def _marks(texts: list[str], extra: Callable[[str], bool] | None) -> list[bool]:
    """Which lines are page artefacts (numbers, symbols, running heads beside them)."""
    stripped = [text.strip() for text in texts]

    def fixed(text: str) -> bool:
        return bool(PAGE_NUMBER.match(text) or SYMBOL.match(text) or (extra and extra(text)))

    marks = [fixed(text) for text in stripped]
    near = [
        any(marks[j] or "\f" in texts[j] for j in range(max(0, i - 2), min(len(texts), i + 3)))
        for i in range(len(texts))
    ]
    for i, text in enumerate(stripped):
        surrounded = (i == 0 or not stripped[i - 1]) and (
            i + 1 == len(texts) or not stripped[i + 1]
        )
        if BARE_NUMBER.match(text) and (near[i] or surrounded):
            marks[i] = True
    counts = Counter(text for i, text in enumerate(stripped) if text and not ends_clause(text))
    first = next((i for i, text in enumerate(stripped) if text and not marks[i]), -1)
    for i, text in enumerate(stripped):
        if counts[text] >= 2 and near[i] and i != first and len(text) <= 100:
            marks[i] = True
    return marks


def clean_pages(
    texts: list[str], extra: Callable[[str], bool] | None = None, lower_only: bool = False
) -> list[str | None]:
    """``texts`` with page artefacts blanked (``""``); ``None`` for the lines of a page break
    that cuts a paragraph (no blank line around it, the line before does not end a clause; with
    ``lower_only``, inside the header block the line after must start in lower case), so that it
    joins up. ``extra`` names
    more artefact lines."""
    marks = _marks(texts, extra)
    cleaned: list[str | None] = [
        "" if mark else text for text, mark in zip(texts, marks, strict=True)
    ]
    first_blank = next((i for i, text in enumerate(texts) if not text.strip()), len(texts))
    index = 0
    while index < len(texts):
        if not marks[index]:
            index += 1
            continue
        start = index
        while index < len(texts) and (marks[index] or not texts[index].strip()):
            index += 1
        while start > 0 and not texts[start - 1].strip():
            start -= 1
        before = next((texts[j] for j in range(start - 1, -1, -1) if texts[j].strip()), "")
        cut = all(texts[j].strip() for j in range(start, index))  # no blank line: mid-page
        after = texts[index].strip() if index < len(texts) else ""
        cut = cut and (not lower_only or after[:1].islower() or start > first_blank)
        if cut and before and not ends_clause(before) and after:
            cleaned[start:index] = [None] * (index - start)
    return cleaned


def vocabulary(texts: Iterable[str]) -> Counter[str]:
    """Lower-cased words (hyphenated compounds whole) of the text, for :func:`join_broken`."""
    words: Counter[str] = Counter()
    for text in texts:
        words.update(word.lower() for word in _WORD.findall(text.rstrip("-")))
    return words


def join_broken(previous: str, line: str, words: Counter[str] | None) -> str:
    """Join a hard-wrapped line to the text before it, undoing hyphenation where it is one."""
    line = line.strip()
    previous = previous.rstrip()
    if not previous:
        return line
    if not re.search(r"[A-Za-zÀ-ÿ]-$", previous) or not line or re.search(r"\s-$", previous):
        return f"{previous} {line}"
    head = previous[:-1]
    stem = re.search(r"[A-Za-zÀ-ÿ-]*$", head)
    tail = re.match(r"[A-Za-zÀ-ÿ]+", line)
    if words is None or stem is None or tail is None:
        return previous + line
    prefix, suffix = stem.group(0), tail.group(0)
    hyphenated, joined = f"{prefix}-{suffix}".lower(), f"{prefix}{suffix}".lower()
    keep = suffix[0].isupper() or prefix[-1].isupper() or words[hyphenated] > 0
    keep = keep or prefix.lower() in COMPOUND_PREFIXES or suffix.startswith(COMPOUND_SUFFIXES)
    if words[joined] > 0 and words[hyphenated] == 0:
        keep = False
    return previous + line if keep else head + line
