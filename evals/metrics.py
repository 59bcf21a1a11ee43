"""Metric functions: pure, small, tested on hand-made cases."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import product
from statistics import mean

Pair = tuple[str, str]


def first_rank(ranked: Sequence[str | set[str]], relevant: set[str]) -> int | None:
    """1-based rank of the first position holding a relevant id, or ``None``.

    A position is one id or a set of ids (a retrieved chunk holding several clauses).
    """
    for rank, item in enumerate(ranked, 1):
        ids = {item} if isinstance(item, str) else item
        if ids & relevant:
            return rank
    return None


def retrieval_scores(
    ranks: Sequence[int | None], ks: Iterable[int] = (1, 3, 5)
) -> dict[str, float]:
    """hit@k for each k and MRR from the first relevant rank of each question."""
    if not ranks:
        return {}
    scores = {
        f"hit@{k}": sum(1 for r in ranks if r is not None and r <= k) / len(ranks) for k in ks
    }
    scores["mrr"] = sum(1.0 / r for r in ranks if r) / len(ranks)
    return scores


def precision_recall_f1(
    predicted: set[Pair] | set[str], gold: set[Pair] | set[str]
) -> dict[str, float]:
    """Set precision, recall and F1 (0 when undefined)."""
    hits = len(predicted & gold)
    precision = hits / len(predicted) if predicted else 0.0
    recall = hits / len(gold) if gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1}


def pairs_from_groups(groups: Iterable[Iterable[str]], left_prefix: str) -> set[Pair]:
    """Links (left clause, other clause) implied by groups of clause ids.

    ``left_prefix`` selects the clauses of the reference document (``"pp-58-rev-doha-2026/"``);
    every such clause is linked to every clause of another document in the same group.
    """
    pairs: set[Pair] = set()
    for group in groups:
        ids = list(dict.fromkeys(group))
        left = [i for i in ids if i.startswith(left_prefix)]
        right = [i for i in ids if not i.startswith(left_prefix)]
        pairs.update(product(left, right))
    return pairs


def chrf(hypothesis: str, reference: str) -> float:
    """chrF (sacrebleu defaults, 0-100) of one hypothesis against one reference."""
    from sacrebleu.metrics import CHRF

    return float(CHRF().sentence_score(hypothesis, [reference]).score)


def medoid(texts: Sequence[str]) -> int:
    """Index of the text with the highest mean chrF against the others (0 for one text)."""
    if len(texts) < 2:
        return 0
    scores = [mean(chrf(t, o) for j, o in enumerate(texts) if j != i) for i, t in enumerate(texts)]
    return max(range(len(texts)), key=lambda i: scores[i])


@dataclass
class Span:
    text: str
    sources: list[str]


def provenance_coverage(spans: Sequence[Span], known_ids: set[str]) -> float:
    """Share of the characters (spaces excluded) in spans that name at least one known clause."""
    total = covered = 0
    for span in spans:
        size = len("".join(span.text.split()))
        total += size
        if any(s in known_ids for s in span.sources):
            covered += size
    return covered / total if total else 0.0


def contains_fact(answer: str, fact: str) -> bool:
    """Case- and whitespace-insensitive containment."""
    return " ".join(fact.lower().split()) in " ".join(answer.lower().split())


def citation_scores(
    cited: Sequence[str], supporting: set[str], expected: set[str]
) -> tuple[int, int, int, int]:
    """(correct citations, all citations, expected cited, expected) for one answer."""
    unique = list(dict.fromkeys(cited))
    return (
        sum(1 for c in unique if c in supporting),
        len(unique),
        len(expected & set(unique)),
        len(expected),
    )


def ratio(numerator: float, denominator: float) -> float | None:
    """numerator / denominator, ``None`` when the denominator is 0."""
    return numerator / denominator if denominator else None


def normalize_space(text: str) -> str:
    return " ".join(text.split())
