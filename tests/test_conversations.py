"""Conversation history in SQLite and follow-up questions resolved against earlier turns."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.answering.answer import answer
from assistant.chat.conversations import (
    ConversationStore,
    conversation_for,
    decide_follow_up,
    resolve_follow_up,
)
from assistant.text.question import catalog_for

FIRST = "What does WTSA 43 say about the timing of the regional preparatory meetings?"


def test_turns_are_kept_per_conversation(tmp_path: Path) -> None:
    store = ConversationStore(tmp_path / "c.sqlite3")
    one, two = store.conversation("one"), store.conversation("two")
    one.add("q1", "q1", {"status": "answered"})
    one.add("q2", "q2 resolved", {"status": "not_found"})
    two.add("other", "other", {})
    again = ConversationStore(tmp_path / "c.sqlite3").conversation("one")
    assert [(t.index, t.question, t.resolved) for t in again.turns()] == [
        (0, "q1", "q1"),
        (1, "q2", "q2 resolved"),
    ]
    assert again.turns()[1].answer == {"status": "not_found"}
    assert [t.question for t in two.turns()] == ["other"]


@pytest.mark.parametrize("bad", ["", "has space", "x" * 101, "../etc", "-dash-first"])
def test_bad_conversation_ids_are_refused(tmp_path: Path, bad: str) -> None:
    with pytest.raises(ValueError, match="conversation id"):
        ConversationStore(tmp_path / "c.sqlite3").conversation(bad)


def test_follow_up_keeps_topic_and_switches_body(fake_library) -> None:
    catalog = catalog_for(fake_library)
    resolved = resolve_follow_up("and what does the WRC one say?", FIRST, catalog)
    assert "WRC" in resolved and "WTSA" not in resolved
    assert "timing of the regional preparatory meetings" in resolved


def test_follow_up_keeps_body_and_switches_topic(fake_library) -> None:
    catalog = catalog_for(fake_library)
    resolved = resolve_follow_up("What about the briefings and training sessions?", FIRST, catalog)
    assert "WTSA 43" in resolved and "briefings and training sessions" in resolved


def test_pointing_follow_up_keeps_the_document(fake_library) -> None:
    catalog = catalog_for(fake_library)
    resolved = resolve_follow_up("Which countries does that footnote cover?", FIRST, catalog)
    assert resolved.startswith("Which countries does that footnote cover")
    assert resolved.endswith("in WTSA 43?")


def test_standalone_question_is_left_alone(fake_library) -> None:
    catalog = catalog_for(fake_library)
    question = "Which six principal regional telecommunication organizations are named?"
    assert resolve_follow_up(question, FIRST, catalog) == question
    assert resolve_follow_up("and the WRC one?", None, catalog) == "and the WRC one?"


def test_answer_uses_the_conversation(fake_library) -> None:
    thread = conversation_for(fake_library, "delegate-1")
    first = answer(fake_library, FIRST, conversation=thread)
    assert first.citations[0]["body"] == "WTSA"
    second = answer(fake_library, "And what does the WTDC one say?", conversation=thread)
    assert second.status == "answered"
    assert second.citations[0]["body"] == "WTDC"
    assert "WTDC" in second.question
    store = ConversationStore.for_settings(fake_library.settings)
    turns = store.conversation("delegate-1").turns()
    assert [t.question for t in turns] == [FIRST, "And what does the WTDC one say?"]
    assert turns[1].answer["citations"][0]["body"] == "WTDC"


@pytest.mark.parametrize(
    "question",
    [
        "Does ITU give fellowships so that least developed countries can attend the meetings?",
        "How do regional organizations coordinate their common proposals?",
        "Is there a deadline for the report on feedback?",
        "What does Resolution 300 say?",
    ],
)
def test_a_question_with_its_own_subject_is_no_follow_up(fake_library, question: str) -> None:
    decision = decide_follow_up(question, FIRST, catalog_for(fake_library))
    assert (decision.resolved, decision.evidence) == (question, "")


@pytest.mark.parametrize(
    ("question", "evidence"),
    [
        ("And what does the WRC one say?", 'it opens with "And"'),
        ("Which countries does that footnote cover?", '"that footnote" points back'),
        ("Who organizes them?", '"them" points back'),
        ("Why?", "it names no subject of its own"),
    ],
)
def test_a_follow_up_says_why(fake_library, question: str, evidence: str) -> None:
    decision = decide_follow_up(question, FIRST, catalog_for(fake_library))
    assert decision.rewritten and decision.evidence == evidence


def test_new_question_undoes_a_follow_up(fake_library) -> None:
    decision = decide_follow_up(
        "New question: who organizes them?", FIRST, catalog_for(fake_library)
    )
    assert (decision.question, decision.resolved) == ("who organizes them?", "who organizes them?")
