"""Where the clauses proposed as additions go in a revision (see :mod:`assistant.drafting.revise`).

The clauses that no base clause took in but that at least two of the other resolutions share (mutual
best counterparts among themselves) are added after the base clause that took in the nearest clause
before them in their own resolution, when that clause's heading has the same function
(:func:`assistant.align.alignment.heading_role`); else at the end of a section of that function;
else in a new section under their own heading (generalized by the term map), beside the anchor's
section.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from assistant.align.alignment import ClauseRef, clause_refs, heading_role, mutual_groups
from assistant.index.model import ClauseLibrary
from ingest.model import Document

if TYPE_CHECKING:
    from assistant.drafting.revise import Entry

# A clause is proposed as added when at least this many of the other resolutions share it, and
# at least half of them: two of three parallel texts, but not two of twenty loosely related ones.
MIN_SHARED = 2


@dataclass(eq=False)
class Out:
    """A section of the proposal being built."""

    heading: str
    kind: Any
    keyword: str
    entries: list[Entry]
    role: str
    new: bool = False


def _one_per_document(members: list[ClauseRef]) -> list[ClauseRef]:
    first: dict[str, ClauseRef] = {}
    for member in members:
        first.setdefault(member.document.id, member)
    return list(first.values())


def _without(document: Document, used: set[str]) -> Document:
    """A copy of ``document`` without the clauses in ``used``."""
    sections = [
        dataclasses.replace(s, clauses=[c for c in s.clauses if c.id not in used])
        for s in document.sections
    ]
    return dataclasses.replace(document, sections=[s for s in sections if s.clauses])


def place_added(
    library: ClauseLibrary,
    others: list[Document],
    outs: list[Out],
    base: Document,
    make: Callable[[list[ClauseRef], int], Entry],
    used: set[str],
    heading: Callable[[ClauseRef], str],
) -> None:
    """Propose the clauses that no base clause took in but that enough of the other resolutions
    share (mutual best counterparts; see :data:`MIN_SHARED`), each after the base clause whose
    counterpart comes before it in its own resolution."""
    rest = [d for d in (_without(doc, used) for doc in others) if d.sections]
    needed = max(MIN_SHARED, math.ceil(len(others) / 2))
    if len(rest) < needed:
        return
    taken_by = {s: e for out in outs for e in out.entries if e.base for s in e.sources}
    order = {ref.id: (doc.id, ref.position) for doc in others for ref in clause_refs(doc)}
    before: dict[tuple[str, int], Entry] = {}
    for source, entry in taken_by.items():
        if source in order:
            before[order[source]] = entry
    in_lists: set[int] = set()  # list items and the lead-ins of lists
    for out in outs:
        for k, e in enumerate(out.entries):
            following = out.entries[k + 1] if k + 1 < len(out.entries) else None
            if e.clause.sub or (following is not None and following.clause.sub):
                in_lists.add(id(e))
    number = 0
    for group in mutual_groups(rest, library):
        members = _one_per_document(group.members)
        if len(members) < needed or any(_cites(m, base) for m in members):
            continue
        number += 1
        entry = make(members, number)
        anchors = [a for m in members if (a := _anchor(m, order, before))]
        if members[0].clause.sub:  # a list item: after an item (or lead-in) of a list
            anchors.sort(key=lambda a: id(a) not in in_lists)
        _insert(entry, members[0], anchors[0] if anchors else None, outs, heading)


def _cites(member: ClauseRef, base: Document) -> bool:
    """Whether the clause cites the base resolution itself (it cannot recall itself)."""
    name = f"resolution {base.number} ({base.revision})".lower()
    return bool(base.number) and name in member.clause.text.lower()


def _anchor(
    member: ClauseRef, order: dict[str, tuple[str, int]], before: dict[tuple[str, int], Entry]
) -> Entry | None:
    """The base clause that took in the nearest clause before ``member`` in its resolution."""
    document, position = order[member.id]
    for earlier in range(position - 1, -1, -1):
        if (document, earlier) in before:
            return before[(document, earlier)]
    return None


def _insert(
    entry: Entry,
    member: ClauseRef,
    anchor: Entry | None,
    outs: list[Out],
    heading: Callable[[ClauseRef], str],
) -> None:
    """Put ``entry`` after ``anchor`` if their headings have the same function, else at the end
    of the section of that function (the same keyword first), else in a new section."""
    section = member.section
    role = heading_role(section)
    home = next((o for o in outs if anchor is not None and anchor in o.entries), None)
    if home is not None and home.kind == section.kind and home.role == role and anchor:
        home.entries.insert(_after(home.entries, anchor, entry, member), entry)
        return
    matching = [o for o in outs if o.kind == section.kind and o.role == role]
    matching.sort(key=lambda o: (o.keyword != section.keyword, o.new))
    if matching:
        matching[0].entries.append(entry)
        return
    out = Out(heading(member), section.kind, section.keyword, [entry], role, new=True)
    same_kind = [k for k, o in enumerate(outs) if o.kind == section.kind]
    if home is not None and home.kind == section.kind:
        at = outs.index(home) + 1
        while at < len(outs) and outs[at].new:
            at += 1
    elif same_kind:
        at = same_kind[-1] + 1
    else:
        at = len(outs) if section.kind == "operative" else 0
    outs.insert(at, out)


def _after(entries: list[Entry], anchor: Entry, entry: Entry, member: ClauseRef) -> int:
    """Where ``entry`` goes after ``anchor``: a sub-item joins the anchor's list of indents
    (after the anchor, or at the end of the list when the anchor is its lead-in); anything else
    goes after the anchor's whole clause; after what was already added there."""
    at = entries.index(anchor) + 1
    parent = anchor.clause
    family = [e for e in entries if e.clause.sub and e.clause.label == parent.label]
    indents = bool(family) and all(e.clause.sub.startswith("indent") for e in family)
    if member.clause.sub and parent.label and indents:  # an item of the anchor's list
        entry.clause = dataclasses.replace(
            entry.clause, label=parent.label, printed_label=parent.printed_label, sub="indent"
        )
        skip_family = not parent.sub
        while (
            at < len(entries)
            and entries[at].clause.sub
            and entries[at].clause.label == parent.label
            and (skip_family or entries[at].status == "added")
        ):
            at += 1
        return at
    while at < len(entries) and (
        entries[at].status == "added"
        or (entries[at].clause.sub and entries[at].clause.label == parent.label)
    ):
        at += 1
    return at
