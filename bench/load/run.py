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
    .venv/bin/python bench/load/run.py --clients 1,8,32 --baseline /tmp/before --rounds 2

Every request asks a DIFFERENT question (an eval question with two filler words around it, never
repeated in a run), so no cache of the server can answer a repeat. ``--baseline CODE`` runs the
same phases against a second server started from another checkout (``git archive COMMIT | tar
-x -C CODE``) with its own data directory ingested by that code, alternating A B A B
(``--rounds``), and prints one table of both. The server's RSS is sampled every second.
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
# Runs a checkout's CLI from its folder with this venv (as bench/hardening.py does).
LAUNCH = "import sys; sys.path.insert(0, sys.argv.pop(1)); from assistant.cli import main; main()"
FILLERS = [
    "please",
    "kindly",
    "briefly",
    "today",
    "again",
    "now",
    "exactly",
    "overall",
    "in short",
    "in brief",
    "quickly",
    "precisely",
]


class Perturbed:
    """Questions never asked twice in one run: an eval question with filler words around it."""

    def __init__(self, texts: list[str], seed: int) -> None:
        self.texts = texts
        self.random = random.Random(seed)
        self.seen: set[str] = set()

    def next(self) -> str:
        while True:
            question = self.random.choice(self.texts)
            first, last = self.random.sample(FILLERS, 2)
            count = len(self.seen) // (len(self.texts) * 132) + 1  # more fillers when exhausted
            extra = " ".join(self.random.sample(FILLERS, min(count - 1, len(FILLERS))))
            text = f"{first.capitalize()}, {question[0].lower()}{question[1:]} {last} {extra}"
            text = text.strip()
            if text not in self.seen:
                self.seen.add(text)
                return text


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
    base: str, endpoint: str, clients: int, duration: float, texts: list[str], seed: int = 0
) -> dict[str, Any]:
    """Closed loop: each client sends its next request when the previous one is answered."""
    perturbed = Perturbed(texts, seed)
    latencies: list[float] = []
    errors: dict[str, int] = {}
    deadline = time.monotonic() + duration
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)

    async def client(number: int, http: httpx.AsyncClient) -> None:
        while time.monotonic() < deadline:
            text = perturbed.next()
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


def cli(code: Path | None) -> list[str]:
    """The command line of ``resolutions`` from this checkout, or from the checkout ``code``."""
    if code is None:
        return [str(BIN / "resolutions")]
    return [sys.executable, "-c", LAUNCH, str(code)]


def start_server(
    home: Path, port: int, log: Path, code: Path | None = None
) -> subprocess.Popen[bytes]:
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
            [*cli(code), "serve", "--host", "127.0.0.1", "--port", str(port)],
            env=env,
            cwd=code or ROOT,
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


class RssSampler:
    """The server's RSS every ``every`` seconds, in a thread: (seconds since start, MiB)."""

    def __init__(self, pid: int, every: float = 1.0) -> None:
        import threading

        self.pid = pid
        self.every = every
        self.samples: list[tuple[float, float]] = []
        self._stop = threading.Event()
        self._started = time.monotonic()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                self.samples.append((time.monotonic() - self._started, rss_mib(self.pid)))
            except OSError:
                return
            self._stop.wait(self.every)

    def stop(self) -> list[tuple[float, float]]:
        self._stop.set()
        self._thread.join(5)
        return self.samples


def ingest(home: Path, code: Path | None) -> float:
    env = {
        **os.environ,
        "RESOLUTIONS_HOME": str(home),
        "HF_HUB_OFFLINE": "1",
        "ANONYMIZED_TELEMETRY": "False",
    }
    started = time.monotonic()
    subprocess.run(
        [*cli(code), "ingest", "--no-progress"],
        env=env,
        cwd=code or ROOT,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return time.monotonic() - started


def run_server(
    label: str,
    home: Path,
    code: Path | None,
    endpoints: list[str],
    client_counts: list[int],
    duration: float,
    seed: int,
    tmp: Path,
) -> dict[str, Any]:
    """Start one server, warm it, run every (endpoint, clients) phase, stop it."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    log = tmp / f"server-{label}-{seed}.log"
    server = start_server(home, port, log, code)
    try:
        ready_s = wait_ready(base, server)
        for _ in range(3):  # warm /ask too (agent, catalog) before measuring
            httpx.post(f"{base}/ask", json={"question": questions()[0]}, timeout=60)
        sampler = RssSampler(server.pid)
        rss_before = rss_mib(server.pid)
        results = []
        for endpoint in endpoints:
            for clients in client_counts:
                result = asyncio.run(
                    phase(base, endpoint, clients, duration, questions(), seed * 1000 + clients)
                )
                result["code"] = label
                results.append(result)
        rss_after = rss_mib(server.pid)
        samples = sampler.stop()
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
    log_text = log.read_text(errors="replace")
    return {
        "code": label,
        "server_ready_s": round(ready_s, 1),
        "server_rss_mib_before": round(rss_before, 1),
        "server_rss_mib_after": round(rss_after, 1),
        "rss_samples": [(round(t, 1), round(m, 1)) for t, m in samples],
        "server_tracebacks": log_text.count("Traceback"),
        "phases": results,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", default="32", help="client counts, comma-separated: 1,8,32")
    parser.add_argument("--duration", type=float, default=60.0, help="seconds per phase")
    parser.add_argument("--endpoints", default="search,ask")
    parser.add_argument(
        "--home",
        type=Path,
        default=None,
        help="data directory with the corpus ingested (default: a new one)",
    )
    parser.add_argument(
        "--baseline", type=Path, default=None, help="another checkout to run side by side"
    )
    parser.add_argument("--rounds", type=int, default=1, help="A B rounds (with --baseline)")
    parser.add_argument("--json", type=Path, default=None, help="also write the results here")
    args = parser.parse_args()
    client_counts = [max(1, min(int(c), MAX_CLIENTS)) for c in str(args.clients).split(",")]
    duration = max(1.0, min(args.duration, MAX_SECONDS))
    endpoints = [e.strip().lstrip("/") for e in args.endpoints.split(",") if e.strip()]
    assert set(endpoints) <= {"search", "ask"}, endpoints

    tmp = Path(tempfile.mkdtemp(prefix="resolutions-load-"))
    codes: list[tuple[str, Path | None]] = [("this work", None)]
    if args.baseline:
        codes.append(("baseline", args.baseline.resolve()))
    homes: dict[str, Path] = {}
    ingest_s: dict[str, float] = {}
    for label, code in codes:
        home = args.home if (args.home and code is None) else tmp / f"home-{len(homes)}"
        if not (args.home and code is None):
            ingest_s[label] = round(ingest(home, code), 1)
        homes[label] = home
    load_before = [round(x, 2) for x in os.getloadavg()]
    servers = []
    for round_ in range(max(1, args.rounds if args.baseline else 1)):
        for label, code in codes if round_ % 2 == 0 else codes[::-1]:
            servers.append(
                run_server(
                    label, homes[label], code, endpoints, client_counts, duration, round_, tmp
                )
            )
    summary = {
        "machine": f"{platform.node()} {platform.machine()}, {os.cpu_count()} CPUs, "
        f"Python {platform.python_version()}",
        "command": " ".join([Path(sys.argv[0]).as_posix(), *sys.argv[1:]]),
        "load_average_before": load_before,
        "load_average_after": [round(x, 2) for x in os.getloadavg()],
        "ingest_s": ingest_s,
        "servers": servers,
    }
    if args.json:
        args.json.write_text(json.dumps(summary, indent=1))
    print("| round | code | endpoint | clients | OK | errors | req/s | p50 ms | p95 ms | max ms |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for number, server in enumerate(servers):
        for r in server["phases"]:
            print(
                f"| {number // len(codes) + 1} | {r['code']} | {r['endpoint']} | {r['clients']} "
                f"| {r['ok']} | {r['errors']} | {r['throughput_rps']} | {r['p50_ms']} "
                f"| {r['p95_ms']} | {r['max_ms']} |"
            )
    for server in servers:
        print(
            f"RSS {server['code']}: {server['server_rss_mib_before']} -> "
            f"{server['server_rss_mib_after']} MiB; tracebacks: {server['server_tracebacks']}"
        )
    if not any(s["server_tracebacks"] for s in servers):
        shutil.rmtree(tmp, ignore_errors=True)
    else:
        print(f"server logs with tracebacks kept in {tmp}", file=sys.stderr)


if __name__ == "__main__":
    main()
