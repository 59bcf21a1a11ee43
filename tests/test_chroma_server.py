"""Ingest and search through a real Chroma server (`chroma run`) on 127.0.0.1 at a free port."""

from __future__ import annotations

import shutil
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from assistant.index.library import Library
from assistant.settings import Settings
from tests.conftest import CORPUS, free_port, running_server
from tests.fakes import FakeEmbedder

pytestmark = pytest.mark.slow


def chroma_command() -> str:
    found = Path(sys.executable).with_name("chroma")
    return str(found) if found.exists() else (shutil.which("chroma") or "")


@pytest.fixture
def chroma_server(tmp_path: Path) -> Iterator[str]:
    command = chroma_command()
    if not command:
        pytest.skip("the `chroma` command (chromadb) is not installed")
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    data = tmp_path / "server-data"
    serve = [command, "run", "--path", str(data), "--host", "127.0.0.1", "--port", str(port)]
    with running_server(serve, f"{url}/api/v2/heartbeat", tmp_path / "chroma.log", timeout=60):
        yield url


def test_ingest_and_search_through_server(chroma_server: str, tmp_path: Path) -> None:
    settings = Settings(home=tmp_path / "home", corpus=CORPUS, chroma_url=chroma_server)
    library = Library(settings, embedder=FakeEmbedder())
    assert library.store.where == chroma_server
    report = library.ingest()
    assert len(report.added) == 5 and not report.failed
    assert not (tmp_path / "home" / "chroma").exists(), "no embedded store in server mode"
    chunks = library.store.count()
    assert chunks >= report.clauses > 0
    hits = library.search("regional preparatory meetings", k=5, filters={"body": "WTDC"})
    assert hits and all(h.citation["body"] == "WTDC" for h in hits)
    # a second client (another replica) sees the same vectors
    other = Library(
        Settings(home=tmp_path / "home", corpus=CORPUS, chroma_url=chroma_server),
        embedder=FakeEmbedder(),
    )
    assert [h.id for h in other.search("regional preparatory meetings", k=5)] == [
        h.id for h in library.search("regional preparatory meetings", k=5)
    ]
    library.remove("WRC 72")
    assert library.store.count() < chunks
    assert library.ingest().added == ["wrc-72-rev-wrc-19"]
    assert library.store.count() == chunks
