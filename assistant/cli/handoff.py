"""Handing ``ask`` and ``search`` to a running ``resolutions serve`` (issue 17).

A server that has its library loaded answers in milliseconds, where a new process first spends
a second or two loading the index and the model. The CLI asks ``GET /health`` of
``RESOLUTIONS_SERVER_URL`` (connect timeout 0.2 s) and hands the question over only when the
server's ``library_id`` equals its own (same data directory, database and answer settings) and
its library is loaded; anything else (no server, another library, an old server without the
field, an error, a timeout, a refusal, a rate limit) gives ``None`` and the command answers
in-process, silently. Standard library only: nothing heavy is imported on this path.
"""

from __future__ import annotations

import http.client
import json
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlencode, urlsplit

from assistant.settings import Settings, library_identity

CONNECT_TIMEOUT = 0.2  # seconds: a server on this machine accepts at once, or there is none
HEALTH_TIMEOUT = 1.0  # /health answers without a worker thread: at once, even under load
ANSWER_TIMEOUT = 120.0  # a busy server is still faster than a cold process; past this, give up

# What fails softly: the connection, the HTTP exchange, a body that is not the JSON expected.
SOFT_ERRORS = (OSError, http.client.HTTPException, ValueError, KeyError, TypeError)


class ServerFailed(Exception):
    """The server failed after part of the answer was printed: too late to answer in-process."""


class Server:
    """A ``resolutions serve`` that serves the CLI's own library."""

    def __init__(self, url: str, token: str = "") -> None:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError(f"not an http(s) URL: {url!r}")
        self.url = url.rstrip("/")
        self.https = parts.scheme == "https"
        self.host = parts.hostname
        self.port = parts.port or (443 if self.https else 80)
        self.prefix = parts.path.rstrip("/")
        self.token = token

    def _connection(self, read_timeout: float) -> http.client.HTTPConnection:
        kind = http.client.HTTPSConnection if self.https else http.client.HTTPConnection
        connection = kind(self.host, self.port, timeout=CONNECT_TIMEOUT)
        connection.connect()
        assert connection.sock is not None
        connection.sock.settimeout(read_timeout)
        return connection

    def _request(
        self,
        method: str,
        path: str,
        body: dict[str, Any] | None = None,
        *,
        timeout: float = ANSWER_TIMEOUT,
        accept: str = "application/json",
        authorized: bool = True,
    ) -> tuple[http.client.HTTPConnection, http.client.HTTPResponse]:
        connection = self._connection(timeout)
        headers = {"Accept": accept, "User-Agent": "resolutions-cli"}
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        if authorized and self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        connection.request(method, self.prefix + path, body=data, headers=headers)
        return connection, connection.getresponse()

    def _json(self, method: str, path: str, body: dict[str, Any] | None = None) -> Any:
        """The JSON of a 200 answer, else ``None`` (an error, a refusal, a rate limit)."""
        try:
            connection, response = self._request(method, path, body)
            try:
                payload = response.read()
            finally:
                connection.close()
            if response.status != 200:
                return None
            return json.loads(payload)
        except SOFT_ERRORS:
            return None

    def health(self) -> dict[str, Any] | None:
        try:
            connection, response = self._request(
                "GET", "/health", timeout=HEALTH_TIMEOUT, authorized=False
            )
            try:
                payload = response.read(65536)
            finally:
                connection.close()
            found = json.loads(payload) if response.status == 200 else None
        except SOFT_ERRORS:
            return None
        return found if isinstance(found, dict) else None

    def search(
        self, query: str, k: int, filters: dict[str, str | list[str]], order: str = "search"
    ) -> list[dict[str, Any]] | None:
        """``GET /search``: the citation objects with ``score``; ``None`` when it failed."""
        params: dict[str, Any] = {"q": query, "k": k, **filters}
        if order != "search":
            params["order"] = order
        found = self._json("GET", "/search?" + urlencode(params))
        if not isinstance(found, list) or not all(isinstance(hit, dict) for hit in found):
            return None
        return found

    def ask(self, question: str, conversation_id: str | None) -> dict[str, Any] | None:
        """``POST /ask``: the reply JSON; ``None`` when it failed."""
        found = self._json("POST", "/ask", _ask_body(question, conversation_id))
        return found if isinstance(found, dict) and "answer" in found else None

    def ask_stream(
        self, question: str, conversation_id: str | None
    ) -> Iterator[tuple[str, dict[str, Any]]] | None:
        """``POST /ask/stream``: its events as ``(name, data)``, or ``None`` if it was refused.

        A failure once events have come raises :class:`ServerFailed` (an ``error`` event does not:
        it is yielded, for the caller to decide)."""
        try:
            connection, response = self._request(
                "POST",
                "/ask/stream",
                _ask_body(question, conversation_id),
                accept="text/event-stream",
            )
        except SOFT_ERRORS:
            return None
        if response.status != 200:
            connection.close()
            return None
        return _events(connection, response)


def _ask_body(question: str, conversation_id: str | None) -> dict[str, Any]:
    body: dict[str, Any] = {"question": question}
    if conversation_id is not None:
        body["conversation_id"] = conversation_id
    return body


def _events(
    connection: http.client.HTTPConnection, response: http.client.HTTPResponse
) -> Iterator[tuple[str, dict[str, Any]]]:
    """Server-Sent Events, parsed as they arrive; ends after ``answer`` or ``error``."""
    name, data = "message", ""
    try:
        while True:
            line = response.readline().decode("utf-8")
            if not line:
                raise ServerFailed("the server closed the stream before the answer")
            line = line.rstrip("\r\n")
            if line.startswith("event:"):
                name = line[6:].strip()
            elif line.startswith("data:"):
                data += line[5:].lstrip(" ")
            elif not line and data:
                event = (name, json.loads(data))
                yield event
                if name in ("answer", "error"):
                    return
                name, data = "message", ""
    except (OSError, http.client.HTTPException, ValueError) as error:
        raise ServerFailed(f"the server stopped answering ({type(error).__name__})") from error
    finally:
        connection.close()


def find_server(settings: Settings) -> Server | None:
    """The server at ``RESOLUTIONS_SERVER_URL`` if it is up, has its library loaded and serves
    the same library as ``settings`` would open; else ``None`` (never an error)."""
    if not settings.server_url.strip():
        return None
    try:
        server = Server(settings.server_url.strip(), settings.api_token)
    except ValueError:
        return None
    health = server.health()
    if (
        health is None
        or health.get("status") != "ok"
        or health.get("library") != "ready"
        or health.get("library_id") != library_identity(settings)
    ):
        return None
    return server
