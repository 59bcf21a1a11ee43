"""Ingest --replace: the official text of a resolution already indexed from another file."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient

from api.app import create_app
from api.deps import get_library
from assistant.cli import index_cmds, main
from assistant.index.library import Library
from assistant.settings import Settings
from tests.conftest import CORPUS

TOKEN = "replace-token"
BUSAN = "pp-58-rev-busan-2014"


@pytest.fixture
def official(tmp_path: Path) -> Path:
    """A copy of the Busan text under another name, with a word of its own."""
    folder = tmp_path / "official"
    folder.mkdir()
    path = folder / "PP-Res-58-official.txt"
    text = (CORPUS / "PP-58-Rev-Busan-2014.txt").read_text(encoding="utf-8")
    path.write_text(text.replace("Kyoto, 1994", "Kyoto, 1994, as published"), encoding="utf-8")
    return path


def test_without_replace_the_refusal_names_the_option(
    fake_library: Library, official: Path
) -> None:
    before = fake_library.documents()
    report = fake_library.ingest([str(official)])
    assert not report.added and not report.replaced
    (failure,) = report.failed
    assert failure["code"] == "already_indexed" and failure["document"] == BUSAN
    assert "--replace" in failure["reason"] and "PP-58-Rev-Busan-2014.txt" in failure["reason"]
    assert fake_library.documents() == before


def test_replace_takes_over_the_document(fake_library: Library, official: Path) -> None:
    report = fake_library.ingest([str(official)], replace=True)
    assert report.replaced == [BUSAN] and not report.failed
    row = next(r for r in fake_library.documents() if r["document"] == BUSAN)
    assert row["file"] == str(official.resolve())
    clause = fake_library.clause(f"{BUSAN}/recalling/a")
    assert "as published" in clause["text"]
    assert len(fake_library.documents()) == 5  # replaced, not added beside
    hits = fake_library.search("Kyoto 1994 as published", k=3, filters={"document": BUSAN})
    assert hits and all(h.citation["document"] == BUSAN for h in hits)
    again = fake_library.ingest([str(official)], replace=True)
    assert again.unchanged == [BUSAN]
    # the old file now gives an id another file owns: refused, and it names the option
    old = fake_library.ingest([str(CORPUS / "PP-58-Rev-Busan-2014.txt")])
    assert old.failed and "--replace" in old.failed[0]["reason"]


def test_cli_replace(
    fake_library: Library, official: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(index_cmds, "library_from", lambda ctx: fake_library)

    def run(*args: str) -> Any:
        return CliRunner().invoke(main, list(args), catch_exceptions=False)

    refused = run("ingest", str(official))
    assert refused.exit_code == 2 and "--replace" in refused.stderr
    done = run("ingest", "--replace", "--json", str(official))
    assert done.exit_code == 0, done.stderr
    assert json.loads(done.stdout)["replaced"] == [BUSAN]


def test_api_replace(fake_library: Library, official: Path, tmp_path: Path) -> None:
    app = create_app(Settings(home=tmp_path / "api-home", api_token=TOKEN))
    app.dependency_overrides[get_library] = lambda: fake_library

    def upload(query: str = "") -> Any:
        return TestClient(app, raise_server_exceptions=False).post(
            f"/ingest{query}",
            files={"file": (official.name, official.read_bytes(), "text/plain")},
            headers={"Authorization": f"Bearer {TOKEN}"},
        )

    refused = upload()
    assert refused.status_code == 422
    message = refused.json()["error"]["message"]
    assert "replace=true" in message and "--replace" not in message and "/" not in message
    done = upload("?replace=true")
    assert done.status_code == 200, done.text
    assert done.json()["replaced"] == [BUSAN]
    row = next(r for r in fake_library.documents() if r["document"] == BUSAN)
    assert Path(row["file"]).name == official.name


def test_upload_tab_has_the_checkbox() -> None:
    static = Path(__file__).resolve().parent.parent / "api" / "static"
    page = (static / "index.html").read_text(encoding="utf-8")
    script = (static / "app.js").read_text(encoding="utf-8")
    assert 'id="upload-replace" type="checkbox"' in page
    assert "Replace a resolution already in the library" in page
    assert "?replace=true" in script


def test_replace_keeps_a_collection_partly(fake_library: Library, tmp_path: Path) -> None:
    """Without --replace, a collection holding an indexed resolution keeps the others."""
    path = tmp_path / "final-acts.txt"
    texts = [(CORPUS / "PP-58-Rev-Busan-2014.txt").read_text(encoding="utf-8")]
    unsc = Path(__file__).resolve().parent.parent / "evals" / "data" / "unsc"
    texts += [p.read_text(encoding="utf-8") for p in sorted(unsc.glob("*.txt"))[:2]]
    path.write_text("\n\n".join(texts), encoding="utf-8")
    report = fake_library.ingest([str(path)])
    assert len(report.added) == 2 and BUSAN not in report.added
    assert [f["document"] for f in report.failed] == [BUSAN] and report.failed[0]["part"]
