"""The API over the real library (fake embedder, sample corpus) and the real assistant modules."""

from __future__ import annotations

import importlib.util
import io
import json
import logging
import zipfile
from typing import Any

import pytest
from fastapi.testclient import TestClient
from test_api import assert_error, parse_sse

from api.app import create_app

TOKEN = "integration-token"


@pytest.fixture
def client(fake_library: Any) -> TestClient:
    settings = fake_library.settings.model_copy(
        update={"api_token": TOKEN, "rate_limit_per_minute": 0}
    )
    return TestClient(create_app(settings, library=fake_library), raise_server_exceptions=False)


def needs(module: str) -> None:
    if importlib.util.find_spec(module) is None:
        pytest.skip(f"{module} is not written yet")


def test_documents_clauses_and_search(client: TestClient) -> None:
    documents = client.get("/documents").json()
    ids = {d["document"] for d in documents}
    assert "wtsa-43-rev-new-delhi-2024" in ids
    hits = client.get("/search", params={"q": "regional preparatory meetings", "k": 3}).json()
    assert len(hits) == 3 and all("score" in hit for hit in hits)
    params = {"q": "Who chairs the RPMs?", "k": 3, "order": "answerer", "body": "WTDC"}
    ordered = client.get("/search", params=params).json()
    assert len(ordered) == 3 and all(
        h["body"] == "WTDC" and 0 <= h["support"] <= 1 for h in ordered
    )
    clause = client.get(f"/clauses/{hits[0]['id']}", params={"context": True}).json()
    assert clause["citation"] == hits[0]["citation"]
    assert clause["context"]["section"]["heading"] == clause["section"]
    assert_error(client.get("/clauses/wtsa-43-rev-new-delhi-2024/nope/9"), 404)
    assert client.get("/documents/WTSA 43").json()["document"] == "wtsa-43-rev-new-delhi-2024"


def test_ask_cites_retrieved_clauses(client: TestClient) -> None:
    reply = client.post(
        "/ask",
        json={
            "question": "What do the resolutions say about the timing of interregional meetings?"
        },
    )
    assert reply.status_code == 200, reply.text
    body = reply.json()
    assert body["status"] in ("answered", "not_found")
    for cited in body["citations"]:
        assert client.get(f"/clauses/{cited['id']}").status_code == 200
    assert "intent" in body or importlib.util.find_spec("assistant.chat.agent") is None


def test_off_topic_is_not_found(client: TestClient) -> None:
    body = client.post("/ask", json={"question": "What is the boiling point of tungsten?"}).json()
    assert body["status"] == "not_found" and body["citations"] == []


def test_stream_ends_with_the_same_reply(client: TestClient) -> None:
    question = {"question": "regional preparatory meetings for the conferences"}
    events = parse_sse(client.post("/ask/stream", json=question).text)
    assert events[-1][0] == "answer", events[-1]
    assert events[-1][1] == client.post("/ask", json=question).json()


def test_conversation_follow_up(client: TestClient) -> None:
    conversation_id = client.post("/conversations").json()["id"]
    for question in (
        "What does WTSA 43 say about regional preparatory meetings?",
        "and what does the WRC one say?",
    ):
        response = client.post(
            "/ask", json={"question": question, "conversation_id": conversation_id}
        )
        assert response.status_code == 200, response.text
    turns = client.get(f"/conversations/{conversation_id}").json()["turns"]
    assert [t["question"] for t in turns][-1] == "and what does the WRC one say?"
    assert_error(client.get("/conversations/bad id!"), 400)


def test_align_and_draft(client: TestClient) -> None:
    needs("assistant.align.alignment")
    needs("assistant.drafting.draft")
    groups = client.get(
        "/align", params={"doc": "wtsa-43-rev-new-delhi-2024", "with": ["wtdc-31-rev-baku-2025"]}
    ).json()["groups"]
    assert any(len(group["clauses"]) == 2 for group in groups)
    clause_id = groups[0]["clauses"][0]["id"]
    draft = client.post("/draft", json={"clause_id": clause_id, "for_body": "PP"})
    assert draft.status_code == 200, draft.text
    body = draft.json()
    assert body["text"] and all(span["sources"] for span in body["spans"])
    assert_error(client.post("/draft", json={"clause_id": "no/such/clause"}), 404)
    named = client.post(  # documents by loose name, as in the other routes
        "/draft", json={"clause_id": clause_id, "for_body": "PP", "exclude_documents": ["WTDC 31"]}
    )
    assert named.status_code == 200, named.text
    assert not any(s["id"].startswith("wtdc-31") for s in named.json()["sources"])


def test_word_files(client: TestClient) -> None:
    needs("assistant.word.writer")
    clause_id = "wtsa-43-rev-new-delhi-2024/considering/a"
    word = client.post("/draft?format=docx", json={"clause_id": clause_id, "for_body": "PP"})
    assert word.status_code == 200, word.text
    assert word.content[:2] == b"PK"
    annex = client.get(
        "/align",
        params={
            "doc": "wtsa-43-rev-new-delhi-2024",
            "with": "wtdc-31-rev-baku-2025",
            "format": "docx",
        },
    )
    assert annex.status_code == 200 and annex.content[:2] == b"PK"


def test_compare_versions(client: TestClient) -> None:
    needs("assistant.align.compare")
    response = client.get(
        "/compare", params={"a": "pp-58-rev-busan-2014", "b": "pp-58-rev-doha-2026"}
    )
    assert response.status_code == 200, response.text
    assert json.dumps(response.json())


def test_revise_json_word_and_unknown_document(client: TestClient) -> None:
    needs("assistant.drafting.revise")
    params = {"document": "PP 58 Busan", "for": "PP", "exclude": ["pp-58-rev-doha-2026"]}
    response = client.get("/revise", params=params)
    assert response.status_code == 200, response.text
    revision = response.json()
    assert revision["document"] == "pp-58-rev-busan-2014" and revision["for"] == "PP"
    assert "pp-58-rev-doha-2026" not in revision["with"]
    assert {"kept", "revised", "added"} <= {clause["status"] for clause in revision["clauses"]}
    for clause in revision["clauses"]:
        assert all(span["sources"] for span in clause["spans"])
        assert (clause["base"] is None) == (clause["status"] == "added")
    word = client.get("/revise", params={**params, "format": "docx"})
    assert word.status_code == 200, word.text
    with zipfile.ZipFile(io.BytesIO(word.content)) as archive:
        assert "<w:ins " in archive.read("word/document.xml").decode()
    error = assert_error(client.get("/revise", params={"document": "PP 99 Nowhere"}), 404)
    assert "GET /documents" in error["message"]
    by_name = client.get("/revise", params={**params, "exclude": ["PP 58 Doha", "WTSA 43"]})
    assert by_name.status_code == 200, by_name.text
    assert by_name.json()["excluded"] == ["pp-58-rev-doha-2026", "wtsa-43-rev-new-delhi-2024"]
    assert "wtsa-43-rev-new-delhi-2024" not in by_name.json()["with"]


def test_upload_then_search_it(client: TestClient, tmp_path: Any) -> None:
    text = (
        "RESOLUTION 999 (Rev. Testville, 2030)\n\nQuiet hours for spectrum monitoring\n\n"
        "The Plenipotentiary Conference of the International Telecommunication Union "
        "(Testville, 2030),\n\nconsidering\n\na) that zephyr monitoring stations need "
        "quiet hours;\n\nresolves\n\n1 to establish quiet hours for zephyr monitoring.\n"
    )
    response = client.post(
        "/ingest",
        files={"file": ("res999.txt", text.encode(), "text/plain")},
        headers={"Authorization": f"Bearer {TOKEN}"},
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["added"] and body["documents"][0]["clauses"] >= 2
    hits = client.get("/search", params={"q": "zephyr monitoring quiet hours"}).json()
    assert hits[0]["document"] == body["added"][0]


def test_logs_hold_no_token_and_no_document_text(
    client: TestClient, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    secret_text = "xylophone quarantine clause for the integration log test"
    text = f"Notes\n\nA paragraph about {secret_text}.\n"
    client.post(
        "/ingest",
        files={"file": ("notes.txt", text.encode(), "text/plain")},
        headers={"Authorization": f"Bearer {TOKEN}"},
    )
    client.post("/ask", json={"question": "xylophone quarantine"})
    client.get("/search", params={"q": "regional preparatory meetings"})
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert TOKEN not in logged and secret_text not in logged


def test_a_misconfigured_language_model_is_a_clear_503(fake_library: Any) -> None:
    settings = fake_library.settings.model_copy(
        update={"llm_provider": "nonsense", "rate_limit_per_minute": 0}
    )
    client = TestClient(create_app(settings, library=fake_library), raise_server_exceptions=False)
    error = assert_error(client.post("/ask", json={"question": "regional meetings"}), 503)
    assert "RESOLUTIONS_LLM_PROVIDER" in error["message"]
    name, data = parse_sse(client.post("/ask/stream", json={"question": "x"}).text)[-1]
    assert name == "error" and data["error"]["status"] == 503
