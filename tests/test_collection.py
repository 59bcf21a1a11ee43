"""Collections: one file holding several resolutions gives one document each, with its position."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.index.library import Library
from evals import word_layout
from evals.layout_eval import sample_files
from ingest.collection import find_parts, is_header_line
from ingest.loader import decode_text, load_file, parse_text
from ingest.model import Document
from tests.conftest import CORPUS

UNSC = Path(__file__).resolve().parent.parent / "evals" / "data" / "unsc"
SEED = Path(__file__).resolve().parent.parent / "evals" / "data" / "seed"
BAD = (
    "RESOLUTION 99 (Rev. Nowhere, 2030)\nA title\n"
    "The Plenipotentiary Conference (Nowhere, 2030),\nno heading\n"
)
FILES = sample_files()  # as evals/layout_eval


def clauses(document: Document) -> dict[str, str]:
    return {clause.id: " ".join(clause.full_text.split()) for _, clause in document.clauses()}


def concatenated(paths: list[Path]) -> tuple[str, list[Document], list[int]]:
    """The texts joined by a blank line, their own parses, and each header's line (1-based)."""
    texts = [decode_text(p.read_bytes(), p.name) for p in paths]  # a form feed is a new line
    lines: list[int] = []
    offset = 0
    for text in texts:
        rows = text.split("\n")
        lines.append(offset + next(i for i, r in enumerate(rows) if is_header_line(r)) + 1)
        offset += len(rows) + 1
    return (
        "\n\n".join(texts),
        [parse_text(t, p.name) for t, p in zip(texts, paths, strict=True)],
        lines,
    )


def test_text_collection_boundaries_are_exact(tmp_path: Path) -> None:
    text, expected, lines = concatenated(FILES)
    path = tmp_path / "final-acts.txt"
    path.write_text(text, encoding="utf-8")
    parsed = load_file(path)
    assert not parsed.failures
    assert [d.id for d in parsed.documents] == [d.id for d in expected]
    for got, want, line in zip(parsed.documents, expected, lines, strict=True):
        assert clauses(got) == clauses(want), want.id
        assert [s.heading for s in got.sections] == [s.heading for s in want.sections]
        assert parsed.positions[got.id] == {"line": line}
        assert got.source == str(path)


def test_clause_lines_are_those_of_the_file(tmp_path: Path) -> None:
    text, _, _ = concatenated(FILES[:3])
    path = tmp_path / "c.txt"
    path.write_text(text, encoding="utf-8")
    rows = text.split("\n")
    for document in load_file(path).documents:
        for _, clause in document.clauses():
            assert clause.text.split()[0] in rows[clause.line - 1], clause.id


def test_a_bad_resolution_is_reported_and_skipped(tmp_path: Path) -> None:
    bad = BAD.replace("no heading", "text before any heading is not allowed here")
    good = [p.read_text(encoding="utf-8") for p in FILES[:2]]
    path = tmp_path / "with-a-bad-one.txt"
    path.write_text("\n".join([good[0], bad, good[1]]), encoding="utf-8")
    parsed = load_file(path)
    assert [d.id for d in parsed.documents] == [parse_text(t, "x").id for t in good]
    (failure,) = parsed.failures
    assert failure.header.startswith("RESOLUTION 99") and failure.line > 1
    assert failure.to_json()["part"] is True


def test_a_repeated_resolution_is_skipped(tmp_path: Path) -> None:
    text = (CORPUS / "WRC-72-Rev-WRC-19.txt").read_text(encoding="utf-8")
    path = tmp_path / "twice.txt"
    path.write_text(text + "\n" + text, encoding="utf-8")
    parsed = load_file(path)
    assert [d.id for d in parsed.documents] == ["wrc-72-rev-wrc-19"]
    assert "already given" in parsed.failures[0].reason


def test_single_files_and_the_seed_are_not_split() -> None:
    for path in [*FILES, *SEED.glob("*.txt")]:
        lines = path.read_text(encoding="utf-8").split("\n")
        assert len(find_parts(lines)) <= 1, path.name
    seed = load_file(next(SEED.glob("*.txt")))
    assert len(seed.documents) == 1 and not seed.positions and not seed.failures


def test_running_heads_and_wrapped_lines_do_not_split() -> None:
    from evals.layouts import wrapped

    for path in FILES:
        lines = wrapped(path.read_text(encoding="utf-8")).split("\n")
        assert len(find_parts(lines)) == 1, path.name
    assert not is_header_line("resolution 678 (1990) to bring their military presence")
    assert not is_header_line("\tRESOLUTION 43 (Rev. New Delhi, 2024)")
    assert is_header_line("MOD RESOLUTION 58 (Rev. Busan, 2014)")
    assert is_header_line("82 (1950). Resolution of 25 June 1950")


def test_word_collection_gives_each_resolution_its_paragraph(tmp_path: Path) -> None:
    texts = [p.read_text(encoding="utf-8") for p in FILES]
    path = tmp_path / "final-acts.docx"
    path.write_bytes(word_layout.itu_docx(texts))
    parsed = load_file(path)
    expected = [parse_text(t, "x") for t in texts]
    assert [d.id for d in parsed.documents] == [d.id for d in expected]
    for got, want in zip(parsed.documents, expected, strict=True):
        assert clauses(got) == clauses(want), want.id
    paragraphs = [parsed.positions[d.id]["paragraph"] for d in parsed.documents]
    assert paragraphs[0] == 1 and paragraphs == sorted(set(paragraphs))


@pytest.mark.skipif(word_layout.soffice() is None, reason="LibreOffice is not installed")
def test_pdf_collection_gives_each_resolution_its_page(tmp_path: Path) -> None:
    paths = sorted(CORPUS.glob("*.txt"))
    texts = [p.read_text(encoding="utf-8") for p in paths]
    path = tmp_path / "final-acts.pdf"
    path.write_bytes(word_layout.docx_to_pdf(word_layout.itu_docx(texts), "final-acts"))
    parsed = load_file(path)
    expected = [parse_text(t, "x") for t in texts]
    assert [d.id for d in parsed.documents] == [d.id for d in expected] and not parsed.failures
    pages = [parsed.positions[d.id]["page"] for d in parsed.documents]
    assert pages[0] == 1 and pages == sorted(set(pages))
    agreed = total = 0
    for got, want in zip(parsed.documents, expected, strict=True):
        mine, theirs = clauses(got), clauses(want)
        total += len(theirs)
        agreed += sum(1 for key, text in theirs.items() if mine.get(key) == text)
        first_last = [next(iter(theirs)), list(theirs)[-1]]
        assert [next(iter(mine)), list(mine)[-1]] == first_last, want.id  # no clause moved
    assert agreed / total >= 0.95


def test_the_index_reports_positions_and_failures(fake_library: Library, tmp_path: Path) -> None:
    bad = BAD
    unsc = sorted(UNSC.glob("*.txt"))[:3]
    path = tmp_path / "collection.txt"
    path.write_text("\n\n".join([bad, *(p.read_text(encoding="utf-8") for p in unsc)]))
    seen: list[tuple[int, int, str]] = []
    report = fake_library.ingest([str(path)], progress=lambda d, t, w: seen.append((d, t, w)))
    assert len(report.added) == 3
    assert len(report.failed) == 1 and report.failed[0]["part"]
    rows = {r["document"]: r for r in fake_library.documents()}
    assert all(rows[d]["position"]["line"] > 1 for d in report.added)
    assert [s[:2] for s in seen if ": " in s[2]] == [(1, 3), (2, 3), (3, 3)]
