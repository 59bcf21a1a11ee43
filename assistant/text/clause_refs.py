"""Finding clause references in text against one document's sections.

A clause reference is a section heading as printed, or a prefix of it that includes its keyword
(``resolves to instruct`` for ``resolves to instruct the Director of the ... Bureau``), then a label
that exists in that section (``h)``, ``1``), then optionally a sub-item (``2 ii)``, ``3, indent 2``,
``the second indent of ...``). A paragraph is also named by number or place, as UN resolutions
are cited: "paragraph 3 of resolution 705", "its first paragraph", "the second preambular
paragraph", "OP 2" (:func:`position_refs`, :func:`position_hits`). Nothing here knows any
particular resolution.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

from assistant.text.catalog import ORDINALS
from ingest.model import Clause, Document, Section

_WORD = re.compile(r"[a-z0-9]+")
_ORD = (
    r"(?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|last"
    r"|\d{1,2}(?:st|nd|rd|th))"
)
_LABEL_AFTER = re.compile(
    r"^[ \t]*,?[ \t]*(?:(?:paragraph|para\.?|§|no\.)\s*)?(?P<open>\()?"
    r"(?P<label>\d{1,3}(?:\s?bis)?|[a-z]{1,4})(?P<close>\))?(?![\w-])",
    re.IGNORECASE,
)
_SUB_AFTER = re.compile(
    r"^\s*,?\s*\(?(?P<sub>[ivx]{1,5})\)(?!\w)|^\s(?P<bare>[ivx]{1,5})(?![\w)])", re.IGNORECASE
)
_INDENT_AFTER = re.compile(
    rf"^\s*,?\s*(?:(?:the\s+)?(?P<ord>{_ORD})\s+indent\b|indent\s+(?P<num>\d{{1,2}})\b)",
    re.IGNORECASE,
)
_BEFORE = re.compile(
    rf"(?:(?:the\s+)?(?P<ord>{_ORD})\s+indent|(?:sub-?item\s+)?\(?(?P<roman>[ivx]{{1,5}})\))"
    r"\s+(?:of|in|under)\s+(?:the\s+)?$",
    re.IGNORECASE,
)
_WEAK_LETTER_FOLLOW = re.compile(r"^(?:\s*$|\s*[,.;:?!]|\s+(?:of|in|from|and|above|below|to)\b)")
_SECTION_WORD = re.compile(r"^\s+(?:sections?|parts?|paragraphs?|clauses?)\b", re.IGNORECASE)


@dataclass
class ClauseHit:
    """One reference to a clause (or a whole section) of one document."""

    start: int
    end: int
    document: str
    section: str
    label: str
    sub: str
    clause_ids: list[str] = field(default_factory=list)
    score: tuple[int, int, int] = (0, 0, 0)

    @property
    def kind(self) -> str:
        return "clause" if self.label or len(self.clause_ids) == 1 else "section"


def _words(text: str) -> list[tuple[str, int, int]]:
    return [(m.group(0), m.start(), m.end()) for m in _WORD.finditer(text.lower())]


def _ordinal(word: str) -> int:
    word = word.lower()
    if word in ORDINALS:
        return ORDINALS[word]
    digits = re.match(r"\d+", word)
    return int(digits.group(0)) if digits else 0


def _labels(section: Section) -> dict[str, str]:
    return {c.label.lower(): c.label for c in section.clauses if c.label}


def _pick(section: Section, label: str, sub: str, indent: int) -> list[str]:
    """Clause ids for ``label`` (+ sub or indent) in ``section``; ``[]`` if absent."""
    same = [c for c in section.clauses if c.label == label]
    if indent:
        indents = [c for c in same if c.sub.startswith("indent")] or [c for c in same if c.sub]
        if indent == -1 and indents:
            return [indents[-1].id]
        if indents and not indents[0].sub.startswith("indent"):
            return [indents[indent - 1].id] if 0 < indent <= len(indents) else []
        return [c.id for c in indents if c.sub == f"indent {indent}"]
    if sub:
        return [c.id for c in same if c.sub.lower() == sub.lower()]
    top = [c for c in same if not c.sub]
    return [top[0].id] if top else [c.id for c in same[:1]]


def match_clauses(text: str, document: Document, *, require_label: bool = True) -> list[ClauseHit]:
    """References in ``text`` to clauses of ``document``, best per start position."""
    words = _words(text)
    best: dict[int, ClauseHit] = {}
    for section in document.sections:
        heading = _WORD.findall(section.heading.lower())
        need = max(1, len(_WORD.findall(section.keyword.lower())))
        if not heading:
            continue
        for index, (word, start, _) in enumerate(words):
            if word != heading[0]:
                continue
            k = 0
            while k < len(heading) and index + k < len(words) and words[index + k][0] == heading[k]:
                k += 1
            if k < need or (not section.keyword and k < len(heading)):
                continue  # a heading without a keyword is named in full
            hit = _hit_after(
                text,
                document,
                section,
                start,
                words[index + k - 1][2],
                k,
                k == len(heading),
                require_label,
            )
            if hit is not None and (start not in best or hit.score > best[start].score):
                best[start] = hit
    return _drop_overlaps(sorted(best.values(), key=lambda h: h.start))


def _hit_after(
    text: str,
    document: Document,
    section: Section,
    start: int,
    end: int,
    k: int,
    full: bool,
    require_label: bool,
) -> ClauseHit | None:
    labels = _labels(section)
    match = _LABEL_AFTER.match(text[end:])
    before = _BEFORE.search(text[:start])
    if match and match.group("label").lower().replace(" ", "") in {
        key.replace(" ", "") for key in labels
    }:
        raw = match.group("label").lower()
        label = next(v for key, v in labels.items() if key.replace(" ", "") == raw.replace(" ", ""))
        if (
            len(raw) == 1
            and raw in "ai"
            and not match.group("close")
            and not _WEAK_LETTER_FOLLOW.match(text[end + match.end() :])
        ):
            return None
        stop = end + match.end()
        sub, indent = "", 0
        sub_match = _SUB_AFTER.match(text[stop:])
        indent_match = _INDENT_AFTER.match(text[stop:])
        if sub_match:
            sub = (sub_match.group("sub") or sub_match.group("bare")).lower()
            stop += sub_match.end()
        elif indent_match:
            indent = int(indent_match.group("num") or 0) or _ordinal(indent_match.group("ord"))
            stop += indent_match.end()
        if before:
            start = before.start()
            if before.group("ord"):
                indent = _ordinal(before.group("ord"))
            else:
                sub = before.group("roman").lower()
        ids = _pick(section, label, sub, indent)
        if not ids and (sub or indent):
            ids = _pick(section, label, "", 0)
        if ids:
            return ClauseHit(
                start,
                stop,
                document.id,
                section.heading,
                label,
                sub or (f"indent {indent}" if indent else ""),
                ids,
                (1, k, int(full)),
            )
        return None
    if require_label or not full:
        return None
    keyword_only = len(_WORD.findall(section.heading.lower())) <= len(
        _WORD.findall(section.keyword.lower())
    )
    quoted = text[start - 1 : start] in "'\"‘“" and start > 0
    if (not keyword_only) or quoted or _SECTION_WORD.match(text[end:].lstrip("'\"’”")):
        ids = [c.id for c in section.clauses]
        return ClauseHit(start, end, document.id, section.heading, "", "", ids, (0, k, 1))
    return None


def _drop_overlaps(hits: list[ClauseHit]) -> list[ClauseHit]:
    kept: list[ClauseHit] = []
    for hit in hits:
        if kept and hit.start < kept[-1].end:
            if hit.score > kept[-1].score:
                kept[-1] = hit
            continue
        kept.append(hit)
    return kept


_LOOSE_LABEL = re.compile(r"(?<![\w.,-])(?P<label>\d{1,3}|[a-z]\))(?![\w-])", re.IGNORECASE)
_NAME_WORD = re.compile(r"[A-Za-z][A-Za-z-]*")


def _prefixes(words: list[str]) -> set[str]:
    return {w.lower()[:6] for w in words if len(w) >= 4}


def paraphrase_hits(
    text: str, document: Document, expansions: dict[str, str], taken: list[tuple[int, int]]
) -> list[ClauseHit]:
    """Clauses named in other words: "the BDT Director's instruction 6".

    The words just before a label (acronyms expanded with ``expansions``) must share at least two
    words with a section heading, the last of them right before the label, and the label must
    exist in that section. Weaker than :func:`match_clauses` (its score says so).
    """
    found: list[ClauseHit] = []
    for match in _LOOSE_LABEL.finditer(text):
        if any(s <= match.start() < e for s, e in taken):
            continue
        window = text[max(0, match.start() - 60) : match.start()]
        window = re.split(r"[.;:?!]|\b(?:of|in|from)\s+the\b", window)[-1]
        names = _NAME_WORD.findall(window)[-6:]
        if not names:
            continue
        words = [
            part for name in names for part in [name, *expansions.get(name.upper(), "").split()]
        ]
        near = _prefixes([re.sub(r"[’']s$", "", names[-1])])
        label = match.group("label").rstrip(")").lower()
        best: tuple[int, Section | None] = (1, None)
        for section in document.sections:
            heading = _prefixes(section.heading.split())
            overlap = len(_prefixes(words) & heading)
            if near & heading and overlap > best[0] and label in _labels(section):
                best = (overlap, section)
        if best[1] is not None:
            section = best[1]
            ids = _pick(section, _labels(section)[label], "", 0)
            start = match.start() - len(window) + window.find(names[0])
            found.append(
                ClauseHit(
                    start,
                    match.end(),
                    document.id,
                    section.heading,
                    _labels(section)[label],
                    "",
                    ids,
                    (1, 0, 0),
                )
            )
    return found


# -- references by number or place ("paragraph 3 of resolution 705", "its first paragraph") ---
# The UN numbers a resolution's operative paragraphs: a bare "paragraph N" is operative paragraph N,
# and a counted one ("the third paragraph") counts operative paragraphs unless "preambular" says
# otherwise. One "of" another text ("paragraph 7 of his note", "of Article 2") is not kept.

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
    """The place an ordinal names, counted from 1 ("third", "3rd"); -1 for "last"."""
    return -1 if word.lower() == "last" else _ordinal(word)


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
            the = _THE.match(text, at)
            named = [s for s, _ in names if s in (at, the.end() if the else at)]
            at = the.end() if the else at
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
