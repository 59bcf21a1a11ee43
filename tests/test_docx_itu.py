"""Word documents in the ITU template: the styles are read as structure."""

from __future__ import annotations

import pytest

from ingest.docx_reader import read_docx
from ingest.loader import parse_text
from tests.docx_fixtures import CORPUS
from tests.docx_itu_fixtures import contribution_docx, itu_resolution_docx

NAMES = sorted(path.name for path in CORPUS.glob("*.txt"))
REASONS = "To bring the text in line with the Sector resolutions on regional preparations."


def clauses(document: object) -> list[tuple[str, str]]:
    return [(c.id, " ".join(c.text.split())) for _, c in document.clauses()]  # type: ignore[attr-defined]


@pytest.mark.parametrize("name", NAMES)
def test_itu_template_parses_like_the_text(name: str) -> None:
    expected = parse_text((CORPUS / name).read_text(), name)
    parsed = read_docx(itu_resolution_docx(name), name, "digest")
    assert [d.id for d in parsed.documents] == [expected.id]
    document = parsed.documents[0]
    assert document.title == expected.title
    assert clauses(document) == clauses(expected)


def test_resolution_number_in_capitals_reads_as_typed_in_the_text() -> None:
    name = "WTSA-43-Rev-New-Delhi-2024.txt"
    expected = parse_text((CORPUS / name).read_text(), name)
    document = read_docx(itu_resolution_docx(name, caps=True), name, "d").documents[0]
    assert document.id == expected.id
    assert document.revision == expected.revision == "Rev. New Delhi, 2024"
    assert document.short_name == expected.short_name


def test_contribution_keeps_marker_and_reasons_out_of_the_clauses() -> None:
    name = "PP-58-Rev-Busan-2014.txt"
    intro = ["Introduction", "The Member States propose to revise Resolution 58 as follows."]
    parsed = read_docx(contribution_docx(name, REASONS, intro), name, "digest")
    expected = parse_text((CORPUS / name).read_text(), name)
    assert [d.id for d in parsed.documents] == [expected.id]
    document = parsed.documents[0]
    assert clauses(document) == clauses(expected)
    texts = " ".join(c.text for _, c in document.clauses())
    assert "bring the text in line" not in texts
    assert "PP/58/1" not in texts and "Member States propose" not in texts


def test_two_resolutions_in_one_contribution() -> None:
    from tests.docx_fixtures import add_footnotes, add_paragraph, run, to_bytes
    from tests.docx_itu_fixtures import add_resolution, itu_document

    document = itu_document()
    notes: dict[int, str] = {}
    for name in ("WRC-72-Rev-WRC-19.txt", "WTDC-31-Rev-Baku-2025.txt"):
        add_paragraph(document, run("MOD\tPP/58/1"), style="Proposal")
        notes.update(add_resolution(document, CORPUS / name))
        add_paragraph(document, run(f"Reasons:\t{REASONS}"), style="Reasons")
    if notes:
        add_footnotes(document, notes)
    parsed = read_docx(to_bytes(document), "two.docx", "digest")
    expected = [
        parse_text((CORPUS / n).read_text(), n)
        for n in ("WRC-72-Rev-WRC-19.txt", "WTDC-31-Rev-Baku-2025.txt")
    ]
    assert [d.id for d in parsed.documents] == [e.id for e in expected]
    for got, want in zip(parsed.documents, expected, strict=True):
        assert clauses(got) == clauses(want)
