"""Clauses of the paragraph layout: numbered paragraphs, sub-items, preamble or operative.

See :mod:`ingest.paragraph_parser` for the document model this builds.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ingest.model import Clause, Document, Section, slugify, unique_key
from ingest.paragraph_text import Paragraph, take_references

NUMBERED = re.compile(
    r"^(?P<num>\d{1,3}|[SlILiOZ]|[lIiL][\dlSZ]|\d[lSO])"
    r"(?:\s?[.,]\s*(?=[A-Z“\"(])|\s?[.,]\s+|\s+(?=[A-Z]))(?P<text>\S.*)$"
)
SUB_ITEM = re.compile(
    r"^\((?P<label>[a-z]{1,2}|[ivx]{1,5}|\d{1,2})\)(?:\s+|(?=[A-Za-z“\"]))(?P<text>\S.*)$"
)
DASH_ITEM = re.compile(r"^(?:[—–]\s*(?=[A-Za-z“\"])|-\s+)(?P<text>\S.*)$")
PART = re.compile(r"^(?P<part>[A-H]|I{1,3}|IV|VI{0,3}|IX|X)\.?$")
_OCR_DIGITS = str.maketrans({"S": "5", "l": "1", "I": "1", "L": "1", "i": "1", "O": "0", "Z": "2"})
_ROMAN = re.compile(r"^(?=[ivx]+$)(x{0,3})(ix|iv|v?i{0,3})$")
OPENING_VERBS = {
    "Accepts",
    "Adopts",
    "Affirms",
    "Agrees",
    "Appeals",
    "Appoints",
    "Approves",
    "Authorizes",
    "Calls",
    "Censures",
    "Charges",
    "Commends",
    "Concurs",
    "Condemns",
    "Confirms",
    "Considers",
    "Decides",
    "Declares",
    "Demands",
    "Deplores",
    "Deprecates",
    "Designates",
    "Desires",
    "Determines",
    "Directs",
    "Elects",
    "Emphasizes",
    "Encourages",
    "Endorses",
    "Entrusts",
    "Establishes",
    "Expresses",
    "Extends",
    "Insists",
    "Instructs",
    "Invites",
    "Looks",
    "Notes",
    "Pays",
    "Reaffirms",
    "Recalls",
    "Recognizes",
    "Recommends",
    "Regrets",
    "Reiterates",
    "Reminds",
    "Renews",
    "Requests",
    "Requires",
    "Resolves",
    "Stresses",
    "Strongly",
    "Supports",
    "Takes",
    "Underlines",
    "Undertakes",
    "Urges",
    "Warns",
    "Welcomes",
}
_SKIP = {"further", "also", "hereby", "again", "once", "firmly", "and", "moreover", "finally"}
_NOT_VERBS = {"whereas", "conscious", "anxious", "desirous", "this", "his", "its"}


def is_operative_opening(text: str) -> bool:
    """``Decides ...``, ``Strongly condemns ...``: the first verb is in the third person."""
    if not text[:1].isupper():
        return False
    if re.match(r"^It is (?:hereby )?(?:resolved|decided)\b", text):
        return True
    for word in re.findall(r"[A-Za-z’'-]+", text)[:4]:
        lowered = word.lower()
        if lowered in _SKIP or (lowered.endswith("ly") and len(lowered) > 4):
            continue
        return (
            lowered.endswith("s")
            and not lowered.endswith(("ss", "us", "ings"))
            and lowered not in _NOT_VERBS
            and len(lowered) > 3
        )
    return False


@dataclass
class _Part:
    """The sections being filled for one part (``A``, ``B``...) of a resolution."""

    name: str
    preamble: Section
    operative: Section
    numbered: int = 0
    top: Clause | None = None
    letter: Clause | None = None
    indents: int = 0
    operative_started: bool = False
    restarted: bool = False


class ClauseBuilder:
    """Turns the paragraphs after the header into sections and clauses."""

    def __init__(self, document: Document, notes: dict[str, str]):
        self.document = document
        self.notes = notes
        self.part = self._new_part("")
        self.last: Clause | None = None
        self.ids: set[str] = set()

    def _new_part(self, name: str, heading: str = "") -> _Part:
        prefix = f"part {name}, " if name else ""
        slug = f"{slugify(name)}-" if name else ""
        if heading:
            annex = Section(heading, "operative", "annex", slugify(heading) or "annex")
            return _Part(name, Section("", "preamble", "", ""), annex, operative_started=True)
        return _Part(
            name,
            Section(f"{prefix}preambular paragraph", "preamble", "preamble", f"{slug}preamble"),
            Section(f"{prefix}operative paragraph", "operative", "operative", f"{slug}operative"),
        )

    def start_part(self, name: str, heading: str = "") -> None:
        numbered = self.part.numbered
        self.part = self._new_part(name, heading)
        self.part.numbered = numbered
        self.last = None

    def add(self, paragraph: Paragraph, operative: bool = False) -> None:
        text = paragraph.text
        numbered = NUMBERED.match(text)
        if numbered and not re.match(r"^\S+\s?[.,]", text):
            numbered = numbered if is_operative_opening(numbered["text"]) else None
        if numbered and self._number(numbered.group("num")) is not None:
            self.part.operative_started = True
            label = str(self._number(numbered.group("num")))
            self.part.restarted = self.part.restarted or label == "1"
            self.part.numbered = int(label)
            self.part.top = self._clause(self.part.operative, paragraph, numbered["text"], label)
            self.part.letter, self.part.indents = None, 0
            return
        sub = SUB_ITEM.match(text)
        dash = DASH_ITEM.match(text)
        if (sub or dash) and self.last is not None:
            self._sub_item(paragraph, sub, dash)
            return
        if sub and is_operative_opening(sub["text"]):  # "(a) Resolves ...": a lettered decision
            self.part.operative_started = True
            label = sub["label"]
            self.part.top = self._clause(
                self.part.operative, paragraph, sub["text"], label, printed=f"({label})"
            )
            return
        if self.last is not None and not text[:1].isupper() and not text[:1].isdigit():
            self._continue(text)
            return
        if not self.part.operative_started and not operative and not is_operative_opening(text):
            label = str(len(self.part.preamble.clauses) + 1)
            self.part.top = self._clause(self.part.preamble, paragraph, text, label)
            self.part.letter, self.part.indents = None, 0
            return
        self.part.operative_started = True
        if (
            self.part.numbered
            and self.last is not None
            and not operative
            and not is_operative_opening(text)
        ):
            self._continue(text)
            return
        self.part.top = self._clause(self.part.operative, paragraph, text, "")
        self.part.letter, self.part.indents = None, 0

    def _number(self, printed: str) -> int | None:
        expected = self.part.numbered + 1
        if printed.isdigit():
            value = int(printed)
            if value == expected or (value == 1 and not self.part.restarted):
                return value
            return value if self.part.numbered and 0 < value - expected <= 1 else None
        guess = printed.translate(_OCR_DIGITS)
        return expected if guess.isdigit() and int(guess) == expected else None

    def _sub_item(
        self, paragraph: Paragraph, sub: re.Match[str] | None, dash: re.Match[str] | None
    ) -> None:
        part = self.part
        parent = part.top or self.last
        assert parent is not None
        section = self._section_of(parent)
        if dash:
            part.indents += 1
            self._clause(
                section,
                paragraph,
                dash["text"],
                parent.label,
                f"indent {part.indents}",
                "—",
                parent,
            )
            return
        assert sub is not None
        label = sub["label"]
        letter = part.letter
        nested = (
            letter is not None
            and _ROMAN.match(label) is not None
            and not (len(label) == 1 and letter.sub == chr(ord(label) - 1))
        )
        if nested and letter is not None:
            self._clause(
                section,
                paragraph,
                sub["text"],
                parent.label,
                f"{letter.sub}.{label}",
                f"{letter.printed_sub} ({label})",
                parent,
            )
            return
        clause = self._clause(
            section, paragraph, sub["text"], parent.label, label, f"({label})", parent
        )
        part.letter = clause if label.isalpha() else None

    def _section_of(self, clause: Clause) -> Section:
        return self.part.preamble if clause in self.part.preamble.clauses else self.part.operative

    def _continue(self, text: str) -> None:
        assert self.last is not None
        text, notes = self._notes(text)
        self.last.text = f"{self.last.text}\n{text}"
        self.last.footnotes.extend(notes)

    def _clause(
        self,
        section: Section,
        paragraph: Paragraph,
        text: str,
        label: str,
        sub: str = "",
        printed_sub: str = "",
        parent: Clause | None = None,
        printed: str = "",
    ) -> Clause:
        text, notes = self._notes(text)
        path = [label, *sub.split(".")] if sub else [label]
        key = "/".join(slugify(step) or "p" for step in path)
        clause_id = unique_key(f"{self.document.id}/{section.slug}/{key}", self.ids)
        printed = printed or ("" if section.kind == "preamble" and not sub else label)
        clause = Clause(
            id=clause_id,
            label=label,
            sub=sub,
            text=text,
            printed_label=printed,
            printed_sub=printed_sub,
            footnotes=notes,
            line=paragraph.line,
        )
        if parent is not None:
            clause.printed_label = parent.printed_label
        section.clauses.append(clause)
        self.last = clause
        if not any(known is section for known in self.document.sections):
            self.document.sections.append(section)
        return clause

    def _notes(self, text: str) -> tuple[str, list[str]]:
        text, refs = take_references(text)
        return text, [self.notes[ref] for ref in refs if ref in self.notes]
