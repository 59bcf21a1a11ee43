"""Recognizing the parts of a line in a resolution: labels, headings, footnotes."""

from __future__ import annotations

import re
from dataclasses import dataclass

# Words that open a section heading in resolutions (ITU and most UN-style bodies).
PREAMBLE_KEYWORDS = (
    "recalling",
    "recalling further",
    "reaffirming",
    "acknowledging",
    "taking note",
    "taking into account",
    "taking into consideration",
    "considering",
    "considering further",
    "considering also",
    "recognizing",
    "recognizing further",
    "recognizing also",
    "noting",
    "noting further",
    "noting also",
    "noting with concern",
    "noting with satisfaction",
    "bearing in mind",
    "having regard",
    "having considered",
    "having examined",
    "aware",
    "being aware",
    "convinced",
    "emphasizing",
    "stressing",
    "mindful",
    "welcoming",
    "observing",
    "expressing",
    "deeply concerned",
    "concerned",
    "guided by",
    "affirming",
)
OPERATIVE_KEYWORDS = (
    "resolves",
    "decides",
    "instructs",
    "invites",
    "requests",
    "encourages",
    "urges",
    "calls upon",
    "calls on",
    "recommends",
    "further resolves",
    "further invites",
    "further instructs",
    "appeals",
    "authorizes",
    "endorses",
    "approves",
    "adopts",
    "demands",
    "condemns",
    "declares",
    "charges",
    "entrusts",
    "directs",
)

FOOTNOTE_REF = re.compile(r"\[\^([^\]\s]+)\]")
FOOTNOTE_DEF = re.compile(r"^\[\^([^\]\s]+)\]:\s*(.*)$")
_BIS = r"(?:\s?(?:bis|ter|quater|quinquies))?"
_LABEL = (
    r"(?P<label>"
    r"\(?(?P<num>\d{1,3}(?:\.\d{1,3})*[a-z]?" + _BIS + r")[.)]?"
    r"|\(?(?P<alpha>[a-z]{1,5}" + _BIS + r")\)"
    r"|\((?P<alpha2>[a-z]{1,5})\)"
    r"|(?P<bullet>[–—\-•·*])"
    r")"
)
LABELLED_TAB = re.compile(r"^" + _LABEL + r"(?:\t|\s{2,})\s*(?P<text>\S.*)$")
LABELLED_SPACE = re.compile(r"^" + _LABEL + r" (?P<text>\S.*)$")
# Any label a pasted text may carry: after one or more spaces, or glued to the text.
LABELLED_LOOSE = re.compile(r"^" + _LABEL + r"\s*(?P<text>\S.*)$")

ROMAN = re.compile(r"^(?=[ivxlc]+$)c{0,3}(xc|xl|l?x{0,3})(ix|iv|v?i{0,3})$")
# Emphasis spans never contain their own delimiter (linear time on long lines); underscores
# inside words (snake_case) are not emphasis.
_MD_EMPHASIS = [
    re.compile(r"\*\*(?=\S)([^*\n]+?)(?<=\S)\*\*"),
    re.compile(r"(?<!\w)__(?=\S)([^_\n]+?)(?<=\S)__(?!\w)"),
    re.compile(r"\*(?=[^\s*])([^*\n]+?)(?<=[^\s*])\*"),
    re.compile(r"(?<!\w)_(?=[^\s_])([^_\n]+?)(?<=[^\s_])_(?!\w)"),
]


@dataclass
class LabelledLine:
    """A clause line: its label as printed and the text after it."""

    printed: str
    label: str
    style: str  # "number", "letter", "roman", "bullet"
    text: str


def strip_markdown(line: str) -> str:
    """Remove Markdown heading marks and emphasis, keep the words."""
    line = re.sub(r"^\s{0,3}#{1,6}\s+", "", line)
    line = re.sub(r"^\s{0,3}>\s?", "", line)
    for pattern in _MD_EMPHASIS:
        line = pattern.sub(r"\1", line)
    return line


def match_label(line: str) -> LabelledLine | None:
    """Split ``'b)\\tthat ...'`` into its label and text; ``None`` for an unlabelled line."""
    match = LABELLED_TAB.match(line)
    if match is None:
        match = LABELLED_SPACE.match(line)
        if match is None or not _plausible_space_label(match):
            return None
    text = match.group("text").strip()
    if match.group("bullet"):
        return LabelledLine(match.group("label"), "", "bullet", text)
    if match.group("num"):
        return LabelledLine(match.group("label"), match.group("num"), "number", text)
    alpha = match.group("alpha") or match.group("alpha2") or ""
    style = "roman" if ROMAN.match(alpha.split()[0]) else "letter"
    return LabelledLine(match.group("label"), alpha, style, text)


def _plausible_space_label(match: re.Match[str]) -> bool:
    """With a single space after the label, accept only forms that cannot be ordinary words."""
    printed = match.group("label")
    if match.group("bullet"):
        return printed in "–—•·"
    if match.group("num"):
        return printed.endswith((".", ")"))
    return printed.endswith(")")


def roman_value(label: str) -> int:
    """``'iv'`` -> 4; 0 for anything that is not a lower-case roman numeral."""
    if not ROMAN.match(label):
        return 0
    values = {"i": 1, "v": 5, "x": 10, "l": 50, "c": 100}
    total = 0
    for char, following in zip(label, [*label[1:], ""], strict=True):
        value = values[char]
        total += -value if following and values[following] > value else value
    return total


def next_letter(label: str) -> str:
    """``'h'`` -> ``'i'``; ``'z'`` -> ``'aa'``."""
    base = label.split()[0]
    if not base.isalpha():
        return ""
    if base[-1] != "z":
        return base[:-1] + chr(ord(base[-1]) + 1)
    return "a" * (len(base) + 1)


def heading_keyword(line: str) -> str:
    """The leading keyword of a heading (``'instructs'``, ``'taking note'``), or ``""``."""
    lowered = line.strip().lower()
    for keyword in sorted(PREAMBLE_KEYWORDS + OPERATIVE_KEYWORDS, key=len, reverse=True):
        if (
            lowered == keyword
            or lowered.startswith(keyword + " ")
            or lowered.startswith(keyword + ",")
        ):
            return keyword
    return ""


def section_kind(keyword: str) -> str:
    """``preamble`` or ``operative`` for a heading keyword."""
    return "operative" if keyword in OPERATIVE_KEYWORDS else "preamble"


def looks_like_heading(line: str) -> bool:
    """A heading stands alone, has no label and no closing punctuation, and is short."""
    stripped = line.strip()
    if not stripped or stripped[-1] in ",;.:!?\"”'»":
        return False
    words = stripped.split()
    if len(words) > 30:
        return False
    if heading_keyword(stripped):
        return True
    return stripped[0].islower() and len(words) <= 12 and stripped[-1] != ")"
