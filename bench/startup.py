"""Cold start of the CLI commands, side by side with a baseline checkout (issue 17).

Each measurement is one new process, timed from start to exit; per round, in turn: the reference
(``python -c "import sentence_transformers"``), then each command from this checkout (A) and from
the baseline (B), alternating which goes first. Each code has its own data directory with the
sample corpus, ingested by that code (the schemas differ). Every ask/search/draft asks a
different question, so nothing is answered twice. Prints medians and ratios to the reference.

With ``--served``, a ``resolutions serve`` of this checkout runs over its data directory and two
more rows time ``ask`` and ``search`` handed to it (``RESOLUTIONS_SERVER_URL``); the other rows
answer in-process (the setting empty). Without ``--baseline``, this checkout only.

    git archive COMMIT | tar -x -C /tmp/before
    .venv/bin/python bench/startup.py --baseline /tmp/before --rounds 5
    .venv/bin/python bench/startup.py --rounds 5 --served
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent / "load"))

from run import ROOT, Perturbed, cli, free_port, ingest, questions, start_server, wait_ready

TOPICS = [
    "regional preparatory meetings",
    "coordination with regional organizations",
    "assistance to developing countries",
    "common proposals for the conference",
    "regional offices of the Union",
]


SERVED = " (handed to a running server)"


def commands(round_: int, perturbed: Perturbed, served: bool = False) -> dict[str, list[str]]:
    found = {
        "ask": ["ask", perturbed.next()],
        "search": ["search", perturbed.next()],
        "draft": ["draft", "--topic", TOPICS[round_ % len(TOPICS)], "--no-llm"],
        "documents": ["documents"],
        "--help": ["--help"],
    }
    if served:  # only this checkout has it: the baseline answers these in-process
        found["ask" + SERVED] = ["ask", perturbed.next()]
        found["search" + SERVED] = ["search", perturbed.next()]
    return found


def timed(command: list[str], home: Path, cwd: Path, server_url: str = "") -> float:
    env = {**os.environ, "RESOLUTIONS_HOME": str(home), "HF_HUB_OFFLINE": "1"}
    env["ANONYMIZED_TELEMETRY"] = "False"
    env["RESOLUTIONS_SERVER_URL"] = server_url  # empty: in-process (the baseline ignores it)
    started = time.perf_counter()
    done = subprocess.run(command, env=env, cwd=cwd, capture_output=True, timeout=300)
    elapsed = time.perf_counter() - started
    if done.returncode not in (0, 2):
        raise SystemExit(f"{command} failed: {done.stderr.decode(errors='replace')[-500:]}")
    return elapsed


def check_served(home: Path, url: str) -> None:
    """The served rows really are served (a server of another library would not be)."""
    env = {**os.environ, "RESOLUTIONS_HOME": str(home), "RESOLUTIONS_SERVER_URL": url}
    done = subprocess.run(
        [*cli(None), "ask", "--json", "regional preparatory meetings"],
        env=env,
        capture_output=True,
        timeout=300,
        check=True,
    )
    served_by = json.loads(done.stdout)["served_by"]
    if served_by != url:
        raise SystemExit(f"ask was answered by {served_by}, not by the server at {url}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--baseline", type=Path, help="a checkout of the code before")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument(
        "--served", action="store_true", help="add ask and search handed to a running server"
    )
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="resolutions-startup-"))
    codes: list[tuple[str, Path | None]] = [("this work", None)]
    if args.baseline:
        codes.append(("baseline", args.baseline.resolve()))
    homes = {label: tmp / f"home-{n}" for n, (label, _) in enumerate(codes)}
    for label, code in codes:
        ingest(homes[label], code)
        timed([*cli(code), "search", "warm the page cache"], homes[label], code or ROOT)
    server = None
    url = ""
    if args.served:
        port = free_port()
        url = f"http://127.0.0.1:{port}"
        server = start_server(homes["this work"], port, tmp / "serve.log")
    try:
        if server is not None:
            wait_ready(url, server)
            check_served(homes["this work"], url)
        times = measure(args.rounds, codes, homes, url)
    finally:
        if server is not None:
            server.terminate()
            server.wait(30)
    report(times, [label for label, _ in codes], args.served)


def measure(
    rounds: int, codes: list[tuple[str, Path | None]], homes: dict[str, Path], url: str
) -> dict[tuple[str, str], list[float]]:
    reference = [sys.executable, "-c", "import sentence_transformers"]
    times: dict[tuple[str, str], list[float]] = {}
    perturbed = Perturbed(questions(), 17)
    for round_ in range(rounds):
        order = codes if round_ % 2 == 0 else codes[::-1]
        for name, rest in commands(round_, perturbed, bool(url)).items():
            times.setdefault(("reference", "import sentence_transformers"), []).append(
                timed(reference, homes["this work"], ROOT)
            )
            for label, code in order:
                if name.endswith(SERVED) and code is not None:
                    continue
                server_url = url if name.endswith(SERVED) else ""
                seconds = timed([*cli(code), *rest], homes[label], code or ROOT, server_url)
                times.setdefault((label, name), []).append(seconds)
    return times


def report(times: dict[tuple[str, str], list[float]], labels: list[str], served: bool) -> None:
    ref = statistics.median(times[("reference", "import sentence_transformers")])
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} CPUs, Python "
        f"{platform.python_version()}; load average after {os.getloadavg()}"
    )
    print(f'reference `python -c "import sentence_transformers"`: median {ref:.2f} s')
    head = "| command | this work (s) | ratio |"
    if "baseline" in labels:
        head += " baseline (s) | ratio | this / baseline |"
    print(head)
    print("|---" * (head.count("|") - 1) + "|")
    for name in commands(0, Perturbed(questions(), 0), served):
        mine = statistics.median(times[("this work", name)])
        row = f"| `{name}` | {mine:.2f} | {mine / ref:.2f}x |"
        if ("baseline", name) in times:
            base = statistics.median(times[("baseline", name)])
            row += f" {base:.2f} | {base / ref:.2f}x | {mine / base:.2f} |"
        elif "baseline" in labels:
            row += " | | |"
        print(row)


if __name__ == "__main__":
    main()
