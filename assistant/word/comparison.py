"""A comparison as a Word redline: the new version as tracked changes of the old one (``MOD``).

Both versions must read back in their own order under their own headings (accept all: the new
version, reject all: the old one). Clauses kept in place are written in the new order; removed
clauses and the old places of moved ones ("old-only" paragraphs) go before the first kept clause
that came after them, and before any heading of the old version that came after them. A moved
clause is written twice, as a Word move (:mod:`assistant.word.moves`).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from assistant.word.moves import move_from, move_to
from assistant.word.writer import DEFAULT_AUTHOR, RedlineParagraph, RevisionWriter

if TYPE_CHECKING:
    from assistant.align.alignment import ClauseRef
    from assistant.align.compare import ClauseChange, Comparison


class _Redline:
    """Writes the clauses of one comparison, keeping track of the open headings of each side."""

    def __init__(self, comparison: Comparison, writer: RevisionWriter):
        self.comparison, self.writer = comparison, writer
        self.notes: list[str] = []
        self.shown_old: set[str] = set()
        self.open_old: str | None = None
        self.open_new: str | None = None
        self.moves: dict[int, str] = {}
        olds = [c for c in comparison.changes if c.old and (c.new is None or c.status == "moved")]
        self.olds = sorted(olds, key=_old_position)
        self.section_of = {id(s): k for k, s in enumerate(comparison.a.sections)}

    def write(self) -> None:
        for change in self.comparison.changes:
            if change.new is None:
                continue
            if change.new.section.heading != self.open_new:
                self._open_section(change.new.section.heading)
            if change.old is not None and change.status != "moved":
                self._flush(position=_old_position(change))
            self._clause("new", change)
        self._flush()

    def _old_section(self, change: ClauseChange) -> int:
        return self.section_of.get(id(change.old.section), 0) if change.old else 0

    def _flush(self, *, position: int | None = None, section: int | None = None) -> None:
        """Write the pending old-only paragraphs (in old order) that came before the clause at
        ``position`` and before the section numbered ``section`` of the old version."""
        while self.olds and (position is None or _old_position(self.olds[0]) < position):
            if section is not None and self._old_section(self.olds[0]) >= section:
                break
            change = self.olds.pop(0)
            heading = change.old.section.heading if change.old else ""
            if heading != self.open_old and heading not in self.shown_old:
                self.open_old = heading
                self.shown_old.add(heading)
                self.writer.paragraph(RedlineParagraph.revised(heading, "", italic=True))
            self._clause("old", change)

    def _open_section(self, new_heading: str) -> None:
        old_heading = _old_heading(self.comparison, new_heading)
        if old_heading in self.shown_old:
            old_heading = ""
        if old_heading:  # old-only paragraphs of earlier old sections go before it
            sections = self.comparison.a.sections
            first = next((k for k, s in enumerate(sections) if s.heading == old_heading), 0)
            self._flush(section=first)
        self.writer.paragraph(RedlineParagraph.revised(old_heading, new_heading, italic=True))
        self.shown_old.add(old_heading)
        self.open_new = new_heading
        self.open_old = old_heading or self.open_old

    def _clause(self, place: str, change: ClauseChange) -> None:
        old_text = _with_notes(change.old, self.notes) if change.old else ""
        new_text = _with_notes(change.new, self.notes) if change.new else ""
        item = RedlineParagraph.revised(
            old_text, new_text, printed_label(change.old), printed_label(change.new)
        )
        if change.status == "moved":  # written twice: at its old place and at its new one
            name = self.moves.setdefault(id(change), f"move{len(self.moves) + 1}")
            (move_from if place == "old" else move_to)(self.writer, item, name)
        else:
            self.writer.paragraph(item)


def _old_position(change: ClauseChange) -> int:
    return change.old.position if change.old else 0


def write_comparison_docx(
    path: str | Path, comparison: Comparison, *, author: str = DEFAULT_AUTHOR
) -> Path:
    """The new version as a Word redline of the old one, headed ``MOD``; moved clauses are Word
    move revisions."""
    a, b = comparison.a, comparison.b
    writer = RevisionWriter(author=author)
    writer.heading("MOD")
    header = "RESOLUTION {} ({})"
    writer.paragraph(
        RedlineParagraph.revised(
            header.format(a.number, a.revision), header.format(b.number, b.revision), bold=True
        )
    )
    writer.paragraph(RedlineParagraph.revised(a.title, b.title, bold=True))
    writer.paragraph(RedlineParagraph.revised(a.adopting, b.adopting))
    redline = _Redline(comparison, writer)
    redline.write()
    for number, note in enumerate(redline.notes, 1):
        writer.heading(f"[^{number}]: {note}", bold=False)
    return writer.save(path)


def printed_label(ref: ClauseRef | None) -> str:
    """The label as printed before the clause (``c)``, ``–`` for an indent), or ``""``."""
    if ref is None:
        return ""
    clause = ref.clause
    if clause.sub:
        return "–" if clause.sub.startswith("indent") else clause.printed_sub or clause.sub
    return clause.printed_label or (f"{clause.label})" if clause.label else "")


def _with_notes(ref: ClauseRef, notes: list[str]) -> str:
    """Clause text with ``[^N]`` markers for its footnotes (numbered in order of use)."""
    marks = []
    for note in ref.clause.footnotes:
        if note not in notes:
            notes.append(note)
        marks.append(f"[^{notes.index(note) + 1}]")
    return ref.clause.text + "".join(marks)


def _old_heading(comparison: Comparison, new_heading: str) -> str:
    """The heading the clauses now under ``new_heading`` had in the old version (most of them;
    moved clauses do not count: they are shown at their old place too)."""
    olds = [
        c.old.section.heading
        for c in comparison.changes
        if c.new and c.old and c.status != "moved" and c.new.section.heading == new_heading
    ]
    if not olds:
        return ""
    return new_heading if new_heading in olds else max(sorted(set(olds)), key=olds.count)
