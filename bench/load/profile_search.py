"""Where a search's CPU goes, in one process (no HTTP): Chroma's query with and without the
metadata, the query embedding alone and whole searches, each as CPU milliseconds per search with
1 and with ``--threads`` threads, then a cProfile of single-thread searches.

    .venv/bin/python bench/load/profile_search.py --home H     # H: a data directory, ingested

CPU time (``time.process_time``: every thread of the process, ONNX Runtime's pool included) is
what bounds throughput on a shared 2-core machine; wall time depends on the other engineers' load.
Every search is a different question (the load runner's perturbed eval questions).
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench" / "load"))

from run import Perturbed, questions  # noqa: E402


def per_call(fn: Callable[[str], object], texts: list[str], threads: int) -> tuple[float, float]:
    """(calls per second, CPU ms per call) of ``fn`` over ``texts`` on ``threads`` threads."""
    left = list(texts)
    lock = threading.Lock()

    def worker() -> None:
        while True:
            with lock:
                if not left:
                    return
                text = left.pop()
            fn(text)

    cpu, wall = time.process_time(), time.perf_counter()
    pool = [threading.Thread(target=worker) for _ in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    wall = time.perf_counter() - wall
    return len(texts) / wall, (time.process_time() - cpu) * 1000 / len(texts)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--home", type=Path, required=True)
    parser.add_argument("--threads", type=int, default=32)
    parser.add_argument("--count", type=int, default=320, help="searches per measurement")
    parser.add_argument("--top", type=int, default=30, help="cProfile lines (0: none)")
    args = parser.parse_args()
    os.environ["RESOLUTIONS_HOME"] = str(args.home)
    os.environ.setdefault("HF_HUB_OFFLINE", "1")

    from assistant.index.library import Library
    from assistant.settings import load_settings

    library = Library(load_settings())
    perturbed = Perturbed(questions(), 17)
    for _ in range(10):
        library.search(perturbed.next(), k=5)
    embed = library.embedder.embed_query
    vectors = {text: embed(text) for text in [perturbed.next() for _ in range(64)]}
    collection = library.store.collection

    def chroma(include: list[str]) -> Callable[[str], object]:
        return lambda text: collection.query(
            query_embeddings=[vectors[text]], n_results=100, include=include
        )

    print(f"load average {os.getloadavg()[0]:.1f}; {library.store.count()} chunks")
    print("| what | threads | per second | CPU ms each |")
    print("|---|---|---|---|")
    for label, fn, pool in [
        ("Chroma query k=100 with metadatas", chroma(["metadatas", "distances"]), list(vectors)),
        ("Chroma query k=100, distances only", chroma(["distances"]), list(vectors)),
    ]:
        rate, cpu = per_call(fn, pool * 3, 1)
        print(f"| {label} | 1 | {rate:.0f} | {cpu:.2f} |")
    for label, fn in [
        ("query embedding", embed),
        ("search (k=5)", lambda text: library.search(text, k=5)),
    ]:
        for threads in (1, args.threads):
            texts = [perturbed.next() for _ in range(args.count)]
            rate, cpu = per_call(fn, texts, threads)
            print(f"| {label} | {threads} | {rate:.1f} | {cpu:.1f} |")
    if args.top:
        profile = cProfile.Profile()
        texts = [perturbed.next() for _ in range(150)]
        profile.enable()
        for text in texts:
            library.search(text, k=5)
        profile.disable()
        pstats.Stats(profile).sort_stats("cumulative").print_stats(args.top)


if __name__ == "__main__":
    main()
