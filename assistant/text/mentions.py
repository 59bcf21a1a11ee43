"""Mentions of resolutions in text: ``WTSA 43``, ``PP-58``, ``Res. 31 (Rev. Baku, 2025)``,
``Resolution 58 (Rev. Busan, 2014) of the Plenipotentiary Conference``, the UN symbol
``S/RES/242 (1967)``, lists (``Resolutions 58, 25 and 31 of ...``: one mention per number); and,
in a person's words, ``the Doha draft``, ``the 2014 text``, ``the standardization assembly's
resolution``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from assistant.text.catalog import Catalog, Cited, body_of_revision, revision_place, revision_year
from assistant.text.glossary import EVENT_TIME_BEFORE, load_glossary
from ingest.bodies import body_from_text
from ingest.paragraph_text import MONTHS

_NUM = r"(?P<num>\d{1,4}[A-Z]?)\b(?![/.]\d)"
_REV = r"(?:\s*\((?P<rev>[^()]{2,60})\))?"
_RES = r"(?:resolutions?|res\.?)\s*(?:nos?\.?\s*)?"
_OF = (
    r"(?P<of>\s*,?\s+(?:of|adopted\s+by)\s+(?:the\s+)?(?P<ofbody>this\s+(?:conference|assembly)|"
    r"[A-Z][\w\s-]{2,80}?(?:Conference|Assembly|Council)(?:\s*\((?P<acro>[A-Z]{2,6})\))?"
    r"|[A-Z]{2,6}\b))?"
)
# The UN symbol of a Security Council resolution: S/RES/242 (1967), UNSCR 1373.
_SYMBOL = (
    r"\b(?:S\s*/\s*RES\s*/\s*|UNSCR\s*)(?P<num>\d{1,4})\b(?![/.]\d)"
    r"(?:\s*\(\s*(?P<rev>(?:1[89]|20)\d\d)\s*\))?"
)
_SYMBOL_BODY = "Security Council"
_OF_AFTER = re.compile(_OF, re.IGNORECASE)
# One more number of a list: "Resolutions 58, 25 and 31", "resolutions 3 (1946) and 5 (1946)".
_MORE = re.compile(
    rf"(?P<sep>\s*,\s*(?:and\s+|or\s+)?|\s+(?:and|or)\s+|\s*&\s*)(?:nos?\.?\s*)?{_NUM}{_REV}",
    re.IGNORECASE,
)
_DATE = re.compile(rf"\s+of\s+\d{{1,2}}\s+(?:{MONTHS})(?:\s+\d{{4}})?\b")
# What follows a counted number, not a resolution: "and 2 other texts", "4, 5 members".
_COUNTED = re.compile(
    r"\s*(?:%|[-‑–]\s*\d|\s+(?:other|others|more|further|additional|new|older|"
    r"previous|separate|similar|different|per\s*cent|percent|states|members|countries|"
    r"of\s+(?:its|their|them|these|those|which|whom)|"
    r"(?!(?:says|does|has|was|its|this|thus|plus|versus|always|perhaps|besides|towards|whereas|"
    r"covers|concerns|deals|addresses|differs|requires|provides|means|applies|remains|contains|"
    r"mentions|reads|calls|asks|includes|focuses|relates|refers)\b)(?-i:[a-z]+[a-rt-z]s))\b)",
    re.IGNORECASE,
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
    listed: bool = False  # a later number of a list: shares the body of the list


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


def _listed(text: str, more: re.Match[str], numbers: list[str]) -> bool:
    """Whether ``more`` continues a list of resolutions (not "and 2 other texts", "58 and 2014")."""
    if _COUNTED.match(text, more.end()):
        return False
    year_like = re.fullmatch(r"(?:1[89]|20)\d\d", more.group("num")) and not more.group("rev")
    return not (year_like and all(len(number) < 4 for number in numbers))


_Item = tuple[int, int, str, str, int]  # start, end, number, revision, where "(revision)" opens


def _item(match: re.Match[str]) -> _Item:
    if match.group("rev"):
        end = match.string.index(")", match.end("rev")) + 1
        return (match.start("num"), end, match["num"], match["rev"], match.start("rev"))
    return (match.start("num"), match.end("num"), match["num"], "", 0)


def _list_items(text: str, match: re.Match[str], taken: list[tuple[int, int]]) -> list[_Item]:
    """The numbers listed from ``match`` on; each revision belongs to its own number."""
    items = [(match.start(), *_item(match)[1:])]
    while not match.groupdict().get("of"):
        date = _DATE.match(text, items[-1][1])
        more = _MORE.match(text, date.end() if date else items[-1][1])
        if not more or not _listed(text, more, [item[2] for item in items]):
            break
        if any(s < more.end() and more.start() < e for s, e in taken):
            break
        items.append(_item(more))
    return items


def explicit_mentions(
    text: str, catalog: Catalog, own_body: str = "", in_text: bool = False
) -> list[Mention]:
    """Resolutions named with their number (and perhaps body and revision), one per number of
    a list: "Resolutions 58, 25 and 31 of the Plenipotentiary Conference" (the body before or
    after the list applies to every number).

    ``in_text``: the text of a resolution, where a resolution is always "Resolution N" (and
    ``WRC-07`` names a conference); a person may also write ``WTSA 43`` or ``PP-58``.
    """
    bodies = "|".join(re.escape(body) for body in catalog.bodies)
    with_body = re.compile(
        rf"\b(?P<body>{bodies})\s*[-‑]?\s*(?:{_RES})?{_NUM}{_REV}", re.IGNORECASE
    )
    plain = re.compile(rf"\b{_RES}{_NUM}{_REV}{_OF}", re.IGNORECASE)
    symbol = re.compile(_SYMBOL, re.IGNORECASE)
    found: list[Mention] = []
    taken: list[tuple[int, int]] = []
    terms = glossary_terms()
    for pattern in (symbol, plain) if in_text else (symbol, plain, with_body):
        for match in pattern.finditer(text):
            if any(s < match.end() and match.start() < e for s, e in taken):
                continue
            if match.group(0).strip().lower() in terms:
                continue
            items = _list_items(text, match, taken)
            end = match.end() if len(items) == 1 else items[-1][1]
            of = match if len(items) == 1 else _OF_AFTER.match(text, end)
            body = match.groupdict().get("body") or ""
            body = body or (body_from_text(_SYMBOL_BODY) if pattern is symbol else "")
            if not body and of is not None and of.groupdict().get("ofbody"):
                body = _body_named(of["ofbody"], own_body)
                end = of.end() if body else of.start("of")
            for number, (start, stop, num, rev, opens) in enumerate(items):
                stop = end if number == len(items) - 1 else stop
                if rev and not re.search(r"\d", rev):
                    rev, stop = "", text.rfind("(", start, opens)
                place, year = parse_revision(rev) if rev else ("", 0)
                named = body or body_of_revision(rev)
                named = next((b for b in catalog.bodies if b.lower() == named.lower()), named)
                cited = Cited(body=named, number=num, place=place, year=year)
                found.append(
                    Mention(start, stop, text[start:stop].strip(), cited, listed=number > 0)
                )
            taken.append((match.start(), stop))
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
        if int(match.group(1)) in catalog.years and not EVENT_TIME_BEFORE.search(
            text[: match.start()]
        ):
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
                    last.listed,
                )
                continue
        merged.append(mention)
    return _share_bodies(merged)


def _share_bodies(mentions: list[Mention]) -> list[Mention]:
    """The body named before or after a list applies to each of its numbers:
    ``Security Council resolutions 242 (1967) and 338 (1973)``, ``WTSA Resolutions 43 and 44``."""
    runs: list[list[Mention]] = []
    for mention in mentions:
        if mention.listed and runs:
            runs[-1].append(mention)
        else:
            runs.append([mention])
    shared: list[Mention] = []
    for run in runs:
        bodies = {m.cited.body for m in run if m.cited.body}
        body = bodies.pop() if len(run) > 1 and len(bodies) == 1 else ""
        shared += [replace(m, cited=replace(m.cited, body=m.cited.body or body)) for m in run]
    return shared
