"""The chat agent over the fake library: every intent offline, follow-ups across intents, the
tool-calling loop with a fake chat model, its citation checks, and the fallback to the router."""

from __future__ import annotations

import json
from typing import Any

import pytest
from click.testing import CliRunner

from assistant.chat.agent import respond
from assistant.chat_model import ModelReply
from tests.chat_fakes import ScriptedChatModel, call

DOHA, BUSAN = "pp-58-rev-doha-2026", "pp-58-rev-busan-2014"
WTSA, WTDC = "wtsa-43-rev-new-delhi-2024", "wtdc-31-rev-baku-2025"
WRC = "wrc-72-rev-wrc-19"
H = f"{DOHA}/considering/h"


def scripted(*replies: str | ModelReply) -> ScriptedChatModel:
    return ScriptedChatModel(*replies)


def tools_of(reply: dict[str, Any]) -> list[str]:
    return [c["tool"] for c in reply["tool_calls"]]


def test_lookup(fake_library: Any) -> None:
    reply = respond(fake_library, "What is considering h) of the Doha draft?").to_json()
    assert (reply["status"], reply["intent"]) == ("answered", "lookup")
    assert [c["id"] for c in reply["citations"]] == [H]
    assert tools_of(reply) == ["resolve_reference", "compare", "get_clause"]
    assert "burden of preparing" in reply["answer"]
    assert "Doha 2026 draft" in reply["answer"]  # named a draft (issue 19, item 4)


def test_lookup_shows_the_links_inside_the_clause(fake_library: Any) -> None:
    reply = respond(fake_library, "show me noting d) of the Doha draft").to_json()
    assert reply["links"][0]["clause_ids"] == [f"{DOHA}/considering/b"]


def test_question_goes_to_the_answerer(fake_library: Any) -> None:
    reply = respond(fake_library, "Who organizes the RPMs for the development conference?")
    data = reply.to_json()
    assert data["intent"] == "question" and tools_of(data) == ["search"]
    assert {"status", "answer", "citations", "intent", "tool_calls"} <= set(data)


def test_compare_two_versions_of_a_clause(fake_library: Any) -> None:
    reply = respond(fake_library, "how does the Doha draft change considering e)?").to_json()
    assert reply["intent"] == "compare"
    assert [c["id"] for c in reply["citations"]] == [
        f"{DOHA}/considering/e",
        f"{BUSAN}/considering/e",
    ]
    assert "<del>" in reply["answer"] and "<ins>" in reply["answer"]


def test_align_resolutions(fake_library: Any) -> None:
    reply = respond(fake_library, "Align the Doha draft with WTSA 43 and WTDC 31").to_json()
    assert reply["intent"] == "compare" and "align" in tools_of(reply)
    assert reply["tool_calls"][-1]["args"] == {"document": DOHA, "with_documents": [WTSA, WTDC]}


def test_draft_carries_the_draft_and_the_docx(fake_library: Any) -> None:
    reply = respond(
        fake_library,
        "propose harmonized wording for considering h) taking WTSA 43 and WTDC 31 into account",
    ).to_json()
    assert reply["intent"] == "draft"
    assert reply["tool_calls"][0] == {
        "tool": "draft",
        "args": {"clause_id": H, "with_documents": [WTSA, WTDC, DOHA]},
    }
    assert set(reply["draft"]) >= {"text", "spans", "sources"}
    assert reply["draft"]["text"] in reply["answer"]
    assert "--docx" in reply["docx"]["cli"] and reply["docx"]["api"]["path"].startswith("/draft")


def test_follow_ups_across_intents(fake_library: Any) -> None:
    conversation = "follow-ups-1"
    first = respond(
        fake_library,
        "What do the resolutions say about the burden of preparation for future conferences?",
        conversation_id=conversation,
    )
    assert first.intent == "question" and first.citations
    second = respond(
        fake_library, "now draft a merged version of that", conversation_id=conversation
    ).to_json()
    assert second["intent"] == "draft" and second["draft"]["text"]
    assert second["tool_calls"][0]["args"]["clause_id"] == first.citations[0]["id"]
    third = respond(
        fake_library, "show it as a redline against the 2014 text", conversation_id=conversation
    ).to_json()
    assert third["intent"] == "draft"
    assert third["redline"]["against"]["document"] == BUSAN
    assert third["draft"]["text"] == second["draft"]["text"]
    assert third["answer"].startswith("Redline against PP Res. 58 (Rev. Busan, 2014)")


def test_empty_message_is_a_clear_error(fake_library: Any) -> None:
    with pytest.raises(ValueError, match="empty"):
        respond(fake_library, "   ")


def test_a_tool_calling_model(fake_library: Any) -> None:
    text = fake_library.clause(H)["text"]
    model = scripted(
        call("resolve_reference", text="considering h) of the Doha draft"),
        call("get_clause", clause_id=H),
        f'It says "{text[:40]}" [{H}].',
    )
    reply = respond(fake_library, "What is considering h) of the Doha draft?", chat_model=model)
    data = reply.to_json()
    assert reply.mode == "llm" and data["mode"] == "llm"
    assert tools_of(data) == ["resolve_reference", "get_clause"]
    assert [c["id"] for c in data["citations"]] == [H]
    assert data["intent"] == "lookup"


def test_a_model_draft_keeps_its_provenance(fake_library: Any) -> None:
    model = scripted(
        call("draft", clause_id=H, with_documents=[WTSA, WTDC]),
        "Here is the proposal.",
    )
    data = respond(fake_library, "harmonize considering h)", chat_model=model).to_json()
    assert data["intent"] == "draft" and data["mode"] == "llm"
    assert data["draft"]["sources"] and data["citations"] == data["draft"]["sources"]


@pytest.mark.parametrize(
    "model",
    [
        ScriptedChatModel("I think regional meetings are good.", tools=False),  # cannot call tools
        scripted("No tools needed [pp-58-rev-doha-2026/considering/h]."),
        scripted(call("search", query="x"), f'"invented words" [{H}]'),
        scripted(*[call("search", query="again") for _ in range(10)]),  # never stops: step limit
    ],
)
def test_fallback_to_the_router(fake_library: Any, model: Any) -> None:
    offline = respond(fake_library, "What is considering h) of the Doha draft?").to_json()
    reply = respond(fake_library, "What is considering h) of the Doha draft?", chat_model=model)
    data = reply.to_json()
    assert reply.mode == "offline"
    assert (data["intent"], data["answer"], data["citations"]) == (
        offline["intent"],
        offline["answer"],
        offline["citations"],
    )


def test_refs_command(fake_library: Any) -> None:
    from assistant.cli import main

    result = CliRunner().invoke(main, ["refs", "WTSA 43", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["document"] == WTSA and data["outdated"] == 1
    flagged = next(r for r in data["references"] if r["newer"])
    assert (flagged["document"], flagged["newer"]) == (BUSAN, DOHA)
    text = CliRunner().invoke(main, ["refs", "pp-58-rev-doha-2026"])
    assert text.exit_code == 0 and "resolves 2" in text.output
    missing = CliRunner().invoke(main, ["refs", "no such thing"])
    assert missing.exit_code == 2 and "Traceback" not in missing.output


@pytest.mark.llm
@pytest.mark.slow
def test_the_real_local_model(fake_library: Any, llama_server: str) -> None:
    """Against a real llama.cpp server with SmolLM2 (the llm extra): whatever the small model
    does, the reply is well formed and every citation passed the checks (or it fell back)."""
    from assistant.settings import Settings

    openai = pytest.importorskip("langchain_openai")
    settings = Settings(llm_base_url=llama_server)
    model = openai.ChatOpenAI(
        base_url=settings.llm_base_url,
        api_key=settings.llm_api_key,
        model="smollm2",
        timeout=settings.llm_timeout,
        temperature=0,
        extra_body={"max_tokens": settings.agent_max_tokens},
    )
    reply = respond(fake_library, "What is considering h) of the Doha draft?", chat_model=model)
    data = reply.to_json()
    assert reply.mode in ("llm", "offline") and data["intent"] in (
        "question",
        "lookup",
        "compare",
        "draft",
        "revise",
    )
    assert data["citations"], data
    for citation in data["citations"]:
        assert fake_library.clause(citation["id"])["text"] == citation["text"]


def test_a_question_with_a_model_that_cannot_call_tools(fake_library: Any) -> None:
    """The router sends it to the answerer, which may word it with the model (its own checks)."""
    pytest.importorskip("assistant.answering.llm_answer")
    model = ScriptedChatModel("Regional preparatory meetings are organized.", tools=False)
    reply = respond(
        fake_library, "Who organizes the RPMs for the development conference?", chat_model=model
    )
    data = reply.to_json()
    assert data["intent"] == "question" and reply.mode == "offline"
    for citation in data["citations"]:
        assert fake_library.clause(citation["id"])["text"] == citation["text"]


def test_a_model_that_keeps_failing_is_not_asked_again(fake_library: Any) -> None:
    counting = scripted(*["no tools"] * 5)
    for _ in range(4):
        respond(fake_library, "WTSA 43 resolves to instruct 1", chat_model=counting)
    assert len(counting.prompts) == 2  # two failed turns, then straight to the router


# -- whole-resolution revisions (intent ``revise``) ---------------------------------------------


def test_revise_a_whole_resolution(fake_library: Any) -> None:
    reply = respond(
        fake_library, "Propose a harmonized revision of the whole of PP-58 for the Plenipotentiary"
    ).to_json()
    assert (reply["status"], reply["intent"]) == ("answered", "revise")
    assert reply["tool_calls"] == [
        {"tool": "revise", "args": {"document": BUSAN, "for_body": "PP"}}
    ]
    revision = reply["revision"]
    assert revision["document"] == BUSAN and revision["for"] == "PP"
    assert DOHA not in revision["with"]  # another version of the resolution revised
    counts = revision["counts"]
    assert (
        f"{counts['revised']} revised, {counts['added']} added, {counts['kept']} kept"
        in (reply["answer"].splitlines()[0])
    )
    changed = [c for c in revision["clauses"] if c["status"] != "kept"]
    entries = [line for line in reply["answer"].splitlines() if line.startswith("- ")]
    assert len(entries) == len(changed) == counts["revised"] + counts["added"]
    sources = {s for c in changed for s in c["sources"]}
    assert reply["citations"] and {c["id"] for c in reply["citations"]} == sources
    assert reply["docx"]["api"]["path"].startswith(f"/revise?document={BUSAN}&for=PP")
    assert reply["entities"]["revise_document"] == BUSAN


def test_revise_leaves_out_the_resolutions_named_after_except(fake_library: Any) -> None:
    reply = respond(fake_library, "Revise PP-58 with the Sector texts except WRC Resolution 72")
    data = reply.to_json()
    assert data["tool_calls"][0]["args"]["exclude_documents"] == [WRC]
    assert WRC not in data["revision"]["with"] and data["revision"]["with"]
    assert data["entities"]["exclude_documents"] == [WRC]
    assert "--exclude wrc-72-rev-wrc-19" in data["docx"]["cli"]
    assert "exclude=wrc-72-rev-wrc-19" in data["docx"]["api"]["path"]


def test_revise_without_a_resolution_asks_which_one(fake_library: Any) -> None:
    reply = respond(fake_library, "revise the resolution for the Plenipotentiary").to_json()
    assert (reply["status"], reply["intent"], reply["tool_calls"]) == ("not_found", "revise", [])
    assert "Which resolution" in reply["answer"]
    assert all(d in reply["answer"] for d in (BUSAN, DOHA, WTSA, WTDC))
    assert "revision" not in reply


def test_revise_follow_up_changes_the_target_body(fake_library: Any) -> None:
    conversation = "revise-1"
    first = respond(
        fake_library,
        "Revise PP Resolution 58 (Busan) with the wording of the WTSA and WTDC resolutions",
        conversation_id=conversation,
    ).to_json()
    assert first["intent"] == "revise" and first["revision"]["with"] == [WTSA, WTDC]
    second = respond(fake_library, "and for WTSA?", conversation_id=conversation).to_json()
    assert second["intent"] == "revise"
    assert second["tool_calls"][0]["args"] == {
        "document": BUSAN,
        "for_body": "WTSA",
        "with_documents": [WTSA, WTDC],
    }
    assert second["revision"]["for"] == "WTSA"


def test_a_model_revision_keeps_its_provenance(fake_library: Any) -> None:
    from assistant.chat.tools import for_model

    model = scripted(
        call("revise", document="PP-58 Busan", for_body="PP", with_documents=["WTSA 43"]),
        "Here is the revision.",
    )
    data = respond(fake_library, "revise PP-58 for PP with WTSA 43", chat_model=model).to_json()
    assert (data["intent"], data["mode"]) == ("revise", "llm")
    assert data["revision"]["document"] == BUSAN and data["revision"]["with"] == [WTSA]
    changed = {
        s for c in data["revision"]["clauses"] if c["status"] != "kept" for s in c["sources"]
    }
    assert {c["id"] for c in data["citations"]} == changed
    assert "with=wtsa-43" in data["docx"]["api"]["path"]
    compact = for_model("revise", data["revision"])
    assert "clauses" not in compact
    assert all(c["status"] != "kept" for c in compact["changed_clauses"])


def test_revise_other_bodies(unsc_dir: Any, tmp_path: Any) -> None:
    """Any body: UNSC resolutions, revised with the others of the library."""
    from assistant.index.library import Library
    from assistant.settings import Settings
    from tests.fakes import FakeEmbedder

    library = Library(Settings(home=tmp_path / "home", corpus=unsc_dir), embedder=FakeEmbedder())
    report = library.ingest(sorted(unsc_dir.glob("*.txt"))[:4])
    assert not report.failed, report.failed
    # four unrelated resolutions of 1946: none parallel to resolution 2, said plainly
    reply = respond(library, "Revise Resolution 2 in line with the others").to_json()
    assert reply["intent"] == "revise"
    assert reply["tool_calls"][0]["args"]["document"].startswith("unsc-2-")
    assert reply["status"] == "not_found" and "shares enough clauses" in reply["answer"]
    # a series of renewals of one mandate: parallel texts
    renewals = [
        f
        for f in sorted(unsc_dir.glob("*.txt"))
        if "Peace-keeping Force in Cyprus" in f.read_text("utf-8")
    ]
    report = library.ingest(renewals[2:6])
    assert not report.failed, report.failed
    number = renewals[3].name.split("_")[2].lstrip("0")
    reply = respond(library, f"Revise Resolution {number} in line with the others").to_json()
    assert reply["tool_calls"][0]["args"]["document"].startswith(f"unsc-{number}-")
    assert reply["revision"]["with"] and reply["answer"].startswith(f"UNSC Res. {number}")
