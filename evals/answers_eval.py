"""Answers: fact accuracy, citation precision/recall, not_found precision/recall, latency."""

from __future__ import annotations

import time
from typing import Any

from evals.context import EvalContext, FamilyResult, optional_function, percentile
from evals.datasets import Question, load_questions
from evals.metrics import citation_scores, contains_fact, ratio


def conversation_ids(questions: list[Question], run_tag: str) -> dict[str, str]:
    """One conversation per chain of follow-ups; every other question starts its own."""
    by_id = {q.id: q for q in questions}
    out: dict[str, str] = {}
    for q in questions:
        root = q
        while root.previous and root.previous in by_id:
            root = by_id[root.previous]
        out[q.id] = f"eval-{run_tag}-{root.id}"
    return out


def run(context: EvalContext) -> FamilyResult:
    answer = optional_function("assistant.answer", "answer")
    library = context.need_library()
    questions = [
        q
        for q in load_questions(context.data("questions.jsonl"))
        if not q.answerable or q.supporting & context.corpus.ids
    ]
    conversations = conversation_ids(questions, str(int(time.time())))
    result = FamilyResult("answers")
    facts = facts_cited = answerable = 0
    correct = cited = expected_cited = expected_total = 0
    nf_given = nf_right = unanswerable = 0
    timings: list[float] = []
    for q in questions:
        started = time.perf_counter()
        reply = answer(library, q.question, conversation=conversations[q.id]).to_json()
        timings.append((time.perf_counter() - started) * 1000)
        ids = [str(c.get("id")) for c in reply.get("citations", [])]
        status = reply.get("status")
        text = str(reply.get("answer", ""))
        detail: dict[str, Any] = {
            "id": q.id,
            "kind": q.kind,
            "status": status,
            "cited": ids,
            "answer": text[:400],
        }
        if status == "not_found":
            nf_given += 1
            nf_right += not q.answerable
        if not q.answerable:
            unanswerable += 1
        else:
            answerable += 1
            ok = status == "answered" and contains_fact(text, q.fact)
            facts += ok
            facts_cited += ok and bool(set(ids) & q.supporting)
            c, n, e, t = citation_scores(ids, q.supporting, set(q.expected))
            correct, cited = correct + c, cited + n
            expected_cited, expected_total = expected_cited + e, expected_total + t
            detail["fact"] = ok
        result.details.append(detail)
    result.metrics["assistant"] = {
        "fact_accuracy": ratio(facts, answerable),
        "fact_accuracy_cited": ratio(facts_cited, answerable),
        "citation_precision": ratio(correct, cited),
        "citation_recall": ratio(expected_cited, expected_total),
        "not_found_precision": ratio(nf_right, nf_given),
        "not_found_recall": ratio(nf_right, unanswerable),
        "false_answer_rate": ratio(unanswerable - nf_right, unanswerable),
        "missed_answer_rate": ratio(nf_given - nf_right, answerable),
        "latency_p50_ms": percentile(timings[1:] or timings, 50),
    }
    by_kind: dict[str, float | None] = {}
    for kind in sorted({q.kind for q in questions if q.answerable}):
        rows = [d for d in result.details if d["kind"] == kind]
        by_kind[kind] = ratio(sum(1 for d in rows if d.get("fact")), len(rows))
    result.breakdown = {"fact accuracy by kind": by_kind, "questions": len(questions)}
    return result
