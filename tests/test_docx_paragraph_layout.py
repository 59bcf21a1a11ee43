"""A resolution in the paragraph layout (the UN Security Council's) read from Word: one Word
paragraph per paragraph, parsed like the same text from a .txt file."""

from __future__ import annotations

import re
from pathlib import Path

import docx
import pytest

from ingest.errors import ParseError
from ingest.loader import load_file
from ingest.page_text import vocabulary
from ingest.paragraph_parser import _opens_paragraph
from ingest.paragraph_text import is_artefact, split_paragraphs

LIMIT = 10**8


def _as_docx(text: str, path: Path) -> Path:
    """The paragraphs the text parser finds (wrapped lines joined, page furniture dropped), each
    as one Word paragraph: the way a typed file holds the resolution."""
    lines = [(n, "" if is_artefact(line) else line) for n, line in enumerate(text.split("\n"), 1)]
    document = docx.Document()
    for paragraph in split_paragraphs(lines, _opens_paragraph, vocabulary(text.split("\n"))):
        document.add_paragraph(paragraph.text)
    document.save(str(path))
    return path


def _words(text: str) -> str:
    return " ".join(re.sub(r"-\s+", "-", text).split())


def test_unsc_resolutions_from_word_parse_as_from_text(unsc_dir: Path, tmp_path: Path) -> None:
    files = sorted(unsc_dir.glob("*.txt"))[::60]  # 16 resolutions from 1946 to the 2000s
    assert len(files) >= 10
    for source in files:
        plain = load_file(source, LIMIT).documents[0]
        word = load_file(
            _as_docx(source.read_text("utf-8"), tmp_path / f"{source.stem}.docx"), LIMIT
        )
        document = word.documents[0]
        assert (document.kind, document.body, document.number) == (
            plain.kind,
            plain.body,
            plain.number,
        ), source.name
        assert [c.id for _, c in document.clauses()] == [c.id for _, c in plain.clauses()]
        for (_, a), (_, b) in zip(plain.clauses(), document.clauses(), strict=True):
            assert _words(a.text) == _words(b.text), (source.name, a.id)  # notes: scanned only


def test_a_paragraph_layout_error_names_the_word_paragraph(tmp_path: Path) -> None:
    text = "Resolution 9999 (2031)\n\nAdopted by the Security Council at its 9000th meeting, "
    text += "on 1 May 2031\n\nThe Security Council,\n"
    with pytest.raises(ParseError) as refused:
        load_file(_as_docx(text, tmp_path / "empty.docx"), LIMIT)
    assert refused.value.line == 3  # the third Word paragraph: nothing follows it
    assert "no preamble or operative paragraphs" in refused.value.reason
