"""Comparing two versions (PP-58 Busan 2014 -> Doha 2026 draft): clause changes and the redline."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from assistant.align.compare import compare, compare_documents
from assistant.cli import draft_cmds, main
from assistant.word.comparison import write_comparison_docx
from ingest.docx_reader import read_docx
from ingest.loader import load_file

ROOT = Path(__file__).resolve().parent.parent
BUSAN, DOHA = "pp-58-rev-busan-2014", "pp-58-rev-doha-2026"


@pytest.fixture(scope="module")
def versions():
    busan = load_file(ROOT / "corpus" / "PP-58-Rev-Busan-2014.txt").documents[0]
    doha = load_file(ROOT / "corpus" / "PP-58-Rev-Doha-2026-draft.txt").documents[0]
    return busan, doha


def _by_new(comparison, suffix: str):
    return next(c for c in comparison.changes if c.new and c.new.id.endswith(suffix))


def test_changes_between_versions(versions) -> None:
    result = compare_documents(*versions)
    counts = result.counts()
    assert sum(counts.values()) >= len(versions[1].clauses())
    assert counts["added"] >= 8 and counts["removed"] >= 2 and counts["modified"] >= 8
    changed = _by_new(result, "/considering/e")
    assert changed.status == "modified" and changed.old.id == f"{BUSAN}/considering/e"
    kinds = {e.kind for e in changed.edits}
    assert kinds == {"equal", "insert", "delete"}
    relettered = _by_new(result, "/noting/c")  # Busan noting b) became noting c)
    assert relettered.old.id == f"{BUSAN}/noting/b" and relettered.status == "unchanged"
    renamed = _by_new(result, "/taking-note/p")  # heading renamed: not a move
    assert renamed.old.id == f"{BUSAN}/acknowledging/p" and renamed.status != "moved"
    removed = {c.old.id for c in result.changes if c.status == "removed"}
    assert f"{BUSAN}/recalling/b" in removed  # Resolution 112 (Marrakesh, 2002)


def test_moved_clauses_are_reported() -> None:
    text = (
        "RESOLUTION 1 (Rev. Geneva, {year})\nTitle\nThe Council (Geneva, {year}),\n"
        "considering\n{clauses}\n"
    )
    old = (
        "a)\tfirst point about budgets;\nb)\tsecond point about staffing;\n"
        "c)\tthird point about premises."
    )
    new = (
        "a)\tthird point about premises;\nb)\tfirst point about budgets;\n"
        "c)\tsecond point about staffing."
    )
    from ingest.resolution_parser import parse_resolution_text

    a = parse_resolution_text(text.format(year=2020, clauses=old), "a.txt")
    b = parse_resolution_text(text.format(year=2024, clauses=new), "b.txt")
    statuses = [c.status for c in compare_documents(a, b).changes]
    assert statuses.count("moved") == 1


def test_redline_reads_back_as_both_versions(versions, tmp_path: Path) -> None:
    busan, doha = versions
    path = write_comparison_docx(tmp_path / "pp58.docx", compare_documents(busan, doha))
    data = path.read_bytes()
    for view, expected in (("accepted", doha), ("original", busan)):
        back = read_docx(data, "pp58.docx", "x", view=view).documents[0]
        assert back.id == expected.id
        assert [c.full_text for _, c in back.clauses()] == [
            c.full_text for _, c in expected.clauses()
        ]
        assert [s.heading for s in back.sections] == [s.heading for s in expected.sections]


def test_compare_through_the_library_and_cli(fake_library, monkeypatch, tmp_path: Path) -> None:
    assert compare(fake_library, BUSAN, DOHA).counts()["added"] >= 8
    with pytest.raises(ValueError):
        compare(fake_library, BUSAN, BUSAN)
    monkeypatch.setattr(draft_cmds, "library_from", lambda ctx: fake_library)
    out = tmp_path / "redline.docx"
    result = CliRunner().invoke(main, ["compare", BUSAN, DOHA, "--json", "--docx", str(out)])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert set(data["summary"]) == {"added", "removed", "moved", "modified", "unchanged"}
    assert any(c["status"] == "modified" and "<ins>" in c["markdown"] for c in data["clauses"])
    assert out.is_file()
    bad = CliRunner().invoke(main, ["compare", BUSAN, DOHA, "--docx", str(tmp_path / "x.pdf")])
    assert bad.exit_code == 2 and ".docx" in bad.output


def test_other_bodies_compare_and_write(unsc_dir: Path, tmp_path: Path) -> None:
    docs = [d for f in sorted(unsc_dir.glob("*.txt"))[10:12] for d in load_file(f).documents]
    if len(docs) < 2:
        pytest.skip("fewer than two UNSC documents parsed")
    result = compare_documents(docs[0], docs[1])
    assert sum(result.counts().values()) >= len(docs[1].clauses())
    path = write_comparison_docx(tmp_path / "unsc.docx", result)
    back = read_docx(path.read_bytes(), "unsc.docx", "x", view="accepted").documents[0]
    assert [c.text for _, c in back.clauses()] == [c.text for _, c in docs[1].clauses()]
