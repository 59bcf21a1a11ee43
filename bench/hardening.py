"""Server hardening under attack, this code against a baseline commit, side by side (issue 20).

For each code tree (``--baseline DIR``: an exported older commit, e.g.
``git archive 5078b20 | tar -x -C /tmp/before``; and this checkout), start ``resolutions serve``
on loopback, wait for its warm-up, then measure:

1. peak RSS while 8 clients each send a 200 MiB chunked body to ``POST /ask`` (bounded: 30 s
   each), against the idle RSS;
2. ``/health`` latency (p50, p99, max over 200 probes) while one upload is being indexed.

Usage: ``.venv/bin/python bench/hardening.py --baseline /tmp/before``. Prints a Markdown table.
"""

from __future__ import annotations

import argparse
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
MiB = 1024 * 1024
TOKEN = "bench-token"
LAUNCH = "import sys; sys.path.insert(0, sys.argv.pop(1)); from assistant.cli import main; main()"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _rss(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def _attack(port: int, source: str) -> None:
    sock = socket.create_connection(("127.0.0.1", port), timeout=10, source_address=(source, 0))
    head = "POST /ask HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
    sock.sendall(f"{head}Transfer-Encoding: chunked\r\n\r\n".encode())
    piece = b"{" + b" " * (MiB - 1)
    deadline = time.monotonic() + 30
    try:
        for _ in range(200):
            if time.monotonic() > deadline:
                break
            sock.sendall(b"%x\r\n%s\r\n" % (len(piece), piece))
    except OSError:
        pass
    finally:
        sock.close()


def _collection(folder: Path) -> Path:
    """A text of many UNSC resolutions' paragraphs as passages: a few hundred chunks to embed."""
    unsc = sorted((ROOT / "evals" / "data" / "unsc").glob("*.txt"))[:30]
    text = "\n\n".join(p.read_text(encoding="utf-8") for p in unsc)
    path = folder / "notes-bench.txt"
    path.write_text("Notes for the bench\n\n" + text.replace("RESOLUTION", "Resolution"))
    return path


def _probe(client: httpx.Client, url: str, count: int, stop: threading.Event) -> list[float]:
    """Up to ``count`` timed GETs of ``url`` (until ``stop``), sorted, in ms."""
    latencies: list[float] = []
    while not stop.is_set() and len(latencies) < count:
        started = time.perf_counter()
        client.get(url)
        latencies.append((time.perf_counter() - started) * 1000)
        time.sleep(0.05)
    return sorted(latencies)


def measure(code: Path, label: str) -> dict[str, float]:
    home = Path(tempfile.mkdtemp(prefix="bench-hardening-"))
    port = _free_port()
    env = {
        **os.environ,
        "RESOLUTIONS_HOME": str(home),
        "RESOLUTIONS_API_TOKEN": TOKEN,
        "RESOLUTIONS_RATE_LIMIT_PER_MINUTE": "0",
        "HF_HUB_OFFLINE": "1",
    }
    log = (home / "serve.log").open("wb")
    command = [sys.executable, "-c", LAUNCH, str(code), "serve", "--port", str(port)]
    server = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 240
        while time.monotonic() < deadline:
            text = (home / "serve.log").read_text(errors="replace")
            if "library ready" in text or "warm-up failed" in text:
                break
            time.sleep(0.5)
        time.sleep(2)
        idle = _rss(server.pid)
        client = httpx.Client(timeout=30)
        quiet = _probe(client, f"{url}/health", 100, threading.Event())
        peak = idle
        threads = [
            threading.Thread(target=_attack, args=(port, f"127.0.9.{n + 1}")) for n in range(8)
        ]
        for thread in threads:
            thread.start()
        while any(t.is_alive() for t in threads):
            peak = max(peak, _rss(server.pid))
            time.sleep(0.05)
        peak = max(peak, _rss(server.pid))
        upload = _collection(home)
        done = threading.Event()

        def send() -> None:
            with upload.open("rb") as handle:
                httpx.post(
                    f"{url}/ingest",
                    files={"file": (upload.name, handle, "text/plain")},
                    headers={"Authorization": f"Bearer {TOKEN}"},
                    timeout=600,
                )
            done.set()

        threading.Thread(target=send).start()
        time.sleep(0.5)
        latencies = _probe(client, f"{url}/health", 200, done)
        done.wait(600)
        return {
            "quiet_p50": statistics.median(quiet),
            "quiet_p99": quiet[int(len(quiet) * 0.99) - 1],
            "idle": idle,
            "peak": peak,
            "health_p50": statistics.median(latencies) if latencies else 0.0,
            "health_p99": latencies[int(len(latencies) * 0.99) - 1] if latencies else 0.0,
            "health_max": latencies[-1] if latencies else 0.0,
            "probes": len(latencies),
        }
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
        shutil.rmtree(home, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--baseline", type=Path, help="an exported older tree (default: none)")
    args = parser.parse_args()
    rows = [("baseline", measure(args.baseline, "baseline"))] if args.baseline else []
    rows.append(("this", measure(ROOT, "this")))
    print("| code | idle RSS (MiB) | peak RSS, 8 x 200 MiB bodies | growth | /health p50 / p99 "
          "idle (ms) | /health p50 / p99 / max during an ingest (ms) | probes |")  # fmt: skip
    print("|---|---|---|---|---|---|---|")
    for name, r in rows:
        print(
            f"| {name} | {r['idle']:.0f} | {r['peak']:.0f} | {r['peak'] - r['idle']:+.0f} | "
            f"{r['quiet_p50']:.1f} / {r['quiet_p99']:.1f} | "
            f"{r['health_p50']:.1f} / {r['health_p99']:.1f} / {r['health_max']:.1f} | "
            f"{r['probes']:.0f} |"
        )


if __name__ == "__main__":
    main()
