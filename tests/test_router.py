"""The deterministic intent router: intents, entities, follow-ups; figures on the labelled set."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.catalog import Catalog
from assistant.router import State, route
from assistant.routing_eval import MESSAGES, load_messages, score, state_after

ROOT = Path(__file__).resolve().parent.parent
DOHA, BUSAN = "pp-58-rev-doha-2026", "pp-58-rev-busan-2014"
WTSA, WTDC, WRC = "wtsa-43-rev-new-delhi-2024", "wtdc-31-rev-baku-2025", "wrc-72-rev-wrc-19"


@pytest.mark.parametrize(
    ("message", "intent"),
    [
        ("Which resolutions ask the Bureaux to help least developed countries attend?", "question"),
        ("Is there anything on information sessions in the radio conference text?", "question"),
        ("quote WTDC 31 considering d)", "lookup"),
        ("noting b) of the Doha draft", "lookup"),
        ("What changed in the Doha draft's noting section compared with Busan?", "compare"),
        ("WTSA 43 versus WTDC 31 on briefings", "compare"),
        ("Please draft a Union-wide recognizing c) based on WTSA 43 and WTDC 31", "draft"),
        ("combine WRC 72 considering d) and WTSA 43 considering d)", "draft"),
        ("What does the Doha draft say about the draft agenda?", "question"),
    ],
)
def test_intents(message: str, intent: str, catalog: Catalog) -> None:
    assert route(message, catalog).intent == intent


def test_draft_entities(catalog: Catalog) -> None:
    found = route(
        "Write a harmonized considering d) for the Plenipotentiary based on WTSA 43 and WRC 72",
        catalog,
    )
    assert found.intent == "draft" and found.for_body == "PP"
    assert sorted(found.clause_ids) == [f"{WRC}/considering/d", f"{WTSA}/considering/d"]
    assert sorted(found.documents) == sorted([WTSA, WRC])

    found = route("propose wording for noting a) taking WTSA 43 into account", catalog)
    assert found.with_documents == [WTSA]
    assert sorted(found.clause_ids) == [f"{DOHA}/noting/a", f"{WTDC}/noting/a"]  # not WTSA


def test_compare_adds_the_previous_version(catalog: Catalog) -> None:
    found = route("how did recognizing a) change in the Doha draft?", catalog)
    assert found.intent == "compare"
    assert found.documents == [DOHA, BUSAN]
    assert found.clause_ids == [f"{DOHA}/recognizing/a"]  # Busan has no recognizing section
    found = route("what changed in considering c) of the Doha draft?", catalog)
    assert found.clause_ids == [f"{DOHA}/considering/c", f"{BUSAN}/considering/c"]


def test_follow_ups_across_intents(catalog: Catalog) -> None:
    first = route("What do the resolutions say about briefings during RPMs?", catalog)
    assert first.intent == "question"
    state = state_after(first)
    state.clause_ids = [f"{WTSA}/resolves-to-instruct-the-director-of-the-telecommunication/2"]
    second = route("now draft a merged version of that", catalog, state)
    assert (second.intent, second.follow_up, second.clause_ids) == ("draft", True, [])
    third = route(
        "show it as a redline against the 2014 text",
        catalog,
        State(intent="draft", documents=[WTSA], draft={"clause_id": "x"}),
    )
    assert (third.intent, third.base_document) == ("draft", BUSAN)
    again = route("and noting a) of the same draft?", catalog, State(documents=[DOHA]))
    assert again.clause_ids == [f"{DOHA}/noting/a"]


def test_bodies_from_the_glossary(catalog: Catalog) -> None:
    found = route("does the BR publish the proposals of the RTOs?", catalog)
    assert found.bodies == ["WRC"] and found.documents == []
    assert route("Who organizes RPMs for the development conference?", catalog).documents == [WTDC]


@pytest.mark.skipif(not MESSAGES.is_file(), reason="evals/data/chat_messages.jsonl is absent")
def test_figures_on_the_labelled_messages(catalog: Catalog) -> None:
    result = score(load_messages(), catalog)
    assert result["messages"] >= 40
    assert result["intent_accuracy"] >= 0.95, result["misses"]
    assert result["reference_accuracy"] >= 0.95, result["misses"]


def test_comparisons_name_the_same_clause_everywhere(catalog: Catalog) -> None:
    found = route("Is resolves 2 of the Doha draft different from the Busan version?", catalog)
    assert found.clause_ids == [f"{DOHA}/resolves/2", f"{BUSAN}/resolves/2"]
    found = route("the differences between WTDC 31 and WTSA 43 considering h)", catalog)
    assert sorted(found.clause_ids) == [f"{WTDC}/considering/h", f"{WTSA}/considering/h"]


def test_a_clause_the_named_document_lacks_is_not_found(catalog: Catalog) -> None:
    found = route("What is 'taking into account' in Res. 72 (Rev. WRC-19)?", catalog)
    assert found.intent == "lookup" and found.clause_ids == []
    assert [r.status for r in found.references] == ["not_found"]
    assert (
        route("What does WTSA 43 say about taking into account RPMs?", catalog).intent == "question"
    )


def test_the_conversation_names_the_document_of_a_bare_clause(catalog: Catalog) -> None:
    assert route("And considering f)?", catalog, State(documents=[WTSA])).clause_ids == [
        f"{WTSA}/considering/f"
    ]
    assert route("And considering f) of WRC 72?", catalog, State(documents=[WTSA])).clause_ids == [
        f"{WRC}/considering/f"
    ]
