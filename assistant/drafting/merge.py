"""Merge of clause variants: keep what they share, choose whole readings where they differ.

Every variant is aligned word by word to a base variant (difflib on tokens). Stretches where a
variant differs from the base are merged across variants into *regions*; inside a region each
variant has one reading (possibly empty). Readings are chosen for all regions at once: the most
weighted support in total, less a cost for each *splice*, i.e. a phrase (regions separated by a
short shared stretch with no punctuation) whose readings no single source has together. So a
phrase keeps one source's grammar ("proposals submitted to ... have been developed" never
becomes "proposals have been submitted to ... have been developed"), while independent phrases
still follow the majority. Ties go to a reading that names the target body ("plenipotentiary
conferences and other conferences and assemblies" for a PP resolution), then to the wording the
target body's own texts use, then to the base. Every output word lists the variants whose
reading it came from, so the result is traceable and contains no word that no source has (the
term map's Union-wide wording and updated citations excepted, which each token marks with
``origin``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from itertools import pairwise

from assistant.text.terms import Token


@dataclass
class Variant:
    """One source clause as tokens, with its id and the weight of its vote."""

    id: str
    tokens: list[Token]
    weight: float = 1.0


@dataclass
class Reading:
    """A reading the merge did not choose where the variants differ, and who has it."""

    tokens: list[Token]
    sources: list[str]


@dataclass
class Piece:
    """A run of output tokens and the variants that support it."""

    tokens: list[Token]
    sources: list[str]
    agreed: bool  # every variant has this reading
    alternatives: list[Reading] = field(default_factory=list)  # where variants differ


def _keys(tokens: Sequence[Token]) -> list[str]:
    return [t.key.lower() for t in tokens]


def _boundary_maps(
    base: list[str], other: list[str]
) -> tuple[dict[int, int], dict[int, int], list[tuple[int, int]]]:
    """For boundary positions of ``base``: the position in ``other`` before (left) and after
    (right) whatever that variant inserts there; and the base intervals where it differs."""
    left: dict[int, int] = {}
    right: dict[int, int] = {}
    differs: list[tuple[int, int]] = []
    matcher = SequenceMatcher(None, base, other, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            for p in range(i1, i2 + 1):
                left.setdefault(p, j1 + p - i1)
                right[p] = j1 + p - i1
        else:
            left.setdefault(i1, j1)
            left[i1] = min(left[i1], j1)
            right[i2] = j2
            differs.append((i1, i2))
    left.setdefault(0, 0)  # two empty texts have no opcodes
    right.setdefault(len(base), len(other))
    return left, right, differs


def _regions(intervals: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Union of closed intervals that overlap or touch."""
    merged: list[list[int]] = []
    for start, end in sorted(intervals):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return [(a, b) for a, b in merged]


GAP = 8  # shared stretches shorter than this (and without punctuation) keep a phrase together
SWITCH = 1.5  # the cost of splicing one phrase from sources that share none of its readings
BOUNDARY = {",", ";", ":", ".", "(", ")"}  # where a phrase may change source freely
MAX_STATES = 256  # the search keeps this many best partial choices
# A reading that keeps a name of one Sector (``WTSAs``, ``TDAG``) when the target body's text
# covers the Union loses to any reading without one (more than the base's extra weight).
SPECIFIC_COST = 3.0
# Ties (readings with the same support) go to the variant whose word pairs the target body's own
# texts use most ("write it as the target resolution writes"), then to the base. Small enough
# to decide nothing but ties.
STYLE_WEIGHT = 2e-3
# Ties go first to a reading that names the target body (a resolution of the Plenipotentiary
# Conference keeps "plenipotentiary conferences" where one source says it and another does not).
NAMED_WEIGHT = 1e-2


@dataclass
class _Region:
    """Where variants differ: the base interval, each variant's slice, and its readings."""

    start: int
    end: int
    slices: list[list[Token]]
    readings: list[tuple[tuple[str, ...], list[int], float]]  # key, members, support


def _region(
    variants: list[Variant],
    maps: list[tuple[dict[int, int], dict[int, int]]],
    start: int,
    end: int,
    specific: frozenset[str] = frozenset(),
) -> _Region:
    """Each variant's slice of the base interval ``start:end``, grouped into readings; a reading
    with a word of ``specific`` has its support lowered by :data:`SPECIFIC_COST`."""
    groups: dict[tuple[str, ...], list[int]] = {}
    slices: list[list[Token]] = []
    for k, variant in enumerate(variants):
        left, right = maps[k]
        tokens = variant.tokens[left[start] : right[end]]
        slices.append(tokens)
        groups.setdefault(tuple(_keys(tokens)), []).append(k)
    readings = [
        (
            key,
            members,
            sum(variants[k].weight for k in members) - SPECIFIC_COST * bool(specific & set(key)),
        )
        for key, members in groups.items()
    ]
    return _Region(start, end, slices, readings)


def _linked(base_keys: list[str], previous: _Region, following: _Region) -> bool:
    """Whether two regions sit in one phrase: a short shared stretch with no punctuation."""
    between = base_keys[previous.end : following.start]
    return len(between) < GAP and not BOUNDARY & set(between)


def _closest_in_style(variants: list[Variant], style: frozenset[tuple[str, str]]) -> int | None:
    """The variant with the largest share of its word pairs in ``style`` (None without a style
    or when no variant is closer than the others)."""
    if not style:
        return None
    shares = []
    for variant in variants:
        pairs = list(pairwise(_keys(variant.tokens)))
        shares.append(sum(pair in style for pair in pairs) / len(pairs) if pairs else 0.0)
    best = max(shares)
    return shares.index(best) if shares.count(best) == 1 else None


def _choose(
    regions: list[_Region],
    base_keys: list[str],
    base_index: int,
    keep_opening: bool = False,
    styled: int | None = None,
    named: frozenset[str] = frozenset(),
) -> list[int]:
    """The reading of each region: most support overall, with a cost for splicing a phrase
    from sources that share no reading since the phrase began (so the words of one phrase
    come from one source's grammar); ties go to a reading with a word of ``named`` (the
    target body's name), then to the variant ``styled`` (the closest to the target body's
    wording), then to the base, then to earlier variants."""

    def own(reading: tuple[tuple[str, ...], list[int], float]) -> float:
        key, members, support = reading
        habit = STYLE_WEIGHT if styled in members else 0.0
        habit += NAMED_WEIGHT if named & set(key) else 0.0
        return support + habit + (1e-3 if base_index in members else 0.0) - 1e-6 * min(members)

    # state: the sources consistent with every reading chosen in the current phrase
    states: dict[frozenset[int], tuple[float, list[int]]] = {frozenset(): (0.0, [])}
    previous: _Region | None = None
    for region in regions:
        linked = previous is not None and _linked(base_keys, previous, region)
        linked = linked and not (keep_opening and previous is not None and previous.start == 0)
        following: dict[frozenset[int], tuple[float, list[int]]] = {}
        for lineage, (score, path) in states.items():
            for index, reading in enumerate(region.readings):
                if keep_opening and region.start == 0 and base_index not in reading[1]:
                    continue  # the opening words follow the base's chapeau
                members = frozenset(reading[1])
                common = lineage & members if linked else frozenset()
                cost = SWITCH if linked and not common else 0.0
                state = common or members
                value = score - cost + own(reading)
                if state not in following or value > following[state][0]:
                    following[state] = (value, [*path, index])
        ranked = sorted(following.items(), key=lambda item: -item[1][0])
        states = dict(ranked[:MAX_STATES])
        previous = region
    return max(states.values(), key=lambda item: item[0])[1]


def merge(
    variants: list[Variant],
    base_index: int = 0,
    *,
    keep_opening: bool = False,
    specific: frozenset[str] = frozenset(),
    style: frozenset[tuple[str, str]] = frozenset(),
    named: frozenset[str] = frozenset(),
) -> list[Piece]:
    """Merge ``variants`` around ``variants[base_index]``; returns pieces in reading order.
    With ``keep_opening``, the words before the first shared word are the base's (its form
    fits the lead-in of the target resolution's list). Readings with a (lower-case) word of
    ``specific`` lose where another reading has none; among equally supported readings, one
    with a word of ``named`` (the target body's name, lower case) wins, then the one of the
    variant closest to ``style`` (lower-case word pairs of the target body's texts)."""
    base = variants[base_index]
    base_keys = _keys(base.tokens)
    maps = []
    intervals: list[tuple[int, int]] = []
    for variant in variants:
        left, right, differs = _boundary_maps(base_keys, _keys(variant.tokens))
        maps.append((left, right))
        intervals.extend(differs)
    all_ids = [v.id for v in variants]
    regions = [_region(variants, maps, a, b, specific) for a, b in _regions(intervals)]
    styled = _closest_in_style(variants, style)
    choice = _choose(regions, base_keys, base_index, keep_opening, styled, named)
    pieces: list[Piece] = []
    position = 0
    for region, index in zip(regions, choice, strict=True):
        if region.start > position:
            pieces.append(Piece(base.tokens[position : region.start], all_ids, True))
        _, members, _ = region.readings[index]
        chosen = base_index if base_index in members else members[0]
        tokens = _joined(region.slices[chosen], members, region.slices)
        ids = [variants[k].id for k in members]
        others = [
            Reading(region.slices[other[0]], [variants[k].id for k in other])
            for k, (_, other, _) in enumerate(region.readings)
            if k != index
        ]
        pieces.append(Piece(tokens, ids, len(members) == len(variants), others))
        position = region.end
    if position < len(base.tokens):
        pieces.append(Piece(base.tokens[position:], all_ids, True))
    # an empty choice is kept when another source has words there (its alternatives say which)
    return [p for p in pieces if p.tokens or any(r.tokens for r in p.alternatives)]


def _joined(tokens: list[Token], members: list[int], slices: list[list[Token]]) -> list[Token]:
    """The chosen reading; a word keeps its term-map origin only if no supporter has it plain."""
    out = []
    for index, token in enumerate(tokens):
        if token.origin is not None:
            plain = [s[index] for k in members if (s := slices[k]) and s[index].origin is None]
            if plain:
                token = Token(token.text, token.space)
        out.append(token)
    return out
