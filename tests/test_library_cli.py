"""`resolutions ingest | search | documents | remove` through click's test runner."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from assistant.cli import main
from assistant.index.library import Library


def run(*args: str, env: dict[str, str] | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args), env=env, catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def test_documents_json_and_remove(fake_library: Library) -> None:
    code, out, _ = run("documents", "--json")
    assert code == 0
    rows = json.loads(out)
    assert {r["document"] for r in rows} == {d["document"] for d in fake_library.documents()}
    assert all({"clauses", "file", "sha256", "ingested"} <= set(r) for r in rows)
    code, out, _ = run("remove", "WRC 72")
    assert code == 0 and "wrc-72-rev-wrc-19" in out
    code, _, err = run("remove", "WRC 72")
    assert code == 2 and "no indexed document" in err and "Traceback" not in err


def test_unchanged_ingest_needs_no_model(fake_library: Library) -> None:
    code, out, _ = run("ingest", "--json")
    assert code == 0
    report = json.loads(out)
    assert len(report["unchanged"]) == 5 and report["clauses"] == 0


def test_user_mistakes_are_one_line(fake_library: Library, tmp_path: Path) -> None:
    code, _, err = run("search", "x", "--filter", "nonsense")
    assert code == 2 and "key=value" in err
    code, _, err = run("search", "x", "--filter", "colour=red")
    assert code == 2 and "unknown filter" in err
    bad = tmp_path / "notes.rtf"
    bad.write_bytes(b"{\\rtf1 notes}")
    code, out, err = run("ingest", str(bad))
    assert code == 2 and "unsupported format" in err and "1 failed" in out


def test_search_on_empty_index(tmp_path: Path) -> None:
    code, _, err = run("search", "anything", env={"RESOLUTIONS_HOME": str(tmp_path / "empty")})
    assert code == 2 and "resolutions ingest" in err


@pytest.mark.slow
def test_search_json_with_the_real_model(real_library: Library) -> None:
    env = {"RESOLUTIONS_HOME": str(real_library.settings.home)}
    code, out, _ = run(
        "search",
        "timing of the regional preparatory meetings",
        "--k",
        "3",
        "--filter",
        "body=WTDC",
        "--json",
        env=env,
    )
    assert code == 0
    hits = json.loads(out)
    assert len(hits) == 3 and all(h["body"] == "WTDC" and "score" in h for h in hits)
    code, out, _ = run("search", "RPM", "--k", "2", env=env)
    assert code == 0 and "1. " in out
    code, out, _ = run("search", "Who chairs the RPMs?", "--order", "answerer", env=env)
    assert code == 0 and "support 0." in out


def test_parse_outline_of_a_section_without_heading(tmp_path: Path) -> None:
    path = tmp_path / "decision.txt"
    path.write_text(
        "Some text before any heading.\n\nDECISION 3 (Minneapolis, 1998)\n\nA note.\n",
        encoding="utf-8",
    )
    code, out, err = run("parse", str(path))
    assert code == 0, err
    assert "Error" not in err and out.strip()
