"""Word output: real tracked changes (w:ins/w:del with author and date), MOD, read back by our
own .docx reader, and converted to PDF by LibreOffice."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest
from docx_fixtures import libreoffice_convert

from assistant.align.compare import compare_documents
from assistant.drafting.draft import Draft
from assistant.word.comparison import write_comparison_docx
from assistant.word.writer import RedlineParagraph, RevisionWriter, write_draft_docx
from ingest.docx_reader import read_docx
from ingest.loader import load_file

ROOT = Path(__file__).resolve().parent.parent
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
BASE = (
    "that all six regional telecommunication organizations have coordinated their "
    "preparations for this conference;"
)
PROPOSAL = (
    "that all six regional telecommunication organizations have coordinated their "
    "preparations for many conferences and assemblies of the Union;"
)


def _xml(path: Path) -> str:
    with zipfile.ZipFile(path) as package:
        return package.read("word/document.xml").decode()


def _draft() -> Draft:
    base = {
        "id": "pp-58-rev-busan-2014/considering/e",
        "label": "e",
        "sub": "",
        "citation": "PP Res. 58 (Rev. Busan, 2014), considering e)",
        "text": BASE,
    }
    return Draft(PROPOSAL, [], [base], base, "PP", base["id"])


def test_revisions_are_real_tracked_changes(tmp_path: Path) -> None:
    path = write_draft_docx(tmp_path / "p.docx", _draft(), author="Delegation X")
    xml = _xml(path)
    inserts = re.findall(r"<w:ins [^>]*>", xml)
    deletes = re.findall(r"<w:del [^>]*>", xml)
    assert inserts and deletes
    for mark in inserts + deletes:
        assert 'w:author="Delegation X"' in mark
        assert re.search(r'w:date="\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ"', mark)
        assert re.search(r'w:id="\d+"', mark)
    ids = re.findall(r'<w:(?:ins|del) w:id="(\d+)"', xml)
    assert len(ids) == len(set(ids))
    assert "<w:delText" in xml and "this conference" in xml
    first = re.search(r"<w:p[ >].*?</w:p>", xml, re.S)
    assert first and ">MOD<" in first.group(0)


def test_our_reader_gets_both_sides_back(tmp_path: Path) -> None:
    path = write_draft_docx(tmp_path / "p.docx", _draft())
    data = path.read_bytes()
    accepted = read_docx(data, "p.docx", "x", view="accepted").documents[0]
    original = read_docx(data, "p.docx", "x", view="original").documents[0]
    accepted_text = " ".join(c.text for _, c in accepted.clauses())
    original_text = " ".join(c.text for _, c in original.clauses())
    assert PROPOSAL in accepted_text and BASE not in accepted_text
    assert BASE in original_text and PROPOSAL not in original_text


def test_whole_paragraphs_inserted_and_deleted(tmp_path: Path) -> None:
    writer = RevisionWriter(author="A")
    writer.paragraph(RedlineParagraph.revised("", "a new clause", "", "b)"))
    writer.paragraph(RedlineParagraph.revised("an old clause", "", "c)", ""))
    xml = _xml(writer.save(tmp_path / "w.docx"))
    assert re.search(r"<w:pPr><w:rPr><w:ins ", xml)
    assert re.search(r"<w:pPr><w:rPr><w:del ", xml)
    with pytest.raises(OSError, match="does not exist"):
        writer.save(tmp_path / "missing" / "w.docx")


def test_a_line_break_inside_a_clause_is_a_word_line_break(tmp_path: Path) -> None:
    quoted = 'resolves 3 of Resolution 80:\n"to encourage collaboration",'
    writer = RevisionWriter(author="A")
    writer.heading("Resolution 1 (Rev. Busan, 2014)")
    writer.paragraph(RedlineParagraph.plain("considering"))
    writer.paragraph(RedlineParagraph.revised(quoted, quoted.replace("to", "to keep"), "a)", "a)"))
    path = writer.save(tmp_path / "br.docx")
    xml = _xml(path)
    assert "<w:br/>" in xml and "80:\n" not in xml
    data = path.read_bytes()  # our reader reads a Word line break as a space
    accepted = read_docx(data, "br.docx", "x", view="accepted").documents[0]
    original = read_docx(data, "br.docx", "x", view="original").documents[0]
    assert [c.text for _, c in accepted.clauses()][-1].endswith(
        'Resolution 80: "to keep encourage collaboration",'
    )
    assert [c.text for _, c in original.clauses()][-1].endswith(quoted.replace("\n", " "))


@pytest.fixture(scope="module")
def resolution_docx(tmp_path_factory: pytest.TempPathFactory) -> Path:
    busan = load_file(ROOT / "corpus" / "PP-58-Rev-Busan-2014.txt").documents[0]
    doha = load_file(ROOT / "corpus" / "PP-58-Rev-Doha-2026-draft.txt").documents[0]
    path = tmp_path_factory.mktemp("docx") / "pp58.docx"
    return write_comparison_docx(path, compare_documents(busan, doha))


def test_soffice_converts_the_redline_to_pdf(resolution_docx: Path, tmp_path: Path) -> None:
    pdf = libreoffice_convert(resolution_docx, "pdf", tmp_path)
    assert pdf.read_bytes().startswith(b"%PDF")


def test_soffice_sees_the_tracked_changes(resolution_docx: Path, tmp_path: Path) -> None:
    with zipfile.ZipFile(libreoffice_convert(resolution_docx, "odt", tmp_path)) as package:
        content = package.read("content.xml").decode()
    assert content.count("<text:changed-region") > 20
    assert "<dc:creator>Resolution assistant</dc:creator>" in content
