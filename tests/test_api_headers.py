"""The security headers (a pure ASGI middleware, issue 17): on every response, errors and
refusals of the request guard included; the page's Content-Security-Policy on the page only."""

from __future__ import annotations

from pathlib import Path

from api_fakes import FakeLibrary, FakeServices
from fastapi.testclient import TestClient

from api.app import PAGE_POLICY, create_app
from api.deps import get_library, get_services
from assistant.settings import Settings


def client_of(tmp_path: Path, **settings: object) -> TestClient:
    app = create_app(Settings(home=tmp_path / "home", **settings))  # type: ignore[arg-type]
    library, services = FakeLibrary(), FakeServices()
    app.dependency_overrides[get_library] = lambda: library
    app.dependency_overrides[get_services] = lambda: services
    return TestClient(app, raise_server_exceptions=False)


def common(response: object) -> None:
    headers = response.headers  # type: ignore[attr-defined]
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "no-referrer"


def test_the_page_and_its_files_carry_the_content_security_policy(tmp_path: Path) -> None:
    client = client_of(tmp_path)
    for path in ("/", "/static/app.js"):
        response = client.get(path)
        assert response.status_code == 200, path
        common(response)
        assert response.headers["content-security-policy"] == PAGE_POLICY
        assert response.headers.get_list("content-security-policy") == [PAGE_POLICY]


def test_api_answers_and_errors_carry_the_headers_without_the_page_policy(
    tmp_path: Path,
) -> None:
    client = client_of(tmp_path, rate_limit_per_minute=0)
    for response in (
        client.get("/health"),
        client.get("/search", params={"q": "regional meetings"}),
        client.get("/search"),  # 422
        client.get("/no-such-route"),  # 404
    ):
        common(response)
        assert "content-security-policy" not in response.headers
        assert response.headers.get_list("x-content-type-options") == ["nosniff"]


def test_refusals_of_the_request_guard_carry_them_too(tmp_path: Path) -> None:
    client = client_of(tmp_path, rate_limit_per_minute=1, max_request_bytes=1024)
    too_large = client.post("/ask", content=b"x" * 4096, headers={"content-type": "text/plain"})
    assert too_large.status_code == 413
    common(too_large)
    client.post("/ask", json={"question": "regional meetings?"})
    limited = client.post("/ask", json={"question": "regional meetings?"})
    assert limited.status_code == 429
    common(limited)
