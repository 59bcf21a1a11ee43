"""PDF input: a resolution printed to PDF parses like its text; scans, empty, corrupt and
encrypted PDFs give clear errors (never a traceback)."""

from __future__ import annotations

import contextlib
from pathlib import Path

import pytest

from ingest.errors import IngestError, UnsupportedFileError
from ingest.loader import SUPPORTED_SUFFIXES, load_file, parse_text
from ingest.pdf_reader import EncryptedPdfError, ScannedPdfError, read_pdf
from tests.pdf_fixtures import (
    CORPUS,
    HAS_SOFFICE,
    corpus_docx,
    corpus_pdf,
    docx_to_pdf,
    image_only_pdf,
)

needs_soffice = pytest.mark.skipif(
    not HAS_SOFFICE,
    reason="LibreOffice is not installed (Debian: apt-get install libreoffice-writer-nogui)",
)


def clauses(document: object) -> list[tuple[str, str]]:
    return [(c.id, " ".join(c.text.split())) for _, c in document.clauses()]  # type: ignore[attr-defined]


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def blank_pdf(pages: int = 1) -> bytes:
    import io

    import pypdfium2 as pdfium

    document = pdfium.PdfDocument.new()
    for _ in range(pages):
        document.new_page(595, 842)
    stream = io.BytesIO()
    document.save(stream)
    return stream.getvalue()


def test_pdf_is_supported() -> None:
    assert ".pdf" in SUPPORTED_SUFFIXES


@needs_soffice
@pytest.mark.parametrize(
    ("name", "head"),
    [
        ("PP-58-Rev-Busan-2014.txt", ""),  # footnotes across pages, page numbers
        ("WTDC-31-Rev-Baku-2025.txt", "WTDC Resolution 31"),  # a hyphen at a wrap, running head
    ],
)
def test_printed_resolution_parses_like_its_text(tmp_path: Path, name: str, head: str) -> None:
    text = (CORPUS / name).read_text()
    expected = parse_text(text, name)
    pdf = write(tmp_path, Path(name).stem + ".pdf", corpus_pdf(name, running_head=head))
    parsed = load_file(pdf)
    assert len(parsed.documents) == 1
    document = parsed.documents[0]
    assert document.id == expected.id
    assert document.title == expected.title
    assert clauses(document) == clauses(expected)
    notes = [c.footnotes for _, c in document.clauses() if c.footnotes]
    assert notes == [c.footnotes for _, c in expected.clauses() if c.footnotes]


@needs_soffice
def test_scanned_pdf_says_to_run_ocr(tmp_path: Path) -> None:
    path = write(tmp_path, "scan.pdf", image_only_pdf())
    with pytest.raises(ScannedPdfError) as raised:
        load_file(path)
    message = str(raised.value)
    assert "no text layer" in message and "OCR" in message and "scan.pdf" in message


@needs_soffice
def test_encrypted_pdf_says_so(tmp_path: Path) -> None:
    data = docx_to_pdf(corpus_docx(CORPUS / "WRC-72-Rev-WRC-19.txt"), "wrc", password="secret")
    path = write(tmp_path, "locked.pdf", data)
    with pytest.raises(EncryptedPdfError) as raised:
        load_file(path)
    assert "encrypted" in str(raised.value) and "password" in str(raised.value)


def test_pdf_with_blank_pages_is_empty(tmp_path: Path) -> None:
    with pytest.raises(IngestError, match="no text; it is empty"):
        load_file(write(tmp_path, "blank.pdf", blank_pdf(2)))


def test_pdf_without_pages(tmp_path: Path) -> None:
    with pytest.raises(UnsupportedFileError, match="no pages"):
        load_file(write(tmp_path, "nothing.pdf", blank_pdf(0)))


def test_zero_byte_pdf_is_empty(tmp_path: Path) -> None:
    with pytest.raises(IngestError, match="empty"):
        load_file(write(tmp_path, "zero.pdf", b""))


@pytest.mark.parametrize(
    "data",
    [
        b"%PDF-1.7\n" + bytes(200),
        b"not a pdf at all, just text named .pdf\n",
        b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\ntrailer << /Root 1 0 R",
    ],
)
def test_corrupt_pdf_gives_a_clear_error(tmp_path: Path, data: bytes) -> None:
    with pytest.raises(UnsupportedFileError) as raised:
        load_file(write(tmp_path, "broken.pdf", data))
    assert "not a PDF that can be read" in str(raised.value)
    assert "export it again" in str(raised.value)


@needs_soffice
def test_truncated_pdf_never_raises_a_traceback(tmp_path: Path) -> None:
    data = corpus_pdf("WRC-72-Rev-WRC-19.txt")
    for cut in (len(data) // 3, len(data) // 2, len(data) - 200):
        with contextlib.suppress(IngestError):  # PDFium may recover what precedes the cut
            load_file(write(tmp_path, "cut.pdf", data[:cut]))


@needs_soffice
def test_size_limits(tmp_path: Path) -> None:
    data = corpus_pdf("WRC-72-Rev-WRC-19.txt")
    path = write(tmp_path, "wrc.pdf", data)
    with pytest.raises(IngestError, match="over the limit"):
        load_file(path, max_bytes=len(data) - 1)
    with pytest.raises(IngestError, match="more than 500 characters"):
        read_pdf(data, str(path), "digest", max_chars=500)
