"""The chat as a person uses it (issue 19, items 1-4), over the fake library: topics that must
not leak into new questions, follow-ups shown as searched, whole-resolution questions, comparisons
that state a difference, and look-ups that show the text in force."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from assistant.chat.agent import respond
from assistant.chat.agent_compare import on_subject
from assistant.chat.router import route
from assistant.text.catalog import Catalog
from evals.chat_scenarios import judge, load

DOHA, BUSAN = "pp-58-rev-doha-2026", "pp-58-rev-busan-2014"
WTSA, WTDC = "wtsa-43-rev-new-delhi-2024", "wtdc-31-rev-baku-2025"
WTSA_I = f"{WTSA}/resolves-to-instruct-the-director-of-the-telecommunication"
WTDC_I = f"{WTDC}/resolves-to-instruct-the-director-of-the-telecommunication"
RES300 = Path(__file__).resolve().parents[1] / "evals/data/scenarios/PP-300-Testville-2030.txt"
SG = "instructs-the-secretary-general/p"
FIRST = "What does WRC 72 say about joint meetings of regional telecommunication organizations?"
FELLOWSHIPS = "Does ITU give fellowships so that least developed countries can attend the meetings?"


def ids(reply: dict[str, Any]) -> list[str]:
    return [c["id"] for c in reply["citations"]]


# -- item 1: a question that names its own subject is not a follow-up --------------------------


def test_a_new_question_keeps_its_own_subject(fake_library: Any) -> None:
    respond(fake_library, FIRST, conversation_id="leak")
    reply = respond(fake_library, FELLOWSHIPS, conversation_id="leak").to_json()
    fresh = respond(fake_library, FELLOWSHIPS).to_json()
    assert "searched" not in reply and "Searched:" not in reply["answer"]
    assert reply["tool_calls"][-1]["args"]["query"] == FELLOWSHIPS
    assert (reply["status"], ids(reply)) == (fresh["status"], ids(fresh))


def test_a_follow_up_is_shown_as_searched_and_can_be_undone(fake_library: Any) -> None:
    respond(fake_library, FIRST, conversation_id="fu")
    reply = respond(fake_library, "And what does the WTDC one say?", conversation_id="fu")
    data = reply.to_json()
    assert "WTDC" in data["searched"] and "joint meetings" in data["searched"]
    assert data["answer"].startswith(f"Searched: {data['searched']} (read as a follow-up")
    assert 'opens with "And"' in data["answer"].splitlines()[0]
    undone = respond(
        fake_library, "New question: what does the WTDC one say?", conversation_id="fu"
    ).to_json()
    assert "searched" not in undone


# -- item 2: a question about a whole resolution -----------------------------------------------


@pytest.fixture
def library_300(fake_library: Any) -> Any:
    report = fake_library.ingest([str(RES300)])
    assert not report.failed
    return fake_library


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        ("What does Resolution 300 resolve?", ["resolves/1", "resolves/2"]),
        ("Summarize resolution 300", ["resolves/1", "resolves/2", SG]),
        ("What does Resolution 300 (Testville, 2030) say?", ["resolves/1", "resolves/2", SG]),
    ],
)
def test_a_named_resolution_is_answered_from_its_operative_part(
    library_300: Any, message: str, expected: list[str]
) -> None:
    reply = respond(library_300, message).to_json()
    assert (reply["intent"], reply["status"]) == ("summary", "answered")
    assert ids(reply) == [f"pp-300-testville-2030/{i}" for i in expected]
    assert "PP Res. 300 (Testville, 2030) (in force)" in reply["answer"]
    assert "quiet hours of two hours each night" in reply["answer"]


def test_what_a_resolution_resolves_is_its_resolves_section(fake_library: Any) -> None:
    reply = respond(fake_library, "What does WTSA 43 resolve?").to_json()
    assert ids(reply) == [f"{WTSA_I}/1", f"{WTSA_I}/2"]
    assert "invites the Secretary-General" not in reply["answer"]


def test_a_number_the_library_lacks_is_said_so(fake_library: Any) -> None:
    reply = respond(fake_library, "What does Resolution 302 say?").to_json()
    assert (reply["intent"], reply["status"]) == ("summary", "not_found")
    assert reply["answer"].startswith("The library has no Resolution 302. It holds:")
    assert "WTSA Res. 43 (Rev. New Delhi, 2024) (in force)" in reply["answer"]
    assert "PP Res. 58 (Rev. Doha, 2026) (draft)" in reply["answer"]


def test_summary_routing(catalog: Catalog) -> None:
    assert route("What does PP-58 resolve?", catalog).documents == [BUSAN]  # in force
    doha = route("What does the Doha draft instruct the Secretary-General to do?", catalog)
    assert (doha.intent, doha.section, doha.documents) == ("summary", "instructs", [DOHA])
    assert route("What does WTSA 43 say about the forum?", catalog).intent == "question"
    assert route("And what does the WTDC one say?", catalog).intent == "question"


# -- item 3: comparisons that compare ----------------------------------------------------------


def test_a_comparison_on_a_subject_states_what_differs(fake_library: Any) -> None:
    message = "How do WTSA 43 and WTDC 31 differ on regional preparatory meetings?"
    reply = respond(fake_library, message).to_json()
    lead = reply["answer"].splitlines()[0]
    assert reply["intent"] == "compare" and lead.startswith("On regional preparatory meetings")
    assert "timing" in lead and "six months prior to WTSA" in lead
    assert "last meeting of TDAG" in lead
    assert f"{WTSA_I}/1" in ids(reply) and f"{WTDC_I}/1" in ids(reply)
    assert "<del>" in reply["answer"] and "<ins>" in reply["answer"]
    assert "lacks" in reply["answer"].splitlines()[1]  # WTDC 31's clauses WTSA 43 has none of
    row = {"kind": "comparison", "a": [f"{WTSA_I}/1"], "b": [f"{WTDC_I}/1"]}
    assert judge({**row, "differences": ["six months prior"]}, reply)


def test_acronyms_count_as_the_subject() -> None:
    assert on_subject(
        "to take an active part in the holding of RPMs for WTDC", "preparatory meetings"
    )
    assert not on_subject("to consult with Member States", "preparatory meetings")


# -- item 4: drafts and texts in force ---------------------------------------------------------


def test_a_lookup_shows_the_text_in_force_and_offers_the_draft(fake_library: Any) -> None:
    reply = respond(fake_library, "show me PP-58 considering e)").to_json()
    assert ids(reply) == [f"{BUSAN}/considering/e", f"{DOHA}/considering/e"]
    assert reply["answer"].startswith('PP Res. 58 (Rev. Busan, 2014), considering e): "')
    assert "The Doha 2026 draft changes it:" in reply["answer"]
    assert "<ins>many conferences and assemblies of the Union</ins>" in reply["answer"]


def test_a_draft_asked_for_is_named_a_draft(fake_library: Any) -> None:
    reply = respond(fake_library, "show me considering e) of the Doha draft").to_json()
    assert ids(reply)[0] == f"{DOHA}/considering/e"
    assert (
        "This is the Doha 2026 draft" in reply["answer"]
        and "not the text in force" in (reply["answer"])
    )


def test_the_scenarios_file_is_well_formed() -> None:
    rows = load(Path(__file__).resolve().parents[1] / "evals/data/chat_scenarios.jsonl")
    assert {r["kind"] for r in rows} == {
        "topic_leak",
        "follow_up",
        "summary",
        "comparison",
        "in_force",
    }
    assert len({r["id"] for r in rows}) == len(rows)
