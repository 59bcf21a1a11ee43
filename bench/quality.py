"""Benchmark 4: retrieval quality (hit@1, hit@3, MRR) of the hybrid search against three baselines.

Questions: evals/data/questions.jsonl (unanswerable ones skipped; a hit is any clause of
expected + acceptable; follow-ups carry the turns before them, as in evals/retrieval_eval.py).
Corpus: the sample corpus (corpus/*.txt), indexed with the real MiniLM in a temporary home.
Baselines (same run, same embedder): evals/baselines.py.

    .venv/bin/python bench/quality.py            # table
    .venv/bin/python bench/quality.py --tune     # grid over the fusion weights (same questions)
"""

from __future__ import annotations

import argparse
import itertools
import json
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from assistant.index.embedding import default_embedder  # noqa: E402
from assistant.index.fusion import apply_boosts, top, weighted_rrf  # noqa: E402
from assistant.index.library import Library  # noqa: E402
from assistant.settings import Settings  # noqa: E402
from evals.baselines import BM25Baseline, DenseBaseline, NaiveRAGBaseline  # noqa: E402
from evals.corpus import parse_corpus  # noqa: E402
from evals.datasets import load_questions  # noqa: E402
from evals.metrics import first_rank, retrieval_scores  # noqa: E402
from evals.retrieval_eval import search_text  # noqa: E402

DEPTH = 10


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tune", action="store_true")
    parser.add_argument("--questions", type=Path, default=ROOT / "evals/data/questions.jsonl")
    parser.add_argument("--details", action="store_true", help="print misses of the assistant")
    args = parser.parse_args()
    questions = load_questions(args.questions)
    by_id = {q.id: q for q in questions}
    files = sorted((ROOT / "corpus").glob("*.txt"))
    corpus = parse_corpus(files)
    answerable = [q for q in questions if q.answerable and q.supporting & corpus.ids]
    embedder = default_embedder()
    with tempfile.TemporaryDirectory() as tmp:
        library = Library(
            Settings(home=Path(tmp) / "home", corpus=ROOT / "corpus"), embedder=embedder
        )
        library.ingest()
        if args.tune:
            tune(library, answerable, by_id)
            return
        systems = {
            "hybrid (assistant)": lambda q: [{h.id} for h in library.search(q, k=DEPTH)],
            "bm25 over clauses": BM25Baseline(corpus.clauses).rank,
            "dense over clauses": DenseBaseline(corpus.clauses, embedder).rank,
            "naive LangChain 1000/200": NaiveRAGBaseline(
                corpus.files, corpus.clauses, embedder
            ).rank,
        }
        rows = {}
        for name, rank in systems.items():
            ranks = []
            started = time.perf_counter()
            for q in answerable:
                ranked = (
                    rank(search_text(q, by_id))
                    if name.startswith("hybrid")
                    else rank(search_text(q, by_id), DEPTH)
                )  # type: ignore[call-arg]
                ranks.append(first_rank(ranked, q.supporting))
                if args.details and name.startswith("hybrid") and (ranks[-1] or 99) > 3:
                    print(f"miss {q.id} rank={ranks[-1]}: {q.question}", file=sys.stderr)
            rows[name] = {
                **retrieval_scores(ranks, ks=(1, 3, 5)),
                "ms/query": 1000 * (time.perf_counter() - started) / len(answerable),
            }
    print(
        f"{len(answerable)} answerable questions of {len(questions)} "
        f"({args.questions.relative_to(ROOT)}), corpus: {len(files)} files, "
        f"{len(corpus.clauses)} clauses\n"
    )
    print("| retriever | hit@1 | hit@3 | hit@5 | MRR | ms/query |")
    print("|---|---|---|---|---|---|")
    for name, row in rows.items():
        print(
            f"| {name} | {row['hit@1']:.3f} | {row['hit@3']:.3f} | {row['hit@5']:.3f} | "
            f"{row['mrr']:.3f} | {row['ms/query']:.1f} |"
        )
    print("\n" + json.dumps(rows))


def tune(library: Library, answerable: list, by_id: dict) -> None:
    """Grid search of the global fusion weights over precomputed dense and BM25 rankings."""
    retriever = library.retriever
    state = library.state()
    lexical = retriever.lexical(state)
    expansion_weights = (0.3, 0.6, 1.0)
    cached = []
    for q in answerable:
        text = search_text(q, by_id)
        terms = retriever.glossary.find(text)
        extra = retriever.glossary.expansions(text, terms)
        expanded = f"{text} ({'; '.join(extra)})" if extra else text
        bm25 = {
            w: [c for c, _ in lexical.search(text, 50, None, " ".join(extra), w)]
            for w in expansion_weights
        }
        dense = [c for c, _ in retriever._dense(expanded, 50, {}, state)]
        cached.append((q, terms, dense, bm25))
    results = []
    grid = itertools.product(
        expansion_weights,
        [0.25, 0.5, 0.75, 1.0],
        [5.0, 10.0, 30.0, 60.0],
        [0.0, 0.3, 0.6, 1.0],
        [0.0, 0.3],
        [0.0, 0.3, 0.6],
        [0.0, 0.5],
    )
    weights = retriever.weights
    for exp_w, dense_w, rrf_k, body_w, res_w, rev_w, clause_w in grid:
        weights.body, weights.resolution, weights.revision, weights.clause = (
            body_w,
            res_w,
            rev_w,
            clause_w,
        )
        ranks = []
        for q, terms, dense, bm25 in cached:
            scores = weighted_rrf(
                {"dense": dense, "bm25": bm25[exp_w]}, {"dense": dense_w, "bm25": 1.0}, k=rrf_k
            )
            scores = apply_boosts(scores, retriever._boosts(scores, terms, state, lexical))
            ranks.append(first_rank([{c} for c, _ in top(scores, DEPTH)], q.supporting))
        s = retrieval_scores(ranks, ks=(1, 3))
        results.append(
            (
                round(s["hit@3"], 3),
                round(s["mrr"], 3),
                round(s["hit@1"], 3),
                exp_w,
                dense_w,
                rrf_k,
                body_w,
                res_w,
                rev_w,
                clause_w,
            )
        )
    results.sort(reverse=True)
    print("hit@3, mrr, hit@1, expansion, dense, rrf_k, body, resolution, revision, clause")
    for row in results[:20]:
        print(row)
    for w in expansion_weights:
        ranks = [
            first_rank([{c} for c in item[3][w][:DEPTH]], item[0].supporting) for item in cached
        ]
        print(f"bm25 only (expansion {w})", retrieval_scores(ranks, ks=(1, 3)))
    ranks = [first_rank([{c} for c in item[2][:DEPTH]], item[0].supporting) for item in cached]
    print("dense only", retrieval_scores(ranks, ks=(1, 3)))


if __name__ == "__main__":
    main()
