"""Throughput of /search and /ask with 1 and 2 `resolutions serve` replicas sharing one `chroma run`
server and one PostgreSQL (issue 18), side by side in one run, and where a search's time goes.

    .venv/bin/python bench/replicas.py [--requests 120] [--concurrency 4]

Starts PostgreSQL (tests/pg_server.py), a chroma server and two replicas on loopback, uploads the
sample corpus through replica A, then sends the same requests to [A] and to [A, B] (round robin)
from one client with ``--concurrency`` threads. Everything shares this machine's cores.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from tempfile import TemporaryDirectory

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.conftest import CORPUS, free_port, running_server  # noqa: E402
from tests.pg_server import running_postgres  # noqa: E402
from tests.test_chroma_server import chroma_command  # noqa: E402
from tests.test_replicas import TOKEN, Replica  # noqa: E402

QUERIES = [
    "regional preparatory meetings",
    "fellowships for participants from developing countries",
    "What does WTSA Resolution 43 say about regional preparatory meetings?",
    "timing of interregional meetings",
    "What does PP Resolution 58 instruct the Secretary-General to do?",
    "relations with regional telecommunication organizations",
]


def measure(client: httpx.Client, urls: list[str], kind: str, n: int, workers: int) -> dict:
    def one(i: int) -> tuple[int, float]:
        url = urls[i % len(urls)]
        q = QUERIES[i % len(QUERIES)]
        start = time.perf_counter()
        if kind == "search":
            r = client.get(f"{url}/search", params={"q": q, "k": 5}, timeout=120)
        else:
            r = client.post(f"{url}/ask", json={"question": q}, timeout=120)
        return r.status_code, time.perf_counter() - start

    for i in range(len(urls) * 4):  # warm every replica's caches
        one(i)
    start = time.perf_counter()
    with ThreadPoolExecutor(workers) as pool:
        results = list(pool.map(one, range(n)))
    wall = time.perf_counter() - start
    latencies = sorted(t for _, t in results)
    return {
        "rps": n / wall,
        "p50": statistics.median(latencies) * 1000,
        "p95": latencies[int(0.95 * (len(latencies) - 1))] * 1000,
        "errors": sum(1 for s, _ in results if s != 200),
    }


def breakdown(database_url: str, chroma_url: str, home: Path) -> dict[str, float]:
    """Milliseconds per search of each part, in this process: the state-version poll, the query
    embedding, the Chroma query over HTTP, the whole hybrid search."""
    from assistant.index import ingest_state as st
    from assistant.index.library import Library
    from assistant.settings import Settings

    library = Library(Settings(home=home, database_url=database_url, chroma_url=chroma_url))
    library.search("warm up", k=5)
    rounds = 30
    out: dict[str, float] = {}
    t = time.perf_counter()
    for _ in range(rounds):
        st.current_version(library.database)
    out["database: state-version poll"] = (time.perf_counter() - t) / rounds * 1000
    t = time.perf_counter()
    vectors = [library.embedder.embed_query(q) for q in QUERIES * 5]
    out["query embedding (MiniLM)"] = (time.perf_counter() - t) / len(vectors) * 1000
    t = time.perf_counter()
    for vector in vectors:
        library.store.query(vector, 100)
    out["Chroma query over HTTP (k=100)"] = (time.perf_counter() - t) / len(vectors) * 1000
    t = time.perf_counter()
    for q in QUERIES * 5:
        library.search(q, k=5)
    out["whole hybrid search (in process)"] = (time.perf_counter() - t) / (len(QUERIES) * 5) * 1000
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=120)
    parser.add_argument("--concurrency", type=int, default=4)
    args = parser.parse_args()
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    with TemporaryDirectory(prefix="bench-replicas-") as folder:
        base = Path(folder)
        chroma_port = free_port()
        chroma_url = f"http://127.0.0.1:{chroma_port}"
        serve_chroma = [chroma_command(), "run", "--path", str(base / "chroma"),
                        "--host", "127.0.0.1", "--port", str(chroma_port)]  # fmt: skip
        with (
            running_postgres() as database_url,
            running_server(serve_chroma, f"{chroma_url}/api/v2/heartbeat", base / "c.log", 60),
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
                    "ANONYMIZED_TELEMETRY": "False",
                }
                replicas.append(Replica(name, free_port(), base / f"home-{name}", env, base / name))
            try:
                for replica in replicas:
                    replica.start()
                with httpx.Client() as client:
                    for path in sorted(CORPUS.glob("*.txt")):
                        r = client.post(
                            f"{replicas[0].url}/ingest",
                            files={"file": (path.name, path.read_bytes(), "text/plain")},
                            headers={"Authorization": f"Bearer {TOKEN}"},
                            timeout=300,
                        )
                        assert r.status_code == 200, r.text
                    rows = []
                    for kind in ("search", "ask"):
                        for count in (1, 2):
                            urls = [r.url for r in replicas[:count]]
                            result = measure(client, urls, kind, args.requests, args.concurrency)
                            rows.append((kind, count, result))
                parts = breakdown(database_url, chroma_url, base / "home-probe")
            finally:
                for replica in replicas:
                    replica.stop()
    print(f"{args.requests} requests per cell, {args.concurrency} client threads, "
          f"{os.cpu_count()} cores\n")  # fmt: skip
    print("| endpoint | replicas | req/s | p50 ms | p95 ms | errors |")
    print("|---|---|---|---|---|---|")
    for kind, count, r in rows:
        print(f"| {kind} | {count} | {r['rps']:.1f} | {r['p50']:.0f} | {r['p95']:.0f} "
              f"| {r['errors']} |")  # fmt: skip
    for kind in ("search", "ask"):
        one, two = (r["rps"] for k, _, r in rows if k == kind)
        print(f"\n{kind}: 2 replicas / 1 replica = {two / one:.2f}")
    print("\n| part of one search | ms |\n|---|---|")
    for name, ms in parts.items():
        print(f"| {name} | {ms:.1f} |")


if __name__ == "__main__":
    main()
