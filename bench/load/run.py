"""Load benchmark: N concurrent clients on loopback against a real `resolutions serve`.

Ingests the sample corpus with the real MiniLM model into a temporary data directory, starts
`resolutions serve` on 127.0.0.1 at a free port, waits until it answers, then runs one phase per
endpoint: ``--clients`` closed-loop clients (httpx + asyncio) send requests back to back for
``--duration`` seconds. Reports, per phase: requests, throughput, p50/p95/p99/max latency, errors
(any non-200 or transport error), and the server's RSS before and after.

The per-client rate limit is turned off for the run (RESOLUTIONS_RATE_LIMIT_PER_MINUTE=0): every
client here shares 127.0.0.1, and the limit is not what is measured.

    .venv/bin/python bench/load/run.py                      # 32 clients, 60 s per endpoint
    .venv/bin/python bench/load/run.py --clients 8 --duration 10 --endpoints search
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parent.parent.parent
BIN = Path(sys.executable).parent
MAX_SECONDS = 600  # hard bound on one phase, whatever the arguments
MAX_CLIENTS = 256


def questions() -> list[str]:
    """The questions of the retrieval eval set (delegates' wording), else a few of our own."""
    path = ROOT / "evals" / "data" / "questions.jsonl"
    found = []
    if path.exists():
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                found.append(str(json.loads(line)["question"]))
    return found or [
        "What do the resolutions say about regional preparatory meetings?",
        "How should the Bureaux coordinate with regional organizations?",
    ]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


async def phase(
    base: str, endpoint: str, clients: int, duration: float, texts: list[str]
) -> dict[str, Any]:
    """Closed loop: each client sends its next request when the previous one is answered."""
    latencies: list[float] = []
    errors: dict[str, int] = {}
    deadline = time.monotonic() + duration
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)

    async def client(number: int, http: httpx.AsyncClient) -> None:
        chooser = random.Random(number)
        while time.monotonic() < deadline:
            text = chooser.choice(texts)
            started = time.perf_counter()
            try:
                if endpoint == "search":
                    response = await http.get("/search", params={"q": text, "k": 5})
                else:
                    response = await http.post("/ask", json={"question": text})
                elapsed = time.perf_counter() - started
                if response.status_code == 200:
                    latencies.append(elapsed)
                else:
                    key = f"HTTP {response.status_code}"
                    errors[key] = errors.get(key, 0) + 1
            except httpx.HTTPError as error:
                key = type(error).__name__
                errors[key] = errors.get(key, 0) + 1

    began = time.monotonic()
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=60.0) as http:
        await asyncio.gather(*(client(n, http) for n in range(clients)))
    wall = time.monotonic() - began
    ms = [v * 1000 for v in latencies]
    return {
        "endpoint": f"/{endpoint}",
        "clients": clients,
        "seconds": round(wall, 1),
        "ok": len(latencies),
        "errors": sum(errors.values()),
        "error_kinds": errors,
        "throughput_rps": round(len(latencies) / wall, 1),
        "p50_ms": round(percentile(ms, 0.50), 1),
        "p95_ms": round(percentile(ms, 0.95), 1),
        "p99_ms": round(percentile(ms, 0.99), 1),
        "max_ms": round(max(ms, default=0.0), 1),
        "mean_ms": round(statistics.fmean(ms), 1) if ms else float("nan"),
    }


def start_server(home: Path, port: int, log: Path) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "RESOLUTIONS_HOME": str(home),
        "RESOLUTIONS_RATE_LIMIT_PER_MINUTE": "0",
        "HF_HUB_OFFLINE": "1",
        "TRANSFORMERS_OFFLINE": "1",
        "ANONYMIZED_TELEMETRY": "False",
    }
    with log.open("wb") as out:
        return subprocess.Popen(
            [str(BIN / "resolutions"), "serve", "--host", "127.0.0.1", "--port", str(port)],
            env=env,
            cwd=ROOT,
            stdout=out,
            stderr=subprocess.STDOUT,
        )


def wait_ready(base: str, server: subprocess.Popen[bytes], timeout: float = 180.0) -> float:
    """Seconds until /search answers (the model loaded and the index open)."""
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        if server.poll() is not None:
            raise SystemExit(f"the server exited with code {server.returncode}")
        try:
            response = httpx.get(f"{base}/search", params={"q": "regional meetings"}, timeout=60)
            if response.status_code == 200:
                return time.monotonic() - started
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    raise SystemExit("the server did not answer /search in time")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--duration", type=float, default=60.0, help="seconds per endpoint")
    parser.add_argument("--endpoints", default="search,ask")
    parser.add_argument(
        "--home",
        type=Path,
        default=None,
        help="data directory with the corpus ingested (default: a new one)",
    )
    args = parser.parse_args()
    clients = max(1, min(args.clients, MAX_CLIENTS))
    duration = max(1.0, min(args.duration, MAX_SECONDS))
    endpoints = [e.strip().lstrip("/") for e in args.endpoints.split(",") if e.strip()]
    assert set(endpoints) <= {"search", "ask"}, endpoints

    tmp = Path(tempfile.mkdtemp(prefix="resolutions-load-"))
    home = args.home or tmp / "home"
    env = {
        **os.environ,
        "RESOLUTIONS_HOME": str(home),
        "HF_HUB_OFFLINE": "1",
        "ANONYMIZED_TELEMETRY": "False",
    }
    started = time.monotonic()
    subprocess.run(
        [str(BIN / "resolutions"), "ingest", "--no-progress"],
        env=env,
        cwd=ROOT,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    ingest_s = time.monotonic() - started

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = start_server(home, port, tmp / "server.log")
    try:
        ready_s = wait_ready(base, server)
        for _ in range(3):  # warm /ask too (agent, catalog) before measuring
            httpx.post(f"{base}/ask", json={"question": questions()[0]}, timeout=60)
        rss_before = rss_mib(server.pid)
        load_before = [round(x, 2) for x in os.getloadavg()]
        results = [asyncio.run(phase(base, e, clients, duration, questions())) for e in endpoints]
        rss_after = rss_mib(server.pid)
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
    log_text = (tmp / "server.log").read_text(errors="replace")
    summary = {
        "machine": f"{platform.node()} {platform.machine()}, {os.cpu_count()} CPUs, "
        f"Python {platform.python_version()}",
        "command": " ".join([Path(sys.argv[0]).as_posix(), *sys.argv[1:]]),
        "load_average_before": load_before,
        "load_average_after": [round(x, 2) for x in os.getloadavg()],
        "ingest_s": round(ingest_s, 1),
        "server_ready_s": round(ready_s, 1),
        "server_rss_mib_before": round(rss_before, 1),
        "server_rss_mib_after": round(rss_after, 1),
        "server_tracebacks": log_text.count("Traceback"),
        "phases": results,
    }
    print(json.dumps(summary, indent=1))
    if summary["server_tracebacks"]:
        print(f"server log with tracebacks kept: {tmp / 'server.log'}", file=sys.stderr)
    else:
        shutil.rmtree(tmp, ignore_errors=True)
    search = next((r for r in results if r["endpoint"] == "/search"), None)
    failed = any(r["errors"] for r in results) or (search is not None and search["p95_ms"] > 300)
    print(
        "targets (0 errors, /search p95 <= 300 ms):", "MISSED" if failed else "met", file=sys.stderr
    )


if __name__ == "__main__":
    main()
