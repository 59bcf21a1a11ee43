"""The closing mark of each clause of a revision follows its place, as the base document does it.

An ITU resolution ends a list item with ";", the last clause of a section with "," and the last
clause of the text with "."; a UN Security Council resolution ends its preamble paragraphs with
",". The marks the base document uses at each kind of place (the section's kind, and whether
the clause is inside a section, ends one, or ends the text) are learned from the base itself. In
the revision, an added clause, a base clause whose place changed (a clause now follows the old
last one) and a merged clause that took another source's mark get the base's mark for their
place. Clauses that end otherwise (":" before sub-items, a quotation, a bracket) are left alone,
and so is a place where the base has no clear habit (two clauses at least, two thirds of them
alike; the end of the text has one; the end of the only section of a kind counts if it ends as
the clauses inside it do).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from typing import Any

from ingest.model import Document

MARKS = (";", ",", ".")
HABIT_SHARE = 2 / 3  # a mark is the habit of a place if at least this share of its clauses use it
MIN_SEEN = 2

Place = tuple[str, str]  # (section kind, "inside" | "section end" | "text end")


def _place(kind: str, index: int, count: int, last_section: bool) -> Place:
    if index < count - 1:
        return (kind, "inside")
    return (kind, "text end" if last_section else "section end")


def _mark(text: str) -> str:
    stripped = text.rstrip()
    return stripped[-1] if stripped and stripped[-1] in MARKS else ""


def habits(document: Document) -> dict[Place, str]:
    """The mark the base uses at each place, where at least two thirds of its clauses agree."""
    sections = [s for s in document.sections if s.clauses]
    seen: dict[Place, Counter[str]] = defaultdict(Counter)
    for number, section in enumerate(sections):
        for index, clause in enumerate(section.clauses):
            place = _place(section.kind, index, len(section.clauses), number == len(sections) - 1)
            seen[place][_mark(clause.text)] += 1
    found: dict[Place, str] = {}
    for place, marks in seen.items():
        mark, count = marks.most_common(1)[0]
        total = sum(marks.values())
        enough = total >= MIN_SEEN or place[1] == "text end"  # a text has one last clause
        if mark and enough and count / total >= HABIT_SHARE:
            found[place] = mark
    for (kind, where), marks in seen.items():  # one section of a kind: its end, if like inside
        inside = found.get((kind, "inside"))
        if inside and where == "section end" and sum(marks.values()) == 1 and inside in marks:
            found[(kind, where)] = inside
    return found


def base_places(document: Document) -> dict[str, Place]:
    """The place of each clause (by id) in the base document."""
    sections = [s for s in document.sections if s.clauses]
    return {
        clause.id: _place(section.kind, index, len(section.clauses), number == len(sections) - 1)
        for number, section in enumerate(sections)
        for index, clause in enumerate(section.clauses)
    }


def punctuate(sections: Sequence[tuple[str, list[Any]]], base: Document) -> None:
    """Set the closing mark of the entries (``status``, ``clause``, ``base``, ``spans``) of each
    ``(kind, entries)`` section of a revision, in place, where their place asks for another."""
    usual = habits(base)
    before = base_places(base)
    filled = [(kind, entries) for kind, entries in sections if entries]
    for number, (kind, entries) in enumerate(filled):
        for index, entry in enumerate(entries):
            place = _place(kind, index, len(entries), number == len(filled) - 1)
            mark, wanted = _mark(entry.clause.text), usual.get(place)
            if not mark or not wanted or mark == wanted:
                continue
            was = before.get(entry.base.clause.id) if entry.base is not None else None
            if was == place and _mark(entry.base.clause.text) == mark:
                continue  # where it stood in the base, with the base's own mark
            _set_mark(entry, wanted)


def _set_mark(entry: Any, mark: str) -> None:
    text = entry.clause.text.rstrip()
    entry.clause.text = text[:-1] + mark
    for span in reversed(entry.spans):
        if span.text.strip():
            span.text = span.text.rstrip()[:-1] + mark
            # the place settles the mark: other sources' marks are no longer readings to weigh
            span.alternatives = [
                r for r in span.alternatives if "".join(t.text for t in r.tokens) not in MARKS
            ]
            break
    if entry.base is not None:  # a merge that differed from the base only by its mark: kept
        entry.status = "kept" if entry.clause.text == entry.base.clause.text else "revised"
