"""Word documents in the ITU template, built in code: paragraph styles ``ResNo``, ``Restitle``,
``Normalaftertitle``, ``Call``, ``enumlev1``/``enumlev2``, ``Reasons`` and ``Proposal``."""

from __future__ import annotations

from pathlib import Path

import docx
from docx.enum.style import WD_STYLE_TYPE

from tests.docx_fixtures import (
    CORPUS,
    _body_and_notes,
    add_footnotes,
    add_paragraph,
    new_document,
    run,
    to_bytes,
)

ITU_STYLES = (
    "ResNo",
    "Restitle",
    "Normalaftertitle",
    "Call",
    "enumlev1",
    "enumlev2",
    "Reasons",
    "Proposal",
)


def itu_document() -> docx.document.Document:
    """An empty document whose styles.xml defines the ITU template's paragraph styles."""
    document = new_document()
    for name in ITU_STYLES:
        style = document.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = document.styles["Normal"]
        if name == "Call":
            style.font.italic = True
        if name == "ResNo":
            style.font.all_caps = True
    return document


def _style_of(line: str, index: int, in_sections: bool) -> str:
    from ingest.layout import looks_like_heading, match_label

    label = match_label(line)
    if index == 0:
        return "ResNo"
    if index == 1:
        return "Restitle"
    if not in_sections:
        return "Normalaftertitle"
    if label is None:
        return "Call" if looks_like_heading(line) else ""
    if label.style == "bullet":
        return "enumlev1"
    if label.style == "roman":
        return "enumlev2"
    return ""


def add_resolution(
    document: docx.document.Document, path: Path, *, caps: bool = True
) -> dict[int, str]:
    """Append a corpus resolution in ITU styles; returns its footnotes (to add once)."""
    lines, notes = _body_and_notes(path)
    in_sections = False
    for index, line in enumerate(lines):
        style = _style_of(line, index, in_sections)
        if index == 0 and caps:  # typed in capitals, as many contributions are
            line = line.upper()
        add_paragraph(document, run(line), style=style)
        in_sections = in_sections or (index >= 2 and line.rstrip().endswith(","))
    return notes


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
