"""Bounded memory under load: RSS of a real `resolutions serve` during minutes of /ask.

Ingests the sample corpus into a new data directory (or uses ``--home``), starts the server, and
runs ``--clients`` closed-loop clients on ``POST /ask`` (every question different: see
bench/load/run.py) for ``--minutes``, sampling the server's RSS every second. Prints RSS after
1 minute, at the end, their ratio (target: <= 1.2) and the samples once a minute.

    .venv/bin/python bench/memory.py --minutes 10            # the issue 17 check
    .venv/bin/python bench/memory.py --minutes 10 --baseline /tmp/before
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent / "load"))

from run import (
    RssSampler,
    free_port,
    ingest,
    phase,
    questions,
    rss_mib,
    start_server,
    wait_ready,
)


def measure(
    code: Path | None, home: Path, minutes: float, clients: int, tmp: Path
) -> dict[str, Any]:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = start_server(home, port, tmp / "server.log", code)
    try:
        wait_ready(base, server)
        for _ in range(3):
            httpx.post(f"{base}/ask", json={"question": questions()[0]}, timeout=60)
        sampler = RssSampler(server.pid)
        idle = rss_mib(server.pid)
        result = asyncio.run(phase(base, "ask", clients, minutes * 60, questions(), seed=17))
        samples = sampler.stop()
    finally:
        server.terminate()
        server.wait(timeout=30)
    at_one = next((m for t, m in samples if t >= 60), samples[-1][1])
    end = samples[-1][1]
    return {
        "idle_mib": round(idle, 1),
        "rss_1min_mib": round(at_one, 1),
        "rss_end_mib": round(end, 1),
        "peak_mib": round(max(m for _, m in samples), 1),
        "ratio_end_to_1min": round(end / at_one, 3),
        "per_minute": [round(m, 1) for t, m in samples if int(t) % 60 == 0][:: max(1, 1)],
        "ask": result,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--minutes", type=float, default=10.0)
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--home", type=Path, default=None)
    parser.add_argument("--baseline", type=Path, default=None, help="run this checkout instead")
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="resolutions-memory-"))
    code = args.baseline.resolve() if args.baseline else None
    home = args.home or tmp / "home"
    if args.home is None:
        ingest(home, code)
    started = time.monotonic()
    result = measure(code, home, args.minutes, args.clients, tmp)
    result["wall_s"] = round(time.monotonic() - started, 1)
    ask = result.pop("ask")
    print(
        f"/ask x {args.clients} clients, {args.minutes:g} min: {ask['ok']} OK, {ask['errors']} "
        f"errors, {ask['throughput_rps']} req/s, p95 {ask['p95_ms']} ms"
    )
    print(
        f"RSS idle {result['idle_mib']} MiB, after 1 min {result['rss_1min_mib']}, at the end "
        f"{result['rss_end_mib']} (peak {result['peak_mib']}): ratio "
        f"{result['ratio_end_to_1min']} (target <= 1.2)"
    )
    print("RSS each minute (MiB):", result["per_minute"])


if __name__ == "__main__":
    main()
