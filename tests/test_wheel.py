"""The package as a user installs it: a wheel, not an editable checkout.

Builds the wheel, installs it without ``-e`` into a fresh virtual environment (its dependencies
borrowed from this one through a path file, so nothing is downloaded), and runs the command from
a folder outside the source tree, so a subpackage or data file missing from the wheel fails here.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.slow


def _run(command: list[str], cwd: Path, env: dict[str, str]) -> str:
    done = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, dict[str, str]]:
    work = tmp_path_factory.mktemp("wheel")
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    _run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
         "-w", str(work / "dist"), str(ROOT)],
        work, env,
    )  # fmt: skip
    [wheel] = (work / "dist").glob("resolution_assistant-*.whl")
    venv = work / "venv"
    _run([sys.executable, "-m", "venv", "--without-pip", str(venv)], work, env)
    python = venv / "bin" / "python"
    probe = [str(python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"]
    site = Path(_run(probe, work, env).strip())
    # the dependencies come from this environment; its editable hook is not processed from here
    (site / "borrowed-dependencies.pth").write_text(sysconfig.get_path("purelib") + "\n")
    _run(
        [sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps", "-q",
         str(wheel)],
        work, env,
    )  # fmt: skip
    outside = work / "elsewhere"
    outside.mkdir()
    env = {**env, "RESOLUTIONS_HOME": str(work / "home"), "HF_HUB_OFFLINE": "1"}
    return venv, outside, env


def test_the_installed_command_runs_outside_the_source_tree(
    installed: tuple[Path, Path, dict[str, str]],
) -> None:
    venv, outside, env = installed
    python = str(venv / "bin" / "python")
    where = _run([python, "-c", "import assistant; print(assistant.__file__)"], outside, env)
    assert str(venv) in where, where  # the wheel's copy, not the checkout
    command = [str(venv / "bin" / "resolutions")]  # the console script the wheel installs
    assert "ingest" in _run([*command, "--help"], outside, env)
    corpus_file = str(ROOT / "corpus" / "WRC-72-Rev-WRC-19.txt")
    parsed = json.loads(_run([*command, "parse", corpus_file, "--json"], outside, env))
    assert parsed[0]["document"] == "wrc-72-rev-wrc-19" and parsed[0]["sections"]


def test_the_installed_server_app_and_its_files(
    installed: tuple[Path, Path, dict[str, str]],
) -> None:
    venv, outside, env = installed
    check = (
        "from api.app import serving_app, STATIC\n"
        "from prompts import load_prompt\n"
        "from assistant.text.glossary import GLOSSARY_FILE\n"
        "from assistant.text.terms import DATA_FILE\n"
        "app = serving_app()\n"
        "assert (STATIC / 'index.html').is_file() and (STATIC / 'app.js').is_file()\n"
        "assert GLOSSARY_FILE.is_file() and DATA_FILE.is_file()\n"
        "assert load_prompt('agent') and load_prompt('answer_system')\n"
        "from assistant.index.database import MIGRATIONS, database_for\n"
        "from assistant.settings import Settings\n"
        "assert (MIGRATIONS / 'env.py').is_file() and (MIGRATIONS / 'script.py.mako').is_file()\n"
        "assert list((MIGRATIONS / 'versions').glob('0001_*.py'))\n"
        "assert database_for(Settings()).dialect == 'sqlite'  # migrated from the wheel's files\n"
        "print(sorted(r for r in app.openapi()['paths']))\n"
    )
    paths = _run([str(venv / "bin" / "python"), "-c", check], outside, env)
    assert "/ask" in paths and "/ingest" in paths
