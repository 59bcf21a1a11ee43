"""Word (.docx) output: proposals with real tracked changes, and the comparison annex table.

Revisions are written as WordprocessingML revision marks (``w:ins`` around inserted runs,
``w:del`` around runs of ``w:delText``, each with ``w:id``, ``w:author`` and ``w:date``; a
paragraph that is wholly inserted or deleted has its paragraph mark marked too), the form Word
and LibreOffice show as "track changes" and can accept or reject. A proposal starts with a
``MOD`` paragraph, the way the ITU's own proposals do; where the merged sources differ, the
readings not chosen are Word comments on the clause (:mod:`assistant.word.comments`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from docx import Document as new_docx
from docx.enum.section import WD_ORIENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from assistant.text.redline import Edit, diff_words
from assistant.word.comments import citer, comment_paragraph, comment_text
from ingest.xml_chars import xml_safe

DEFAULT_AUTHOR = "Resolution assistant"


@dataclass
class RedlineParagraph:
    """One paragraph of a proposal: a label (old and new, as printed) and word-level edits."""

    edits: list[Edit]
    label_old: str = ""
    label_new: str = ""
    bold: bool = False
    italic: bool = False

    @classmethod
    def plain(cls, text: str, label: str = "", **style: bool) -> RedlineParagraph:
        return cls([Edit("equal", text)] if text else [], label, label, **style)

    @classmethod
    def revised(
        cls, old: str, new: str, label_old: str = "", label_new: str = "", **style: bool
    ) -> RedlineParagraph:
        return cls(diff_words(old, new), label_old, label_new, **style)

    def pieces(self) -> list[Edit]:
        """The label (a changed one deleted and inserted, then a tab) and the text, as edits."""
        old, new = self.label_old, self.label_new
        out: list[Edit] = []
        if old == new and old:
            out.append(Edit("equal", old + "\t"))
        else:
            tab_same = bool(old and new)
            if old:
                out.append(Edit("delete", old + ("" if tab_same else "\t")))
            if new:
                out.append(Edit("insert", new + ("" if tab_same else "\t")))
            if tab_same:
                out.append(Edit("equal", "\t"))
        return out + [edit for edit in self.edits if edit.text]


# w:settings children that come before w:trackRevisions in the schema's sequence
_BEFORE_TRACK = {
    "writeProtection",
    "view",
    "zoom",
    "removePersonalInformation",
    "removeDateAndTime",
    "doNotDisplayPageBoundaries",
    "displayBackgroundShape",
    "printPostScriptOverText",
    "printFractionalCharacterWidth",
    "printFormsData",
    "embedTrueTypeFonts",
    "embedSystemFonts",
    "saveSubsetFonts",
    "saveFormsData",
    "mirrorMargins",
    "alignBordersAndEdges",
    "bordersDoNotSurroundHeader",
    "bordersDoNotSurroundFooter",
    "gutterAtTop",
    "hideSpellingErrors",
    "hideGrammaticalErrors",
    "activeWritingStyle",
    "proofState",
    "formsDesign",
    "attachedTemplate",
    "linkStyles",
    "stylePaneFormatFilter",
    "stylePaneSortMethod",
    "documentType",
    "mailMerge",
    "revisionView",
}


def _track_revisions(settings: Any) -> None:
    """Switch on Track Changes for whoever edits the file next (in schema order)."""
    if settings.find(qn("w:trackRevisions")) is not None:
        return
    position = 0
    for index, child in enumerate(settings):
        if str(child.tag).rsplit("}", 1)[-1] in _BEFORE_TRACK:
            position = index + 1
    settings.insert(position, OxmlElement("w:trackRevisions"))


@dataclass
class RevisionWriter:
    """Builds one .docx; every revision mark gets a fresh id, the same author and date."""

    author: str = DEFAULT_AUTHOR
    date: str = field(default_factory=lambda: datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"))
    document: Any = field(default_factory=new_docx)
    next_id: int = 1
    track_changes: bool = True  # switch Track Changes on for the next editor (files with revisions)
    landscape: bool = False

    def __post_init__(self) -> None:
        style = self.document.styles["Normal"]
        style.font.name = "Times New Roman"
        style.font.size = Pt(12)
        section = self.document.sections[0]  # A4, as the ITU's documents
        section.orientation = WD_ORIENT.LANDSCAPE if self.landscape else WD_ORIENT.PORTRAIT
        long, short = Mm(297), Mm(210)
        section.page_width, section.page_height = (long, short) if self.landscape else (short, long)
        for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
            setattr(section, side, Mm(20))
        if self.track_changes:
            _track_revisions(self.document.settings.element)

    def mark(self, tag: str) -> Any:
        """A revision element (``w:ins``, ``w:moveFrom`` ...): a fresh id, the author, the date."""
        element = OxmlElement(tag)
        element.set(qn("w:id"), str(self.next_id))
        element.set(qn("w:author"), self.author)
        element.set(qn("w:date"), self.date)
        self.next_id += 1
        return element

    def run(self, text: str, deleted: bool, bold: bool, italic: bool) -> Any:
        """A ``w:r`` (text in ``w:delText`` when ``deleted``; tabs as ``w:tab``, line breaks
        inside a clause as ``w:br``)."""
        run = OxmlElement("w:r")
        if bold or italic:
            props = OxmlElement("w:rPr")
            if bold:
                props.append(OxmlElement("w:b"))
            if italic:
                props.append(OxmlElement("w:i"))
            run.append(props)
        for number, part in enumerate(re.split(r"(\t|\r?\n)", text)):
            if number % 2:
                run.append(OxmlElement("w:tab" if part == "\t" else "w:br"))
            elif part:
                node = OxmlElement("w:delText" if deleted else "w:t")
                node.set(qn("xml:space"), "preserve")
                node.text = xml_safe(part)  # text ingested before the parser cleaned it
                run.append(node)
        return run

    def _piece(self, paragraph: Any, kind: str, text: str, bold: bool, italic: bool) -> None:
        if not text:
            return
        run = self.run(text, kind == "delete", bold, italic)
        if kind == "equal":
            paragraph.append(run)
        else:
            wrapper = self.mark("w:ins" if kind == "insert" else "w:del")
            wrapper.append(run)
            paragraph.append(wrapper)

    def heading(self, text: str, *, bold: bool = True) -> None:
        """An unrevised paragraph (``MOD``, a title line)."""
        self.paragraph(RedlineParagraph.plain(text, bold=bold))

    def paragraph(self, item: RedlineParagraph) -> Any:
        """A paragraph (the ``w:p``, returned) with its revisions; wholly new or wholly removed
        paragraphs are marked so."""
        paragraph = self.document.add_paragraph()._p
        pieces = item.pieces()
        for piece in pieces:
            self._piece(paragraph, piece.kind, piece.text, item.bold, item.italic)
        kinds = {piece.kind for piece in pieces}
        if kinds in ({"insert"}, {"delete"}):
            self.mark_paragraph(paragraph, "w:ins" if kinds == {"insert"} else "w:del")
        return paragraph

    def mark_paragraph(self, paragraph: Any, tag: str) -> None:
        """Mark the paragraph mark itself (``w:pPr/w:rPr/<tag>``) as inserted, deleted or moved."""
        props = paragraph.get_or_add_pPr()
        marks = OxmlElement("w:rPr")
        marks.append(self.mark(tag))
        props.append(marks)

    def table(self, header: list[str], rows: list[list[list[str]]]) -> None:
        """A table: a header row, then rows of cells, each cell a list of paragraphs; the columns
        share the width between the margins."""
        table = self.document.add_table(rows=1, cols=len(header))
        table.style = "Table Grid"
        table.autofit = False
        section = self.document.sections[-1]
        width = (section.page_width - section.left_margin - section.right_margin) // len(header)
        for cell, text in zip(table.rows[0].cells, header, strict=True):
            cell.text = xml_safe(text)
            for run in cell.paragraphs[0].runs:
                run.bold = True
        for row in rows:
            cells = table.add_row().cells
            for cell, paragraphs in zip(cells, row, strict=True):
                cell.text = xml_safe(paragraphs[0]) if paragraphs else ""
                for text in paragraphs[1:]:
                    cell.add_paragraph(xml_safe(text))
        for column in table.columns:
            column.width = width
            for cell in column.cells:  # Word reads the cells' widths, LibreOffice the grid's
                cell.width = width
                for paragraph in cell.paragraphs:  # Normal's 12 pt outranks the table style's
                    for text_run in paragraph.runs:
                        text_run.font.size = Pt(10)

    def save(self, path: str | Path) -> Path:
        target = Path(path)
        if target.parent and not target.parent.exists():
            raise OSError(f"cannot write {target}: the folder {target.parent} does not exist")
        self.document.save(str(target))
        return target


def write_draft_docx(
    path: str | Path, draft: Any, base_text: str | None = None, *, author: str = DEFAULT_AUTHOR
) -> Path:
    """A proposal for one clause: ``MOD``, the clause's citation, the text as a revision of
    ``base_text`` (default: what the draft's redline is against, else its base clause), then the
    sources of the wording. Where the sources differ, the readings not chosen are a Word comment
    on the clause."""
    data = draft.to_json() if hasattr(draft, "to_json") else dict(draft)
    base = (data.get("redline") or {}).get("against") or data.get("base") or {}
    old = base_text if base_text is not None else str(base.get("text", ""))
    writer = RevisionWriter(author=author)
    writer.heading("MOD")
    if base:
        writer.heading(str(base.get("citation", "")), bold=False)
    label = f"{base['label']})" if base.get("label") and not base.get("sub") else ""
    clause = writer.paragraph(RedlineParagraph.revised(old, str(data["text"]), label, label))
    cite = citer(data.get("sources", []))
    comment_paragraph(writer.document, clause, comment_text(data.get("spans", []), cite), author)
    writer.heading("Sources of the wording", bold=True)
    for cited in data.get("sources", []):
        writer.heading(f"{cited['citation']} [{cited['id']}]", bold=False)
    return writer.save(path)


def write_annex_docx(path: str | Path, alignment: Any, *, author: str = DEFAULT_AUTHOR) -> Path:
    """The comparison annex: one column per resolution, one row per group of aligned clauses
    (clauses without a counterpart on rows of their own)."""
    documents = alignment.documents
    writer = RevisionWriter(author=author, track_changes=False, landscape=True)  # no revisions
    writer.heading("Comparison of " + ", ".join(d.short_name for d in documents))
    rows: list[list[list[str]]] = []
    for group in alignment.groups:
        row: list[list[str]] = [[] for _ in documents]
        for member in group.members:
            column = next(i for i, d in enumerate(documents) if d.id == member.document.id)
            cited = member.citation()
            where = str(cited["citation"])[len(member.document.short_name) :].lstrip(", ")
            row[column].append(
                f"{where}: {member.clause.full_text}" if where else member.clause.full_text
            )
        rows.append(row)
    writer.table([d.short_name for d in documents], rows)
    return writer.save(path)
