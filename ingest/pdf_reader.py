"""PDF files: the text layer, read with PDFium (pypdfium2) and laid out as the ITU text layout.

The characters of each page are read in the order the PDF gives them (the reading order of
documents printed from Word) with their baseline, box and font size, and the thin horizontal
rules drawn on the page (a footnote separator) with their place; :mod:`ingest.pdf_layout` makes
the text of them (lines, words and TABs, footnote marks and footnotes, page furniture dropped,
paragraphs joined). The text then goes to the text parser (:func:`ingest.loader.parse_text`).
A PDF with pages but no text (a scan), an encrypted, a corrupt or an empty PDF gives an
:class:`IngestError` that says so.
"""

from __future__ import annotations

import ctypes
import threading
from typing import Any

from ingest.errors import IngestError, UnsupportedFileError
from ingest.loader import ParsedFile, parse_text
from ingest.pdf_layout import Glyph, Page, Rule, ScannedPdfError, layout_text

_PDFIUM_LOCK = threading.Lock()  # PDFium is not thread-safe
_RULE_THICKNESS = 2.0  # points: a path object thinner than this and wider than tall is a rule
_RULE_LENGTH = 20.0  # points: shorter ones are not rules (an underline of a word, a dash)


_LOAD_ERRORS = {
    2: "the file cannot be opened",
    3: "not in the PDF format, or damaged",
    6: "a page is missing or damaged",
}


class EncryptedPdfError(UnsupportedFileError):
    """The PDF needs a password to be read."""


def read_pdf(data: bytes, source: str, digest: str, max_chars: int | None = None) -> ParsedFile:
    """Parse a PDF's text layer as one document; clear errors for scans, encryption, damage."""
    pages = pdfium_pages(data, source, max_chars)
    text = layout_text(pages, source)
    return ParsedFile(source, digest, [parse_text(text, source)])


def pdfium_pages(data: bytes, source: str, max_chars: int | None = None) -> list[Page]:
    """The glyphs of every page, read with PDFium; ``max_chars`` bounds the text read."""
    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    with _PDFIUM_LOCK:
        try:
            document = pdfium.PdfDocument(data)
        except pdfium.PdfiumError as error:
            code = getattr(error, "err_code", None)  # PDFium's last error: may be stale
            if code in (raw.FPDF_ERR_PASSWORD, raw.FPDF_ERR_SECURITY) and b"/Encrypt" in data:
                raise EncryptedPdfError(
                    source,
                    0,
                    "the PDF is encrypted (it needs a password); save an unprotected copy or "
                    "export it as text (.txt) or Word (.docx)",
                ) from error
            reason = _LOAD_ERRORS.get(code or 0, "PDFium could not load it")
            if code in (raw.FPDF_ERR_PASSWORD, raw.FPDF_ERR_SECURITY):
                reason = "PDFium could not load it"
            raise UnsupportedFileError(
                source,
                0,
                f"not a PDF that can be read ({reason}); it may be damaged, truncated or have "
                "no pages: export it again, or as text (.txt) or Word (.docx)",
            ) from error
        try:
            pages: list[Page] = []
            total = 0
            for index in range(len(document)):
                page = document[index]
                try:
                    width, height = page.get_size()
                    textpage = page.get_textpage()
                    glyphs = _page_glyphs(raw, textpage.raw, height)
                    images = sum(1 for _ in page.get_objects(filter=(raw.FPDF_PAGEOBJ_IMAGE,)))
                    rules = _page_rules(page, raw, height)
                    textpage.close()
                finally:
                    page.close()
                total += len(glyphs)
                if max_chars is not None and total > max_chars:
                    raise IngestError(
                        source,
                        0,
                        f"the PDF holds more than {max_chars:,} characters of text, over the "
                        "limit (raise RESOLUTIONS_MAX_FILE_BYTES to allow it)",
                    )
                pages.append(Page(width, height, glyphs, images, rules))
        finally:
            document.close()
    return pages


def _page_rules(page: Any, raw: Any, height: float) -> list[Rule]:
    """The thin horizontal lines drawn on a page (path objects), top-down."""
    rules = []
    for item in page.get_objects(filter=(raw.FPDF_PAGEOBJ_PATH,)):
        left, bottom, right, top = item.get_bounds()
        if top - bottom < _RULE_THICKNESS and right - left > _RULE_LENGTH:
            rules.append(Rule(left, right, height - (top + bottom) / 2))
    return rules


def _page_glyphs(raw: object, textpage: object, height: float) -> list[Glyph]:
    """The characters of one PDFium text page with baseline and advance box; a space in the
    PDF (not one PDFium made up) is kept as a word break."""
    api: Any = raw
    count = api.FPDFText_CountChars(textpage)
    box = api.FS_RECTF()
    x, y = ctypes.c_double(), ctypes.c_double()
    glyphs: list[Glyph] = []
    pending_high = 0
    for i in range(max(count, 0)):
        code = api.FPDFText_GetUnicode(textpage, i)
        if 0xD800 <= code < 0xDC00:
            pending_high = code
            continue
        if 0xDC00 <= code < 0xE000 and pending_high:
            code = 0x10000 + ((pending_high - 0xD800) << 10) + (code - 0xDC00)
        pending_high = 0
        if api.FPDFText_IsGenerated(textpage, i) == 1:
            continue
        char = chr(code) if code else ""
        if char == "\x02":  # PDFium's mark for a hyphen that ends a line
            char = "-"
        if not char or char in "\xad\ufffe\ufeff" or char in "\r\n":
            continue
        api.FPDFText_GetLooseCharBox(textpage, i, ctypes.byref(box))
        api.FPDFText_GetCharOrigin(textpage, i, ctypes.byref(x), ctypes.byref(y))
        size = float(api.FPDFText_GetFontSize(textpage, i))
        text = " " if char.isspace() else char
        glyphs.append(Glyph(text, box.left, box.right, height - y.value, size))
    return glyphs


__all__ = [
    "EncryptedPdfError",
    "Glyph",
    "Page",
    "Rule",
    "ScannedPdfError",
    "layout_text",
    "pdfium_pages",
    "read_pdf",
]
