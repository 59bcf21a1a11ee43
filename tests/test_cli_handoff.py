"""`resolutions ask` and `search` hand the question to a running `resolutions serve` that serves
the same library, and answer in-process otherwise, silently (issue 17).

The slow tests start a real server over a data directory with the sample corpus ingested and run
the CLI as a user does; the others check the client's refusals against a stub server."""

from __future__ import annotations

import http.server
import json
import os
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

import pytest

from assistant.cli import handoff
from assistant.settings import Settings, library_identity
from tests.conftest import CORPUS, free_port, running_server
from tests.test_startup_imports import PROBE

RESOLUTIONS = str(Path(sys.executable).parent / "resolutions")
TIMING = (
    "When should the informal meeting of RPM chairs be held before the standardization assembly?"
)
PARTIAL = "Who organizes the interregional meeting of RPM chairs?"
HEAVY = ("chromadb", "onnxruntime", "torch", "sentence_transformers", "transformers", "langchain")


def _env(home: Path, server_url: str) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("RESOLUTIONS_") or key == "RESOLUTIONS_MODEL_CACHE"
    }
    env.update(
        RESOLUTIONS_HOME=str(home),
        RESOLUTIONS_SERVER_URL=server_url,
        HF_HUB_OFFLINE="1",
        ANONYMIZED_TELEMETRY="False",
    )
    return env


@dataclass
class Served:
    url: str
    home: Path
    other_home: Path  # a copy of home at another path: the same texts, another library

    def run(self, *args: str, home: Path | None = None, url: str | None = None) -> Any:
        done = subprocess.run(
            [RESOLUTIONS, *args],
            env=_env(home or self.home, self.url if url is None else url),
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert done.returncode == 0, done.stderr
        return done

    def json(self, *args: str, **kwargs: Any) -> Any:
        return json.loads(self.run(*args, "--json", **kwargs).stdout)


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    root = tmp_path_factory.mktemp("handoff")
    home = root / "home"
    ingested = subprocess.run(
        [RESOLUTIONS, "ingest", "--no-progress", str(CORPUS)],
        env=_env(home, ""),
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert ingested.returncode == 0, ingested.stderr
    other = root / "other-home"
    shutil.copytree(home, other)
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    env = {**_env(home, ""), "RESOLUTIONS_RATE_LIMIT_PER_MINUTE": "0"}
    command = [RESOLUTIONS, "serve", "--port", str(port)]
    with running_server(command, f"{url}/health", root / "serve.log", timeout=120, env=env):
        deadline = time.monotonic() + 180
        while handoff.Server(url).health().get("library") != "ready":  # type: ignore[union-attr]
            assert time.monotonic() < deadline, (root / "serve.log").read_text()[-2000:]
            time.sleep(0.3)
        yield Served(url, home, other)


def _without_served_by(data: Any) -> Any:
    if isinstance(data, list):
        return [_without_served_by(item) for item in data]
    return {key: value for key, value in data.items() if key != "served_by"}


@pytest.mark.slow
def test_the_same_library_is_answered_by_the_server_and_equals_the_local_answer(
    served: Served,
) -> None:
    for question in (TIMING, PARTIAL, "What does WTSA 43 resolve?"):
        remote = served.json("ask", question)
        local = served.json("ask", "--local", question)
        assert remote["served_by"] == served.url and local["served_by"] == "local"
        assert _without_served_by(remote) == _without_served_by(local)
    assert remote["status"] == "answered" and remote["citations"]
    text = served.run("ask", TIMING)
    assert text.stdout == served.run("ask", "--local", TIMING).stdout
    assert "WTSA Res. 43" in text.stdout and text.stderr == ""
    partial = served.json("ask", PARTIAL)
    if partial["status"] == "partial":  # the outcome the learned support gives today
        run, here = served.run("ask", PARTIAL), served.run("ask", "--local", PARTIAL)
        assert "Partial answer" in run.stderr
        assert (run.stdout, run.stderr) == (here.stdout, here.stderr)


@pytest.mark.slow
def test_search_is_served_and_equal_and_what_the_server_cannot_do_stays_local(
    served: Served,
) -> None:
    query = "interregional meeting of the chairs of regional preparatory meetings"
    remote = served.json("search", query, "--k", "4", "--filter", "body=WTSA")
    local = served.json("search", "--local", query, "--k", "4", "--filter", "body=WTSA")
    assert {hit["served_by"] for hit in remote} == {served.url}
    assert {hit["served_by"] for hit in local} == {"local"}
    assert [h["id"] for h in remote] == [h["id"] for h in local]
    for a, b in zip(remote, local, strict=True):
        assert a["score"] == pytest.approx(b["score"], abs=1e-5)  # batched passes: within 2e-7
    assert all(hit["body"] == "WTSA" for hit in remote)
    asked = "Who chairs the interregional meeting?"
    remote = served.json("search", asked, "--k", "3", "--order", "answerer")
    local = served.json("search", "--local", asked, "--k", "3", "--order", "answerer")
    assert {hit["served_by"] for hit in remote} == {served.url}
    assert [h["id"] for h in remote] == [h["id"] for h in local]
    assert [h["support"] for h in remote] == pytest.approx([h["support"] for h in local], abs=1e-3)
    text = served.run("search", query)
    assert text.stdout == served.run("search", "--local", query).stdout
    # /search takes k <= 50 and body/document filters only: the rest is searched here
    assert served.json("search", query, "--k", "60")[0]["served_by"] == "local"
    assert served.json("search", query, "--filter", "section=resolves")[0]["served_by"] == "local"


@pytest.mark.slow
def test_another_library_no_server_or_local_is_answered_in_process(served: Served) -> None:
    other = served.json("ask", TIMING, home=served.other_home)
    assert other["served_by"] == "local"
    assert _without_served_by(other) == _without_served_by(served.json("ask", "--local", TIMING))
    nobody = f"http://127.0.0.1:{free_port()}"
    assert served.json("ask", TIMING, url=nobody)["served_by"] == "local"
    assert served.json("search", "RPMs", url="")[0]["served_by"] == "local"
    assert served.json("search", "--local", "RPMs")[0]["served_by"] == "local"


@pytest.mark.slow
def test_a_conversation_carries_over_between_server_and_process(served: Served) -> None:
    first = served.json(
        "ask", "--conversation", "h1", "What do the resolutions say about fellowships?"
    )
    assert first["served_by"] == served.url
    follow = served.json(
        "ask", "--local", "--conversation", "h1", "and what does the WTDC one say?"
    )
    assert "WTDC" in follow.get("searched", "")
    served.json(
        "ask", "--local", "--conversation", "h2", "What do the resolutions say about fellowships?"
    )
    again = served.json("ask", "--conversation", "h2", "and what does the WTDC one say?")
    assert again["served_by"] == served.url
    assert _without_served_by(again) == _without_served_by(follow)


@pytest.mark.slow
@pytest.mark.parametrize("args", [("ask", "--json", TIMING), ("search", "--json", "RPMs")])
def test_the_hand_off_imports_no_heavy_library(served: Served, args: tuple[str, ...]) -> None:
    code = PROBE.replace("{heavy}", repr(HEAVY))
    done = subprocess.run(
        [sys.executable, "-c", code, *args],
        env=_env(served.home, served.url),
        capture_output=True,
        text=True,
        timeout=120,
    )
    output, _, modules = done.stdout.rpartition("\n\n")
    reply = json.loads(output)
    assert (reply if isinstance(reply, dict) else reply[0])["served_by"] == served.url
    assert json.loads(modules) == []


# -- the client's refusals, against a stub server (no process) ---------------------------------


class Stub(http.server.BaseHTTPRequestHandler):
    health: ClassVar[dict[str, Any]] = {}
    status = 200
    delay = 0.0

    def do_GET(self) -> None:
        time.sleep(self.delay)
        if self.path.startswith("/health"):
            self._send(200, self.health)
        else:
            self._send(self.status, [{"id": "x", "citation": "X", "text": "t", "score": 1.0}])

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self._send(self.status, {"status": "answered", "answer": "a", "citations": []})

    def _send(self, status: int, body: Any) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def stub(tmp_path: Path) -> Iterator[tuple[Settings, type[Stub]]]:
    handler = type("Handler", (Stub,), {})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings = Settings(home=tmp_path / "home", server_url=f"http://127.0.0.1:{server.server_port}")
    handler.health = {"status": "ok", "library": "ready", "library_id": library_identity(settings)}
    try:
        yield settings, handler
    finally:
        server.shutdown()
        server.server_close()


def test_the_server_is_used_only_for_the_same_ready_library(stub: Any) -> None:
    settings, handler = stub
    assert handoff.find_server(settings) is not None
    same = handler.health
    for health in (
        {**same, "library_id": library_identity(Settings(home=settings.home / "other"))},
        {key: value for key, value in same.items() if key != "library_id"},  # an older server
        {**same, "library": "not loaded yet"},
        {**same, "status": "starting"},
    ):
        handler.health = health
        assert handoff.find_server(settings) is None
    handler.health = same
    assert handoff.find_server(settings.model_copy(update={"server_url": ""})) is None
    assert handoff.find_server(settings.model_copy(update={"server_url": "ftp://x"})) is None
    # the settings that shape answers are part of the identity: a model makes other answers
    with_model = settings.model_copy(update={"llm_provider": "openai", "llm_model": "m"})
    assert handoff.find_server(with_model) is None


@pytest.mark.parametrize("status", [401, 403, 429, 500, 503])
def test_a_refusal_or_an_error_gives_none(stub: Any, status: int) -> None:
    settings, handler = stub
    server = handoff.find_server(settings)
    assert server is not None
    handler.status = status
    assert server.ask("q", None) is None
    assert server.search("q", 5, {}) is None
    assert server.ask_stream("q", None) is None


def test_a_slow_or_absent_server_costs_little(stub: Any) -> None:
    settings, handler = stub
    handler.delay = 3.0  # /health hangs: given up after HEALTH_TIMEOUT
    started = time.perf_counter()
    assert handoff.find_server(settings) is None
    assert time.perf_counter() - started < handoff.HEALTH_TIMEOUT + 0.5
    nobody = settings.model_copy(update={"server_url": f"http://127.0.0.1:{free_port()}"})
    started = time.perf_counter()
    assert handoff.find_server(nobody) is None
    assert time.perf_counter() - started < 0.5
    unroutable = settings.model_copy(update={"server_url": "http://10.255.255.1:8000"})
    started = time.perf_counter()
    assert handoff.find_server(unroutable) is None
    assert time.perf_counter() - started < handoff.CONNECT_TIMEOUT + 0.5


def test_the_identity_never_shows_the_path_or_url_in_clear(tmp_path: Path) -> None:
    home = tmp_path / "secret-home"
    settings = Settings(home=home, database_url="postgresql+psycopg://u:pw@db.example/lib")
    identity = library_identity(settings)
    assert len(identity) == 32 and int(identity, 16) >= 0
    assert identity == library_identity(Settings(home=home, database_url=settings.database_url))
    assert identity != library_identity(Settings(home=home))
    relative = Settings(home=Path(os.path.relpath(home)), database_url=settings.database_url)
    assert library_identity(relative) == identity  # a relative home is the same directory
