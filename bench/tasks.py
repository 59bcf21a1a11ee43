"""Benchmark 5: the user-facing tasks (answer, draft, revise, chat) at two library sizes.

Sizes: (a) the sample corpus only (fresh temporary home), (b) the sample corpus plus the 902
UNSC resolutions of ../shared/corpora/unsc (temporary home, or ``--home`` to reuse one: the
ingest is incremental, so a second run skips the slow UNSC embedding). For each size:

- search p50/p95 of ``Library.search(q, k=5)`` over evals/data/questions.jsonl (the baseline);
- offline answer p50/p95 of ``assistant.answering.answer.answer`` over the same questions;
- draft p50/max of ``assistant.drafting.draft.draft(clause_id=..., for_body="PP")`` for the first
clause of
  each operative section of the sample WTSA, WTDC and WRC resolutions;
- whole-resolution revise of PP 58 (Busan) for PP, the Doha draft excluded (median of runs);
- chat ``assistant.chat.agent.respond`` p50 over evals/data/chat_messages.jsonl (offline);
- peak RSS of the process once the size is built and warmed (``ru_maxrss``, which never goes
  down: the figure of (b) includes (a), still in memory).

Every task runs on every item once per size before timing (warm). The timed pass alternates the
sizes item by item, and search with answer question by question, so that ratios (to the search
p50 of the same size, and (b) to (a)) see the same load: compare those, not absolute times.

    HF_HUB_OFFLINE=1 .venv/bin/python bench/tasks.py [--home DIR] [--json] [--limit N]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from tqdm import tqdm

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from assistant.answering.answer import answer  # noqa: E402
from assistant.chat.agent import respond  # noqa: E402
from assistant.drafting.draft import draft  # noqa: E402
from assistant.drafting.revise import revise  # noqa: E402
from assistant.index.embedding import default_embedder  # noqa: E402
from assistant.index.library import Library  # noqa: E402
from assistant.settings import Settings  # noqa: E402
from evals.datasets import load_chat_messages, load_questions  # noqa: E402

UNSC = ROOT.parent / "shared" / "corpora" / "unsc"
DRAFT_SOURCES = ("wtsa-43-rev-new-delhi-2024", "wtdc-31-rev-baku-2025", "wrc-72-rev-wrc-19")
REVISE_BASE, REVISE_EXCLUDED = "pp-58-rev-busan-2014", "pp-58-rev-doha-2026"


def percentile(values: Sequence[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))]


Call = Callable[[Library, Any], object]
Group = tuple[list[Any], dict[str, Call]]  # items, and the tasks timed on each item in turn


def groups(args: argparse.Namespace, clauses: list[str]) -> list[Group]:
    """The tasks; search and answer share their questions and alternate, one question at a time."""
    questions = [q.question for q in load_questions(ROOT / "evals/data/questions.jsonl")]
    messages = [m.message for m in load_chat_messages(ROOT / "evals/data/chat_messages.jsonl")]
    return [
        (
            questions,
            {
                "search": lambda lib, q: lib.search(q, k=5),
                "answer": lambda lib, q: answer(lib, q),
            },
        ),
        (clauses, {"draft": lambda lib, c: draft(lib, clause_id=c, for_body="PP")}),
        (
            list(range(args.runs)),
            {
                "revise": lambda lib, _: revise(
                    lib, REVISE_BASE, for_body="PP", exclude_documents=[REVISE_EXCLUDED]
                )
            },
        ),
        (messages, {"chat": lambda lib, m: respond(lib, m)}),
    ]


def warm(library: Library, tasks: list[Group], size: str) -> None:
    """Run every task on every item once (fills the library's caches)."""
    for items, calls in tasks:
        for item in tqdm(items, desc=f"{size} warm-up {'+'.join(calls)}", leave=False):
            for call in calls.values():
                call(library, item)


def timed(libraries: dict[str, Library], tasks: list[Group]) -> dict[str, dict[str, list[float]]]:
    """Milliseconds per size, task and item; the sizes alternate item by item, so both see the
    same load of the shared machine."""
    times: dict[str, dict[str, list[float]]] = {size: {} for size in libraries}
    for items, calls in tasks:
        for item in tqdm(items, desc="+".join(calls), leave=False):
            for size, library in libraries.items():
                for name, call in calls.items():
                    started = time.perf_counter()
                    call(library, item)
                    ms = (time.perf_counter() - started) * 1000
                    times[size].setdefault(name, []).append(ms)
    return times


def draft_clauses(library: Library, count: int) -> list[str]:
    """The first clause of each operative section of the sector resolutions, interleaved."""
    per_doc = [
        [
            s.clauses[0].id
            for s in library.document(d).sections
            if s.kind == "operative" and s.clauses
        ]
        for d in DRAFT_SOURCES
    ]
    longest = max(len(ids) for ids in per_doc)
    order = [ids[i] for i in range(longest) for ids in per_doc if i < len(ids)]
    return order[:count]


def peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def summary(library: Library, times: dict[str, list[float]], rss: float) -> dict[str, Any]:
    """Percentiles (ms) of one size and their ratios to its search p50."""
    row: dict[str, Any] = {"documents": len(library.documents()), "chunks": library.store.count()}
    for name in ("search", "answer", "chat"):
        row[f"{name}_p50_ms"] = percentile(times[name], 50)
        row[f"{name}_p95_ms"] = percentile(times[name], 95)
    row["draft_p50_ms"], row["draft_max_ms"] = percentile(times["draft"], 50), max(times["draft"])
    row["revise_median_ms"] = statistics.median(times["revise"])
    for name in ("answer_p50", "draft_p50", "revise_median", "chat_p50"):
        row[f"{name.split('_')[0]}/search"] = row[f"{name}_ms"] / row["search_p50_ms"]
    row["peak_rss_mib"] = rss
    row = {k: round(v, 2) if isinstance(v, float) else v for k, v in row.items()}
    row["revise_runs_ms"] = [round(t) for t in times["revise"]]
    return row


def build(settings: Settings, home: Path, embedder: Any, paths: list[Path]) -> Library:
    """A library at ``home`` with ``paths`` and the sample corpus ingested (incrementally)."""
    library = Library(settings.model_copy(update={"home": home}), embedder=embedder)
    if paths:
        bar = tqdm(total=len(paths), desc="ingest UNSC", unit="file")

        def progress(done: int, total: int, what: str) -> None:
            bar.total = total
            bar.update(done - bar.n)

        started = time.perf_counter()
        report = library.ingest([str(p) for p in paths], progress)
        bar.close()
        seconds = time.perf_counter() - started
        print(
            f"ingest: {len(report.added)} added, {len(report.failed)} failed, {seconds:.1f} s",
            file=sys.stderr,
        )
    library.ingest()
    return library


def machine() -> dict[str, Any]:
    cpuinfo = Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines()
    model = next((line.split(":", 1)[1].strip() for line in cpuinfo if "model name" in line), "")
    return {
        "nproc": os.cpu_count(),
        "cpu": model or platform.processor(),
        "python": platform.python_version(),
        "load_average_start": [round(x, 2) for x in os.getloadavg()],
    }


def report_text(result: dict[str, Any]) -> str:
    sizes = result["sizes"]
    keys = [k for k in sizes["sample"] if not isinstance(sizes["sample"][k], list)]
    lines = [
        f"machine: {result['machine']}",
        f"{'measure':<28}" + "".join(f"{s:>14}" for s in sizes),
    ]
    lines += [f"{k:<28}" + "".join(f"{sizes[s][k]:>14}" for s in sizes) for k in keys]
    lines += [f"{k}: {v}" for k, v in result["scale_ratios"].items()]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(
        description="Time answer, draft, revise and chat (offline) against search, on a library "
        "of the sample corpus and on one with the UNSC resolutions added. Progress goes to "
        "stderr, the results to stdout.",
        epilog="Ratios are measured within one run; absolute times depend on the machine's load.",
    )
    parser.add_argument(
        "--home",
        type=Path,
        help="library home for the large size, reused across runs (created and ingested "
        "incrementally if needed; default: a temporary directory, deleted after the run)",
    )
    parser.add_argument("--unsc", type=Path, default=UNSC, help="folder of UNSC .txt files")
    parser.add_argument("--limit", type=int, default=0, help="only the first N UNSC files")
    parser.add_argument("--drafts", type=int, default=10, help="clauses to draft (default 10)")
    parser.add_argument("--runs", type=int, default=3, help="revise runs, median (default 3)")
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    args = parser.parse_args()
    files = sorted(args.unsc.glob("*.txt"))[: args.limit or None]
    if not files:
        parser.error(f"no .txt files in {args.unsc}; pass --unsc DIR")
    result: dict[str, Any] = {"machine": machine(), "unsc_files": len(files), "sizes": {}}
    settings = Settings(corpus=ROOT / "corpus")
    embedder = default_embedder(settings.embedding_model or None)
    libraries: dict[str, Library] = {}
    rss: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as tmp:
        libraries["sample"] = build(settings, Path(tmp) / "sample", embedder, [])
        tasks = groups(args, draft_clauses(libraries["sample"], args.drafts))
        warm(libraries["sample"], tasks, "sample")
        rss["sample"] = peak_rss_mib()
        libraries["sample+unsc"] = build(settings, args.home or Path(tmp) / "unsc", embedder, files)
        warm(libraries["sample+unsc"], tasks, "sample+unsc")
        rss["sample+unsc"] = peak_rss_mib()
        times = timed(libraries, tasks)
        result["draft_clauses"] = tasks[1][0]
        for size, library in libraries.items():
            result["sizes"][size] = summary(library, times[size], rss[size])
    a, b = result["sizes"]["sample"], result["sizes"]["sample+unsc"]
    result["scale_ratios"] = {
        k: round(b[k] / a[k], 2)
        for k in (
            "search_p50_ms",
            "answer_p50_ms",
            "draft_p50_ms",
            "revise_median_ms",
            "chat_p50_ms",
        )
    }
    print(json.dumps(result, indent=1) if args.json else report_text(result))


if __name__ == "__main__":
    main()
