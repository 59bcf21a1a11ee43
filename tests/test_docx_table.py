"""Comparison tables: one resolution per column, and the rows the columns share."""

from __future__ import annotations

from pathlib import Path

import pytest
from docx_fixtures import CORPUS, comparison_rows, comparison_table_docx, expected_headings

from ingest.docx_reader import read_docx
from ingest.docx_table import names_a_body
from ingest.loader import ParsedFile, load_file
from ingest.model import Document

PATHS = [
    CORPUS / "PP-58-Rev-Doha-2026-draft.txt",
    CORPUS / "WTSA-43-Rev-New-Delhi-2024.txt",
    CORPUS / "WTDC-31-Rev-Baku-2025.txt",
    CORPUS / "WRC-72-Rev-WRC-19.txt",
]
HEADERS = ["PP-26", "WTSA", "WTDC", "WRC"]
IDS = [
    "pp-58-rev-doha-2026",
    "wtsa-43-rev-new-delhi-2024",
    "wtdc-31-rev-baku-2025",
    "wrc-72-rev-wrc-19",
]


def _shape(document: Document) -> list[tuple[str, str, str, list[str]]]:
    return [(s.heading, c.id, c.text, c.footnotes) for s, c in document.clauses()]


@pytest.fixture(scope="module")
def annex(tmp_path_factory: pytest.TempPathFactory) -> tuple[ParsedFile, list]:
    rows = comparison_rows(PATHS)
    rows[-2] = [a + b for a, b in zip(rows[-2], rows[-1], strict=True)]  # two sections in a cell
    del rows[-1]
    title = "Strengthening of relations between ITU and regional telecommunication organizations"
    tracked = {rows[0][0][1]: title}  # a revision mark inside a cell: the PP title was extended
    data, rows = comparison_table_docx(
        PATHS,
        HEADERS,
        rows=rows,
        tracked=tracked,
        intro=["Annex", "Comparison of the four resolutions, section by section."],
    )
    path = tmp_path_factory.mktemp("annex") / "annex.docx"
    path.write_bytes(data)
    return load_file(path), rows


def test_each_column_is_a_resolution(annex: tuple[ParsedFile, list]) -> None:
    parsed, _ = annex
    intro, *columns = parsed.documents
    assert intro.kind == "passages"
    assert [d.id for d in columns] == IDS
    for document, path in zip(columns, PATHS, strict=True):
        expected = load_file(path).documents[0]
        assert (document.title, document.adopting) == (expected.title, expected.adopting)
        assert _shape(document) == _shape(expected), path.name


def test_rows_keep_which_sections_the_columns_share(annex: tuple[ParsedFile, list]) -> None:
    parsed, rows = annex
    expected = [
        {doc_id: expected_headings(cell) for doc_id, cell in zip(IDS, row, strict=True)}
        for row in rows[1:]
    ]
    assert [row.cells for row in parsed.rows] == expected
    considering = next(row for row in parsed.rows if "considering" in row.cells[IDS[0]])
    assert all(considering.cells[doc_id] == ["considering"] for doc_id in IDS)
    assert len(parsed.rows[-1].cells[IDS[1]]) == 2  # the cell that holds two sections
    assert sum(len(row.cells[IDS[1]]) for row in parsed.rows) == len(parsed.documents[2].sections)


def test_revision_marks_inside_a_cell(annex: tuple[ParsedFile, list]) -> None:
    pp = annex[0].documents[1]
    assert pp.title.endswith("and other conferences and assemblies of the Union")
    original = read_docx(
        Path(annex[0].path).read_bytes(), "annex.docx", "x", view="original"
    ).documents[1]
    assert original.title == (
        "Strengthening of relations between ITU and regional telecommunication organizations"
    )


def test_header_names() -> None:
    for name in [
        "PP-26",
        "WTSA",
        "WTDC-29",
        "WRC-23",
        "RA",
        "Plenipotentiary Conference",
        "World Radiocommunication Conference",
        "PP Res. 58",
    ]:
        assert names_a_body(name), name
    for name in ["Topic", "Year", "Resolution text", "Notes", ""]:
        assert not names_a_body(name), name


def test_ordinary_table_text_stays_in_the_document() -> None:
    import docx
    from docx_fixtures import to_bytes

    document = docx.Document()
    document.add_paragraph("Meetings planned for the study period are listed below.")
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "WTSA", "WTDC"
    table.cell(1, 0).text, table.cell(1, 1).text = "Held in October.", "Held in November."
    parsed = read_docx(to_bytes(document), "meetings.docx", "x")
    (passages,) = parsed.documents
    texts = [c.text for _, c in passages.clauses()]
    assert "Held in October." in texts and "Held in November." in texts
    assert parsed.rows == []


def test_title_row_and_row_label_column() -> None:
    import docx
    from docx_fixtures import add_cell_paragraphs, to_bytes

    def resolution(body: str, number: str, place: str) -> list[str]:
        return [f"RESOLUTION {number} ({place})", "Regional preparations", f"The {body} ({place}),"]

    document = docx.Document()
    table = document.add_table(rows=4, cols=3)
    title = table.cell(0, 0).merge(table.cell(0, 2))
    add_cell_paragraphs(title, ["Comparison of the resolutions"])
    for k, text in enumerate(["Part", "PP-26", "WTDC"]):
        add_cell_paragraphs(table.cell(1, k), [text])
    pp = resolution("Plenipotentiary Conference", "58", "Rev. Doha, 2026")
    wtdc = resolution("World Telecommunication Development Conference", "31", "Rev. Baku, 2025")
    for k, lines in enumerate([["Header"], pp, wtdc]):
        add_cell_paragraphs(table.cell(2, k), lines)
    cells = [["Preamble"], ["considering", "a)\tthat one;"], ["recognizing", "that two,"]]
    for k, lines in enumerate(cells):
        add_cell_paragraphs(table.cell(3, k), lines)
    parsed = read_docx(to_bytes(document), "two.docx", "x")
    assert [d.id for d in parsed.documents] == ["pp-58-rev-doha-2026", "wtdc-31-rev-baku-2025"]
    assert [row.cells for row in parsed.rows] == [
        {"pp-58-rev-doha-2026": ["considering"], "wtdc-31-rev-baku-2025": ["recognizing"]}
    ]
