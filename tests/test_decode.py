"""Reading text files: legacy encodings are read, junk and empty files get clear errors."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from ingest.errors import IngestError, ParseError, UnsupportedFileError
from ingest.loader import decode_text, load_file

CORPUS_FILE = Path(__file__).resolve().parent.parent / "corpus" / "WTSA-43-Rev-New-Delhi-2024.txt"
TEXT = "RÉSOLUTION – “quoted” café, naïve, 2024\nsecond line\n"


def test_utf8_with_and_without_bom() -> None:
    assert decode_text(TEXT.encode(), "a.txt") == TEXT
    assert decode_text(codecs.BOM_UTF8 + TEXT.encode(), "a.txt") == TEXT


def test_cp1252_is_read_correctly() -> None:
    assert decode_text(TEXT.encode("cp1252"), "a.txt") == TEXT


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-le", "utf-16-be", "utf-32"])
def test_utf16_and_utf32_with_bom(codec: str) -> None:
    bom = {"utf-16-le": codecs.BOM_UTF16_LE, "utf-16-be": codecs.BOM_UTF16_BE}.get(codec, b"")
    assert decode_text(bom + TEXT.encode(codec), "a.txt") == TEXT


def test_crlf_and_cr_line_ends_are_normalized() -> None:
    assert decode_text(b"a\r\nb\rc", "a.txt") == "a\nb\nc"


@pytest.mark.parametrize("encoding", ["cp1252", "utf-16", "utf-8-sig"])
def test_corpus_file_in_legacy_encodings_parses_the_same(tmp_path: Path, encoding: str) -> None:
    text = CORPUS_FILE.read_text(encoding="utf-8")
    legacy = tmp_path / CORPUS_FILE.name
    legacy.write_bytes(text.replace("\n", "\r\n").encode(encoding))
    expected = load_file(CORPUS_FILE).documents[0]
    got = load_file(legacy).documents[0]
    assert [c.id for _, c in got.clauses()] == [c.id for _, c in expected.clauses()]
    assert [c.text for _, c in got.clauses()] == [c.text for _, c in expected.clauses()]


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (bytes(range(256)) * 8, "binary"),
        (b"\x89PNG\r\n\x1a\n" + bytes(200), "binary"),
        (b"PK\x03\x04" + bytes(100), ".docx"),
        (b"%PDF-1.7\n" + bytes(100), "PDF"),
        ("hello world".encode("utf-16-le"), "UTF-16"),
    ],
)
def test_binary_junk_named_txt_is_a_clear_error(tmp_path: Path, data: bytes, expected: str) -> None:
    path = tmp_path / "junk.txt"
    path.write_bytes(data)
    with pytest.raises(UnsupportedFileError) as error:
        load_file(path)
    message = str(error.value)
    assert message.startswith(str(path)) and expected in message
    assert "save it as" in message or "name it" in message or "export it" in message


@pytest.mark.parametrize("data", [b"", b"   \n\n\t", codecs.BOM_UTF8, codecs.BOM_UTF16_LE])
def test_empty_files_are_a_clear_error(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "empty.md"
    path.write_bytes(data)
    with pytest.raises(ParseError, match="empty") as error:
        load_file(path)
    assert str(path) in str(error.value)


def test_errors_are_ingest_errors_with_the_file_name(tmp_path: Path) -> None:
    path = tmp_path / "x.txt"
    path.write_bytes(bytes(range(32)) * 10)
    with pytest.raises(IngestError) as error:
        load_file(path)
    assert error.value.source == str(path)
