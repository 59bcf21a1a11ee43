"""Every Word export works whatever text was ingested: control characters (U+0001, U+0007,
U+001B ...) that an older index or an upload may hold never break a .docx (issue 20, item 5)."""

from __future__ import annotations

import zipfile
from pathlib import Path

from docx import Document as WordDocument

from assistant.align.compare import compare_documents
from assistant.drafting.revise import revise
from assistant.index.library import Library
from assistant.word.comparison import write_comparison_docx
from assistant.word.revision_output import write_revision_docx
from assistant.word.writer import write_draft_docx
from ingest.loader import load_file
from tests.conftest import CORPUS

CONTROLS = "\x01\x07\x1b\x0b\x7f\x85\ufffe"


def _opens(path: Path) -> str:
    WordDocument(str(path))  # python-docx reads it back
    with zipfile.ZipFile(path) as package:
        xml = "".join(package.read(n).decode() for n in package.namelist() if n.endswith(".xml"))
    assert not any(char in xml for char in CONTROLS)
    return xml


def test_comparison_and_draft_exports_survive_control_characters(tmp_path: Path) -> None:
    old = load_file(CORPUS / "PP-58-Rev-Busan-2014.txt").documents[0]
    new = load_file(CORPUS / "PP-58-Rev-Busan-2014.txt").documents[0]
    for _, clause in new.clauses()[:5]:
        clause.text = f"{CONTROLS} {clause.text}\x07 bell"
    _opens(write_comparison_docx(tmp_path / "compare.docx", compare_documents(old, new)))
    base = {"id": "x/considering/a", "label": "a", "sub": "", "citation": "X, a)", "text": "a\x1b"}
    draft = {
        "text": "the \x01text\x1b",
        "spans": [
            {"text": "the \x01text", "sources": [base["id"]]},
            {
                "text": "",
                "sources": [base["id"]],
                "alternatives": [{"text": "o\x07", "sources": ["y"]}],
            },
        ],
        "sources": [base],
        "base": base,
    }
    assert "text" in _opens(write_draft_docx(tmp_path / "draft.docx", draft))


def test_a_revision_of_an_index_holding_control_characters(
    fake_library: Library, tmp_path: Path
) -> None:
    from sqlalchemy import update

    from assistant.index import database

    table = database.parsed_documents
    db = fake_library.database
    with db.write() as conn:  # an index written before control characters were removed
        for document_id, generation, body in conn.execute(table.select()).all():
            if document_id == "pp-58-rev-busan-2014":
                data = database.decompress(body)
                data["sections"][0]["clauses"][0]["text"] += " \x01\x07\x1b"
                conn.execute(
                    update(table)
                    .where(table.c.document_id == document_id, table.c.generation == generation)
                    .values(body=database.compress(data))
                )
    library = Library(fake_library.settings, embedder=fake_library.embedder)
    result = revise(library, "pp-58-rev-busan-2014", for_body="PP")
    _opens(write_revision_docx(tmp_path / "revision.docx", result, library=library))
