"""The request guard: rate limit and body size, decided before the body is read.

A pure ASGI middleware, outside the routes, so nothing can read a request body first:
- a rate-limited route refuses an over-limit client with 429 before a byte of the body is read;
- a body is refused with 413 from its ``Content-Length`` alone when that is over the limit, and
  otherwise read into memory only up to the limit (chunked bodies too), then replayed to the app;
- ``POST /ingest`` has its own, larger limit, enforced by the route while it streams the upload
  (after the bearer token is checked), so the guard only checks its ``Content-Length``.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from api.errors import error_body
from api.ratelimit import RateLimiter, retry_after_header

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

RATE_LIMITED_ROUTES = frozenset(
    {("POST", "/ask"), ("POST", "/ask/stream"), ("POST", "/draft"), ("GET", "/revise")}
)
UPLOAD_ROUTES = frozenset({("POST", "/ingest")})
MULTIPART_OVERHEAD = 64 * 1024  # room for the multipart framing around an uploaded file


class _TooLarge(Exception):
    pass


class RequestGuard:
    """Refuse over-limit clients (429) and oversized bodies (413) before the app reads them."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        limiter: RateLimiter,
        max_body_bytes: int,
        max_upload_bytes: int,
    ) -> None:
        self.app = app
        self.limiter = limiter
        self.max_body_bytes = max_body_bytes
        self.max_upload_bytes = max_upload_bytes + MULTIPART_OVERHEAD

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        route = (scope["method"], scope["path"].rstrip("/") or "/")
        if route in RATE_LIMITED_ROUTES:
            client = scope.get("client")
            wait = self.limiter.check(client[0] if client else "unknown")
            if wait:
                await _refuse(
                    send,
                    429,
                    f"Too many requests: at most {self.limiter.limit} a minute on this "
                    "endpoint; retry after the time in Retry-After.",
                    retry_after_header(wait),
                )
                return
        upload = route in UPLOAD_ROUTES
        limit = self.max_upload_bytes if upload else self.max_body_bytes
        declared = _content_length(scope)
        if declared is not None and declared > limit:
            await _refuse(send, 413, _too_large_message(limit, upload))
            return
        if upload:  # the route streams it, capped, once the token is checked
            await self.app(scope, receive, send)
            return
        try:
            body, more = await _read_body(receive, limit)
        except _TooLarge:
            await _refuse(send, 413, _too_large_message(limit, upload))
            return
        await self.app(scope, _replay(body, more, receive), send)


def _content_length(scope: Scope) -> int | None:
    for name, value in scope.get("headers", []):
        if name == b"content-length":
            text = value.decode("latin-1").strip()
            return int(text) if text.isdigit() else None
    return None


async def _read_body(receive: Receive, limit: int) -> tuple[bytes, Message | None]:
    """The whole body, at most ``limit`` bytes; also a non-body message that ended the read."""
    chunks: list[bytes] = []
    total = 0
    while True:
        message = await receive()
        if message["type"] != "http.request":
            return b"".join(chunks), message  # the client went away
        chunk = message.get("body", b"")
        total += len(chunk)
        if total > limit:
            raise _TooLarge
        chunks.append(chunk)
        if not message.get("more_body", False):
            return b"".join(chunks), None


def _replay(body: bytes, ended: Message | None, receive: Receive) -> Receive:
    """A ``receive`` that gives the buffered body once, then whatever the client sends next."""
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            if ended is not None and not body:
                return ended
            return {"type": "http.request", "body": body, "more_body": False}
        if ended is not None:
            return ended
        return await receive()

    return replay


def _too_large_message(limit: int, upload: bool) -> str:
    if upload:
        return (
            f"The upload is over the limit of {limit - MULTIPART_OVERHEAD:,} bytes "
            "(the server's RESOLUTIONS_MAX_FILE_BYTES)."
        )
    return (
        f"The request body is over the limit of {limit:,} bytes (the server's "
        "RESOLUTIONS_MAX_REQUEST_BYTES); a question or a draft request is a few KB of JSON."
    )


async def _refuse(
    send: Send, status: int, message: str, headers: dict[str, str] | None = None
) -> None:
    """Send one error in the API's error shape and close the exchange."""
    payload = json.dumps(error_body(status, message)).encode()
    raw_headers = [
        (b"content-type", b"application/json"),
        (b"content-length", str(len(payload)).encode()),
        (b"connection", b"close"),
    ]
    raw_headers += [(k.lower().encode(), v.encode()) for k, v in (headers or {}).items()]
    await send({"type": "http.response.start", "status": status, "headers": raw_headers})
    await send({"type": "http.response.body", "body": payload})
