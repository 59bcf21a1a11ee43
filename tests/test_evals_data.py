"""The curated eval data is valid: every id exists in the parsed corpus, formats hold."""

from __future__ import annotations

from collections import Counter

import pytest

from evals.corpus import SEED_FILE, parse_corpus
from evals.datasets import (
    load_alignment,
    load_chat_messages,
    load_harmonization,
    load_questions,
    validate,
)


@pytest.fixture(scope="module")
def corpus():  # type: ignore[no-untyped-def]
    if not SEED_FILE.is_file():
        pytest.skip(f"the seed contribution is not at {SEED_FILE}")
    return parse_corpus()


def test_every_id_exists_and_facts_are_in_the_text(corpus) -> None:  # type: ignore[no-untyped-def]
    problems = validate(corpus.ids, corpus.document_ids, clause_texts=corpus.texts)
    assert problems == []


def test_question_mix() -> None:
    questions = load_questions()
    kinds = Counter(q.kind for q in questions)
    assert len(questions) >= 60
    assert kinds["unanswerable"] >= 10
    for kind in ("lookup", "paraphrase", "comparison", "followup"):
        assert kinds[kind] >= 5, kind
    assert len({q.id for q in questions}) == len(questions)
    assert all(q.previous for q in questions if q.kind == "followup")


def test_alignment_and_harmonization_cover_the_three_sectors() -> None:
    links = load_alignment()
    assert len(links) >= 40
    assert all(link.a.startswith("pp-58-rev-doha-2026/") for link in links)
    sectors = {link.b.split("/")[0] for link in links}
    assert sectors == {"wtsa-43-rev-new-delhi-2024", "wtdc-31-rev-baku-2025", "wrc-72-rev-wrc-19"}
    cases = load_harmonization()
    assert len(cases) >= 20
    assert all(case.sources for case in cases)


def test_chat_messages() -> None:
    messages = load_chat_messages()
    assert len(messages) >= 40
    intents = {"question", "lookup", "compare", "draft", "revise", "summary"}
    assert set(Counter(m.intent for m in messages)) == intents
    assert sum(len(m.references) for m in messages) >= 15


def test_validate_reports_unknown_ids(tmp_path) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "questions.jsonl").write_text(
        '{"id": "q1", "question": "x?", "kind": "lookup", "expected": ["nope/a"], "fact": "x"}\n'
    )
    (tmp_path / "alignment.jsonl").write_text('{"a": "d/x", "b": "e/y"}\n')
    (tmp_path / "harmonization.jsonl").write_text(
        '{"id": "d/x", "text": "t", "base": null, "sources": ["e/y"]}\n'
    )
    (tmp_path / "chat_messages.jsonl").write_text(
        '{"id": "m1", "message": "hi", "intent": "question", "documents": ["zz"]}\n'
    )
    problems = validate({"d/x"}, {"d"}, data_dir=tmp_path)
    assert any("nope/a" in p for p in problems)
    assert any("e/y" in p for p in problems)
    assert any("zz" in p for p in problems)
