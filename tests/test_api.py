"""The HTTP API over fake library and services (dependencies overridden as in production code)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from api_fakes import FakeLibrary, FakeServices
from fastapi.testclient import TestClient

from api.app import create_app
from api.deps import get_library, get_services
from assistant.settings import Settings

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
CLAUSE = "wtsa-43-rev-new-delhi-2024/resolves-to-instruct-the-director-of-the-telecommunication/1"


@pytest.fixture(scope="module")
def fake_library() -> FakeLibrary:
    return FakeLibrary()


def make_client(tmp_path: Path, library: Any, **settings: Any) -> TestClient:
    app = create_app(Settings(home=tmp_path / "home", **settings))
    services = FakeServices()
    app.dependency_overrides[get_library] = lambda: library
    app.dependency_overrides[get_services] = lambda: services
    return TestClient(app, raise_server_exceptions=False)


@pytest.fixture
def client(tmp_path: Path, fake_library: FakeLibrary) -> TestClient:
    return make_client(tmp_path, fake_library, rate_limit_per_minute=0)


def assert_error(response: Any, status: int) -> dict[str, Any]:
    """The one error shape, pinned."""
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"error"}
    error = body["error"]
    assert set(error) == {"status", "code", "message", "details"}
    assert error["status"] == status
    assert isinstance(error["code"], str) and error["code"]
    assert isinstance(error["message"], str) and len(error["message"]) > 10
    assert "Traceback" not in error["message"]
    assert isinstance(error["details"], list)
    return error


def test_health_does_not_load_the_library(tmp_path: Path) -> None:
    client = TestClient(create_app(Settings(home=tmp_path)))
    body = client.get("/health").json()
    assert body["status"] == "ok" and body["library"] == "not loaded yet"
    assert body["uploads"] is False


def test_documents_and_structure(client: TestClient) -> None:
    documents = client.get("/documents").json()
    ids = {d["document"] for d in documents}
    assert "wtsa-43-rev-new-delhi-2024" in ids
    structure = client.get("/documents/wtsa-43-rev-new-delhi-2024").json()
    assert structure["body"] == "WTSA" and structure["sections"]
    assert structure["sections"][0]["clauses"][0]["citation"].startswith("WTSA Res. 43")
    loose = client.get("/documents/WTSA 43").json()
    assert loose["document"] == "wtsa-43-rev-new-delhi-2024"


def test_clause_with_slashes_and_context(client: TestClient) -> None:
    cited = client.get(f"/clauses/{CLAUSE}").json()
    assert cited["id"] == CLAUSE and cited["label"] == "1"
    assert "context" not in cited
    context = client.get(f"/clauses/{CLAUSE}", params={"context": "true"}).json()["context"]
    assert context["document"]["document"] == "wtsa-43-rev-new-delhi-2024"
    assert context["section"]["heading"] == cited["section"]
    assert context["next"]["id"] != CLAUSE


def test_search(client: TestClient) -> None:
    hits = client.get("/search", params={"q": "regional preparatory meetings", "k": 3}).json()
    assert 1 <= len(hits) <= 3
    assert {"id", "citation", "text", "score"} <= set(hits[0])
    assert_error(client.get("/search", params={"q": "x", "order": "random"}), 422)


def test_ask_answered_and_not_found(client: TestClient) -> None:
    reply = client.post("/ask", json={"question": "regional preparatory meetings"}).json()
    assert reply["status"] == "answered" and reply["citations"]
    missing = client.post("/ask", json={"question": "zebra migration"}).json()
    assert missing["status"] == "not_found" and missing["citations"] == []


def parse_sse(text: str) -> list[tuple[str, Any]]:
    events = []
    for block in text.strip().split("\n\n"):
        lines = dict(line.split(": ", 1) for line in block.splitlines())
        events.append((lines["event"], json.loads(lines["data"])))
    return events


def test_ask_stream_sends_tokens_then_the_answer(client: TestClient) -> None:
    response = client.post("/ask/stream", json={"question": "regional preparatory meetings"})
    assert response.headers["content-type"].startswith("text/event-stream")
    events = parse_sse(response.text)
    assert events[-1][0] == "answer" and events[-1][1]["status"] == "answered"
    tokens = "".join(data["text"] for name, data in events if name == "token")
    assert tokens.strip() == events[-1][1]["answer"]


def test_ask_streams_when_asked_for_events(client: TestClient) -> None:
    response = client.post(
        "/ask", json={"question": "regional meetings"}, headers={"Accept": "text/event-stream"}
    )
    assert response.headers["content-type"].startswith("text/event-stream")
    assert parse_sse(response.text)[-1][0] == "answer"


def test_stream_reports_errors_in_the_error_shape(client: TestClient) -> None:
    response = client.post("/ask/stream", json={"question": "x", "conversation_id": "nope"})
    name, data = parse_sse(response.text)[-1]
    assert name == "error" and data["error"]["status"] == 404


def test_conversations(client: TestClient) -> None:
    created = client.post("/conversations")
    assert created.status_code == 201
    conversation_id = created.json()["id"]
    client.post("/ask", json={"question": "regional meetings", "conversation_id": conversation_id})
    turns = client.get(f"/conversations/{conversation_id}").json()["turns"]
    assert turns == [{"question": "regional meetings"}]
    assert_error(client.get("/conversations/unknown"), 404)


def test_align_json_and_docx(client: TestClient) -> None:
    params = {"doc": "wtsa-43-rev-new-delhi-2024", "with": ["WTDC 31"]}
    groups = client.get("/align", params=params).json()["groups"]
    assert any(len(g["clauses"]) > 1 for g in groups)
    word = client.get("/align", params={**params, "format": "docx"})
    assert word.headers["content-type"] == DOCX and word.content[:2] == b"PK"
    assert "attachment" in word.headers["content-disposition"]


def test_draft_json_docx_and_accept(client: TestClient) -> None:
    draft = client.post("/draft", json={"clause_id": CLAUSE}).json()
    assert draft["text"] and all(span["sources"] for span in draft["spans"])
    by_query = client.post("/draft?format=docx", json={"topic": "regional meetings"})
    assert by_query.headers["content-type"] == DOCX and by_query.content[:2] == b"PK"
    by_accept = client.post("/draft", json={"clause_id": CLAUSE}, headers={"Accept": DOCX})
    assert by_accept.content[:2] == b"PK"


def test_compare(client: TestClient) -> None:
    result = client.get(
        "/compare", params={"a": "pp-58-rev-busan-2014", "b": "pp-58-rev-doha-2026"}
    ).json()
    assert result["a"] == "pp-58-rev-busan-2014"


def test_revise_json_by_loose_names(client: TestClient) -> None:
    params = {"document": "PP 58 Busan", "for": "pp", "with": ["WTSA 43", "WTDC 31"]}
    response = client.get("/revise", params=params)
    assert response.status_code == 200, response.text
    revision = response.json()
    assert revision["document"] == "pp-58-rev-busan-2014" and revision["for"] == "PP"
    assert revision["with"] == ["wtsa-43-rev-new-delhi-2024", "wtdc-31-rev-baku-2025"]
    statuses = {clause["status"] for clause in revision["clauses"]}
    assert statuses == {"kept", "revised", "added"}
    for clause in revision["clauses"]:
        assert clause["spans"] and all(span["sources"] for span in clause["spans"])
    assert revision["counts"]["clauses"] == len(revision["clauses"])


def test_revise_excludes_by_name_and_gives_word(client: TestClient) -> None:
    params = {"document": "pp-58-rev-busan-2014", "exclude": ["PP 58 Doha"]}
    assert client.get("/revise", params=params).json()["excluded"] == ["pp-58-rev-doha-2026"]
    by_query = client.get("/revise", params={**params, "format": "docx"})
    assert by_query.headers["content-type"] == DOCX and by_query.content[:2] == b"PK"
    assert "revision-pp-58-rev-busan-2014.docx" in by_query.headers["content-disposition"]
    by_accept = client.get("/revise", params=params, headers={"Accept": DOCX})
    assert by_accept.content[:2] == b"PK"


def test_revise_unknown_document_says_what_to_do(client: TestClient) -> None:
    error = assert_error(client.get("/revise", params={"document": "no such thing"}), 404)
    assert "GET /documents" in error["message"]
    missing = client.get("/revise", params={"document": "PP 58 Busan", "with": ["nope"]})
    assert "'nope'" in assert_error(missing, 404)["message"]


@pytest.mark.parametrize(
    ("method", "url", "payload", "status"),
    [
        ("get", "/documents/no-such-document", None, 404),
        ("get", "/clauses/no/such/clause", None, 404),
        ("get", "/search?q=x&k=0", None, 422),
        ("get", "/search", None, 422),
        ("post", "/ask", {"question": ""}, 422),
        ("post", "/ask", {"nothing": 1}, 422),
        ("post", "/draft", {"clause_id": CLAUSE, "topic": "both"}, 400),
        ("post", "/draft", {}, 400),
        ("get", "/align?doc=wtsa-43-rev-new-delhi-2024", None, 422),
        ("get", "/compare?a=pp-58-rev-busan-2014&b=nope", None, 404),
        ("get", "/revise?document=nope", None, 404),
        ("get", "/revise", None, 422),
        ("get", "/revise?document=pp-58-rev-busan-2014&for=not%20a%20body", None, 422),
        ("get", "/revise?document=pp-58-rev-busan-2014&for=", None, 422),
        ("get", "/revise?document=pp-58-rev-busan-2014&format=pdf", None, 422),
        ("get", "/revise?document=pp-58-rev-busan-2014&exclude=pp-58-rev-busan-2014", None, 400),
        ("get", "/no-such-route", None, 404),
        ("delete", "/documents", None, 405),
        ("post", "/ingest", None, 403),
    ],
)
def test_every_error_has_the_one_shape(
    client: TestClient, method: str, url: str, payload: Any, status: int
) -> None:
    response = client.request(method.upper(), url, json=payload)
    assert response.headers["content-type"] == "application/json"
    assert_error(response, status)


def test_unexpected_errors_have_the_shape_and_no_details(tmp_path: Path) -> None:
    class Broken(FakeLibrary):
        def documents(self) -> list[dict[str, Any]]:
            raise RuntimeError("secret internals")

    client = make_client(tmp_path, Broken([]))
    error = assert_error(client.get("/documents"), 500)
    assert "secret" not in error["message"]


def test_validation_errors_name_the_field(client: TestClient) -> None:
    error = assert_error(client.get("/search?q=x&k=500"), 422)
    assert error["details"][0]["field"] == "query.k"
    assert "k" in error["message"]
    # a misspelt field is refused, not ignored (a draft must not use the text meant to be left out)
    misspelt = {
        "clause_id": "pp-58-rev-busan-2014/considering/e",
        "exclude": ["pp-58-rev-doha-2026"],
    }
    error = assert_error(client.post("/draft", json=misspelt), 422)
    assert error["details"][0]["field"] == "body.exclude"
    assert "body.exclude" in error["message"]
    error = assert_error(client.post("/ask", json={"question": "x", "conversation": "c1"}), 422)
    assert error["details"][0]["field"] == "body.conversation"


def test_rate_limit_per_client(tmp_path: Path, fake_library: FakeLibrary) -> None:
    client = make_client(tmp_path, fake_library, rate_limit_per_minute=2)
    for _ in range(2):
        assert client.post("/ask", json={"question": "meetings"}).status_code == 200
    limited = client.post("/ask", json={"question": "meetings"})
    assert_error(limited, 429)
    assert 1 <= int(limited.headers["retry-after"]) <= 60
    assert client.post("/draft", json={"clause_id": CLAUSE}).status_code == 429
    assert client.get("/revise?document=pp-58-rev-busan-2014").status_code == 429
    assert client.get("/search?q=meetings").status_code == 200  # reads are not limited
    other = TestClient(client.app, client=("10.0.0.9", 5000), raise_server_exceptions=False)
    assert other.post("/ask", json={"question": "meetings"}).status_code == 200


def test_cors_off_unless_configured(tmp_path: Path, fake_library: FakeLibrary) -> None:
    origin = {"Origin": "https://example.org"}
    closed = make_client(tmp_path, fake_library)
    assert "access-control-allow-origin" not in closed.get("/health", headers=origin).headers
    preflight = closed.options("/ask", headers={**origin, "Access-Control-Request-Method": "POST"})
    assert "access-control-allow-origin" not in preflight.headers
    opened = make_client(tmp_path, fake_library, cors_origins=["https://example.org"])
    headers = opened.get("/health", headers=origin).headers
    assert headers["access-control-allow-origin"] == "https://example.org"
    other = opened.get("/health", headers={"Origin": "https://evil.example"}).headers
    assert "access-control-allow-origin" not in other


def test_openapi_has_examples_and_the_error_model(client: TestClient) -> None:
    schema = client.get("/openapi.json").json()
    paths = schema["paths"]
    for path in (
        "/health",
        "/documents",
        "/documents/{document_id}",
        "/clauses/{clause_id}",
        "/search",
        "/ask",
        "/ask/stream",
        "/align",
        "/draft",
        "/compare",
        "/revise",
        "/conversations",
        "/conversations/{conversation_id}",
        "/ingest",
    ):
        assert path in paths
    assert "ErrorResponse" in schema["components"]["schemas"]
    assert "examples" in schema["components"]["schemas"]["AskRequest"]
    assert paths["/ask"]["post"]["responses"]["200"]["content"]["application/json"]["example"]
    assert "429" in paths["/draft"]["post"]["responses"]
    revise = paths["/revise"]["get"]["responses"]["200"]["content"]
    assert revise["application/json"]["example"]["clauses"][0]["spans"] and DOCX in revise


def test_page_is_served_with_a_content_policy(client: TestClient) -> None:
    page = client.get("/")
    assert page.status_code == 200 and "<html" in page.text.lower()
    assert "default-src 'self'" in page.headers["content-security-policy"]
    assert client.get("/static/app.js").status_code == 200


def test_a_bug_is_a_500_not_a_404(tmp_path: Path) -> None:
    """Only the library's own errors are 4xx: a KeyError from a bug is an internal error."""

    class Buggy(FakeLibrary):
        def document(self, document_id: str) -> Any:
            raise KeyError("sections")

    client = make_client(tmp_path, Buggy(), rate_limit_per_minute=0)
    assert_error(client.get("/documents/wtsa-43-rev-new-delhi-2024"), 500)
    assert_error(client.get("/documents/no-such-document-at-all"), 500)
