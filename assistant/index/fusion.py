"""Weighted reciprocal rank fusion: ``score(d) = sum_i w_i / (k + rank_i(d))``, plus boosts."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence


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


def quoted_after_source(
    ranked: Sequence[str],
    texts: Mapping[str, str],
    authoritative: Callable[[str], bool],
    containment: float = 0.8,
) -> list[str]:
    """``ranked`` with each non-authoritative item (a passage of a contribution) that quotes a
    lower-ranked authoritative one (a resolution's clause: most of its words, in a text at most
    half as long again) moved just after it: the source leads, its copy follows."""
    words = {i: set(re.findall(r"\w+", texts.get(i, "").lower())) for i in ranked}
    order = list(ranked)
    for item in ranked:
        if authoritative(item) or not words[item]:
            continue
        start = order.index(item)
        for other in order[start + 1 :]:
            if not authoritative(other) or not words[other]:
                continue
            shared = len(words[item] & words[other]) / len(words[other])
            if shared >= containment and len(words[item]) <= 1.5 * len(words[other]):
                order.remove(item)
                order.insert(order.index(other) + 1, item)
                break
    return order
