"""Two `resolutions serve` replicas that share nothing but a Chroma server and a PostgreSQL
database (issue 18): different RESOLUTIONS_HOME folders, the same RESOLUTIONS_DATABASE_URL and
RESOLUTIONS_CHROMA_URL, the real MiniLM. Everything runs on 127.0.0.1 at free ports.

The tests run in order on one cluster: an upload on A is found on B at once; a conversation
started on A continues on B; two simultaneous uploads (one per replica): one runs, the other
gets 409, nothing is lost; A killed in the middle of an ingest: B keeps serving, the next ingest
repairs; a load run on both replicas through one client: no error.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import create_engine, func, select

from assistant.index import database as sql
from tests.conftest import CORPUS, free_port, running_server
from tests.pg_server import running_postgres
from tests.test_chroma_server import chroma_command

pytestmark = pytest.mark.slow
TOKEN = "replica-test-token"
AUTH = {"Authorization": f"Bearer {TOKEN}"}


def big_resolution(number: int, clauses: int, word: str = "spectrum") -> str:
    """A WTSA resolution of many clauses (an ingest of it takes seconds of embedding)."""
    lines = [
        f"RESOLUTION {number} (Rev. Testville, 2030)",
        f"Coordination of {word} studies number {number}",
        "The World Telecommunication Standardization Assembly (Testville, 2030),",
        "considering",
        "a)\tthat studies need coordination;",
        "resolves",
    ]
    lines += [
        f"{i}\tthat study group {i} of series {number} coordinates {word} item {i * 7 % 97} "
        f"with the regional offices, reporting on topic {i} and its timetable;"
        for i in range(1, clauses + 1)
    ]
    return "\n".join(lines) + "\n"


@dataclass(eq=False)
class Replica:
    name: str
    port: int
    home: Path
    env: dict[str, str]
    log: Path
    process: subprocess.Popen[bytes] | None = None
    url: str = field(init=False)

    def __post_init__(self) -> None:
        self.url = f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        command = [
            str(Path(sys.executable).with_name("resolutions")), "serve",
            "--host", "127.0.0.1", "--port", str(self.port),
        ]  # fmt: skip
        with self.log.open("ab") as out:
            self.process = subprocess.Popen(
                command, env=self.env, stdout=out, stderr=subprocess.STDOUT
            )
        deadline = time.monotonic() + 120
        while True:
            try:
                if httpx.get(f"{self.url}/health", timeout=2).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            if self.process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"replica {self.name} did not start: {self.log.read_text()[-2000:]}")
            time.sleep(0.3)

    def stop(self, sig: int = signal.SIGTERM) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(sig)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


@dataclass
class Cluster:
    a: Replica
    b: Replica
    database_url: str
    client: httpx.Client

    def upload(
        self, replica: Replica, name: str, text: str, replace: bool = False
    ) -> httpx.Response:
        return self.client.post(
            f"{replica.url}/ingest",
            params={"replace": "true"} if replace else {},
            files={"file": (name, text.encode("utf-8"), "text/plain")},
            headers=AUTH,
            timeout=300,
        )

    def documents(self, replica: Replica) -> list[str]:
        listed = self.client.get(f"{replica.url}/documents", timeout=30)
        assert listed.status_code == 200, listed.text
        return sorted(d["document"] for d in listed.json())

    def search(self, replica: Replica, query: str, k: int = 5) -> list[dict[str, Any]]:
        found = self.client.get(f"{replica.url}/search", params={"q": query, "k": k}, timeout=60)
        assert found.status_code == 200, found.text
        body = found.json()
        return body["hits"] if isinstance(body, dict) else body

    def rows(self, table: Any) -> int:
        engine = create_engine(self.database_url)
        try:
            with engine.connect() as conn:
                return int(conn.execute(select(func.count()).select_from(table)).scalar_one())
        finally:
            engine.dispose()


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cluster]:
    command = chroma_command()
    if not command:
        pytest.fail("the `chroma` command (chromadb) is not installed")
    base = tmp_path_factory.mktemp("replicas")
    chroma_port = free_port()
    chroma_url = f"http://127.0.0.1:{chroma_port}"
    serve_chroma = [
        command, "run", "--path", str(base / "chroma"), "--host", "127.0.0.1",
        "--port", str(chroma_port),
    ]  # fmt: skip
    with (
        running_postgres() as database_url,
        running_server(serve_chroma, f"{chroma_url}/api/v2/heartbeat", base / "chroma.log", 60),
    ):
        replicas = []
        for name in ("a", "b"):
            env = {
                **os.environ,
                "RESOLUTIONS_HOME": str(base / f"home-{name}"),
                "RESOLUTIONS_DATABASE_URL": database_url,
                "RESOLUTIONS_CHROMA_URL": chroma_url,
                "RESOLUTIONS_API_TOKEN": TOKEN,
                "RESOLUTIONS_RATE_LIMIT_PER_MINUTE": "0",
                "HF_HUB_OFFLINE": "1",
                "ANONYMIZED_TELEMETRY": "False",
            }
            replicas.append(Replica(name, free_port(), base / f"home-{name}", env, base / name))
        with httpx.Client() as client:
            try:
                for replica in replicas:
                    replica.start()
                yield Cluster(replicas[0], replicas[1], database_url, client)
            finally:
                for replica in replicas:
                    replica.stop()


def test_an_upload_on_a_is_found_on_b_at_once(cluster: Cluster) -> None:
    for path in sorted(CORPUS.glob("*.txt")):
        if "WTSA" not in path.name:
            done = cluster.upload(cluster.a, path.name, path.read_text(encoding="utf-8"))
            assert done.status_code == 200, done.text
    assert cluster.documents(cluster.b) == cluster.documents(cluster.a)
    assert "wtsa-43-rev-new-delhi-2024" not in cluster.documents(cluster.b)
    wtsa = CORPUS / "WTSA-43-Rev-New-Delhi-2024.txt"
    done = cluster.upload(cluster.a, wtsa.name, wtsa.read_text(encoding="utf-8"))
    assert done.status_code == 200, done.text
    hits = cluster.search(cluster.b, "standardization assembly regional preparatory meetings")
    assert any(h["document"] == "wtsa-43-rev-new-delhi-2024" for h in hits), hits
    asked = cluster.client.post(
        f"{cluster.b.url}/ask",
        json={"question": "What does WTSA Resolution 43 say about regional preparatory meetings?"},
        timeout=120,
    )
    assert asked.status_code == 200, asked.text
    assert "wtsa-43-rev-new-delhi-2024" in asked.text


def test_a_conversation_started_on_a_continues_on_b(cluster: Cluster) -> None:
    created = cluster.client.post(f"{cluster.a.url}/conversations", timeout=30)
    assert created.status_code == 201, created.text
    conversation = created.json()["id"]
    first = cluster.client.post(
        f"{cluster.a.url}/ask",
        json={
            "question": "What does WTSA Resolution 43 say about regional preparatory meetings?",
            "conversation_id": conversation,
        },
        timeout=120,
    )
    assert first.status_code == 200, first.text
    follow = cluster.client.post(
        f"{cluster.b.url}/ask",
        json={"question": "and the WTDC one?", "conversation_id": conversation},
        timeout=120,
    )
    assert follow.status_code == 200, follow.text
    turns = cluster.client.get(f"{cluster.b.url}/conversations/{conversation}", timeout=30)
    assert turns.status_code == 200, turns.text
    last = turns.json()["turns"][-1]
    assert len(turns.json()["turns"]) == 2
    assert "WTDC" in last["resolved"] and "preparatory" in last["resolved"].lower(), last
    assert "wtdc-31-rev-baku-2025" in follow.text


def test_two_simultaneous_ingests_one_per_replica(cluster: Cluster) -> None:
    before = cluster.documents(cluster.a)
    files = {
        cluster.a: ("big-901.txt", big_resolution(901, 500)),
        cluster.b: ("big-902.txt", big_resolution(902, 500)),
    }
    barrier = threading.Barrier(2)

    def send(replica: Replica) -> httpx.Response:
        barrier.wait()
        return cluster.upload(replica, *files[replica])

    with ThreadPoolExecutor(2) as pool:
        answers = dict(zip(files, pool.map(send, files), strict=True))
    statuses = sorted(r.status_code for r in answers.values())
    assert statuses == [200, 409], {r.name: a.text for r, a in answers.items()}
    [(refused, answer)] = [(r, a) for r, a in answers.items() if a.status_code == 409]
    assert "another ingest is running" in answer.json()["error"]["message"]
    assert answer.headers.get("Retry-After")
    again = cluster.upload(refused, *files[refused])  # once the first is done: accepted
    assert again.status_code == 200, again.text
    after = cluster.documents(cluster.b)
    assert set(before) < set(after) and len(after) == len(before) + 2
    assert cluster.rows(sql.pending) == 0


def test_a_killed_mid_ingest_b_keeps_serving_and_the_next_ingest_repairs(
    cluster: Cluster,
) -> None:
    before = cluster.documents(cluster.b)
    query = "study group coordinates spectrum item with the regional offices"
    served = [h["id"] for h in cluster.search(cluster.b, query, k=8)]
    changed = big_resolution(901, 500, word="satellite")  # a new version of big-901.txt

    def upload() -> None:
        with pytest.raises(httpx.TransportError):
            cluster.upload(cluster.a, "big-901.txt", changed)

    sender = threading.Thread(target=upload)
    sender.start()
    deadline = time.monotonic() + 120
    while cluster.rows(sql.pending) == 0:  # the new generation is being written
        assert time.monotonic() < deadline, "the ingest on A never started"
        time.sleep(0.05)
    time.sleep(0.5)  # some of its vectors are in Chroma now
    cluster.a.stop(signal.SIGKILL)
    sender.join(timeout=60)
    # B serves the previous generation, whole
    assert cluster.documents(cluster.b) == before
    hits = cluster.search(cluster.b, query, k=8)
    assert [h["id"] for h in hits] == served
    assert not any("satellite" in h["text"] for h in hits)
    assert cluster.rows(sql.pending) > 0  # what A left behind
    # the next ingest (on B) repairs, then A comes back; the file came through A (its upload
    # folder), so B takes the document over with replace
    done = cluster.upload(cluster.b, "big-901.txt", changed, replace=True)
    assert done.status_code == 200, done.text
    assert cluster.rows(sql.pending) == 0
    hits = cluster.search(cluster.b, "satellite item study group", k=8)
    assert hits and all("spectrum" not in h["text"] for h in hits)
    cluster.a.start()
    assert cluster.documents(cluster.a) == cluster.documents(cluster.b)


def test_a_load_run_on_both_replicas_has_no_error(cluster: Cluster) -> None:
    questions = [
        "regional preparatory meetings",
        "fellowships for participants from developing countries",
        "satellite item study group",
        "What does WTSA Resolution 43 say about regional preparatory meetings?",
    ]
    calls = []
    for i in range(48):
        replica = (cluster.a, cluster.b)[i % 2]
        if i % 3 == 2:
            calls.append(("ask", replica, questions[i % len(questions)]))
        else:
            calls.append(("search", replica, questions[i % len(questions)]))

    def run(call: tuple[str, Replica, str]) -> int:
        kind, replica, text = call
        if kind == "ask":
            return cluster.client.post(
                f"{replica.url}/ask", json={"question": text}, timeout=120
            ).status_code
        return cluster.client.get(
            f"{replica.url}/search", params={"q": text, "k": 5}, timeout=60
        ).status_code

    with ThreadPoolExecutor(4) as pool:
        statuses = list(pool.map(run, calls))
    assert statuses == [200] * len(calls), statuses
