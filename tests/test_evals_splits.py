"""The question splits of issue 16: loading, three-outcome scoring, the support model's data."""

from __future__ import annotations

from evals.answers_eval import Reply, score_replies
from evals.datasets import Question
from evals.splits import (
    HELD_OUT_SPLIT,
    PENDING_SPLITS,
    SPLITS,
    SplitQuestion,
    held_out_documents,
    load_split,
    score_outcomes,
    split_paths,
    unsc_document_id,
)


def q(id_: str, kind: str, topic: list[str] | None = None) -> SplitQuestion:
    expected = [] if kind == "unanswerable" else ["doc/s/1"]
    return SplitQuestion(id_, "?", kind, expected, "fact" if expected else "", topic=topic or [])


def test_three_outcomes_are_scored_as_the_readme_says() -> None:
    questions = [
        q("a1", "lookup"),
        q("a2", "lookup"),
        q("u1", "unanswerable", ["doc/s/2"]),
        q("u2", "unanswerable"),
    ]
    replies = {
        "a1": Reply("answered", "the fact", ["doc/s/1"]),
        "a2": Reply("partial", "close", ["doc/s/3"]),
        "u1": Reply("partial", "close", ["doc/s/2"]),
        "u2": Reply("answered", "wrong", ["doc/s/9"]),
    }
    scores = score_outcomes(questions, replies)
    assert scores["false_answer_rate"] == 0.5  # the partial on u1 is no false answer
    assert scores["missed_answer_rate"] == 0.5  # the partial on a2 is a missed answer
    assert scores["cited_right"] == 1.0 and scores["fact_accuracy"] == 0.5
    assert scores["partial_accuracy"] == 1.0 and scores["partial_cited"] == 1.0
    assert scores["not_found_accuracy"] == 0.0
    assert scores["outcome_accuracy"] == 0.5
    assert scores["no_false_answer"] == 0.5 and scores["no_missed_answer"] == 0.5


def test_a_partial_on_an_unanswerable_question_is_no_false_answer() -> None:
    questions = [
        Question("a", "?", "lookup", ["d/s/1"], "fact"),
        Question("u", "?", "unanswerable", [], ""),
    ]
    replies = {"a": Reply("partial", "x", ["d/s/1"]), "u": Reply("partial", "y", ["d/s/2"])}
    scores = score_replies(questions, replies)
    assert scores["false_answer_rate"] == 0.0 and scores["missed_answer_rate"] == 1.0
    assert scores["partial_rate_answerable"] == 1.0 and scores["partial_rate_unanswerable"] == 1.0
    assert scores["citation_precision"] is None  # a partial's citations claim no answer


def test_the_splits_load_with_their_fields() -> None:
    for name in SPLITS:
        rows = load_split(name)
        assert rows and all(r.split == name for r in rows)
    assert any(r.topic and r.missing for r in load_split("dev"))
    assert sum(1 for p in split_paths() if "unsc" in str(p)) == 480
    indexed = {unsc_document_id(p) for p in split_paths()}
    for name in PENDING_SPLITS:  # written for a later round: in no index yet
        assert not held_out_documents(name) & indexed
    held_out = split_paths(held_out=(HELD_OUT_SPLIT,))
    assert sum(1 for p in held_out if "unsc" in str(p)) == 465  # what fitting may see
    held_documents = {q.document for q in load_split(HELD_OUT_SPLIT)}
    assert len(held_documents) == 15
    others = {q.document for name in SPLITS if name != HELD_OUT_SPLIT for q in load_split(name)}
    assert not held_documents & others


def test_the_shipped_support_model_is_fitted_data() -> None:
    from assistant.answering.support import FEATURES, SupportConfig, default_config

    config = default_config()
    assert set(config.answers.weights) == set(FEATURES) == set(config.topic.weights)
    assert 0 < config.consult <= config.answered < 1 and 0 < config.partial < 1
    again = SupportConfig.from_json(config.to_json())
    assert again == config
    strong = {"coverage": 1.0, "similarity": 0.9, "segment_similarity": 0.9, "named": 1.0}
    assert config.answers.probability(strong) > config.answers.probability({})
