"""The deterministic intent router: intents, entities, follow-ups; figures on the labelled set."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.chat.router import State, route
from assistant.text.catalog import Catalog
from evals.routing_eval import MESSAGES, load_messages, score, state_after

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


@pytest.mark.parametrize(
    ("message", "intent"),
    [
        ("revise PP-58 with the WTSA and WTDC texts", "revise"),
        ("update Resolution 43 in line with the others", "revise"),
        ("harmonize the whole of WTDC Res. 31 for PP", "revise"),
        ("redline PP 58 against its counterparts", "revise"),
        ("Can you bring Res. 31 into line with the standardization assembly text?", "revise"),
        ("draft a harmonized considering e) for PP", "draft"),
        ("merge the clauses on RPM timing", "draft"),
        ("Harmonize the clauses of WTSA 43 on RPM timing with WTDC 31", "draft"),
        ("revise considering e) of PP-58 for PP", "draft"),
        ("How was Resolution 58 revised in Busan?", "question"),
        ("update me on the regional preparatory meetings", "question"),
    ],
)
def test_revise_intent(message: str, intent: str, catalog: Catalog) -> None:
    assert route(message, catalog).intent == intent


def test_revise_entities(catalog: Catalog) -> None:
    found = route(
        "Revise PP Resolution 58 (Busan) with the wording of the WTSA and WTDC resolutions", catalog
    )
    assert (found.intent, found.revise_document, found.for_body) == ("revise", BUSAN, "")
    assert found.with_documents == [WTSA, WTDC]
    assert found.documents == [BUSAN, WTSA, WTDC]
    # "PP-58" leaves the version open: the version in force, not the newer draft
    found = route(
        "Propose a harmonized revision of the whole of PP-58 for the Plenipotentiary", catalog
    )
    assert (found.intent, found.revise_document, found.for_body) == ("revise", BUSAN, "PP")
    assert found.with_documents == [] and found.topic != ""
    found = route("Using the WTSA and WTDC texts, revise the Doha draft", catalog)
    assert (found.revise_document, found.with_documents) == (DOHA, [WTSA, WTDC])
    found = route("Bring WTDC Resolution 31 in line with WTSA 43 for the Plenipotentiary", catalog)
    assert (found.revise_document, found.with_documents, found.for_body) == (WTDC, [WTSA], "PP")


def test_revise_leaves_out_what_the_drafter_excludes(catalog: Catalog) -> None:
    found = route("Revise PP-58 with the Sector texts except WRC Resolution 72", catalog)
    assert (found.intent, found.revise_document) == ("revise", BUSAN)
    assert found.exclude_documents == [WRC] and WRC not in found.with_documents
    found = route("revise PP Res. 58 (Busan) with WTSA 43 but not WTDC 31", catalog)
    assert (found.with_documents, found.exclude_documents) == ([WTSA], [WTDC])
    found = route("Update PP 58 without the WTDC resolution, for the Plenipotentiary", catalog)
    assert (found.revise_document, found.exclude_documents, found.for_body) == (BUSAN, [WTDC], "PP")
    # a follow-up keeps what was left out
    state = State(
        intent="revise",
        documents=[BUSAN],
        revision={"document": BUSAN, "for_body": "PP", "exclude_documents": [WRC]},
    )
    assert route("and for WTSA?", catalog, state).exclude_documents == [WRC]


def test_revise_without_a_resolution_names_none(catalog: Catalog) -> None:
    found = route("revise the whole resolution for the Plenipotentiary", catalog)
    assert (found.intent, found.revise_document, found.documents) == ("revise", "", [])
    found = route("Revise Resolution 999 for PP", catalog)
    assert (found.intent, found.revise_document, found.unresolved) == (
        "revise",
        "",
        "Resolution 999",
    )


def test_revise_follow_ups(catalog: Catalog) -> None:
    state = State(
        intent="revise",
        documents=[BUSAN, WTSA],
        revision={"document": BUSAN, "for_body": "PP", "with_documents": [WTSA]},
    )
    found = route("and for WTSA?", catalog, state)
    assert (found.intent, found.revise_document, found.for_body) == ("revise", BUSAN, "WTSA")
    assert found.with_documents == [WTSA]
    found = route("what about WTDC 31?", catalog, state)
    assert (found.intent, found.revise_document, found.for_body) == ("revise", WTDC, "PP")
    assert route("and for WTSA?", catalog).intent == "question"  # no revision before
    pronoun = route("now revise it for PP", catalog, State(intent="question", documents=[WTDC]))
    assert (pronoun.intent, pronoun.revise_document) == ("revise", WTDC)


def test_a_draft_leaves_out_what_the_drafter_excludes(catalog: Catalog) -> None:
    found = route("Draft considering f) of PP-58 Busan for PP without the Doha draft", catalog)
    assert (found.intent, found.for_body, found.exclude_documents) == ("draft", "PP", [DOHA])
    assert DOHA not in found.documents and found.clause_ids == [f"{BUSAN}/considering/f"]
    found = route(
        "propose harmonized wording for considering f) of PP-58 Busan, taking WTSA 43 into "
        "account but not WTDC 31",
        catalog,
    )
    assert (found.with_documents, found.exclude_documents) == ([WTSA], [WTDC])
    # "with" after the cue starts a new list: only the mention right after "without" is out
    found = route("merge considering f) of PP-58 Busan without WRC 72, with WTSA 43", catalog)
    assert found.exclude_documents == [WRC] and WTSA in found.documents


@pytest.mark.parametrize(
    ("message", "intent"),
    [
        (
            "How do regional telecommunication organizations vote to adopt a common proposal?",
            "question",
        ),
        ("What happens to a proposal that an RPM cannot agree on?", "question"),
        ("Who should propose the chairs of the regional preparatory meetings?", "question"),
        ("How is a resolution revised between conferences?", "question"),
        ("How would you merge the WTSA and WTDC texts on RPM timing for PP?", "draft"),
        ("What would you propose for considering e)?", "draft"),
        ("propose a common proposal on RPM timing for PP", "draft"),
    ],
)
def test_a_question_about_how_something_is_done_is_a_question(
    message: str, intent: str, catalog: Catalog
) -> None:
    assert route(message, catalog).intent == intent


@pytest.mark.parametrize(
    ("message", "intent", "section"),
    [
        ("What does Resolution 43 resolve?", "summary", "resolves"),
        ("Summarize resolution 31", "summary", ""),
        ("What does Res. 72 (Rev. WRC-19) say?", "summary", ""),
        ("What are the considerings of WRC 72?", "summary", "considering"),
        ("What does Resolution 302 say?", "summary", ""),
        ("What does WTSA 43 resolve about the forum?", "question", ""),
        ("When was WTSA Resolution 43 last revised?", "question", ""),
        ("What is considering h) of the Doha draft?", "lookup", ""),
    ],
)
def test_summary_intent(message: str, intent: str, section: str, catalog: Catalog) -> None:
    found = route(message, catalog)
    assert (found.intent, found.section) == (intent, section)
    if message == "What does Resolution 302 say?":
        assert found.unresolved == "Resolution 302" and found.documents == []
