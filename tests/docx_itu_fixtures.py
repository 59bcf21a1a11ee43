"""Word documents in the ITU template, built in code (the builder is :mod:`evals.word_layout`,
shared with the ``layout`` eval family): paragraph styles ``ResNo``, ``Restitle``,
``Normalaftertitle``, ``Call``, ``enumlev1``/``enumlev2``, ``Reasons`` and ``Proposal``."""

from __future__ import annotations

from pathlib import Path

import docx

from evals.word_layout import ITU_STYLES, add_itu_resolution, itu_document
from tests.docx_fixtures import (
    CORPUS,
    add_footnotes,
    add_paragraph,
    run,
    to_bytes,
)


def add_resolution(
    document: docx.document.Document, path: Path, *, caps: bool = True
) -> dict[int, str]:
    """Append a corpus resolution in ITU styles; returns its footnotes (to add once)."""
    return add_itu_resolution(document, path.read_text(encoding="utf-8"), caps=caps)


def itu_resolution_docx(name: str, *, caps: bool = True) -> bytes:
    """A corpus resolution as a .docx in the ITU template."""
    document = itu_document()
    notes = add_resolution(document, CORPUS / name, caps=caps)
    if notes:
        add_footnotes(document, notes)
    return to_bytes(document)


def contribution_docx(name: str, reasons: str, intro: list[str] | None = None) -> bytes:
    """A contribution: an introduction, the ``MOD PP/58/1`` marker (style ``Proposal``), the
    resolution in ITU styles, then its ``Reasons``."""
    document = itu_document()
    for line in intro or []:
        add_paragraph(document, run(line))
    add_paragraph(document, run("MOD\tPP/58/1"), style="Proposal")
    notes = add_resolution(document, CORPUS / name)
    add_paragraph(document, run(f"Reasons:\t{reasons}"), style="Reasons")
    add_paragraph(document, run("______________"))
    if notes:
        add_footnotes(document, notes)
    return to_bytes(document)


__all__ = ["ITU_STYLES", "contribution_docx", "itu_document", "itu_resolution_docx"]
