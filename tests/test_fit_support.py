"""The fitting of what decides answered / partial / not_found (evals/fit_support.py), on rows made
by hand: no index, no model."""

from __future__ import annotations

from assistant.answering.support import LogisticModel, SupportConfig
from evals.fit_support import Row, choose_silent, outcomes, rates
from evals.splits import SplitQuestion

SURE = LogisticModel({}, bias=10.0)  # every clause supports: only the silent rule says no


def _question(qid: str, answerable: bool) -> SplitQuestion:
    kind = "lookup" if answerable else "unanswerable"
    return SplitQuestion(qid, f"What does resolution 1 say about {qid}?", kind, [f"{qid}/c"], "")


def _row(question: SplitQuestion, named_coverage: float) -> Row:
    return Row(
        question.id, {}, question.answerable, question.answerable, True, False, named_coverage
    )


def test_the_silent_threshold_is_the_lowest_that_removes_the_false_answers() -> None:
    questions = [_question(f"a{i}", True) for i in range(2)] + [
        _question(f"u{i}", False) for i in range(2)
    ]
    coverage = {"a0": 0.8, "a1": 0.9, "u0": 0.2, "u1": 0.3}
    rows = [_row(q, coverage[q.id]) for q in questions]
    config = SupportConfig(SURE, SURE, answered=0.5, partial=0.5)
    before = rates(questions, outcomes(rows, config, questions))
    assert before["false_answer_rate"] == 1.0 and before["missed_answer_rate"] == 0.0
    chosen = choose_silent(config, rows, questions)
    assert chosen.silent == 0.35  # the first step of the grid above 0.3, below 0.8
    got = outcomes(rows, chosen, questions)
    assert got["u0"] != "answered" and got["u1"] != "answered"
    assert got["a0"] == got["a1"] == "answered"
    assert SupportConfig.from_json(chosen.to_json()).silent == 0.35
