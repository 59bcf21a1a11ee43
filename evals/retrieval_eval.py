"""Retrieval: hit@1/3/5 and MRR of the assistant's search and of three baselines, same questions."""

from __future__ import annotations

import time
from collections import defaultdict
from typing import Any

from evals.baselines import (
    BM25Baseline,
    DenseBaseline,
    LibraryRetriever,
    NaiveRAGBaseline,
    Ranked,
    Retriever,
)
from evals.context import EvalContext, FamilyResult, NotAvailable, percentile
from evals.datasets import Question, load_questions
from evals.metrics import first_rank, retrieval_scores
from evals.splits import retrieval_splits

DEPTH = 10  # ranks looked at for MRR


def search_text(question: Question, by_id: dict[str, Question]) -> str:
    """What a retriever without memory is given: a follow-up carries the turns before it."""
    parts = [question.question]
    previous = question.previous
    while previous and previous in by_id:
        parts.insert(0, by_id[previous].question)
        previous = by_id[previous].previous
    return " ".join(parts)


def retrievers(context: EvalContext, notes: list[str]) -> list[Retriever]:
    """The assistant (when its library works) and the three baselines."""
    corpus = context.corpus
    systems: list[Retriever] = []
    if context.library is not None:
        systems.append(LibraryRetriever(context.library))
    else:
        notes.append(f"assistant search not measured: {context.library_error}")
    systems.append(BM25Baseline(corpus.clauses))
    if context.embedder is None:
        raise NotAvailable("no embedder for the dense baselines")
    systems.append(DenseBaseline(corpus.clauses, context.embedder))
    naive = NaiveRAGBaseline(corpus.files, corpus.clauses, context.embedder)
    if naive.unmatched:
        notes.append(
            f"naive_rag: {len(naive.unmatched)} clauses found in no chunk "
            f"(e.g. {naive.unmatched[:3]})"
        )
    systems.append(naive)
    return systems


def without(ranked: Ranked, documents: set[str]) -> Ranked:
    """``ranked`` minus the positions that hold only clauses of ``documents``."""
    return [p for p in ranked if not p or any(i.split("/", 1)[0] not in documents for i in p)]


def run(context: EvalContext) -> FamilyResult:
    questions = load_questions(context.data("questions.jsonl"))
    by_id = {q.id: q for q in questions}
    answerable = [q for q in questions if q.answerable and q.supporting & context.corpus.ids]
    result = FamilyResult("retrieval")
    kinds = sorted({q.kind for q in answerable})
    per_kind: dict[str, dict[str, float]] = defaultdict(dict)
    ranks_by_system: dict[str, dict[str, int | None]] = {}
    passages = {d.id for d in context.corpus.documents if d.kind != "resolution"}
    resolution_questions = [
        q for q in answerable if any(i.split("/", 1)[0] not in passages for i in q.supporting)
    ]
    only_resolutions: dict[str, float] = {}
    for system in retrievers(context, result.notes):
        ranks: dict[str, int | None] = {}
        filtered: list[int | None] = []
        timings: list[float] = []
        for q in answerable:
            started = time.perf_counter()
            ranked = system.rank(search_text(q, by_id), DEPTH)
            timings.append((time.perf_counter() - started) * 1000)
            ranks[q.id] = first_rank(ranked, q.supporting)
            if passages and q in resolution_questions:
                filtered.append(first_rank(without(ranked, passages), q.supporting))
        ranks_by_system[system.name] = ranks
        if filtered:
            only_resolutions[system.name] = retrieval_scores(filtered, ks=(3,))["hit@3"]
        scores: dict[str, float | None] = dict(retrieval_scores(list(ranks.values())))
        scores["latency_p50_ms"] = percentile(timings[1:] or timings, 50)
        result.metrics[system.name] = scores
        for kind in kinds:
            kind_ranks = [ranks[q.id] for q in answerable if q.kind == kind]
            per_kind[kind][system.name] = retrieval_scores(kind_ranks, ks=(3,))["hit@3"]
    result.breakdown = {"hit@3 by kind": dict(per_kind), "questions": len(answerable)}
    if only_resolutions:
        result.breakdown["hit@3 ignoring results from non-resolution documents"] = {
            "questions on the resolutions": only_resolutions
        }
    result.details = [_detail(q, ranks_by_system) for q in answerable]
    # the question splits of issue 16, against their own index (corpus + seed + UNSC texts)
    for name, metrics in retrieval_splits(context, DEPTH, result.notes).items():
        result.metrics.setdefault(name, {}).update(metrics)
    return result


def _detail(question: Question, ranks: dict[str, dict[str, int | None]]) -> dict[str, Any]:
    return {
        "id": question.id,
        "kind": question.kind,
        **{f"rank.{name}": system[question.id] for name, system in ranks.items()},
    }
