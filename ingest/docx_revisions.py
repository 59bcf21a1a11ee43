"""The text of a Word paragraph with its revision marks: accepted text, original text, changes.

``w:ins``/``w:moveTo`` wrap inserted runs, ``w:del``/``w:moveFrom`` deleted ones (``w:delText``).
A deletion inside an insertion (text added, then removed by a later reviewer) is in neither the
accepted nor the original text and is not reported as a change: it has no net effect. A revision
mark on the paragraph mark itself (``w:pPr/w:rPr/w:ins|w:del``) says the paragraph break was
inserted or deleted.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from ingest.model import Change
from ingest.resolution_parser import SourceLine

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
Element = Any  # an lxml element
PieceKind = Literal["same", "insert", "delete", "void"]

_CONTAINERS = {"hyperlink", "smartTag", "customXml", "fldSimple", "sdtContent", "dir", "bdo"}
_INSERTS = {"ins": False, "moveTo": True}
_DELETES = {"del": False, "moveFrom": True}


@dataclass
class Piece:
    """A stretch of text with one revision state (or a footnote reference)."""

    kind: PieceKind
    text: str = ""
    author: str = ""
    date: str = ""
    moved: bool = False
    note: str = ""  # "f:<id>" or "e:<id>" for a footnote or endnote reference


@dataclass
class ParagraphText:
    """A paragraph as read: its pieces and what happened to its paragraph mark."""

    pieces: list[Piece] = field(default_factory=list)
    mark: PieceKind = "same"

    def render(self, view: Literal["accepted", "original"], notes: dict[str, str]) -> str:
        """The text of one view; footnote references in ``notes`` become ``[^N]``."""
        skip = {"delete", "void"} if view == "accepted" else {"insert", "void"}
        out: list[str] = []
        for piece in self.pieces:
            if piece.kind in skip:
                continue
            if piece.note:
                if piece.note in notes:
                    out.append(f"[^{notes[piece.note]}]")
            else:
                out.append(piece.text)
        return "".join(out)

    @property
    def has_revisions(self) -> bool:
        """True when any revision mark is present."""
        return self.mark != "same" or any(piece.kind != "same" for piece in self.pieces)

    def changes(self) -> list[Change]:
        """The insertions and deletions, neighbouring pieces of one revision merged."""
        changes: list[Change] = []
        last: Piece | None = None
        for piece in self.pieces:
            if piece.note or piece.kind == "void" or (piece.kind == "same" and not piece.text):
                continue
            if piece.kind == "same":
                last = None
                continue
            key = (piece.kind, piece.author, piece.date, piece.moved)
            if last is not None and (last.kind, last.author, last.date, last.moved) == key:
                changes[-1].text += piece.text
            else:
                changes.append(
                    Change(piece.kind, piece.text, piece.author, piece.date, piece.moved)
                )
            last = piece
        return [change for change in changes if change.text]

    def note_refs(self) -> list[str]:
        """The footnote and endnote references, in order."""
        return [piece.note for piece in self.pieces if piece.note]


def _local(element: Element) -> str:
    tag = element.tag
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _combine(outer: PieceKind, inner: PieceKind) -> PieceKind:
    if outer == "same":
        return inner
    if outer == inner:
        return outer
    return "void"  # a deletion inside an insertion (or the reverse)


def read_paragraph(p: Element) -> ParagraphText:
    """Read the runs of a ``w:p`` in document order."""
    result = ParagraphText()
    mark = p.find(f"{W}pPr/{W}rPr")
    if mark is not None:
        for child in mark:
            name = _local(child)
            if name in _INSERTS:
                result.mark = "insert"
            elif name in _DELETES:
                result.mark = "delete"
    _walk(p, result.pieces, Piece("same"))
    return result


def _walk(element: Element, pieces: list[Piece], state: Piece) -> None:
    for child in element:
        name = _local(child)
        if name == "r":
            _read_run(child, pieces, state)
        elif name in _INSERTS or name in _DELETES:
            kind: PieceKind = "insert" if name in _INSERTS else "delete"
            inner = Piece(
                _combine(state.kind, kind),
                author=str(child.get(f"{W}author") or state.author),
                date=str(child.get(f"{W}date") or state.date),
                moved=_INSERTS.get(name, False) or _DELETES.get(name, False) or state.moved,
            )
            _walk(child, pieces, inner)
        elif name in _CONTAINERS:
            _walk(child, pieces, state)
        elif name == "sdt":
            content = child.find(f"{W}sdtContent")
            if content is not None:
                _walk(content, pieces, state)


def _read_run(run: Element, pieces: list[Piece], state: Piece) -> None:
    def add(text: str = "", note: str = "") -> None:
        pieces.append(Piece(state.kind, text, state.author, state.date, state.moved, note))

    for child in run:
        name = _local(child)
        if name in ("t", "delText"):
            add(child.text or "")
        elif name in ("tab", "ptab"):
            add("\t")
        elif name in ("br", "cr"):
            add("" if child.get(f"{W}type") in ("page", "column") else " ")
        elif name == "noBreakHyphen":
            add("\u2011")
        elif name == "sym":
            code = int(str(child.get(f"{W}char") or "0"), 16)
            if code and not 0xE000 <= code <= 0xF8FF:
                add(chr(code))
        elif name in ("footnoteReference", "endnoteReference"):
            add(note=f"{name[0]}:{child.get(f'{W}id')}")


@dataclass
class Paragraph:
    """One paragraph of the document: where it is, how it is styled, what it says."""

    number: int
    text: ParagraphText
    style: str = ""
    heading: bool = False
    num: tuple[str, int] | None = None
    original_num: tuple[tuple[str, int] | None, str] | None = None  # before w:pPrChange
    labels: dict[str, str] = field(default_factory=dict)  # view -> automatic label

    def line(self, view: Literal["accepted", "original"], notes: dict[str, str]) -> str:
        """The paragraph as a line of the plain-text layout: ``<label>\\t<text>``."""
        text = self.text.render(view, notes)
        label = self.labels.get(view, "")
        return f"{label}\t{text.lstrip()}" if label and text.strip() else text


def compose_lines(
    paragraphs: list[Paragraph], view: Literal["accepted", "original"], notes: dict[str, str]
) -> list[SourceLine]:
    """Source lines of one view. In the accepted view each line carries its original and changes.

    A paragraph deleted whole leaves no line: its deletion is recorded on the line before it (or
    after it, at the start). A paragraph whose mark was deleted is joined to the next one.
    """
    if view == "original":
        return [
            SourceLine(p.line("original", notes), p.number)
            for p in paragraphs
            if p.text.render("original", {}).strip()
        ]
    revised = any(p.text.has_revisions for p in paragraphs)
    lines: list[SourceLine] = []
    pending: list[Change] = []
    carry: SourceLine | None = None
    for p in paragraphs:
        accepted, original = p.line("accepted", notes), p.line("original", {})
        changes = p.text.changes()
        if not accepted.strip():
            if original.strip():
                first = next((c for c in changes if c.kind == "delete"), Change("delete", ""))
                deletion = Change("delete", original.strip(), first.author, first.date, first.moved)
                (lines[-1].changes if lines else pending).append(deletion)
            continue
        line = SourceLine(accepted, p.number, original if revised else None, changes)
        if carry is not None:
            joined = (
                None
                if carry.original is None
                else (f"{carry.original.rstrip()} {original.lstrip()}")
            )
            line = SourceLine(carry.text + accepted, carry.number, joined, carry.changes + changes)
            carry = None
        if p.text.mark == "delete":
            carry = line
            continue
        line.changes = pending + line.changes
        pending = []
        lines.append(line)
    if carry is not None:
        lines.append(carry)
    return lines
