"""The UN Security Council texts the project ships (``evals/data/unsc``), parsed one by one."""

from __future__ import annotations

from pathlib import Path

from ingest.loader import load_file
from ingest.model import Document

UNSC_TEXTS = Path(__file__).resolve().parent.parent / "evals" / "data" / "unsc"


def unsc_document(number: str) -> Document:
    """The parsed resolution ``number`` (``"678"``) of ``evals/data/unsc``."""
    (path,) = UNSC_TEXTS.glob(f"S_RES_{int(number):04d}_*.txt")
    return load_file(path).documents[0]
