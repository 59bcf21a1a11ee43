"""Weighted reciprocal rank fusion: ``score(d) = sum_i w_i / (k + rank_i(d))``, plus boosts."""

from __future__ import annotations

from collections.abc import Mapping, Sequence


def dedupe(ranked: Sequence[str]) -> list[str]:
    """The ids in order of first appearance (chunks of one clause collapse to its best rank)."""
    seen: set[str] = set()
    out: list[str] = []
    for item in ranked:
        if item not in seen:
            seen.add(item)
            out.append(item)
    return out


def weighted_rrf(
    rankings: Mapping[str, Sequence[str]], weights: Mapping[str, float], k: float = 60.0
) -> dict[str, float]:
    """Fuse ranked id lists (best first). Ranks start at 1; a missing weight counts as 1."""
    scores: dict[str, float] = {}
    for name, ranked in rankings.items():
        weight = weights.get(name, 1.0)
        if not weight:
            continue
        for rank, item in enumerate(dedupe(ranked), start=1):
            scores[item] = scores.get(item, 0.0) + weight / (k + rank)
    return scores


def apply_boosts(scores: Mapping[str, float], boosts: Mapping[str, float]) -> dict[str, float]:
    """Multiply each score by ``1 + boost`` (boost 0 leaves it; never removes an item)."""
    return {item: score * (1.0 + boosts.get(item, 0.0)) for item, score in scores.items()}


def top(scores: Mapping[str, float], n: int) -> list[tuple[str, float]]:
    """The ``n`` best items, ties broken by id for a stable order."""
    return sorted(scores.items(), key=lambda pair: (-pair[1], pair[0]))[:n]
