"""Clause alignment against the curated links: precision, recall, F1 (and a lexical baseline)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from evals.context import EvalContext, FamilyResult, optional_function
from evals.datasets import AlignmentLink, load_alignment
from evals.metrics import pairs_from_groups, precision_recall_f1


def document_of(clause_id: str) -> str:
    return clause_id.split("/", 1)[0]


def gold_pairs(links: Sequence[AlignmentLink]) -> tuple[str, list[str], set[tuple[str, str]]]:
    """The lead document, the others (in order of appearance) and the gold pairs."""
    lead = document_of(links[0].a)
    others = list(dict.fromkeys(document_of(link.b) for link in links))
    return lead, others, {(link.a, link.b) for link in links}


def section_of(clause_id: str) -> str:
    """``doc/section`` of a clause id (the unit of the rows of the seed's annex)."""
    return "/".join(clause_id.split("/")[:2])


def score(predicted: set[tuple[str, str]], links: Sequence[AlignmentLink]) -> dict[str, float]:
    """Clause-level P/R/F1, recall on non-partial links, and F1 of the implied section rows."""
    gold = {(link.a, link.b) for link in links}
    strong = {(link.a, link.b) for link in links if not link.partial}
    scores = precision_recall_f1(predicted, gold)
    scores["recall_strong"] = precision_recall_f1(predicted, strong)["recall"]
    rows = {(section_of(a), section_of(b)) for a, b in gold}
    found = {(section_of(a), section_of(b)) for a, b in predicted}
    scores["section_f1"] = precision_recall_f1(found, rows)["f1"]
    return scores


def lexical_baseline(context: EvalContext, lead: str, others: list[str]) -> set[tuple[str, str]]:
    """Each lead clause linked to its best BM25 match in each other document (section-blind)."""
    from evals.baselines import BM25Baseline

    pairs: set[tuple[str, str]] = set()
    clauses = context.corpus.clauses
    for other in others:
        pool = [c for c in clauses if c["document"] == other]
        if not pool:
            continue
        bm25 = BM25Baseline(pool)
        for clause in (c for c in clauses if c["document"] == lead):
            ranked = bm25.rank(clause["text"], 1)
            pairs.update((clause["id"], cid) for position in ranked for cid in position)
    return pairs


def run(context: EvalContext) -> FamilyResult:
    links = load_alignment(context.data("alignment.jsonl"))
    lead, others, _ = gold_pairs(links)
    result = FamilyResult("alignment")
    result.metrics["bm25_best_match"] = dict(score(lexical_baseline(context, lead, others), links))
    align = optional_function("assistant.align", "align")
    library = context.need_library()
    groups = align(library, lead, others).to_json()["groups"]
    predicted = pairs_from_groups(
        ([str(c["id"]) for c in g["clauses"]] for g in groups), lead + "/"
    )
    predicted = {(a, b) for a, b in predicted if document_of(b) in others}
    result.metrics["assistant"] = dict(score(predicted, links))
    gold = {(link.a, link.b) for link in links}
    result.details = _details(predicted, gold)
    result.breakdown = {"gold links": len(gold), "predicted links": len(predicted)}
    return result


def _details(predicted: set[tuple[str, str]], gold: set[tuple[str, str]]) -> list[dict[str, Any]]:
    rows = [{"a": a, "b": b, "outcome": "missed"} for a, b in sorted(gold - predicted)]
    rows += [{"a": a, "b": b, "outcome": "extra"} for a, b in sorted(predicted - gold)]
    return rows
