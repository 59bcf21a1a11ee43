"""Commands that embed nothing start without the heavy libraries (issue 17): no torch, no
sentence-transformers and no chromadb are imported by ``--help``, ``documents``, ``parse`` or
``refs`` of a file."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import CORPUS

HEAVY = ("torch", "sentence_transformers", "chromadb", "langchain_core", "transformers")
PROBE = """
import json, sys
sys.argv = ["resolutions", *sys.argv[1:]]
from assistant.cli import main
try:
    main()
except SystemExit:
    pass
print("\\n" + json.dumps(sorted(m for m in sys.modules if m.split(".")[0].startswith({heavy}))))
"""


def _heavy_modules(*args: str, home: Path) -> set[str]:
    code = PROBE.replace("{heavy}", repr(HEAVY))
    done = subprocess.run(
        [sys.executable, "-c", code, *args],
        capture_output=True,
        text=True,
        timeout=120,
        env={"RESOLUTIONS_HOME": str(home), "PATH": "/usr/bin:/bin", "HF_HUB_OFFLINE": "1"},
    )
    return {m.split(".")[0] for m in json.loads(done.stdout.strip().splitlines()[-1])}


@pytest.mark.parametrize(
    "args",
    [
        ("--help",),
        ("documents",),
        ("documents", "--json"),
        ("parse", str(CORPUS / "WRC-72-Rev-WRC-19.txt")),
        ("parse", "--json", str(CORPUS / "WTSA-43-Rev-New-Delhi-2024.txt")),
        ("refs", str(CORPUS / "PP-58-Rev-Busan-2014.txt")),
    ],
)
def test_commands_that_embed_nothing_import_no_heavy_library(
    args: tuple[str, ...], tmp_path: Path
) -> None:
    assert _heavy_modules(*args, home=tmp_path) == set()
