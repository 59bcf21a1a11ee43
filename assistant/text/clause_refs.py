"""Finding clause references in text against one document's sections.

A clause reference is a section heading as printed, or a prefix of it that includes its keyword
(``resolves to instruct`` for ``resolves to instruct the Director of the ... Bureau``), then a label
that exists in that section (``h)``, ``1``), then optionally a sub-item (``2 ii)``, ``3, indent 2``,
``the second indent of ...``). Nothing here knows any particular resolution.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from assistant.text.catalog import ORDINALS
from ingest.model import Document, Section

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
