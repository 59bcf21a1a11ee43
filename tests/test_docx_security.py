"""Hostile or broken .docx files are refused with a clear reason, before anything expands them."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from docx_fixtures import add_paragraph, new_document, run, to_bytes

from ingest.docx_reader import UnsafeFileError, read_docx
from ingest.errors import IngestError, ParseError, UnsupportedFileError
from ingest.loader import load_file

W_DOC = (
    '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
    "<w:body><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:body></w:document>"
)
BILLION_LAUGHS = (
    '<?xml version="1.0"?><!DOCTYPE w:document ['
    '<!ENTITY a "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa">'
    + "".join(
        f'<!ENTITY {c} "{("&" + p + ";") * 10}">'
        for p, c in zip("abcdefgh", "bcdefghi", strict=True)
    )
    + "]>"
    + W_DOC.format(text="&i;")
)
EXTERNAL_ENTITY = (
    '<?xml version="1.0"?><!DOCTYPE w:document [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
    + W_DOC.format(text="&xxe;")
)


@pytest.fixture(scope="module")
def valid() -> bytes:
    document = new_document()
    add_paragraph(document, run("A short note about regional preparatory meetings."))
    return to_bytes(document)


def _replace(data: bytes, name: str, blob: bytes) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            content = blob if info.filename == name else source.read(info)
            target.writestr(info.filename, content, zipfile.ZIP_DEFLATED)
    return out.getvalue()


def _load(tmp_path: Path, data: bytes, name: str = "bad.docx") -> IngestError:
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(IngestError) as caught:
        load_file(path)
    assert str(path) in str(caught.value)
    return caught.value


def test_valid_fixture_reads(valid: bytes) -> None:
    (document,) = read_docx(valid, "ok.docx", "x").documents
    assert document.kind == "passages"


def test_not_a_zip(tmp_path: Path) -> None:
    error = _load(tmp_path, b"RESOLUTION 58 (Rev. Busan, 2014)\nplain text named .docx\n")
    assert isinstance(error, UnsupportedFileError) and "not a .docx file" in error.reason
    error = _load(tmp_path, b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "old.docx")
    assert "old binary Word (.doc)" in error.reason


def test_truncated_zip(tmp_path: Path, valid: bytes) -> None:
    error = _load(tmp_path, valid[: len(valid) // 2])
    assert isinstance(error, ParseError) and "truncated or damaged" in error.reason


def test_damaged_member(tmp_path: Path, valid: bytes) -> None:
    with zipfile.ZipFile(io.BytesIO(valid)) as archive:
        info = archive.getinfo("word/document.xml")
    start = info.header_offset + 30 + len(info.filename) + len(info.extra) + 20
    damaged = (
        valid[:start] + bytes(b ^ 0x5A for b in valid[start : start + 40]) + valid[start + 40 :]
    )
    error = _load(tmp_path, damaged)
    assert "truncated or damaged" in error.reason and "word/document.xml" in error.reason


def test_zip_bomb(tmp_path: Path, valid: bytes) -> None:
    bomb = _replace(valid, "word/document.xml", b"\0" * (64 * 1024 * 1024))
    assert len(bomb) < 1024 * 1024
    error = _load(tmp_path, bomb)
    assert isinstance(error, UnsafeFileError) and "zip bomb refused" in error.reason
    assert "word/document.xml" in error.reason


def test_total_size_limit(valid: bytes) -> None:
    with pytest.raises(UnsafeFileError, match="would expand to"):
        read_docx(valid, "big.docx", "x", max_uncompressed=10_000)


def test_entity_expansion_bomb(tmp_path: Path, valid: bytes) -> None:
    error = _load(tmp_path, _replace(valid, "word/document.xml", BILLION_LAUGHS.encode()))
    assert isinstance(error, UnsafeFileError) and "entity-expansion" in error.reason


def test_external_entity(tmp_path: Path, valid: bytes) -> None:
    error = _load(tmp_path, _replace(valid, "word/document.xml", EXTERNAL_ENTITY.encode()))
    assert isinstance(error, UnsafeFileError) and "external entity" in error.reason
    assert "file:///etc/passwd" in error.reason


def test_zip_that_is_not_a_word_document(tmp_path: Path) -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
    error = _load(tmp_path, out.getvalue())
    assert "not a Word document" in error.reason


def test_cli_parse_docx_and_bad_docx(tmp_path: Path, valid: bytes) -> None:
    from docx_fixtures import pp58_busan_to_doha

    from assistant.cli import main

    good, bad = tmp_path / "PP-58-draft.docx", tmp_path / "broken.docx"
    good.write_bytes(pp58_busan_to_doha()[0])
    bad.write_bytes(valid[:200])
    result = CliRunner().invoke(main, ["parse", str(good), str(bad)])
    assert result.exit_code == 2
    assert "PP Res. 58 (Rev. Doha, 2026)" in result.output
    assert "broken.docx" in result.output and "truncated or damaged" in result.output
    assert "Traceback" not in result.output


def test_entities_in_a_part_not_named_xml(tmp_path: Path, valid: bytes) -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(valid)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            target.writestr(info.filename, source.read(info))
        target.writestr("word/embeddings/part.bin", BILLION_LAUGHS)
    error = _load(tmp_path, out.getvalue())
    assert isinstance(error, UnsafeFileError) and "word/embeddings/part.bin" in error.reason
