"""Word documents (placeholder until the .docx reader of issue 2 lands)."""

from __future__ import annotations

from ingest.errors import UnsupportedFileError
from ingest.loader import ParsedFile


def read_docx(data: bytes, source: str, digest: str) -> ParsedFile:
    """Parse a .docx file."""
    raise UnsupportedFileError(source, 0, ".docx reading is not available yet")
