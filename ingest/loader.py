"""Read one file of any supported kind into documents: the single entry point of parsing."""

from __future__ import annotations

import codecs
import hashlib
from dataclasses import dataclass, field, replace
from pathlib import Path

from ingest.collection import PartFailure, parse_collection
from ingest.errors import (
    IngestError,
    LimitError,
    NotAResolutionError,
    ParseError,
    UnsupportedFileError,
)
from ingest.limits import ParseLimits
from ingest.model import Document
from ingest.paragraph_parser import is_paragraph_layout, parse_paragraph_resolution
from ingest.passages import parse_passages
from ingest.resolution_parser import SourceLine, lines_of_text, parse_resolution
from ingest.xml_chars import clean_strings, xml_safe

TEXT_SUFFIXES = {".txt", ".md", ".markdown"}
DOCX_SUFFIXES = {".docx"}
PDF_SUFFIXES = {".pdf"}
SUPPORTED_SUFFIXES = TEXT_SUFFIXES | DOCX_SUFFIXES | PDF_SUFFIXES
DEFAULT_MAX_BYTES = 20 * 1024 * 1024


@dataclass
class AlignedRow:
    """One row of a comparison table: for each document id, the section headings in its cell."""

    cells: dict[str, list[str]]


@dataclass
class ParsedFile:
    """What one file gave: its documents, and for a comparison table the rows they share."""

    path: str
    sha256: str
    documents: list[Document]
    rows: list[AlignedRow] = field(default_factory=list)
    # A collection (several resolutions in one file): where each document starts
    # (``{"page": 3}`` in a PDF, ``{"line": 120}`` in text, ``{"paragraph": 45}`` in Word),
    # and the resolutions that did not parse (reported and skipped, the others kept).
    positions: dict[str, dict[str, int]] = field(default_factory=dict)
    failures: list[PartFailure] = field(default_factory=list)


def sha256_bytes(data: bytes) -> str:
    """Hex digest of ``data``."""
    return hashlib.sha256(data).hexdigest()


_MAGIC = [
    (b"PK\x03\x04", "a zip archive (a .docx?); if it is a Word document, name it .docx"),
    (b"%PDF", "a PDF; name it .pdf to read its text layer, or export it as text or .docx"),
    (b"\xd0\xcf\x11\xe0", "an old Word/Office file (.doc); save it as .docx or text"),
    (b"{\\rtf", "an RTF file; save it as .docx or plain text"),
]
_TEXT_HINT = "save it as text (UTF-8 .txt or .md) or as .docx"


def decode_text(data: bytes, source: str) -> str:
    """Decode UTF-8 (with or without BOM), UTF-16/32 with a BOM, or cp1252; reject binary junk.

    Characters XML cannot hold (controls, U+FFFE, lone surrogates) are removed; see
    :mod:`ingest.xml_chars`.
    """
    for magic, what in _MAGIC:
        if data.startswith(magic):
            raise UnsupportedFileError(source, 0, f"this is {what}, not text")
    try:
        if data.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
            text = data.decode("utf-32")
        elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            text = data.decode("utf-16")
        else:
            try:
                text = data.decode("utf-8-sig")
            except UnicodeDecodeError:
                text = data.decode("cp1252")
    except UnicodeDecodeError as error:
        raise UnsupportedFileError(
            source, 0, f"not a text file (bytes that no text encoding explains); {_TEXT_HINT}"
        ) from error
    controls = sum(1 for char in text if ord(char) < 32 and char not in "\t\n\r\f")
    if "\x00" in text or controls > max(8, len(text) // 100):
        head = data[:400]
        utf16 = max(head[0::2].count(0), head[1::2].count(0)) > len(head) // 3
        hint = " (it may be UTF-16 text without a byte-order mark)" if utf16 else ""
        raise UnsupportedFileError(
            source, 0, f"this looks like a binary file, not text{hint}; {_TEXT_HINT}"
        )
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return xml_safe(text)  # controls, U+FFFE... would break every Word export


def parse_text(text: str, source: str) -> Document:
    """Parse text: a resolution in the ITU layout, one in the paragraph layout, or passages."""
    if not text.strip():
        raise ParseError(source, 0, "the file is empty; add its text or leave the file out")
    if is_paragraph_layout(text):
        try:
            return parse_paragraph_resolution(text, source)
        except NotAResolutionError:
            pass
        except ParseError as paragraph_error:
            try:  # it may still be a resolution in the ITU layout
                return parse_resolution(lines_of_text(text), source)
            except IngestError:
                raise paragraph_error from None
    try:
        return parse_resolution(lines_of_text(text), source)
    except NotAResolutionError:
        raw = [SourceLine(line, number) for number, line in enumerate(text.split("\n"), start=1)]
        return parse_passages(raw, source)


def parse_text_file(text: str, source: str, digest: str) -> ParsedFile:
    """The documents of a text: one, or one per resolution of a collection
    (:mod:`ingest.collection`), each with the line of its header."""
    collection = parse_collection(text, source, parse_text)
    if collection is None:
        return ParsedFile(source, digest, [parse_text(text, source)])
    if not collection.documents:
        first = collection.failures[0]
        raise ParseError(
            source,
            first.line,
            f"none of the {len(collection.failures)} resolutions of this collection could be "
            f"read; the first: {first.reason}",
        )
    positions = {doc_id: {"line": line} for doc_id, line in collection.lines.items()}
    return ParsedFile(
        source, digest, collection.documents, positions=positions, failures=collection.failures
    )


def _read_pdf(data: bytes, source: str, digest: str, max_chars: int) -> ParsedFile:
    """A PDF's text layer parsed as text; in a collection each document gets its page (the
    first page whose text holds its header and title)."""
    from ingest.pdf_reader import layout_text, pdfium_pages

    pages = pdfium_pages(data, source, max_chars)
    text = layout_text(pages, source)
    parsed = parse_text_file(text, source, digest)
    if parsed.positions:
        compact = ["".join("".join(g.text for g in page.glyphs).split()) for page in pages]
        page = 0
        for document in parsed.documents:
            line = parsed.positions[document.id]["line"]
            page = _page_of(text.split("\n"), line, compact, page)
            parsed.positions[document.id] = {"page": page + 1}
    return parsed


def _page_of(lines: list[str], line: int, pages: list[str], since: int) -> int:
    """The index of the first page from ``since`` whose text holds the header at ``line``
    (1-based) followed by the next line; the header alone if none; else ``since``."""
    header = "".join(lines[line - 1].split())
    following = next((text for text in lines[line:] if text.strip()), "")
    for needle in (header + "".join(following.split())[:40], header):
        for index in range(since, len(pages)):
            if needle and needle in pages[index]:
                return index
    return since


def load_file(
    path: Path, max_bytes: int | None = None, limits: ParseLimits | None = None
) -> ParsedFile:
    """Parse one file; raise :class:`IngestError` with the file, line and reason on failure.

    ``limits`` caps the file's bytes, paragraphs and clauses (:class:`LimitError` past one);
    ``max_bytes``, when given, replaces ``limits.max_bytes`` (the older way to pass it).
    """
    limits = limits or ParseLimits()
    if max_bytes is not None:
        limits = replace(limits, max_bytes=max_bytes)
    source = str(path)
    if not path.exists():
        raise IngestError(source, 0, "no such file; check the path")
    if path.is_dir():
        raise IngestError(source, 0, "this is a folder; name the files, or use ingest on it")
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise UnsupportedFileError(
            source,
            0,
            f"unsupported format {suffix or '(no extension)'!r}; use .txt, .md, .docx or .pdf",
        )
    size = path.stat().st_size
    if size > limits.max_bytes:
        raise LimitError(
            source,
            f"file is {size:,} bytes, over the limit of {limits.max_bytes:,} "
            "(raise RESOLUTIONS_MAX_FILE_BYTES to allow it)",
            setting="RESOLUTIONS_MAX_FILE_BYTES",
            size=size,
            limit=limits.max_bytes,
        )
    data = path.read_bytes()
    if not data.strip():
        raise ParseError(source, 0, "the file is empty")
    digest = sha256_bytes(data)
    if suffix in DOCX_SUFFIXES:
        from ingest.docx_package import check_paragraph_count
        from ingest.docx_reader import read_docx

        check_paragraph_count(data, source, limits.max_paragraphs)
        parsed = read_docx(data, source, digest)
    elif suffix in PDF_SUFFIXES:
        parsed = _read_pdf(data, source, digest, limits.max_bytes)
    else:
        text = decode_text(data, source)
        lines = sum(1 for line in text.split("\n") if line.strip())
        if lines > limits.max_paragraphs:
            raise LimitError(
                source,
                f"the text has {lines:,} non-empty lines, over the limit of "
                f"{limits.max_paragraphs:,} paragraphs "
                "(raise RESOLUTIONS_MAX_PARAGRAPHS to allow it)",
                setting="RESOLUTIONS_MAX_PARAGRAPHS",
                size=lines,
                limit=limits.max_paragraphs,
            )
        parsed = parse_text_file(text, source, digest)
    for document in parsed.documents:
        clean_strings(document)  # C1 controls in a .docx w:t, a w:sym of U+0001...
        clauses = sum(len(section.clauses) for section in document.sections)
        if clauses > limits.max_clauses:
            raise LimitError(
                source,
                f"{document.id} has {clauses:,} clauses, over the limit of "
                f"{limits.max_clauses:,} (raise RESOLUTIONS_MAX_CLAUSES to allow it)",
                setting="RESOLUTIONS_MAX_CLAUSES",
                size=clauses,
                limit=limits.max_clauses,
            )
    return parsed


def iter_corpus_files(paths: list[Path]) -> list[Path]:
    """The supported files under ``paths`` (folders are searched recursively), sorted.

    Below a folder given, hidden files and everything in hidden folders (a name starting with
    ``.``: ``.git``, upload staging ``.incoming-*``) are skipped; a path named explicitly is read
    even if it is hidden.
    """
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(
                p
                for p in sorted(path.rglob("*"))
                if p.is_file()
                and p.suffix.lower() in SUPPORTED_SUFFIXES
                and p.name.lower() != "readme.md"
                and not any(part.startswith(".") for part in p.relative_to(path).parts)
            )
        else:
            found.append(path)
    return found
