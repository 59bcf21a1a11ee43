"""Mentions of resolutions in text: ``WTSA 43``, ``PP-58``, ``Res. 31 (Rev. Baku, 2025)``,
``Resolution 58 (Rev. Busan, 2014) of the Plenipotentiary Conference``; and, in a person's words,
``the Doha draft``, ``the 2014 text``, ``the standardization assembly's resolution``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from assistant.catalog import Catalog, Cited, body_of_revision, revision_place, revision_year
from assistant.glossary import load_glossary
from ingest.bodies import body_from_text

_NUM = r"(?P<num>\d{1,4}[A-Z]?)\b(?![/.]\d)"
_REV = r"(?:\s*\((?P<rev>[^()]{2,60})\))?"
_RES = r"(?:resolutions?|res\.?)\s*(?:no\.?\s*)?"
_OF = (
    r"(?P<of>\s*,?\s+(?:of|adopted\s+by)\s+(?:the\s+)?(?P<ofbody>this\s+(?:conference|assembly)|"
    r"[A-Z][\w\s-]{2,80}?(?:Conference|Assembly|Council)(?:\s*\((?P<acro>[A-Z]{2,6})\))?"
    r"|[A-Z]{2,6}\b))?"
)
_GAP = re.compile(
    r"^(?:[\s,()'’:-]|\bs\b|\b(?:of|the|rev|revision|version|text|draft|in|resolution|res)\b\.?)*$",
    re.IGNORECASE,
)
_DRAFT = re.compile(
    r"\b(?:the|this|that)\s+(?:current\s+|new\s+)?draft\b(?!\s+(?:a|an|me)\b)", re.IGNORECASE
)


@dataclass(frozen=True)
class Mention:
    """A span of text naming a resolution, with what it says about it."""

    start: int
    end: int
    text: str
    cited: Cited
    explicit: bool = True  # a number was given


def body_phrases() -> list[tuple[re.Pattern[str], str]]:
    """Patterns of the glossary's body names (kind ``body``): ``the standardization assembly``."""
    patterns = []
    for entry in load_glossary().entries:
        if entry.kind != "body" or not entry.body:
            continue
        flags = re.IGNORECASE if len(entry.term) >= 4 else 0
        patterns.append(
            (re.compile(rf"(?<![\w-]){re.escape(entry.term)}s?(?![\w-])", flags), entry.body)
        )
        for phrase in entry.expansions:
            patterns.append((re.compile(rf"\b{re.escape(phrase)}s?\b", re.IGNORECASE), entry.body))
    return patterns


def glossary_terms() -> set[str]:
    """Every glossary term in lower case (``pp-26`` is a conference, not Resolution 26)."""
    return {entry.term.lower() for entry in load_glossary().entries}


def parse_revision(revision: str) -> tuple[str, int]:
    """``'Rev. Baku, 2025'`` -> (``'baku'``, 2025)."""
    return revision_place(revision), revision_year(revision)


def _body_named(name: str, own_body: str) -> str:
    if re.match(r"this\s+(conference|assembly)", name, re.IGNORECASE):
        return own_body
    acro = re.search(r"\(([A-Z]{2,6})\)", name)
    if acro:
        return acro.group(1)
    return body_from_text(name) or (name if re.fullmatch(r"[A-Z]{2,6}", name) else "")


def explicit_mentions(
    text: str, catalog: Catalog, own_body: str = "", in_text: bool = False
) -> list[Mention]:
    """Resolutions named with their number (and perhaps body and revision).

    ``in_text``: the text of a resolution, where a resolution is always "Resolution N" (and
    ``WRC-07`` names a conference); a person may also write ``WTSA 43`` or ``PP-58``.
    """
    bodies = "|".join(re.escape(body) for body in catalog.bodies)
    with_body = re.compile(
        rf"\b(?P<body>{bodies})\s*[-‑]?\s*(?:{_RES})?{_NUM}{_REV}", re.IGNORECASE
    )
    plain = re.compile(rf"\b{_RES}{_NUM}{_REV}{_OF}", re.IGNORECASE)
    found: list[Mention] = []
    taken: list[tuple[int, int]] = []
    terms = glossary_terms()
    for pattern in (plain,) if in_text else (plain, with_body):
        for match in pattern.finditer(text):
            if any(s < match.end() and match.start() < e for s, e in taken):
                continue
            if match.group(0).strip().lower() in terms:
                continue
            groups = match.groupdict()
            body = groups.get("body") or ""
            end = match.end()
            if not body and groups.get("ofbody"):
                body = _body_named(groups["ofbody"], own_body)
                if not body:
                    end = match.start("of")
            rev = groups.get("rev") or ""
            if rev and not re.search(r"\d", rev):
                rev, end = "", text.rfind("(", match.start(), match.start("rev"))
            place, year = parse_revision(rev) if rev else ("", 0)
            body = body or body_of_revision(rev)
            body = next((b for b in catalog.bodies if b.lower() == body.lower()), body)
            cited = Cited(body=body, number=groups["num"], place=place, year=year)
            found.append(Mention(match.start(), end, text[match.start() : end].strip(), cited))
            taken.append((match.start(), end))
    return sorted(found, key=lambda m: m.start)


def descriptive_mentions(text: str, catalog: Catalog) -> list[Mention]:
    """Bodies, places, years and 'the draft' in a person's words (no number)."""
    found: list[Mention] = []
    for pattern, body in body_phrases():
        for match in pattern.finditer(text):
            found.append(
                Mention(
                    match.start(), match.end(), match.group(0), Cited(body=body), explicit=False
                )
            )
    for place in catalog.places:
        for match in re.finditer(rf"\b{re.escape(place)}\b", text, re.IGNORECASE):
            found.append(
                Mention(
                    match.start(), match.end(), match.group(0), Cited(place=place), explicit=False
                )
            )
    for match in re.finditer(r"\b(1[89]\d\d|20\d\d)\b", text):
        if int(match.group(1)) in catalog.years:
            found.append(
                Mention(
                    match.start(),
                    match.end(),
                    match.group(0),
                    Cited(year=int(match.group(1))),
                    explicit=False,
                )
            )
    for match in _DRAFT.finditer(text):
        found.append(
            Mention(
                match.start(), match.end(), match.group(0), Cited(status="draft"), explicit=False
            )
        )
    return found


def _merge(a: Cited, b: Cited) -> Cited | None:
    fields = {}
    for name in ("body", "number", "place", "year", "status"):
        x, y = getattr(a, name), getattr(b, name)
        if x and y and str(x).lower() != str(y).lower():
            return None
        fields[name] = x or y
    return replace(a, **fields)


def all_mentions(text: str, catalog: Catalog, own_body: str = "") -> list[Mention]:
    """Explicit and descriptive mentions, neighbours merged: ``the Busan version of PP 58``."""
    explicit = explicit_mentions(text, catalog, own_body)
    others = [
        m
        for m in descriptive_mentions(text, catalog)
        if not any(e.start <= m.start < e.end for e in explicit)
    ]
    merged: list[Mention] = []
    for mention in sorted(explicit + others, key=lambda m: (m.start, -m.end)):
        if merged and mention.start < merged[-1].end:
            continue
        if merged and _GAP.match(text[merged[-1].end : mention.start]):
            both = _merge(merged[-1].cited, mention.cited)
            if both is not None:
                last = merged[-1]
                merged[-1] = Mention(
                    last.start,
                    mention.end,
                    text[last.start : mention.end],
                    both,
                    last.explicit or mention.explicit,
                )
                continue
        merged.append(mention)
    return merged
