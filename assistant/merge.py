"""Word-level merge of clause variants: keep what they share, vote where they differ.

Every variant is aligned word by word to a base variant (difflib on tokens). Stretches where a
variant differs from the base are merged across variants into *regions*; inside a region each
variant has one reading (possibly empty), and the reading with the most weighted support wins
(ties go to the base). Every output word lists the variants whose reading it came from, so the
result is traceable and contains no word that no source has (the term map's Union-wide wording
excepted, which each token marks with ``origin``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher

from assistant.terms import Token


@dataclass
class Variant:
    """One source clause as tokens, with its id and the weight of its vote."""

    id: str
    tokens: list[Token]
    weight: float = 1.0


@dataclass
class Piece:
    """A run of output tokens and the variants that support it."""

    tokens: list[Token]
    sources: list[str]
    agreed: bool  # every variant has this reading


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


def merge(variants: list[Variant], base_index: int = 0) -> list[Piece]:
    """Merge ``variants`` around ``variants[base_index]``; returns pieces in reading order."""
    base = variants[base_index]
    base_keys = _keys(base.tokens)
    maps = []
    intervals: list[tuple[int, int]] = []
    for variant in variants:
        left, right, differs = _boundary_maps(base_keys, _keys(variant.tokens))
        maps.append((left, right))
        intervals.extend(differs)
    all_ids = [v.id for v in variants]
    pieces: list[Piece] = []
    position = 0
    for start, end in _regions(intervals):
        if start > position:
            pieces.append(Piece(base.tokens[position:start], all_ids, True))
        pieces.append(_vote(variants, maps, base_index, start, end))
        position = end
    if position < len(base.tokens):
        pieces.append(Piece(base.tokens[position:], all_ids, True))
    return [piece for piece in pieces if piece.tokens]


def _vote(
    variants: list[Variant],
    maps: list[tuple[dict[int, int], dict[int, int]]],
    base_index: int,
    start: int,
    end: int,
) -> Piece:
    readings: dict[tuple[str, ...], list[int]] = {}
    slices: list[list[Token]] = []
    for k, variant in enumerate(variants):
        left, right = maps[k]
        tokens = variant.tokens[left[start] : right[end]]
        slices.append(tokens)
        readings.setdefault(tuple(_keys(tokens)), []).append(k)

    def support(key: tuple[str, ...]) -> tuple[float, bool, int]:
        members = readings[key]
        weight = sum(variants[k].weight for k in members)
        return (round(weight, 6), base_index in members, -min(members))

    best = max(readings, key=support)
    members = readings[best]
    chosen = base_index if base_index in members else members[0]
    tokens = _joined(slices[chosen], members, slices)
    return Piece(tokens, [variants[k].id for k in members], len(members) == len(variants))


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
