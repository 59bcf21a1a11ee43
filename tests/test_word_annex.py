"""The comparison annex as a drafter sends it on: no Track Changes switched on (it has no
revisions), landscape A4, columns sharing the width, few pages (issue 19, item 8)."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pypdfium2
from docx import Document as WordDocument
from docx.shared import Mm
from docx_fixtures import libreoffice_convert

from assistant.align.alignment import align
from assistant.index.library import Library
from assistant.word.writer import write_annex_docx


def _annex(library: Library, path: Path) -> Path:
    result = align(
        library,
        "pp-58-rev-doha-2026",
        ["wtsa-43-rev-new-delhi-2024", "wtdc-31-rev-baku-2025", "wrc-72-rev-wrc-19"],
    )
    return write_annex_docx(path, result)


def test_the_annex_is_landscape_a4_without_track_changes(
    fake_library: Library, tmp_path: Path
) -> None:
    path = _annex(fake_library, tmp_path / "annex.docx")
    with zipfile.ZipFile(path) as package:
        settings = package.read("word/settings.xml").decode()
        body = package.read("word/document.xml").decode()
    assert "trackRevisions" not in settings and "<w:ins " not in body
    document = WordDocument(str(path))
    section = document.sections[0]
    assert abs(section.page_width - Mm(297)) < Mm(1) and abs(section.page_height - Mm(210)) < Mm(1)
    [table] = document.tables
    usable = section.page_width - section.left_margin - section.right_margin
    widths = [cell.width for cell in table.rows[1].cells]
    assert len(set(widths)) == 1 and sum(widths) <= usable and widths[0] > Mm(60)


def test_the_annex_prints_on_few_pages(fake_library: Library, tmp_path: Path) -> None:
    pdf = libreoffice_convert(_annex(fake_library, tmp_path / "annex.docx"), "pdf", tmp_path)
    pages = len(pypdfium2.PdfDocument(str(pdf)))
    # 13 here; was 39 in portrait Letter with 1.5-inch columns; 17 when LibreOffice has no
    # metric twin of Times New Roman and falls back to DejaVu (Debian: fonts-liberation)
    assert 0 < pages <= 16, f"{pages} pages (are the Liberation fonts installed?)"


def test_drafts_still_switch_track_changes_on(tmp_path: Path) -> None:
    from assistant.word.writer import write_draft_docx

    base = {"id": "a/b/c", "label": "c", "sub": "", "citation": "A, c)", "text": "old words"}
    data = {"text": "new words", "spans": [], "sources": [base], "base": base}
    path = write_draft_docx(tmp_path / "draft.docx", data)
    with zipfile.ZipFile(path) as package:
        assert "trackRevisions" in package.read("word/settings.xml").decode()
