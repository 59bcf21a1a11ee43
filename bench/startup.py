"""Cold start of the CLI commands, side by side with a baseline checkout (issue 17).

Each measurement is one new process, timed from start to exit; per round, in turn: the reference
(``python -c "import sentence_transformers"``), then each command from this checkout (A) and from
the baseline (B), alternating which goes first. Each code has its own data directory with the
sample corpus, ingested by that code (the schemas differ). Every ask/search/draft asks a
different question, so nothing is answered twice. Prints medians and ratios to the reference.

    git archive COMMIT | tar -x -C /tmp/before
    .venv/bin/python bench/startup.py --baseline /tmp/before --rounds 5
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent / "load"))

from run import ROOT, Perturbed, cli, ingest, questions

TOPICS = [
    "regional preparatory meetings",
    "coordination with regional organizations",
    "assistance to developing countries",
    "common proposals for the conference",
    "regional offices of the Union",
]


def commands(round_: int, perturbed: Perturbed) -> dict[str, list[str]]:
    return {
        "ask": ["ask", perturbed.next()],
        "search": ["search", perturbed.next()],
        "draft": ["draft", "--topic", TOPICS[round_ % len(TOPICS)], "--no-llm"],
        "documents": ["documents"],
        "--help": ["--help"],
    }


def timed(command: list[str], home: Path, cwd: Path) -> float:
    env = {**os.environ, "RESOLUTIONS_HOME": str(home), "HF_HUB_OFFLINE": "1"}
    env["ANONYMIZED_TELEMETRY"] = "False"
    started = time.perf_counter()
    done = subprocess.run(command, env=env, cwd=cwd, capture_output=True, timeout=300)
    elapsed = time.perf_counter() - started
    if done.returncode not in (0, 2):
        raise SystemExit(f"{command} failed: {done.stderr.decode(errors='replace')[-500:]}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--baseline", type=Path, required=True)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    baseline = args.baseline.resolve()
    tmp = Path(tempfile.mkdtemp(prefix="resolutions-startup-"))
    codes: list[tuple[str, Path | None]] = [("this work", None), ("baseline", baseline)]
    homes = {label: tmp / f"home-{n}" for n, (label, _) in enumerate(codes)}
    for label, code in codes:
        ingest(homes[label], code)
        timed([*cli(code), "search", "warm the page cache"], homes[label], code or ROOT)
    reference = [sys.executable, "-c", "import sentence_transformers"]
    times: dict[tuple[str, str], list[float]] = {}
    perturbed = Perturbed(questions(), 17)
    for round_ in range(args.rounds):
        order = codes if round_ % 2 == 0 else codes[::-1]
        for name, rest in commands(round_, perturbed).items():
            times.setdefault(("reference", "import sentence_transformers"), []).append(
                timed(reference, homes["this work"], ROOT)
            )
            for label, code in order:
                seconds = timed([*cli(code), *rest], homes[label], code or ROOT)
                times.setdefault((label, name), []).append(seconds)
    ref = statistics.median(times[("reference", "import sentence_transformers")])
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} CPUs, Python "
        f"{platform.python_version()}; load average after {os.getloadavg()}"
    )
    print(f'reference `python -c "import sentence_transformers"`: median {ref:.2f} s')
    print("| command | this work (s) | ratio | baseline (s) | ratio | this / baseline |")
    print("|---|---|---|---|---|---|")
    for name in commands(0, Perturbed(questions(), 0)):
        mine = statistics.median(times[("this work", name)])
        base = statistics.median(times[("baseline", name)])
        print(
            f"| `{name}` | {mine:.2f} | {mine / ref:.2f}x | {base:.2f} | {base / ref:.2f}x "
            f"| {mine / base:.2f} |"
        )


if __name__ == "__main__":
    main()
