"""PDF files: the text layer, read with PDFium (pypdfium2) and laid out as the ITU text layout.

The characters of each page are read in the order the PDF gives them (the reading order of
documents printed from Word) with their baseline, box and font size. From them:

- lines and words come from the geometry (a gap wider than the font size after a label is the
  label's TAB); a raised, smaller number inside a line is a footnote reference ``[^N]``;
- smaller-type lines at the foot of a page are footnotes (``[^N]: text`` after the body);
- page numbers, and running heads or feet repeated on several pages, are dropped;
- a line that the next line's first word would not have fitted after is a hard wrap: the two are
  one paragraph (Word wraps that way); a label, a heading or a wider gap starts a new one.

The text then goes to the text parser (:func:`ingest.loader.parse_text`). A PDF with pages but no
text (a scan), an encrypted, a corrupt or an empty PDF gives an :class:`IngestError` that says so.
"""

from __future__ import annotations

import ctypes
import itertools
import re
import threading
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from ingest.collection import is_header_line
from ingest.errors import IngestError, UnsupportedFileError
from ingest.layout import FOOTNOTE_REF, heading_keyword, looks_like_heading
from ingest.loader import ParsedFile, parse_text

_PDFIUM_LOCK = threading.Lock()  # PDFium is not thread-safe
_LABEL_WORD = re.compile(r"^(?:\(?\d{1,3}[a-z]?[.)]?|\(?[a-z]{1,5}\)|[–—•·\-])$")
_PAGE_NUMBER = re.compile(
    r"^(?:(?:page|p\.)\s*)?[-–—]?\s*\d{1,4}\s*[-–—]?(?:\s*(?:/|of)\s*\d{1,4})?$", re.IGNORECASE
)
_NOTE_OPENING = re.compile(r"^(?:\[\^(\d+)\]|(\d{1,3})(?=\s))")
_SUPERSCRIPT_DIGITS = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹", "0123456789")


_LOAD_ERRORS = {
    2: "the file cannot be opened",
    3: "not in the PDF format, or damaged",
    6: "a page is missing or damaged",
}


class ScannedPdfError(UnsupportedFileError):
    """The PDF has pages but no text layer: it is a picture of text."""


class EncryptedPdfError(UnsupportedFileError):
    """The PDF needs a password to be read."""


@dataclass
class Glyph:
    """One character: its text, horizontal extent, baseline (from the top) and font size."""

    text: str
    x0: float
    x1: float
    baseline: float
    size: float


@dataclass
class Page:
    """The glyphs of one page in the order the PDF gives them, and the page's size."""

    width: float
    height: float
    glyphs: list[Glyph]
    images: int = 0


@dataclass
class Line:
    """A printed line: its words (text, x0, x1), baseline, font size and page."""

    words: list[tuple[str, float, float]]
    baseline: float
    size: float
    page: int
    tab_after_label: bool = False

    @property
    def x0(self) -> float:
        return self.words[0][1]

    @property
    def x1(self) -> float:
        return self.words[-1][2]

    def text(self) -> str:
        """The line as text; the label's gap becomes a TAB, notes ``[^N]``."""
        out = ""
        for i, (word, _, _) in enumerate(self.words):
            if i:
                out += "\t" if i == 1 and self.tab_after_label else " "
            out += word
        return out


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
                pages.append(Page(width, height, glyphs, images))
        finally:
            document.close()
    return pages


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


# ---- from glyphs to text ------------------------------------------------------------------------


def layout_text(pages: list[Page], source: str) -> str:
    """The text of the pages in the ITU text layout: one paragraph a line, notes at the end."""
    if not pages:
        raise IngestError(source, 0, "the PDF has no pages; export the document again")
    if not any(page.glyphs for page in pages):
        if any(page.images for page in pages):
            raise ScannedPdfError(
                source,
                0,
                "the PDF has no text layer, only images (a scan?); run OCR on it first "
                "(for example ocrmypdf) or export the text as .txt or .docx",
            )
        raise IngestError(source, 0, "the PDF has no text; it is empty")
    lines_by_page = _drop_furniture([_lines(page, n) for n, page in enumerate(pages)], pages)
    body_size = _body_size(pages)
    body: list[list[Line]] = []
    notes: list[Line] = []
    refs: set[str] = set()
    defined: set[str] = set()
    for lines in lines_by_page:
        page_body, page_notes = _split_notes(lines, body_size, refs, defined)
        body.append(page_body)
        notes.extend(page_notes)
    paragraphs = _paragraphs([line for lines in body for line in lines])
    definitions = _note_definitions(notes)
    return "\n".join(paragraphs + definitions) + "\n"


def _body_size(pages: list[Page]) -> float:
    sizes = Counter(round(g.size, 1) for page in pages for g in page.glyphs if g.text != " ")
    return sizes.most_common(1)[0][0] if sizes else 0.0


def _lines(page: Page, number: int) -> list[Line]:
    """Group glyphs (in PDF order) into lines and words; raised small digits are note marks."""
    lines: list[Line] = []
    current: list[Glyph] = []
    base: Glyph | None = None  # the first full-size glyph of the line

    def flush() -> None:
        if current:
            lines.append(_make_line(current, base or current[0], number))

    for glyph in page.glyphs:
        if base is not None:
            drop = base.baseline - glyph.baseline
            raised = glyph.size < 0.85 * base.size and 0.15 * base.size < drop < base.size
            same = abs(drop) <= 0.3 * base.size or raised
            backwards = glyph.x0 < current[-1].x0 - 0.5 * base.size
            if same and not backwards:
                current.append(glyph)
                continue
            lowered = glyph.baseline - base.baseline
            if base.size < 0.85 * glyph.size and 0.15 * glyph.size < lowered < glyph.size:
                current.append(glyph)  # the line opened with a raised mark (a note's number)
                base = glyph
                continue
            flush()
            current, base = [], None
        current.append(glyph)
        if base is None:
            base = glyph
    flush()
    return lines


def _make_line(glyphs: list[Glyph], base: Glyph, page: int) -> Line:
    sized = [g for g in glyphs if g.text != " "] or glyphs
    size = Counter(round(g.size, 1) for g in sized).most_common(1)[0][0]
    words: list[tuple[str, float, float]] = []
    gaps: list[float] = []
    previous: Glyph | None = None
    note = ""
    broken = True  # the next glyph starts a word

    def close_note() -> None:
        nonlocal note
        if note:
            if words and not broken:
                text, x0, x1 = words[-1]
                words[-1] = (f"{text}[^{note}]", x0, x1)
            else:
                words.append((f"[^{note}]", x1_of(previous), x1_of(previous)))
            note = ""

    for glyph in glyphs:
        if glyph.text == " ":
            close_note()
            broken = True
            continue
        raised = glyph.size < 0.85 * size and base.baseline - glyph.baseline > 0.15 * size
        digit = glyph.text.translate(_SUPERSCRIPT_DIGITS)
        if raised and digit.isdigit():
            note += digit
            previous = glyph
            continue
        close_note()
        gap = glyph.x0 - previous.x1 if previous is not None else 0.0
        if broken or previous is None or gap > 0.2 * size:
            if words:
                gaps.append(gap)
            words.append((glyph.text, glyph.x0, glyph.x1))
        else:
            text, x0, _ = words[-1]
            words[-1] = (text + glyph.text, x0, glyph.x1)
        broken = False
        previous = glyph
    close_note()
    tab = bool(gaps) and gaps[0] > 0.9 * size and _LABEL_WORD.match(words[0][0]) is not None
    return Line(words, base.baseline, size, page, tab)


def x1_of(glyph: Glyph | None) -> float:
    return glyph.x1 if glyph is not None else 0.0


def _split_notes(
    lines: list[Line], body_size: float, refs: set[str], defined: set[str]
) -> tuple[list[Line], list[Line]]:
    """The footnotes at the foot of a page: from the first line, after a wider gap or in smaller
    type, that opens with the number of a note referred to above it and not yet defined (``refs``
    and ``defined`` grow)."""
    for i, line in enumerate(lines):
        opening = _NOTE_OPENING.match(line.text())
        number = opening.group(1) or opening.group(2) if opening else None
        if i and number in refs and number not in defined:
            previous = lines[i - 1]
            gap = line.baseline - previous.baseline
            smaller = body_size and line.size < 0.92 * body_size
            if smaller or gap > 1.6 * line.size or line.page != previous.page:
                notes = lines[i:]
                for note in notes:
                    found = _NOTE_OPENING.match(note.text())
                    if found:
                        defined.add(found.group(1) or found.group(2))
                return lines[:i], notes
        refs.update(m.group(1) for m in FOOTNOTE_REF.finditer(line.text()))
    return lines, []


def _drop_furniture(pages: list[list[Line]], raw_pages: list[Page]) -> list[list[Line]]:
    """Drop page numbers and running heads/feet (the same text at the top or foot of pages)."""

    def key(line: Line) -> str:
        return re.sub(r"\d+", "#", " ".join(word for word, _, _ in line.words)).strip().lower()

    edges: Counter[str] = Counter()
    for lines in pages:
        for line in {id(x): x for x in (lines[:2] + lines[-2:])}.values():
            edges[key(line)] += 1
    repeated = {text for text, count in edges.items() if count >= 2 and len(pages) >= 2}
    kept: list[list[Line]] = []
    for lines, page in zip(pages, raw_pages, strict=True):
        band = 0.12 * page.height

        def furniture(line: Line, band: float = band, height: float = page.height) -> bool:
            at_edge = line.baseline < band or line.baseline > height - band
            text = " ".join(word for word, _, _ in line.words).strip()
            return at_edge and (bool(_PAGE_NUMBER.match(text)) or key(line) in repeated)

        edge = set(map(id, lines[:2] + lines[-2:]))
        kept.append([line for line in lines if not (id(line) in edge and furniture(line))])
    return kept


def _paragraphs(lines: list[Line]) -> list[str]:
    """Join hard-wrapped lines: a line continues the one before when its first word would not
    have fitted at the end of it, unless it starts with a label or is a heading."""
    if not lines:
        return []
    right = max(line.x1 for line in lines)
    left = min(line.x0 for line in lines)
    pitches = Counter(
        round(b.baseline - a.baseline, 1)
        for a, b in itertools.pairwise(lines)
        if a.page == b.page and b.baseline > a.baseline
    )
    pitch = pitches.most_common(1)[0][0] if pitches else 0.0
    paragraphs: list[str] = []
    previous: Line | None = None
    for line in lines:
        text = line.text()
        if previous is not None and _continues(previous, line, left, right, pitch):
            hyphen = paragraphs[-1].endswith("-") and not paragraphs[-1].endswith(" -")
            paragraphs[-1] += ("" if hyphen else " ") + text
        else:
            paragraphs.append(text)
        previous = line
    return paragraphs


def _continues(previous: Line, line: Line, left: float, right: float, pitch: float) -> bool:
    if line.tab_after_label:
        return False
    text = line.text()
    short = line.x1 < right - 0.25 * (right - left)
    heading = heading_keyword(text) or looks_like_heading(text)
    if heading and short and previous.text().rstrip()[-1:] in ",;.:":
        return False
    if short and is_header_line(text):  # the next resolution of a collection
        return False
    if previous.page == line.page and pitch and line.baseline - previous.baseline > 1.4 * pitch:
        return False
    first = line.words[0]
    space = 0.25 * line.size
    return previous.x1 + space + (first[2] - first[1]) > right - 0.5 * line.size


def _note_definitions(notes: Iterable[Line]) -> list[str]:
    definitions: list[str] = []
    for line in notes:
        text = line.text()
        match = _NOTE_OPENING.match(text)
        if match:
            rest = text[match.end() :].strip()
            definitions.append(f"[^{match.group(1) or match.group(2)}]: {rest}")
        elif definitions:
            definitions[-1] += " " + text
    return definitions


__all__ = ["EncryptedPdfError", "Glyph", "Page", "ScannedPdfError", "layout_text", "read_pdf"]
