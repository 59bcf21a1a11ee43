"""Benchmarks 1 and 2: ingest throughput on the UNSC corpus, warm search latency at that scale.

1. Clauses (chunks) per second of `Library.ingest` over ../shared/corpora/unsc (902 resolutions),
   against the raw encoder (SentenceTransformer.encode, same model, same texts, same process):
   the raw encoder runs before and after the ingest and the mean is used.
2. Search latency (p50, p95) over the UNSC corpus plus the sample corpus, warm (each query run
   once before timing), with the questions of evals/data/questions.jsonl as queries.

    .venv/bin/python bench/scale.py [--limit N]
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from assistant.index.chunking import document_chunks  # noqa: E402
from assistant.index.embedding import default_embedder  # noqa: E402
from assistant.index.library import Library  # noqa: E402
from assistant.settings import Settings  # noqa: E402
from evals.datasets import load_questions  # noqa: E402
from ingest.loader import load_file  # noqa: E402

UNSC = ROOT.parent / "shared" / "corpora" / "unsc"


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--limit", type=int, default=0, help="only the first N UNSC files")
    args = parser.parse_args()
    files = sorted(UNSC.glob("*.txt"))
    if args.limit:
        files = files[: args.limit]
    embedder = default_embedder()
    texts: list[str] = []
    seen: set[str] = set()
    for path in files:
        parsed = load_file(path)
        for document in parsed.documents:
            if document.id not in seen:  # the ingest refuses a second file with the same id
                seen.add(document.id)
                texts.extend(c.text for c in document_chunks(document, parsed.sha256))
    embedder.embed_documents(texts[:64])  # warm-up
    raw_times = []
    started = time.perf_counter()
    embedder.model.encode(
        texts, batch_size=embedder.batch_size, normalize_embeddings=True, show_progress_bar=False
    )
    raw_times.append(time.perf_counter() - started)
    with tempfile.TemporaryDirectory() as tmp:
        library = Library(
            Settings(home=Path(tmp) / "home", corpus=ROOT / "corpus"), embedder=embedder
        )
        started = time.perf_counter()
        report = library.ingest([str(p) for p in files])
        ingest_seconds = time.perf_counter() - started
        started = time.perf_counter()
        embedder.model.encode(
            texts,
            batch_size=embedder.batch_size,
            normalize_embeddings=True,
            show_progress_bar=False,
        )
        raw_times.append(time.perf_counter() - started)
        chunks = library.store.count()
        raw_rate = len(texts) / statistics.mean(raw_times)
        ingest_rate = chunks / ingest_seconds
        library.ingest()  # the sample corpus beside the UNSC resolutions
        queries = [q.question for q in load_questions(ROOT / "evals/data/questions.jsonl")]
        for query in queries:
            library.search(query, k=5)
        latencies = []
        for query in queries:
            started = time.perf_counter()
            library.search(query, k=5)
            latencies.append((time.perf_counter() - started) * 1000)
        result = {
            "machine": f"{platform.machine()}, {platform.python_version()}, "
            f"{__import__('os').cpu_count()} cpus",
            "files": len(files),
            "documents": len(report.added),
            "failed": len(report.failed),
            "clauses": report.clauses,
            "chunks": chunks,
            "texts_raw": len(texts),
            "ingest_seconds": round(ingest_seconds, 2),
            "raw_encoder_seconds": [round(t, 2) for t in raw_times],
            "ingest_chunks_per_s": round(ingest_rate, 1),
            "raw_chunks_per_s": round(raw_rate, 1),
            "ratio": round(ingest_rate / raw_rate, 3),
            "search_index_chunks": library.store.count(),
            "search_queries": len(latencies),
            "search_p50_ms": round(percentile(latencies, 50), 1),
            "search_p95_ms": round(percentile(latencies, 95), 1),
            "failed_examples": report.failed[:3],
        }
    print(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
