"""The micro-batcher's own cost: N threads of ``embed`` against a stand-in model whose pass
sleeps (the GIL released, as ONNX Runtime does), so the process CPU is the batcher's and the
threads' hand-offs, not the model's. Compares this QueryBatcher with another module's (the one of
an older commit: ``git show COMMIT:assistant/index/query_batcher.py > old.py``), interleaved.

    .venv/bin/python bench/query_batcher_overhead.py --old /tmp/old_batcher.py
"""

from __future__ import annotations

import argparse
import importlib.util
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

sys.path.insert(0, str(ROOT / "bench" / "load"))

from profile_search import per_call  # noqa: E402

from assistant.index.query_batcher import QueryBatcher  # noqa: E402


def run(batcher_class: Any, threads: int, count: int, pass_ms: float) -> tuple[float, float]:
    def encode(texts: list[str]) -> list[list[float]]:
        time.sleep(pass_ms / 1000 * (1 + len(texts) / 16))
        return [[float(len(t))] for t in texts]

    batcher = batcher_class(encode, 16, 2.0)

    def embed(text: str) -> None:
        assert batcher.embed(text) == [float(len(text))]

    return per_call(embed, [f"q{i}" for i in range(count)], threads)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--old", type=Path, required=True)
    parser.add_argument("--threads", type=int, default=32)
    parser.add_argument("--count", type=int, default=2000)
    parser.add_argument("--pass-ms", type=float, default=3.0)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    spec = importlib.util.spec_from_file_location("old_batcher", args.old)
    assert spec and spec.loader
    old = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(old)
    results: dict[str, list[tuple[float, float]]] = {"old": [], "new": []}
    for _ in range(args.rounds):
        for name, cls in (("old", old.QueryBatcher), ("new", QueryBatcher)):
            results[name].append(run(cls, args.threads, args.count, args.pass_ms))
    print("| batcher | embeds/s | CPU ms per embed (batcher + threads) |")
    print("|---|---|---|")
    for name, rows in results.items():
        rate = statistics.median(r for r, _ in rows)
        cpu = statistics.median(c for _, c in rows)
        print(f"| {name} | {rate:.0f} | {cpu:.3f} |")


if __name__ == "__main__":
    main()
