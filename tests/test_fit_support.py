"""The fitting of what decides answered / partial / not_found (evals/fit_support.py), on rows made
by hand: no index, no model."""

from __future__ import annotations

from assistant.answering.support import FEATURES, LogisticModel, SupportConfig
from evals.fit_support import (
    Row,
    choose_overrule,
    choose_silent,
    choose_thresholds,
    out_of_fold,
    outcomes,
    rates,
)
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


def test_a_clause_sure_enough_overrules_the_silent_gate_when_that_lowers_the_errors() -> None:
    """Answerable questions whose resolution lacks a paraphrase's word ("right after") have one
    clause the models are sure of; the unanswerable ones only clauses they doubt."""
    questions = [_question(f"a{i}", True) for i in range(3)] + [
        _question(f"u{i}", False) for i in range(3)
    ]
    sure = {"a0": 0.9, "a1": 0.85, "a2": 0.95, "u0": 0.3, "u1": 0.6, "u2": 0.2}
    rows = [
        Row(q.id, {}, q.answerable, q.answerable, True, False, 0.3, (sure[q.id], 0.9))
        for q in questions
    ]
    config = SupportConfig(SURE, SURE, answered=0.1, partial=0.5, silent=0.5)
    gated = outcomes(rows, config, questions)
    assert all(gated[q.id] != "answered" for q in questions)  # all silent: 3 missed
    chosen = choose_overrule(config, rows, questions)
    assert chosen.overrule == 0.85  # the highest that answers all three, above 0.6
    got = outcomes(rows, chosen, questions)
    assert [got[f"a{i}"] for i in range(3)] == ["answered"] * 3
    assert all(got[f"u{i}"] != "answered" for i in range(3))
    assert SupportConfig.from_json(chosen.to_json()).overrule == 0.85
    assert SupportConfig.from_json({"answers": {}, "topic": {}}).overrule > 1  # older files


def _signal_row(qid: str, coverage: float, answers: bool) -> Row:
    features = dict.fromkeys(FEATURES, 0.0) | {"coverage": coverage}
    return Row(qid, features, answers, answers, True, False)


def test_out_of_fold_probabilities_come_from_models_fitted_on_the_other_splits() -> None:
    # In split "a" a high coverage answers; in "b" (and "c") a low one does. Fitted on "a"
    # itself, its answering row would score high; fitted on the others, it scores low.
    by_split = {
        "a": [_signal_row("a1", 0.9, True), _signal_row("a2", 0.1, False)],
        "b": [_signal_row("b1", 0.1, True), _signal_row("b2", 0.9, False)],
        "c": [_signal_row("c1", 0.2, True), _signal_row("c2", 0.8, False)],
    }
    base = SupportConfig(SURE, SURE)
    scored = {r.question: r for r in out_of_fold(by_split, base)}
    assert set(scored) == {"a1", "a2", "b1", "b2", "c1", "c2"}
    a1, a2 = scored["a1"].fixed, scored["a2"].fixed
    assert a1 is not None and a2 is not None and a1[0] < a2[0]
    # outcomes() take the out-of-fold probabilities over the config's models
    question = _question("a1", True)
    low = Row("a1", {}, True, True, True, False, fixed=(0.0, 0.0))
    assert outcomes([low], base, [question])["a1"] == "not_found"
    assert outcomes([Row("a1", {}, True, True, True, False)], base, [question])["a1"] == "answered"


def test_answered_is_the_highest_threshold_within_noise_of_the_lowest_larger_rate() -> None:
    # One unanswerable question is answered at any threshold up to 0.95 (false 0.1 throughout);
    # one answerable question is missed above 0.05, the other nine above 0.50. The larger rate is
    # 0.1 from 0.02 to 0.50: the lower-sum tie-break took the plateau's bottom (0.05), which slid
    # as splits were added; the highest threshold on it answers no more unanswerable questions.
    unanswerable = [_question(f"u{i}", False) for i in range(10)]
    answerable = [_question(f"a{i}", True) for i in range(10)]
    p = {"u0": 0.95, "a0": 0.05} | {f"a{i}": 0.5 for i in range(1, 10)}
    rows = [
        Row(q.id, {}, q.answerable, q.answerable, True, False, fixed=(p.get(q.id, 0.0), 0.0))
        for q in unanswerable + answerable
    ]
    chosen = choose_thresholds(SupportConfig(SURE, SURE), rows, unanswerable + answerable)
    assert chosen.answered == 0.5
    got = rates(unanswerable + answerable, outcomes(rows, chosen, unanswerable + answerable))
    assert got["false_answer_rate"] == 0.1 and got["missed_answer_rate"] == 0.1
