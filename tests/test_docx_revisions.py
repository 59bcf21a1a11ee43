"""Word revision marks: PP-58 (Busan, 2014) turned into the Doha 2026 draft by tracked changes."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from docx_fixtures import (
    CORPUS,
    NSDECL,
    add_paragraph,
    dele,
    ins,
    new_document,
    pp58_busan_to_doha,
    run,
    to_bytes,
)
from hypothesis import given, settings
from hypothesis import strategies as st

from ingest.docx_reader import read_docx
from ingest.loader import load_file
from ingest.model import Clause, Document, document_structure

BUSAN = CORPUS / "PP-58-Rev-Busan-2014.txt"
DOHA = CORPUS / "PP-58-Rev-Doha-2026-draft.txt"


@pytest.fixture(scope="module")
def pp58() -> tuple[bytes, list[tuple[int | None, int | None]]]:
    return pp58_busan_to_doha()


def _by_line(document: Document) -> dict[int, Clause]:
    return {clause.line: clause for _, clause in document.clauses()}


def _shape(document: Document) -> list[tuple[str, str, str, list[str]]]:
    return [(s.heading, c.id, c.text, c.footnotes) for s, c in document.clauses()]


def test_accepted_text_is_the_doha_draft(pp58: tuple[bytes, list], tmp_path: Path) -> None:
    path = tmp_path / "PP-58-Doha-2026-draft.docx"
    path.write_bytes(pp58[0])
    (document,) = load_file(path).documents
    doha = load_file(DOHA).documents[0]
    assert (document.id, document.body, document.number, document.revision) == (
        "pp-58-rev-doha-2026",
        "PP",
        "58",
        "Rev. Doha, 2026",
    )
    assert document.title == doha.title and document.status == "draft"
    assert _shape(document) == _shape(doha)


def test_original_view_is_busan(pp58: tuple[bytes, list]) -> None:
    original = read_docx(pp58[0], "pp58.docx", "x", view="original").documents[0]
    busan = load_file(BUSAN).documents[0]
    assert original.id == "pp-58-rev-busan-2014"
    assert _shape(original) == _shape(busan)


def test_each_clause_has_its_original_text_and_changes(pp58: tuple[bytes, list]) -> None:
    data, pairs = pp58
    document = read_docx(data, "pp58.docx", "x").documents[0]
    clauses = {clause.id: clause for _, clause in document.clauses()}
    doha, busan = _by_line(load_file(DOHA).documents[0]), _by_line(load_file(BUSAN).documents[0])
    checked = new = 0
    for old_line, new_line in pairs:
        if new_line not in doha:
            continue  # a heading, or a line deleted whole
        clause = clauses[doha[new_line].id]
        assert clause.text == doha[new_line].text
        if old_line is None:
            assert clause.original_text == ""
            assert [c.kind for c in clause.changes] == ["insert"]
            new += 1
        elif old_line in busan:
            assert clause.original_text == busan[old_line].text, clause.id
            checked += 1
    assert checked >= 25 and new >= 10
    deleted = [(old, busan[old]) for old, new_line in pairs if new_line is None and old in busan]
    assert deleted, "the fixture deletes clauses (recalling b), considering i))"
    all_changes = [c.text for _, clause in document.clauses() for c in clause.changes]
    for _, clause in deleted:
        assert any(clause.text in text for text in all_changes), clause.id


def test_with_automatic_numbering_both_views_match() -> None:
    data, _ = pp58_busan_to_doha(auto_numbering=True)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        xml = archive.read("word/document.xml").decode()
    assert ">a)</w:t>" not in xml and ">1</w:t>" not in xml  # labels come from numbering.xml
    assert "<w:pPrChange" in xml  # paragraphs that moved to another list keep their old one
    accepted = read_docx(data, "pp58-draft.docx", "x").documents[0]
    assert _shape(accepted) == _shape(load_file(DOHA).documents[0])
    original = read_docx(data, "pp58.docx", "x", view="original").documents[0]
    assert _shape(original) == _shape(load_file(BUSAN).documents[0])


def test_word_level_changes_keep_author_and_date(pp58: tuple[bytes, list]) -> None:
    document = read_docx(pp58[0], "pp58.docx", "x").documents[0]
    _, clause = document.clause("pp-58-rev-doha-2026/considering/e")  # type: ignore[misc]
    assert clause.original_text.endswith("preparations for this conference;")
    kinds = {(c.kind, c.text.strip()) for c in clause.changes}
    assert ("delete", "this conference;") in kinds
    assert ("insert", "many conferences and assemblies of the Union;") in kinds
    assert all(c.author == "Drafting Group" and c.date.startswith("2026") for c in clause.changes)
    structure = document_structure(document)
    row = structure["sections"][2]["clauses"][4]
    assert row["original_text"] == clause.original_text and row["changes"][0]["kind"] == "delete"


def _resolution(paragraphs: list[str]) -> bytes:
    document = new_document()
    for line in [
        "RESOLUTION 7 (Rev. Geneva, 2030)",
        "Test resolution",
        "The Plenipotentiary Conference (Geneva, 2030),",
    ]:
        add_paragraph(document, run(line))
    for content in paragraphs:
        add_paragraph(document, content)
    return to_bytes(document)


def test_move_from_and_move_to() -> None:
    moved_out = (
        '<w:moveFromRangeStart w:id="1" w:name="move1" w:author="A" w:date="2026-02-01T00:00:00Z"/>'
        + dele(" in good time", author="A", tag="w:moveFrom")
        + '<w:moveFromRangeEnd w:id="1"/>'
    )
    moved_in = ins(" in good time", author="A", tag="w:moveTo")
    data = _resolution(
        [
            run("instructs the Secretary-General"),
            run("1\tto consult Member States") + moved_out + run(";"),
            run("2\tto report") + moved_in + run("."),
        ]
    )
    document = read_docx(data, "moves.docx", "x").documents[0]
    one, two = (clause for _, clause in document.clauses())
    assert (one.text, one.original_text) == (
        "to consult Member States;",
        "to consult Member States in good time;",
    )
    assert (two.text, two.original_text) == ("to report in good time.", "to report.")
    assert [(c.kind, c.text, c.moved, c.author) for c in one.changes] == [
        ("delete", " in good time", True, "A")
    ]
    assert [(c.kind, c.moved) for c in two.changes] == [("insert", True)]


def test_deletion_inside_an_insertion_is_in_neither_text() -> None:
    nested = (
        f'<w:ins w:id="5" w:author="A" w:date="2026-01-01T00:00:00Z">{run("was added ")}'
        f'<w:del w:id="6" w:author="B" w:date="2026-01-02T00:00:00Z">'
        '<w:r><w:delText xml:space="preserve">and then removed </w:delText></w:r></w:del></w:ins>'
    )
    data = _resolution([run("considering"), run("a)\tthat the text ") + nested + run("here;")])
    ((_, clause),) = read_docx(data, "nested.docx", "x").documents[0].clauses()
    assert clause.text == "that the text was added here;"
    assert clause.original_text == "that the text here;"
    assert [(c.kind, c.text, c.author) for c in clause.changes] == [("insert", "was added ", "A")]


def test_paragraph_mark_deleted_joins_paragraphs() -> None:
    mark = (
        '<w:pPr><w:rPr><w:del w:id="9" w:author="A" w:date="2026-01-01T00:00:00Z"/></w:rPr></w:pPr>'
    )
    document = new_document()
    for line in [
        "RESOLUTION 7 (Rev. Geneva, 2030)",
        "Test resolution",
        "The Plenipotentiary Conference (Geneva, 2030),",
        "considering",
    ]:
        add_paragraph(document, run(line))
    body = document.element.body
    from docx.oxml import parse_xml

    joined = f"<w:p {NSDECL}>{mark}{run('a)')}{run(chr(9) + 'that one')}</w:p>"
    body.insert(len(body) - 1, parse_xml(joined))
    add_paragraph(document, run(" and two;"))
    add_paragraph(document, run("b)\tthat three;"))
    clauses = [c for _, c in read_docx(to_bytes(document), "m.docx", "x").documents[0].clauses()]
    assert [(c.label, c.text) for c in clauses] == [
        ("a", "that one and two;"),
        ("b", "that three;"),
    ]
    assert clauses[0].original_text == "that one and two;"  # two paragraphs, one clause


def test_document_without_revisions_has_no_original_text() -> None:
    data = _resolution([run("considering"), run("a)\tthat nothing changed;")])
    ((_, clause),) = read_docx(data, "plain.docx", "x").documents[0].clauses()
    assert clause.original_text is None and clause.changes == []


WORDS = [
    "the",
    "Union",
    "regional",
    "preparatory",
    "meetings",
    "shall",
    "be",
    "held",
    "(RPMs)",
    "in",
    "each",
    "region,",
    "Member",
    "States",
    "\u00a0",
    "«conferences»",
    "and",
]


@settings(max_examples=30, deadline=None)
@given(
    old=st.lists(st.sampled_from(WORDS), min_size=1, max_size=12),
    new=st.lists(st.sampled_from(WORDS), min_size=1, max_size=12),
)
def test_any_word_diff_round_trips(old: list[str], new: list[str]) -> None:
    before, after = "that " + " ".join(old) + ";", "that " + " ".join(new) + ";"
    from docx_fixtures import tracked_content

    data = _resolution([run("considering"), tracked_content(f"a)\t{before}", f"a)\t{after}")])
    ((_, clause),) = read_docx(data, "fuzz.docx", "x").documents[0].clauses()
    original = before.strip() if before != after else None  # no revision marks: no original
    assert (clause.text, clause.original_text) == (after.strip(), original)
    inserted = "".join(c.text for c in clause.changes if c.kind == "insert")
    deleted = "".join(c.text for c in clause.changes if c.kind == "delete")
    assert len(after) - len(inserted) == len(before) - len(deleted)  # the kept text is shared
