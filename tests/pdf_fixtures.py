"""PDF files made in code: a corpus text as a Word document, printed to PDF by LibreOffice; UN
texts and a long footnote through the layout eval's Word rendering; pages typeset in code."""

from __future__ import annotations

import json
import re
import shutil
import tempfile
from pathlib import Path

import docx

from evals import word_layout
from evals.word_layout import soffice
from ingest.pdf_layout import Glyph, Page, Rule
from tests.docx_fixtures import (
    CORPUS,
    _body_and_notes,
    add_footnotes,
    add_paragraph,
    new_document,
    run,
    to_bytes,
)

UNSC = Path(__file__).resolve().parent.parent / "evals" / "data" / "unsc"
HAS_SOFFICE = (shutil.which("soffice") or shutil.which("libreoffice")) is not None
PAGE_FOOTER = (
    '<w:p xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
    '<w:pPr><w:jc w:val="center"/></w:pPr>'
    '<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
    '<w:r><w:instrText xml:space="preserve"> PAGE </w:instrText></w:r>'
    '<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>1</w:t></w:r>'
    '<w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>'
)


def corpus_docx(path: Path, *, page_numbers: bool = True, running_head: str = "") -> bytes:
    """A .docx of a corpus file: one paragraph per line (typed label, TAB, text), footnotes as
    Word footnotes, page numbers in the footer and an optional running head."""
    from docx.oxml import parse_xml

    lines, notes = _body_and_notes(path)
    document = new_document()
    for line in lines:
        add_paragraph(document, run(line))
    if notes:
        add_footnotes(document, notes)
    section = document.sections[0]
    if page_numbers:
        footer = section.footer._element
        for p in list(footer):
            footer.remove(p)
        footer.append(parse_xml(PAGE_FOOTER))
    if running_head:
        section.header.paragraphs[0].text = running_head
    return to_bytes(document)


def docx_to_pdf(
    data: bytes, name: str = "document", *, password: str = "", timeout: int = 240
) -> bytes:
    """The PDF that headless LibreOffice prints from ``data`` (a .docx); with ``password``, the
    PDF is encrypted and needs it to be opened."""
    assert soffice() is not None, "LibreOffice is not installed"
    return word_layout.docx_to_pdf(data, name, target=_pdf_filter(password), timeout=timeout)


def _pdf_filter(password: str) -> str:
    if not password:
        return "pdf"
    options = {
        "EncryptFile": {"type": "boolean", "value": "true"},
        "DocumentOpenPassword": {"type": "string", "value": password},
    }
    return "pdf:writer_pdf_Export:" + json.dumps(options)


def corpus_pdf(name: str, **options: object) -> bytes:
    """The PDF of ``corpus/<name>`` made through Word and LibreOffice."""
    return docx_to_pdf(corpus_docx(CORPUS / name, **options), Path(name).stem)  # type: ignore[arg-type]


def un_collection_pdf(names: list[str]) -> bytes:
    """UN Security Council texts of ``evals/data/unsc`` in one Word file (one Word paragraph a
    paragraph, each text from a new page, as the layout eval renders them), printed to PDF."""
    from evals import word_layout

    texts = [(UNSC / name).read_text(encoding="utf-8") for name in names]
    return docx_to_pdf(word_layout.itu_docx(texts), "un")


def long_note_text(name: str = "PP-58-Rev-Busan-2014.txt", sentences: int = 70) -> str:
    """A corpus text whose first footnote is made so long that the printer has to carry it over
    to the foot of the next page."""
    text = (CORPUS / name).read_text(encoding="utf-8")
    note = re.search(r"^\[\^1\]: (.*)$", text, re.MULTILINE)
    assert note is not None
    more = [f"Sentence {i} of a note long enough to be carried over." for i in range(sentences)]
    return text.replace(note.group(0), "[^1]: " + " ".join([note.group(1), *more]))


def text_pdf(text: str, name: str = "document") -> bytes:
    """A text in the ITU layout in the ITU template (Word footnotes), printed to PDF."""
    from evals import word_layout

    return docx_to_pdf(word_layout.itu_docx([text]), name)


def typeset(lines: list[tuple[str, float]], *, size: float = 11.0, left: float = 90.0) -> Page:
    """A page typeset in code: each (text, baseline) a line from ``left``, every character
    half the font size wide (a space too), ``[^N]`` a raised note mark, on an A4 page."""
    glyphs = []
    for text, baseline in lines:
        x = left
        for part in re.split(r"(\[\^\d+\])", text):
            raised = re.fullmatch(r"\[\^(\d+)\]", part)
            if raised:  # a note mark: smaller digits, raised
                for digit in raised.group(1):
                    glyphs.append(Glyph(digit, x, x + size / 3, baseline - size / 3, size * 0.6))
                    x += size / 3
                continue
            for char in part:
                glyphs.append(Glyph(char, x, x + size / 2, baseline, size))
                x += size / 2
    return Page(595.0, 842.0, glyphs, 0, [])


def with_rule(page: Page, y: float, x0: float = 90.0, x1: float = 200.0) -> Page:
    """``page`` with a thin horizontal rule (a footnote separator) at ``y`` from the top."""
    page.rules.append(Rule(x0, x1, y))
    return page


def image_only_pdf() -> bytes:
    """A one-page PDF holding only a picture of text (a scan without OCR), via LibreOffice."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (1200, 400), "white")
    ImageDraw.Draw(image).text((40, 150), "RESOLUTION 58 (Rev. Busan, 2014)", fill="black")
    with tempfile.TemporaryDirectory() as tmp:
        picture = Path(tmp) / "scan.png"
        image.save(picture)
        document: docx.document.Document = new_document()
        document.add_picture(str(picture))
        return docx_to_pdf(to_bytes(document), "scan")


__all__ = [
    "CORPUS",
    "HAS_SOFFICE",
    "UNSC",
    "corpus_docx",
    "corpus_pdf",
    "docx_to_pdf",
    "image_only_pdf",
    "long_note_text",
    "text_pdf",
    "typeset",
    "un_collection_pdf",
    "with_rule",
]
