"""PDF files made in code: a corpus text as a Word document, printed to PDF by LibreOffice."""

from __future__ import annotations

import json
import shutil
import subprocess
import tempfile
from pathlib import Path

import docx

from tests.docx_fixtures import (
    CORPUS,
    _body_and_notes,
    add_footnotes,
    add_paragraph,
    new_document,
    run,
    to_bytes,
)

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
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    assert soffice is not None, "LibreOffice is not installed"
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        source = out / f"{name}.docx"
        source.write_bytes(data)
        done = subprocess.run(
            [
                soffice,
                f"-env:UserInstallation=file://{out / 'profile'}",
                "--headless",
                "--convert-to",
                _pdf_filter(password),
                "--outdir",
                str(out),
                str(source),
            ],
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
        result = out / f"{name}.pdf"
        assert done.returncode == 0 and result.is_file(), done.stdout + done.stderr
        return result.read_bytes()


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


__all__ = ["CORPUS", "HAS_SOFFICE", "corpus_docx", "corpus_pdf", "docx_to_pdf", "image_only_pdf"]
