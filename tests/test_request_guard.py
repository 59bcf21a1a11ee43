"""The request guard decides 429 and 413 before the body is read (ASGI level, no server)."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

import pytest
from api_fakes import FakeLibrary
from test_api import assert_error, make_client

from api.guard import RATE_LIMITED_ROUTES, RequestGuard
from api.ratelimit import RateLimiter


@pytest.fixture(scope="module")
def fake_library() -> FakeLibrary:
    return FakeLibrary()


class _Body:
    """A client body in pieces; counts how many pieces the server pulled."""

    def __init__(self, pieces: int, size: int) -> None:
        self.pieces = pieces
        self.size = size
        self.pulled = 0

    async def receive(self) -> dict[str, Any]:
        self.pulled += 1
        more = self.pulled < self.pieces
        return {"type": "http.request", "body": b"x" * self.size, "more_body": more}


def _run(
    guard: RequestGuard, path: str, body: _Body, headers: list[tuple[bytes, bytes]] | None = None
) -> tuple[int, dict[str, Any], bool]:
    sent: list[dict[str, Any]] = []
    reached: list[bool] = []

    async def app(scope: Any, receive: Any, send: Any) -> None:
        reached.append(True)
        while (await receive()).get("more_body"):
            pass
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"{}"})

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    guard.app = app
    scope = {
        "type": "http",
        "method": "POST",
        "path": path,
        "headers": headers or [],
        "client": ("127.0.0.9", 5000),
    }
    asyncio.run(guard(scope, body.receive, send))
    payload = json.loads(sent[1]["body"]) if sent[0]["status"] != 200 else {}
    return sent[0]["status"], payload, bool(reached)


def _guard(limit: int = 2, max_body: int = 1000) -> RequestGuard:
    return RequestGuard(
        lambda *a: None,  # type: ignore[arg-type,return-value]
        limiter=RateLimiter(limit),
        max_body_bytes=max_body,
        max_upload_bytes=10_000,
    )


def test_a_declared_length_over_the_limit_is_refused_unread() -> None:
    body = _Body(pieces=1000, size=1024)
    status, payload, reached = _run(
        _guard(), "/conversations", body, [(b"content-length", b"300000000")]
    )
    assert (status, body.pulled, reached) == (413, 0, False)
    assert payload["error"]["code"] == "too_large"
    assert "RESOLUTIONS_MAX_REQUEST_BYTES" in payload["error"]["message"]


def test_a_chunked_body_is_refused_once_past_the_limit() -> None:
    body = _Body(pieces=100_000, size=300)
    status, _, reached = _run(_guard(), "/ask", body)
    assert (status, reached) == (413, False)
    assert body.pulled == 4  # 1,200 bytes > 1,000: not one piece more


def test_a_body_within_the_limit_reaches_the_app_whole() -> None:
    body = _Body(pieces=3, size=300)
    status, _, reached = _run(_guard(), "/ask", body)
    assert (status, reached, body.pulled) == (200, True, 3)


def test_the_rate_limit_is_checked_before_the_body_is_read() -> None:
    guard = _guard(limit=2)
    for _ in range(2):
        assert _run(guard, "/draft", _Body(1, 10))[0] == 200
    body = _Body(pieces=1000, size=1024)
    status, payload, reached = _run(guard, "/draft", body)
    assert (status, body.pulled, reached) == (429, 0, False)
    assert payload["error"]["code"] == "rate_limited"


def test_uploads_are_left_to_the_route_but_their_declared_length_is_checked() -> None:
    guard = _guard()
    small = _Body(pieces=3, size=3000)  # over the JSON limit, within the upload limit
    assert _run(guard, "/ingest", small)[0] == 200
    huge = _Body(pieces=1, size=1)
    status, _, _ = _run(guard, "/ingest", huge, [(b"content-length", b"999999999")])
    assert (status, huge.pulled) == (413, 0)


def test_every_rate_limited_route_exists(tmp_path: Path, fake_library: FakeLibrary) -> None:
    paths = make_client(tmp_path, fake_library).get("/openapi.json").json()["paths"]
    routes = {(method.upper(), path) for path, item in paths.items() for method in item}
    assert routes >= RATE_LIMITED_ROUTES


def test_an_oversized_question_is_a_413_in_the_error_shape(
    tmp_path: Path, fake_library: FakeLibrary
) -> None:
    client = make_client(tmp_path, fake_library, max_request_bytes=4096)
    response = client.post("/ask", json={"question": "x" * 10_000})
    assert assert_error(response, 413)["code"] == "too_large"
    fine = client.post("/ask", json={"question": "regional preparatory meetings"})
    assert fine.status_code == 200
