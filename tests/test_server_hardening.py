"""Attacks on a real ``resolutions serve`` process: its memory and /health must hold.

Each test sends its attack over raw sockets (so nothing on the client side buffers or rewrites
the request), reads the server's RSS from ``/proc/PID/status`` before and after, and times
``/health`` while the attack runs. Bounded: every loop has a count and a deadline.
"""

from __future__ import annotations

import os
import socket
import sys
import threading
import time
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from tests.conftest import free_port, running_server

pytestmark = [pytest.mark.slow, pytest.mark.skipif(sys.platform != "linux", reason="/proc")]

TOKEN = "hardening-token"
MiB = 1024 * 1024


@dataclass
class Server:
    url: str
    port: int
    pid: int
    home: Path

    def rss_mib(self) -> float:
        for line in Path(f"/proc/{self.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
        raise AssertionError("no VmRSS")

    def health_ms(self) -> float:
        start = time.perf_counter()
        response = httpx.get(f"{self.url}/health", timeout=10)
        assert response.status_code == 200
        return (time.perf_counter() - start) * 1000


def _wait_for_warm_up(log: Path, deadline: float) -> None:
    while time.monotonic() < deadline:
        text = log.read_text(errors="replace")
        if "library ready" in text or "warm-up failed" in text:
            return
        time.sleep(0.5)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    home = tmp_path_factory.mktemp("hardening") / "home"
    port = free_port()
    env = {
        **os.environ,
        "RESOLUTIONS_HOME": str(home),
        "RESOLUTIONS_API_TOKEN": TOKEN,
        "RESOLUTIONS_RATE_LIMIT_PER_MINUTE": "3",
        "HF_HUB_OFFLINE": "1",
    }
    command = [str(Path(sys.executable).parent / "resolutions"), "serve", "--port", str(port)]
    log = home.parent / "serve.log"
    url = f"http://127.0.0.1:{port}"
    with running_server(command, f"{url}/health", log, timeout=120, env=env) as process:
        _wait_for_warm_up(log, time.monotonic() + 180)  # the model is loaded: RSS is settled
        yield Server(url, port, process.pid, home)


def _raw_request(port: int, head: str, source: str = "127.0.0.1") -> socket.socket:
    """A connection from ``source`` (each loopback address is its own client to the limiter)."""
    sock = socket.create_connection(("127.0.0.1", port), timeout=10, source_address=(source, 0))
    sock.sendall(head.encode())
    return sock


def _status_of(sock: socket.socket) -> int:
    data = b""
    while b"\r\n" not in data:
        chunk = sock.recv(4096)
        if not chunk:
            break
        data += chunk
    return int(data.split(b" ", 2)[1]) if data.startswith(b"HTTP/") else 0


def _send_until_refused(port: int, path: str, total: int, chunked: bool, source: str) -> int:
    """Send up to ``total`` bytes of body in 1 MiB pieces; the status the server answered."""
    framing = "Transfer-Encoding: chunked" if chunked else f"Content-Length: {total}"
    head = f"POST {path} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n{framing}\r\n\r\n"
    sock = _raw_request(port, head, source)
    piece = b"{" + b" " * (MiB - 1)
    sent = 0
    deadline = time.monotonic() + 30
    try:
        while sent < total and time.monotonic() < deadline:
            payload = b"%x\r\n%s\r\n" % (len(piece), piece) if chunked else piece
            sock.sendall(payload)
            sent += len(piece)
    except OSError:  # refused: the server answered and closed
        pass
    try:
        return _status_of(sock)
    finally:
        sock.close()


@pytest.mark.parametrize("chunked", [False, True])
def test_oversized_bodies_are_refused_without_memory_growth(server: Server, chunked: bool) -> None:
    before = server.rss_mib()
    statuses: list[int] = []
    health: list[float] = []

    def attack(n: int) -> None:
        path = ("/ask", "/ask/stream", "/draft", "/conversations")[n % 4]
        source = f"127.0.{2 if chunked else 1}.{n + 1}"
        statuses.append(_send_until_refused(server.port, path, 200 * MiB, chunked, source))

    threads = [threading.Thread(target=attack, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    while any(t.is_alive() for t in threads):
        health.append(server.health_ms())
        time.sleep(0.05)
    for thread in threads:
        thread.join(timeout=60)
    grown = server.rss_mib() - before
    assert statuses == [413] * 8
    assert grown < 50, f"RSS grew by {grown:.0f} MiB under 8 oversized bodies"
    assert max(health, default=0) < 2000


def _client(source: str) -> httpx.Client:
    return httpx.Client(transport=httpx.HTTPTransport(local_address=source), timeout=60)


def test_a_rate_limited_client_is_refused_before_its_body_is_read(server: Server) -> None:
    with _client("127.0.3.1") as client:
        for _ in range(3):
            client.post(f"{server.url}/ask", json={"question": "regional preparatory meetings"})
    head = (
        "POST /ask HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
        f"Content-Length: {10 * MiB}\r\n\r\n"
    )
    sock = _raw_request(server.port, head, "127.0.3.1")  # not one byte of the body sent
    try:
        assert _status_of(sock) == 429
    finally:
        sock.close()


def _upload_head(length: int) -> str:
    return (
        "POST /ingest HTTP/1.1\r\nHost: x\r\n"
        f"Authorization: Bearer {TOKEN}\r\n"
        "Content-Type: multipart/form-data; boundary=XYZ\r\n"
        f"Content-Length: {length}\r\n\r\n"
    )


def test_uploads_during_an_upload_get_409_at_once_and_health_answers(server: Server) -> None:
    slow = _raw_request(server.port, _upload_head(MiB))  # holds the upload slot, body pending
    slow.sendall(b"--XYZ\r\n")
    time.sleep(0.5)
    try:
        started = time.perf_counter()
        statuses = []
        for _ in range(40):  # clients that give up after a second, as with `curl -m 1`
            response = httpx.post(
                f"{server.url}/ingest",
                files={"file": ("note.txt", b"Notes\n\nA paragraph.\n", "text/plain")},
                headers={"Authorization": f"Bearer {TOKEN}"},
                timeout=1,
            )
            statuses.append(response.status_code)
        assert statuses == [409] * 40
        assert time.perf_counter() - started < 20
        assert response.json()["error"]["code"] == "ingest_busy"
        assert "Retry-After" in response.headers
        health = sorted(server.health_ms() for _ in range(50))
        assert health[-1] < 1000
        assert httpx.get(f"{server.url}/search", params={"q": "meetings"}, timeout=30).is_success
    finally:
        slow.close()
    time.sleep(0.5)  # the slot is free again once the cut-off upload is given up
    note = b"Notes on zephyrs\n\nA paragraph about quiet zephyr hours.\n"
    response = httpx.post(
        f"{server.url}/ingest",
        files={"file": ("zephyr.txt", note, "text/plain")},
        headers={"Authorization": f"Bearer {TOKEN}"},
        timeout=120,
    )
    assert response.status_code == 200, response.text


def test_forwarded_for_does_not_bypass_the_rate_limit(server: Server) -> None:
    with _client("127.0.4.1") as client:
        statuses = [
            client.post(
                f"{server.url}/draft",
                json={"topic": "meetings"},
                headers={"X-Forwarded-For": f"192.0.2.{n}", "X-Real-IP": f"192.0.2.{n}"},
            ).status_code
            for n in range(5)
        ]
    assert statuses[3:] == [429, 429], statuses


def _many_paragraphs_docx(path: Path, paragraphs: int) -> None:
    """A .docx of ``paragraphs`` short paragraphs (about 10 MB for a million), written streaming."""
    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    types = (
        '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
        'package/2006/content-types"><Default Extension="rels" ContentType="application/'
        'vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" '
        'ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType='
        '"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
        "</Types>"
    )
    rels = (
        '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats'
        '.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.'
        'openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
        'Target="word/document.xml"/></Relationships>'
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", types)
        archive.writestr("_rels/.rels", rels)
        with archive.open("word/document.xml", "w", force_zip64=True) as part:
            part.write(f'<w:document xmlns:w="{w}"><w:body>'.encode())
            for start in range(0, paragraphs, 10_000):
                part.write(
                    "".join(
                        f"<w:p><w:r><w:t>{n}) member states resolve {n % 97}.</w:t></w:r></w:p>"
                        for n in range(start, min(start + 10_000, paragraphs))
                    ).encode()
                )
            part.write(b"</w:body></w:document>")


def test_an_upload_of_a_million_paragraphs_is_refused_in_bounded_memory(
    server: Server, tmp_path: Path
) -> None:
    path = tmp_path / "million.docx"
    _many_paragraphs_docx(path, 1_000_000)
    assert path.stat().st_size < 20 * MiB
    before = server.rss_mib()
    response = httpx.post(
        f"{server.url}/ingest",
        files={"file": ("million.docx", path.read_bytes(), "application/octet-stream")},
        headers={"Authorization": f"Bearer {TOKEN}"},
        timeout=120,
    )
    grown = server.rss_mib() - before
    assert response.status_code == 413, response.text
    assert "RESOLUTIONS_MAX_PARAGRAPHS" in response.json()["error"]["message"]
    assert grown < 100, f"RSS grew by {grown:.0f} MiB for one refused upload"
    assert server.health_ms() < 1000
