"""References to a resolution's paragraphs by number or by place.

Delegates say "paragraph 3 of resolution 705", "its first paragraph", "the second preambular
paragraph", "OP 2": the UN numbers a resolution's operative paragraphs, so a bare "paragraph N" is
operative paragraph N, and a counted one ("the third paragraph") counts operative paragraphs
unless "preambular" says otherwise. A reference followed by "of" something other than a
resolution ("paragraph 7 of his note", "of Article 2") is to that other text and is not kept.
Nothing here knows any particular resolution: :func:`position_clauses` reads the document's own
sections.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from assistant.text.catalog import ORDINALS
from assistant.text.clause_refs import ClauseHit
from ingest.model import Clause, Document

Part = Literal["operative", "preamble"]

_KIND = r"(?:(?P<kind>operative|preambular|preamble)\s+)?"
_NUMBERS = r"(?P<numbers>\d{1,3}(?:\s*(?:,|and|to|-|–)\s*\d{1,3})*)"
_NUMBERED = re.compile(
    rf"\b{_KIND}(?:paragraphs?|paras?\.?)\s+{_NUMBERS}\b(?!\s*\(?[a-z]\))", re.IGNORECASE
)
_ABBREVIATED = re.compile(rf"\b(?P<abbr>OP|PP)\.?\s?{_NUMBERS}\b")
_ORDINAL = "|".join(sorted(ORDINALS, key=len, reverse=True))
_COUNTED = re.compile(
    rf"\b(?P<ord>{_ORDINAL}|last|\d{{1,2}}(?:st|nd|rd|th))\s+{_KIND}paragraph\b", re.IGNORECASE
)
_OF = re.compile(r"^\s*,?\s*(?:of|in|from)\s+", re.IGNORECASE)
_THE = re.compile(r"(?:the|its)\s+", re.IGNORECASE)
_OF_RESOLUTION = re.compile(
    r"^(?:(?:Security\s+Council|UNSC|Council)\s+)?resolution\s+(?P<number>\d{1,4})\b", re.IGNORECASE
)
_ITSELF = re.compile(r"^(?:it|itself|this\s+resolution|resolution|that\s+resolution)\b", re.I)
_POSSESSED = re.compile(
    r"(?:resolution\s+(?P<number>\d{1,4})(?:\s*\(\d{4}\))?)?['’]s\s+$", re.IGNORECASE
)
Named = tuple[int, int, list[Document]]  # a span of the text naming a resolution, its documents


@dataclass(frozen=True)
class PositionRef:
    """One reference to paragraphs of a resolution by number or by place."""

    start: int
    end: int
    part: Part
    numbers: tuple[int, ...]  # printed numbers, or places counted from 1 (-1: the last)
    counted: bool  # "the third paragraph": a place, not a printed number
    resolution: str = ""  # the number of the resolution it names ("of resolution 705"), if any
    of_at: int = -1  # where the name of the resolution it is "of" starts ("of WTSA 43"), if any


def _numbers(text: str) -> tuple[int, ...]:
    """``3``, ``5, 8 and 9``, ``2 to 4`` as numbers."""
    found = [int(n) for n in re.findall(r"\d+", text)]
    if len(found) == 2 and re.search(r"to|-|–", text):
        low, high = found
        if 0 < high - low <= 20:
            return tuple(range(low, high + 1))
    return tuple(found)


def _place(word: str) -> int:
    word = word.lower()
    if word == "last":
        return -1
    if word in ORDINALS:
        return ORDINALS[word]
    return int(re.match(r"\d+", word).group(0))  # type: ignore[union-attr]


def _part(kind: str | None) -> Part:
    return "preamble" if kind and kind.lower().startswith("pream") else "operative"


def position_refs(text: str, names: list[tuple[int, int]] | None = None) -> list[PositionRef]:
    """The references in ``text`` to paragraphs of the resolution asked about, or of one it names.

    ``names``: the spans that name resolutions ("WTSA 43", "PP 58"): a reference inside one is
    none, and one "of" a name is to that resolution. A reference to another text ("paragraph 7
    of his note", "the earlier resolution's paragraph 10") is left out.
    """
    names = names or []
    found: list[PositionRef] = []
    candidates: list[tuple[re.Match[str], Part, tuple[int, ...], bool]] = []
    for match in _NUMBERED.finditer(text):
        candidates.append((match, _part(match.group("kind")), _numbers(match["numbers"]), False))
    for match in _ABBREVIATED.finditer(text):
        part: Part = "preamble" if match["abbr"] == "PP" else "operative"
        candidates.append((match, part, _numbers(match["numbers"]), False))
    for match in _COUNTED.finditer(text):
        candidates.append((match, _part(match.group("kind")), (_place(match["ord"]),), True))
    for match, part, numbers, counted in sorted(candidates, key=lambda c: c[0].start()):
        if any(s < match.end() and match.start() < e for s, e in names):
            continue  # "PP 58": a name of a resolution, not a paragraph
        if found and match.start() < found[-1].end:
            continue
        resolution, of_at = "", -1
        of = _OF.match(text[match.end() :])
        possessed = _POSSESSED.search(text[: match.start()])
        if of:
            at = match.end() + of.end()  # what it is "of": "the Doha draft", "WTSA 43", "his note"
            named = [s for s, _ in names if s == at]
            the = _THE.match(text, at)
            at = the.end() if the else at
            named += [s for s, _ in names if s == at]
            by_number = _OF_RESOLUTION.match(text[at:])
            if named:
                of_at = named[0]
            elif by_number:
                resolution = by_number["number"]
            elif not _ITSELF.match(text[at:]):
                continue  # "of his note", "of Article 2"
        elif possessed:
            if not possessed["number"]:
                continue  # "the earlier resolution's paragraph 10"
            resolution = possessed["number"]
        found.append(
            PositionRef(
                match.start(), match.end(), part, numbers, counted, resolution.lstrip("0"), of_at
            )
        )
    return found


def position_hits(text: str, named: list[Named]) -> list[ClauseHit]:
    """The references of ``text`` to paragraphs by number or place, as clause hits in the
    resolutions ``named`` in it: the one each is "of", else the one resolution named (none when
    the text names several and does not say which)."""
    hits: list[ClauseHit] = []
    every = list({d.id: d for _, _, documents in named for d in documents}.values())
    for ref in position_refs(text, [(s, e) for s, e, _ in named]):
        if ref.of_at >= 0:
            targets = [d for s, _, documents in named if s == ref.of_at for d in documents]
        elif ref.resolution:
            targets = [d for d in every if d.number.lstrip("0") == ref.resolution]
        else:
            targets = every if len({(d.body, d.number) for d in every}) == 1 else []
        for document in targets:
            ids = position_clauses(ref, document)
            found = document.clause(ids[0]) if ids else None
            if found:
                section, clause = found
                hits.append(
                    ClauseHit(
                        ref.start,
                        ref.end,
                        document.id,
                        section.heading,
                        clause.label,
                        "",
                        ids,
                        (1, 1, 1),
                    )
                )
    return hits


def _top_level(document: Document, part: Part) -> list[Clause]:
    return [c for s in document.sections if s.kind == part for c in s.clauses if not c.sub]


def position_clauses(ref: PositionRef, document: Document) -> list[str]:
    """The ids of the clauses of ``document`` that ``ref`` points at (``[]``: none, or no one
    clause for a number: "paragraph 2" of a text with several sections numbered from 1)."""
    clauses = _top_level(document, ref.part)
    ids: list[str] = []
    for number in ref.numbers:
        if ref.counted or not any(c.printed_label or c.label.isdigit() for c in clauses):
            place = len(clauses) if number == -1 else number
            if 1 <= place <= len(clauses):
                ids.append(clauses[place - 1].id)
            continue
        same = [c for c in clauses if c.label == str(number)]
        if len(same) == 1:
            ids.append(same[0].id)
    return ids
