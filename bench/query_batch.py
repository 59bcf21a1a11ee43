"""Which query batch size and wait suit this machine: N threads of ``Library.search`` in one
process (no HTTP), each search a different question, for each (RESOLUTIONS_QUERY_BATCH,
RESOLUTIONS_QUERY_WAIT_MS) pair, the pairs interleaved over ``--rounds`` so load drifts hit all.

    .venv/bin/python bench/query_batch.py --home /tmp/home   # a data directory with the corpus
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench" / "load"))

from run import Perturbed, questions  # noqa: E402

from assistant.index import embedding  # noqa: E402
from assistant.index.library import Library  # noqa: E402
from assistant.settings import load_settings  # noqa: E402


def searches_per_second(library: Library, threads: int, count: int, seed: int) -> float:
    perturbed = Perturbed(questions(), seed)
    texts = [perturbed.next() for _ in range(count)]
    lock = threading.Lock()

    def worker() -> None:
        while True:
            with lock:
                if not texts:
                    return
                text = texts.pop()
            library.search(text, k=5)

    started = time.perf_counter()
    pool = [threading.Thread(target=worker) for _ in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    return count / (time.perf_counter() - started)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--home", type=Path, required=True)
    parser.add_argument("--threads", type=int, default=32)
    parser.add_argument("--count", type=int, default=320, help="searches per measurement")
    parser.add_argument("--batches", default="1,8,16,32,64")
    parser.add_argument("--waits", default="0,2,5")
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    os.environ["RESOLUTIONS_HOME"] = str(args.home)
    pairs = [(int(b), float(w)) for b in args.batches.split(",") for w in args.waits.split(",")]
    results: dict[tuple[int, float], list[float]] = {pair: [] for pair in pairs}
    for round_ in range(args.rounds):
        for batch, wait in pairs if round_ % 2 == 0 else pairs[::-1]:
            library = Library(load_settings(query_batch=batch, query_wait_ms=wait))
            library.search("warm up")
            rate = searches_per_second(library, args.threads, args.count, round_)
            results[(batch, wait)].append(rate)
            embedding._CACHE.clear()
    print(f"load average after: {os.getloadavg()}")
    print("| batch | wait ms | searches/s (each round) | mean |")
    print("|---|---|---|---|")
    for (batch, wait), rates in results.items():
        shown = ", ".join(f"{r:.1f}" for r in rates)
        print(f"| {batch} | {wait:g} | {shown} | {statistics.fmean(rates):.1f} |")


if __name__ == "__main__":
    main()
