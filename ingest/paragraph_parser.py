"""Resolutions in the hard-wrapped paragraph layout of other bodies (placeholder, see issue 2)."""

from __future__ import annotations

from ingest.errors import NotAResolutionError
from ingest.model import Document


def is_paragraph_layout(text: str) -> bool:
    """True when paragraphs are hard-wrapped and separated by blank lines."""
    return False


def parse_paragraph_resolution(text: str, source: str) -> Document:
    """Parse a resolution in the paragraph layout."""
    raise NotAResolutionError(source, 1, "paragraph layout not recognized")
