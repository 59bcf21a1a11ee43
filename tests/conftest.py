"""Shared fixtures. Fakes for fast tests live here; the real parts have their own slow tests."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
SHARED = ROOT.parent / "shared"
UNSC = SHARED / "corpora" / "unsc"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden", action="store_true", help="Rewrite tests/golden/ from the parser."
    )


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-golden"))


@pytest.fixture
def corpus_dir() -> Path:
    return CORPUS


@pytest.fixture
def unsc_dir() -> Path:
    if not UNSC.is_dir():
        pytest.skip(f"the UNSC corpus is not at {UNSC} (it lives in ../shared, beside the project)")
    return UNSC


# -- library fixtures (issue 3) ---------------------------------------------------------------


@pytest.fixture(scope="session")
def _fake_library_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data directory with the sample corpus ingested by the fake embedder (built once)."""
    from assistant.library import Library
    from assistant.settings import Settings
    from tests.fakes import FakeEmbedder

    home = tmp_path_factory.mktemp("fake-library-template") / "home"
    library = Library(Settings(home=home, corpus=CORPUS), embedder=FakeEmbedder())
    report = library.ingest()
    assert not report.failed, report.failed
    return home


@pytest.fixture
def fake_library(_fake_library_template: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """A Library over its own copy of a data directory (RESOLUTIONS_HOME in a tmp folder) with the
    sample corpus ingested, using the deterministic FakeEmbedder: fast, free to modify."""
    import shutil

    from assistant.library import Library
    from assistant.settings import Settings
    from tests.fakes import FakeEmbedder

    home = tmp_path / "home"
    shutil.copytree(_fake_library_template, home)
    monkeypatch.setenv("RESOLUTIONS_HOME", str(home))
    return Library(Settings(home=home, corpus=CORPUS), embedder=FakeEmbedder())


@pytest.fixture(scope="session")
def real_library(tmp_path_factory: pytest.TempPathFactory):
    """A Library with the real MiniLM embedder and Chroma, sample corpus ingested (session-wide:
    do not modify it; use fake_library or your own tmp home for that). Mark tests slow."""
    from assistant.library import Library
    from assistant.settings import Settings

    home = tmp_path_factory.mktemp("real-library") / "home"
    library = Library(Settings(home=home, corpus=CORPUS))
    report = library.ingest()
    assert not report.failed, report.failed
    return library
