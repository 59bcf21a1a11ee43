"""Answers: fact accuracy, citation precision/recall, not_found precision/recall, latency.

Beside the assistant, a baseline that "answers" with the top BM25 clause, quoted whole and cited
(it never says not_found): what retrieval alone gives a delegate.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

from assistant.chat.conversations import conversation_for
from evals.baselines import BM25Baseline
from evals.context import EvalContext, FamilyResult, optional_function, percentile
from evals.datasets import Question, load_questions
from evals.metrics import citation_scores, contains_fact, ratio
from evals.retrieval_eval import search_text
from evals.splits import answer_splits

# Questions written after the not_found thresholds were calibrated (evals/README.md).
HELD_OUT = "questions_heldout.jsonl"


@dataclass
class Reply:
    status: str
    text: str
    cited: list[str] = field(default_factory=list)


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


def score_replies(questions: list[Question], replies: dict[str, Reply]) -> dict[str, float | None]:
    """The answer metrics of evals/README.md over one system's replies.

    Three outcomes: ``answered``, ``partial`` (the closest provisions, cited, and the detail
    they lack) and ``not_found``. A ``partial`` on an unanswerable question is no false answer
    (it counts as declined, like ``not_found``); on an answerable one it is a missed answer.
    Citations are scored on ``answered`` replies only (a partial's are not claimed to answer).
    """
    facts = facts_cited = answerable = 0
    correct = cited = expected_cited = expected_total = 0
    declined = declined_right = unanswerable = 0
    partial_answerable = partial_unanswerable = 0
    for q in questions:
        reply = replies[q.id]
        if reply.status != "answered":
            declined += 1
            declined_right += not q.answerable
        if reply.status == "partial":
            partial_answerable += q.answerable
            partial_unanswerable += not q.answerable
        if not q.answerable:
            unanswerable += 1
            continue
        answerable += 1
        ok = reply.status == "answered" and contains_fact(reply.text, q.fact)
        facts += ok
        facts_cited += ok and bool(set(reply.cited) & q.supporting)
        shown = reply.cited if reply.status == "answered" else []
        c, n, e, t = citation_scores(shown, q.supporting, set(q.expected))
        correct, cited = correct + c, cited + n
        expected_cited, expected_total = expected_cited + e, expected_total + t
    return {
        "fact_accuracy": ratio(facts, answerable),
        "fact_accuracy_cited": ratio(facts_cited, answerable),
        "citation_precision": ratio(correct, cited),
        "citation_recall": ratio(expected_cited, expected_total),
        "not_found_precision": ratio(declined_right, declined),
        "not_found_recall": ratio(declined_right, unanswerable),
        "false_answer_rate": ratio(unanswerable - declined_right, unanswerable),
        "missed_answer_rate": ratio(declined - declined_right, answerable),
        "partial_rate_answerable": ratio(partial_answerable, answerable),
        "partial_rate_unanswerable": ratio(partial_unanswerable, unanswerable),
    }


def bm25_replies(context: EvalContext, questions: list[Question]) -> dict[str, Reply]:
    """The top BM25 clause as the answer, for every question."""
    texts = context.corpus.texts
    bm25 = BM25Baseline(context.corpus.clauses)
    by_id = {q.id: q for q in questions}
    replies = {}
    for q in questions:
        top = [i for position in bm25.rank(search_text(q, by_id), 1) for i in position]
        replies[q.id] = Reply("answered", texts[top[0]] if top else "", top[:1])
    return replies


def run(context: EvalContext) -> FamilyResult:
    questions = [
        q
        for q in load_questions(context.data("questions.jsonl"))
        if not q.answerable or q.supporting & context.corpus.ids
    ]
    result = FamilyResult("answers")
    result.metrics["bm25_top_clause"] = score_replies(questions, bm25_replies(context, questions))
    answer = optional_function("assistant.answering.answer", "answer")
    library = context.need_library()
    conversations = conversation_ids(questions, str(int(time.time())))
    replies: dict[str, Reply] = {}
    timings: list[float] = []
    for q in questions:
        started = time.perf_counter()
        data = answer(
            library, q.question, conversation=conversation_for(library, conversations[q.id])
        ).to_json()
        timings.append((time.perf_counter() - started) * 1000)
        replies[q.id] = _reply(data)
    scores = score_replies(questions, replies)
    scores["latency_p50_ms"] = percentile(timings[1:] or timings, 50)
    result.metrics["assistant"] = scores
    result.details = [_detail(q, replies[q.id]) for q in questions]
    by_kind: dict[str, float | None] = {}
    for kind in sorted({q.kind for q in questions if q.answerable}):
        rows = [d for d in result.details if d["kind"] == kind]
        by_kind[kind] = ratio(sum(1 for d in rows if d.get("fact")), len(rows))
    result.breakdown = {"fact accuracy by kind": by_kind, "questions": len(questions)}
    heldout = context.data_dir / HELD_OUT
    unseen = load_questions(heldout) if heldout.is_file() else []
    if unseen:  # written after the thresholds were set, never tuned on
        answered = {q.id: _reply(answer(library, q.question).to_json()) for q in unseen}
        result.metrics["assistant_heldout"] = score_replies(unseen, answered)
        result.details += [{**_detail(q, answered[q.id]), "held_out": True} for q in unseen]
        result.breakdown["held-out questions"] = len(unseen)
    # the question splits of issue 16, against their own index (corpus + seed + UNSC texts)
    split_metrics, split_details, split_counts = answer_splits(context, answer, _reply)
    scores.update(split_metrics)
    result.details += split_details
    if split_counts:
        result.breakdown["question splits"] = split_counts
    if context.chat_model is not None:  # --with-llm: the model words answers and judges
        for name, asked in (("assistant_llm", questions), ("assistant_llm_heldout", unseen)):
            if not asked:
                continue
            threads = conversation_ids(asked, f"llm-{int(time.time())}")
            worded = {
                q.id: _reply(
                    answer(
                        library,
                        q.question,
                        conversation=conversation_for(library, threads[q.id]),
                        chat_model=context.chat_model,
                    ).to_json()
                )
                for q in asked
            }
            result.metrics[name] = score_replies(asked, worded)
    return result


def _reply(data: dict[str, Any]) -> Reply:
    ids = [str(c.get("id")) for c in data.get("citations", [])]
    return Reply(str(data.get("status")), str(data.get("answer", "")), ids)


def _detail(q: Question, reply: Reply) -> dict[str, Any]:
    detail: dict[str, Any] = {
        "id": q.id,
        "kind": q.kind,
        "status": reply.status,
        "cited": reply.cited,
        "answer": reply.text[:400],
    }
    if q.answerable:
        detail["fact"] = reply.status == "answered" and contains_fact(reply.text, q.fact)
    return detail
