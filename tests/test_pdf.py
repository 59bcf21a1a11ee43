"""PDF input: a resolution printed to PDF parses like its text (footnotes carried over to the
next page, UN texts' paragraphs, collections' boundaries, running heads); scans, empty, corrupt
and encrypted PDFs give clear errors (never a traceback)."""

from __future__ import annotations

import contextlib
from pathlib import Path

import pytest

from ingest.errors import IngestError, UnsupportedFileError
from ingest.loader import SUPPORTED_SUFFIXES, load_file, parse_text
from ingest.pdf_layout import Page
from ingest.pdf_reader import (
    EncryptedPdfError,
    ScannedPdfError,
    layout_text,
    pdfium_pages,
    read_pdf,
)
from tests.pdf_fixtures import (
    CORPUS,
    HAS_SOFFICE,
    UNSC,
    corpus_docx,
    corpus_pdf,
    docx_to_pdf,
    image_only_pdf,
    long_note_text,
    text_pdf,
    typeset,
    un_collection_pdf,
    with_rule,
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


# ---- layout: footnotes, UN paragraphs, running heads ---------------------------------------------


@needs_soffice
def test_footnote_carried_over_to_the_next_page_is_read_whole(tmp_path: Path) -> None:
    text = long_note_text()
    data = text_pdf(text, "long-note")
    pages = ["".join(g.text for g in page.glyphs) for page in pdfium_pages(data, "long-note")]
    first = next(i for i, page in enumerate(pages) if "Sentence 0 of" in page)
    last = next(i for i, page in enumerate(pages) if "Sentence 69 of" in page)
    assert last > first  # the printer did carry the note over
    expected = parse_text(text, "long-note.txt")
    parsed = load_file(write(tmp_path, "long-note.pdf", data))
    [document] = parsed.documents
    assert clauses(document) == clauses(expected)
    notes = [c.footnotes for _, c in document.clauses() if c.footnotes]
    assert notes == [c.footnotes for _, c in expected.clauses() if c.footnotes]


@needs_soffice
def test_un_texts_keep_their_paragraphs_and_boundaries(tmp_path: Path) -> None:
    names = [
        "S_RES_0083_1950_EN_GOLD.txt",  # '83 (1950). Resolution of ...' at the top of a page,
        "S_RES_0084_1950_EN_GOLD.txt",  # as the next two are: not a running head
        "S_RES_0143_1960_EN_GOLD.txt",
        "S_RES_0242_1967_EN_GOLD.txt",
    ]
    parsed = load_file(write(tmp_path, "un.pdf", un_collection_pdf(names)))
    expected = [parse_text((UNSC / name).read_text(), name) for name in names]
    assert [d.id for d in parsed.documents] == [d.id for d in expected]
    assert not parsed.failures
    for document, original in zip(parsed.documents, expected, strict=True):
        assert clauses(document) == clauses(original)
        assert [s.heading for s in document.sections] == [s.heading for s in original.sections]
        full = [" ".join(c.full_text.split()) for _, c in document.clauses()]
        assert full == [" ".join(c.full_text.split()) for _, c in original.clauses()]


def test_running_heads_are_dropped_but_headers_at_page_tops_are_kept() -> None:
    body = [
        ("The Security Council,", 105.0),
        ("Recalling that the text of a resolution runs on over the width of a page,", 130.0),
        ("Decides to end here.", 155.0),
    ]
    tops = [
        "12 (1950). Resolution of 4 May 1950",
        "13 (1951). Resolution of 5 June 1951",
        "Resolution 14 (1951)",  # one number changes, as the page numbers do: still a header
        "Resolution 15 (1951)",
    ]
    pages = [
        typeset([(f"Collected resolutions - page {n + 5}", 40.0), (top, 80.0), *body])
        for n, top in enumerate(tops)
    ]
    lines = layout_text(pages, "heads.pdf").split("\n")
    assert not [line for line in lines if "Collected resolutions" in line]
    assert [line for line in lines if "Resolution" in line] == tops


def test_notes_under_the_separator_carried_over_and_repeated() -> None:
    def page(number: int, notes: list[str]) -> Page:
        lines = [
            (f"a)\u2003that body text {number} cites a note[^{number}];", 100.0),
            ("b)\u2003that it goes on.", 125.0),
        ]
        lines += [(note, 720.0 + 14.0 * i) for i, note in enumerate(notes)]
        return with_rule(typeset(lines), 705.0)

    pages = [
        page(1, ["1 The same note, at the same place", "on two pages of a collection."]),
        page(2, ["2 A note that the printer carries"]),
        page(3, ["over to the next page.", "3 The same note, at the same place"]),
    ]
    pages[2] = with_rule(
        typeset(
            [
                ("a)\u2003that body text 3 cites a note[^3];", 100.0),
                ("b)\u2003that it goes on.", 125.0),
                ("over to the next page.", 720.0),
                ("3 The same note, at the same place", 734.0),
                ("on two pages of a collection.", 748.0),
            ]
        ),
        705.0,
    )
    text = layout_text(pages, "notes.pdf")
    assert "[^1]: The same note, at the same place on two pages of a collection." in text
    assert "[^2]: A note that the printer carries over to the next page." in text
    assert "[^3]: The same note, at the same place on two pages of a collection." in text
    assert "that body text 1 cites a note[^1];" in text


def test_paragraph_spacing_parts_paragraphs_and_line_pitch_joins_them() -> None:
    lines = [
        ("Recalling its resolution 276 (1970),", 100.0),
        ("Taking note of the report of the", 125.0),  # paragraph space: a new paragraph
        ("Sub-Committee,", 139.0),  # line pitch: the same paragraph
        ("Adopted by 9 votes to none, with 1 abstention", 164.0),
        ("( Yugoslavia ).", 178.0),  # would fit, but for the bracket: the same paragraph
    ]
    text = layout_text([typeset(lines)], "spacing.pdf")
    assert text.split("\n\n") == [
        "Recalling its resolution 276 (1970),",
        "Taking note of the report of the Sub-Committee,",
        "Adopted by 9 votes to none, with 1 abstention ( Yugoslavia ).\n",
    ]
