"""Benchmark 3: re-ingest of the unchanged sample corpus (nothing to embed).

Times `Library.ingest()` in process after a first ingest (start-up excluded), and the whole
`resolutions ingest` command (start-up included) in a subprocess.

    .venv/bin/python bench/reingest.py
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from assistant.index.embedding import default_embedder  # noqa: E402
from assistant.index.library import Library  # noqa: E402
from assistant.settings import Settings  # noqa: E402


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp) / "home"
        Library(Settings(home=home, corpus=ROOT / "corpus"), embedder=default_embedder()).ingest()
        in_process = []
        for _ in range(5):
            started = time.perf_counter()
            library = Library(Settings(home=home, corpus=ROOT / "corpus"))
            report = library.ingest()
            in_process.append(time.perf_counter() - started)
            assert not report.added and not report.replaced and len(report.unchanged) == 5
        env = {**os.environ, "RESOLUTIONS_HOME": str(home), "HF_HUB_OFFLINE": "1"}
        command = [str(Path(sys.executable).with_name("resolutions")), "ingest", "--no-progress"]
        started = time.perf_counter()
        subprocess.run(command, env=env, check=True, capture_output=True)
        cli = time.perf_counter() - started
        started = time.perf_counter()
        subprocess.run([command[0], "--help"], env=env, check=True, capture_output=True)
        startup = time.perf_counter() - started
    print(
        json.dumps(
            {
                "reingest_in_process_s": [round(t, 3) for t in in_process],
                "reingest_best_s": round(min(in_process), 3),
                "cli_total_s": round(cli, 2),
                "cli_startup_s (resolutions --help)": round(startup, 2),
                "cli_beyond_startup_s": round(cli - startup, 2),
            },
            indent=1,
        )
    )


if __name__ == "__main__":
    main()
