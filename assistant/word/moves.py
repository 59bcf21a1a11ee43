"""Moved paragraphs as Word move revisions (``w:moveFrom`` / ``w:moveTo``), not delete + insert.

A moved clause is written twice, both halves tied by one move name (``move1``, ``move2`` ...):

- at its old place, inside ``w:moveFromRangeStart`` / ``w:moveFromRangeEnd``, the old label and
  text: what moves in ``w:moveFrom`` (text in ``w:t``, as Word writes it), the words the new
  version drops in ``w:del``; the paragraph mark is marked ``w:pPr/w:rPr/w:moveFrom`` so that
  accepting leaves no empty paragraph behind;
- at its new place, inside ``w:moveToRangeStart`` / ``w:moveToRangeEnd``, the new label and text:
  what moved in ``w:moveTo``, the words the new version adds (and a new label) in ``w:ins``; the
  paragraph mark is marked ``w:moveTo``.

So a move that also changed the words shows its deletions at the source and its insertions at
the destination, and no revision is nested in another: LibreOffice (7.4) shows a ``w:del`` nested
in a ``w:moveTo`` or ``w:ins`` as unchanged text. The old label moves with the clause (a new
label is an insertion), since LibreOffice only pairs a source that is moved text throughout with
its destination (a source with deleted words still shows, as a deletion). Accepting everything
gives the new version, rejecting everything the old one. Every revision and range marker gets its
own ``w:id``; a range start and its end share one.
"""

from __future__ import annotations

from typing import Any, Literal

from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from assistant.text.redline import Edit
from assistant.word.writer import RedlineParagraph, RevisionWriter

Side = Literal["From", "To"]


def _range(writer: RevisionWriter, side: Side, name: str) -> tuple[Any, Any]:
    """The start (id, name, author, date) and end (same id) markers of one half of a move."""
    start = writer.mark(f"w:move{side}RangeStart")
    start.set(qn("w:name"), name)
    end = OxmlElement(f"w:move{side}RangeEnd")
    end.set(qn("w:id"), start.get(qn("w:id")))
    return start, end


def _half(writer: RevisionWriter, item: RedlineParagraph, side: Side, name: str) -> None:
    """One half of a move: the source (old label and text) or the destination (new ones)."""
    paragraph = writer.document.add_paragraph()._p
    writer.mark_paragraph(paragraph, f"w:move{side}")
    start, end = _range(writer, side, name)
    paragraph.append(start)
    label = item.label_old if side == "From" else item.label_new
    same = side == "From" or item.label_old == item.label_new
    pieces = [Edit("equal" if same else "insert", label + "\t")] if label else []
    skip, changed = ("insert", "w:del") if side == "From" else ("delete", "w:ins")
    wrapper, last = None, ""
    for piece in pieces + item.edits:
        if piece.kind == skip or not piece.text:
            continue
        run = writer.run(piece.text, piece.kind == "delete", item.bold, item.italic)
        tag = f"w:move{side}" if piece.kind == "equal" else changed
        if wrapper is None or tag != last:  # neighbours of one kind share one revision
            wrapper, last = writer.mark(tag), tag
            paragraph.append(wrapper)
        wrapper.append(run)
    paragraph.append(end)


def move_from(writer: RevisionWriter, item: RedlineParagraph, name: str) -> None:
    """The old place of a moved paragraph: its original label and text, as a move source."""
    _half(writer, item, "From", name)


def move_to(writer: RevisionWriter, item: RedlineParagraph, name: str) -> None:
    """The new place of a moved paragraph: its new label and text, as a move destination."""
    _half(writer, item, "To", name)
