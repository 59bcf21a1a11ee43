"""The regression gate, as CI runs it: the real evaluation (MiniLM, Chroma) against the baseline."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.slow
@pytest.mark.timeout(1200)
def test_resolutions_eval_check_passes_against_the_stored_baseline(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "HF_HUB_OFFLINE": "1",
        "TRANSFORMERS_OFFLINE": "1",
        "RESOLUTIONS_HOME": str(tmp_path / "home"),
    }
    command = [
        sys.executable,
        "-c",
        "from assistant.cli import main; main()",
        "eval",
        "--json",
        "--report",
        str(tmp_path / "report"),
        "--check",
        str(ROOT / "evals" / "baseline.json"),
    ]
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=1200)
    assert done.returncode == 0, done.stderr[-3000:]
    summary = json.loads(done.stdout)["summary"]
    assert summary["retrieval.assistant.hit@3"] > summary["retrieval.bm25.hit@3"]
    assert (tmp_path / "report" / "report.md").is_file()
