"""SIGKILL an ingest at many points in a subprocess, run it again: same index as one clean run."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from assistant.index import database
from assistant.index.library import Library
from assistant.settings import Settings
from tests.conftest import CORPUS, ROOT
from tests.fakes import FakeEmbedder

# Runs one ingest; with KILL_AT=name:n it SIGKILLs itself at the n-th call of that step.
WORKER = r"""
import os, signal, sys
sys.path.insert(0, os.environ["PROJECT_ROOT"])
from pathlib import Path
from assistant.index import indexer
from assistant.index import ingest_state
from assistant.index.library import Library
from assistant.settings import Settings
from assistant.index.store import ChromaStore
from tests.fakes import FakeEmbedder

indexer.BATCH_CHUNKS = 40
name, _, count = os.environ.get("KILL_AT", ":0").partition(":")
calls = {"n": 0}

def killer(function):
    def wrapped(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == int(count):
            if name.endswith("-after"):
                function(*args, **kwargs)
            os.kill(os.getpid(), signal.SIGKILL)
        return function(*args, **kwargs)
    return wrapped

targets = {
    "save_state": (ingest_state, "save_state"),
    "save_state-after": (ingest_state, "save_state"),
    "save_document": (ingest_state, "save_document"),
    "upsert": (ChromaStore, "upsert"), "upsert-after": (ChromaStore, "upsert"),
    "delete": (ChromaStore, "delete_document"),
    "delete-after": (ChromaStore, "delete_document"),
    "embed": (FakeEmbedder, "embed_documents"),
}
if name in targets:
    owner, attribute = targets[name]
    setattr(owner, attribute, killer(getattr(owner, attribute)))
settings = Settings(home=Path(sys.argv[1]), corpus=Path(sys.argv[2]))
report = Library(settings, embedder=FakeEmbedder()).ingest()
print(len(report.added), len(report.replaced), len(report.unchanged), len(report.failed))
"""


def make_corpus(folder: Path, copies: int = 2) -> Path:
    """The sample corpus plus renumbered copies (distinct resolutions, same layout)."""
    folder.mkdir(parents=True)
    for path in sorted(CORPUS.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        (folder / path.name).write_text(text, encoding="utf-8")
        for copy in range(1, copies):
            first, rest = text.split("\n", 1)
            renumbered = first.replace("RESOLUTION ", f"RESOLUTION {copy}0", 1)
            (folder / f"{copy}-{path.name}").write_text(f"{renumbered}\n{rest}", encoding="utf-8")
    return folder


def run_worker(home: Path, corpus: Path, kill_at: str = "") -> subprocess.CompletedProcess[str]:
    script = home.parent / "worker.py"
    script.write_text(WORKER, encoding="utf-8")
    env = {
        **os.environ,
        "PROJECT_ROOT": str(ROOT),
        "KILL_AT": kill_at,
        "ANONYMIZED_TELEMETRY": "False",
    }
    return subprocess.run(
        [sys.executable, str(script), str(home), str(corpus)],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def snapshot(home: Path, corpus: Path) -> dict[str, Any]:
    library = Library(Settings(home=home, corpus=corpus), embedder=FakeEmbedder())
    state = library.state()
    return {
        "chunks": sorted(library.store.ids()),
        "documents": {
            d: (e["sha256"], e["clauses"], e["chunks"], Path(e["file"]).name)
            for d, e in state.documents.items()
        },
        "files": sorted(Path(k).name for k in state.files),
        "pending": state.pending,
        "parsed": parsed_rows(library),
        "stored": _stored(library),
        "searchable": len(library.search("regional meetings", k=8)) == 8,
    }


def parsed_rows(library: Library) -> list[tuple[str, str]]:
    """The parsed documents the database keeps: (document, generation)."""
    table = database.parsed_documents
    with library.database.engine.connect() as conn:
        return sorted(
            (str(d), str(g))
            for d, g in conn.execute(select(table.c.document_id, table.c.generation))
        )


def _stored(library: Library) -> list[tuple[str, str, dict[str, Any]]]:
    """Every chunk as stored: id, text and metadata (vectors follow from the text)."""
    data = library.store.collection.get(include=["documents", "metadatas"])
    return sorted(zip(data["ids"], data["documents"], data["metadatas"], strict=True))


@pytest.fixture(scope="module")
def clean(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any]]:
    base = tmp_path_factory.mktemp("clean")
    corpus = make_corpus(base / "corpus")
    result = run_worker(base / "home", corpus)
    assert result.returncode == 0, result.stderr
    return corpus, snapshot(base / "home", corpus)


KILL_POINTS = [
    "save_state:1",
    "save_state:2",
    "save_state-after:2",
    "save_state-after:6",
    "embed:2",
    "save_document:3",
    "upsert-after:1",
    "delete:1",
    "delete-after:3",
]


@pytest.mark.parametrize("kill_at", KILL_POINTS)
def test_killed_ingest_then_rerun_equals_clean_run(
    kill_at: str, clean: tuple[Path, dict], tmp_path: Path
) -> None:
    corpus, expected = clean
    home = tmp_path / "home"
    killed = run_worker(home, corpus, kill_at)
    assert killed.returncode == -signal.SIGKILL, (kill_at, killed.stdout, killed.stderr)
    again = run_worker(home, corpus)
    assert again.returncode == 0, again.stderr
    assert snapshot(home, corpus) == expected


@pytest.mark.parametrize("kill_at", ["upsert-after:1", "save_state-after:2", "delete:1"])
def test_killed_reingest_of_changed_file(kill_at: str, tmp_path: Path) -> None:
    """A file changed between runs: killed while replacing it, then run again."""
    corpus = make_corpus(tmp_path / "corpus", copies=1)
    home = tmp_path / "home"
    assert run_worker(home, corpus).returncode == 0
    path = corpus / "WTSA-43-Rev-New-Delhi-2024.txt"
    path.write_text(path.read_text(encoding="utf-8").replace("regional", "zonal"), encoding="utf-8")
    killed = run_worker(home, corpus, kill_at)
    assert killed.returncode == -signal.SIGKILL, (kill_at, killed.stderr)
    mixed = Library(Settings(home=home, corpus=corpus), embedder=FakeEmbedder())
    texts = [
        h.citation["text"] for h in mixed.search("zonal regional", k=30, filters={"body": "WTSA"})
    ]
    old_new = ({"regional" in t for t in texts}, {"zonal" in t for t in texts})
    assert not (True in old_new[0] and True in old_new[1]), "search saw old and new together"
    assert run_worker(home, corpus).returncode == 0
    reference = tmp_path / "reference"
    shutil.copytree(corpus, reference / "corpus")
    assert run_worker(reference / "home", corpus).returncode == 0
    assert snapshot(home, corpus) == snapshot(reference / "home", corpus)
