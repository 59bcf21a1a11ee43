"""Read one file of any supported kind into documents: the single entry point of parsing."""

from __future__ import annotations

import codecs
import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from ingest.errors import IngestError, NotAResolutionError, ParseError, UnsupportedFileError
from ingest.model import Document
from ingest.paragraph_parser import is_paragraph_layout, parse_paragraph_resolution
from ingest.passages import parse_passages
from ingest.resolution_parser import lines_of_text, parse_resolution

TEXT_SUFFIXES = {".txt", ".md", ".markdown"}
DOCX_SUFFIXES = {".docx"}
SUPPORTED_SUFFIXES = TEXT_SUFFIXES | DOCX_SUFFIXES
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


def sha256_bytes(data: bytes) -> str:
    """Hex digest of ``data``."""
    return hashlib.sha256(data).hexdigest()


def decode_text(data: bytes, source: str) -> str:
    """Decode UTF-8 (with or without BOM), UTF-16 with a BOM, or cp1252; reject binary junk."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text = data.decode("utf-16")
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            try:
                text = data.decode("cp1252")
            except UnicodeDecodeError as error:
                raise UnsupportedFileError(
                    source, 0, "not a text file (bytes that no text encoding explains); "
                    "save it as UTF-8 text, Markdown or .docx"
                ) from error
    controls = sum(1 for char in text if ord(char) < 32 and char not in "\t\n\r\f")
    if "\x00" in text or controls > max(8, len(text) // 100):
        raise UnsupportedFileError(
            source, 0, "this looks like a binary file, not text; "
            "save it as UTF-8 text, Markdown or .docx"
        )
    return text.replace("\r\n", "\n").replace("\r", "\n")


def parse_text(text: str, source: str) -> Document:
    """Parse text: a resolution in the ITU layout, one in the paragraph layout, or passages."""
    if not text.strip():
        raise ParseError(source, 0, "the file is empty")
    if is_paragraph_layout(text):
        try:
            return parse_paragraph_resolution(text, source)
        except NotAResolutionError:
            pass
    lines = lines_of_text(text)
    try:
        return parse_resolution(lines, source)
    except NotAResolutionError:
        return parse_passages(lines, source)


def load_file(path: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> ParsedFile:
    """Parse one file; raise :class:`IngestError` with the file, line and reason on failure."""
    source = str(path)
    if not path.exists():
        raise IngestError(source, 0, "no such file; check the path")
    if path.is_dir():
        raise IngestError(source, 0, "this is a folder; name the files, or use ingest on it")
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise UnsupportedFileError(
            source, 0, f"unsupported format {suffix or '(no extension)'!r}; "
            "use .txt, .md or .docx"
        )
    size = path.stat().st_size
    if size > max_bytes:
        raise IngestError(
            source, 0, f"file is {size:,} bytes, over the limit of {max_bytes:,} "
            "(raise RESOLUTIONS_MAX_FILE_BYTES to allow it)"
        )
    data = path.read_bytes()
    if not data.strip():
        raise ParseError(source, 0, "the file is empty")
    digest = sha256_bytes(data)
    if suffix in DOCX_SUFFIXES:
        from ingest.docx_reader import read_docx

        return read_docx(data, source, digest)
    return ParsedFile(source, digest, [parse_text(decode_text(data, source), source)])


def iter_corpus_files(paths: list[Path]) -> list[Path]:
    """The supported files under ``paths`` (folders are searched recursively), sorted."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(
                p for p in sorted(path.rglob("*"))
                if p.is_file() and p.suffix.lower() in SUPPORTED_SUFFIXES
                and p.name.lower() != "readme.md" and not p.name.startswith(".")
            )
        else:
            found.append(path)
    return found
