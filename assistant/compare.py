"""What changed between two versions of a resolution, clause by clause, word by word.

Clauses of the two versions are paired by content (the alignment scorer, one to one, best pairs
first), not by label, so relettered and re-sectioned clauses are still recognized. A pair is
``unchanged``, ``modified`` (with word-level edits) or ``moved`` (out of the common order, or under
another heading); clauses without a partner are ``added`` or ``removed``. The whole comparison
can be written as a Word redline of the new version against the old one (``MOD``).
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from assistant.align import ClauseRef, Scorer, clause_refs
from assistant.redline import Edit, diff_words, summary, to_markdown
from assistant.word import DEFAULT_AUTHOR, RedlineParagraph, RevisionWriter
from ingest.model import Document, document_summary

PAIR_THRESHOLD = 0.55


@dataclass
class ClauseChange:
    """One clause of either version and what happened to it."""

    status: str  # added, removed, modified, moved, unchanged
    old: ClauseRef | None
    new: ClauseRef | None
    edits: list[Edit] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "status": self.status,
            "a": self.old.citation() if self.old else None,
            "b": self.new.citation() if self.new else None,
        }
        if self.old and self.new:
            data["text_changed"] = bool([e for e in self.edits if e.kind != "equal"])
            data["changes"] = [edit.to_json() for edit in self.edits]
            data["markdown"] = to_markdown(self.edits)
            data.update(summary(self.edits))
        return data


@dataclass
class Comparison:
    """The clauses of both versions in the order of the new one (removed ones where they were)."""

    a: Document
    b: Document
    changes: list[ClauseChange]

    def counts(self) -> dict[str, int]:
        counts = dict.fromkeys(("added", "removed", "moved", "modified", "unchanged"), 0)
        for change in self.changes:
            counts[change.status] += 1
        return counts

    def to_json(self) -> dict[str, Any]:
        return {
            "a": document_summary(self.a),
            "b": document_summary(self.b),
            "summary": self.counts(),
            "clauses": [c.to_json() for c in self.changes],
        }


def _pairs(old: list[ClauseRef], new: list[ClauseRef], scorer: Scorer) -> dict[int, int]:
    """New position -> old position, one to one, best scores first."""
    scored = []
    for j, b in enumerate(new):
        for i, a in enumerate(old):
            exact = a.clause.full_text == b.clause.full_text
            score = 2.0 if exact else scorer.score(a, b)
            if score is not None and score >= PAIR_THRESHOLD:
                scored.append((score, -abs(i - j), i, j))
    pairs: dict[int, int] = {}
    used: set[int] = set()
    for _, _, i, j in sorted(scored, reverse=True):
        if j not in pairs and i not in used:
            pairs[j] = i
            used.add(i)
    return pairs


def _in_order(pairs: dict[int, int]) -> set[int]:
    """New positions whose partners are in the longest common order (increasing old positions)."""
    items = sorted(pairs.items())
    tails: list[int] = []
    tail_at: list[int] = []
    parent: dict[int, int | None] = {}
    for j, i in items:
        k = bisect_left(tails, i)
        parent[j] = tail_at[k - 1] if k else None
        if k == len(tails):
            tails.append(i)
            tail_at.append(j)
        else:
            tails[k], tail_at[k] = i, j
    keep: set[int] = set()
    node = tail_at[-1] if tail_at else None
    while node is not None:
        keep.add(node)
        node = parent[node]
    return keep


def compare_documents(a: Document, b: Document, library: Any = None) -> Comparison:
    """Compare version ``a`` (old) with version ``b`` (new)."""
    old, new = clause_refs(a), clause_refs(b)
    scorer = Scorer(old + new, library)
    pairs = _pairs(old, new, scorer)
    ordered = _in_order(pairs)
    renamed = _heading_map([(old[i], new[j]) for j, i in pairs.items()])
    placed: set[int] = set()
    changes: list[ClauseChange] = []
    for j, ref in enumerate(new):
        if j not in pairs:
            changes.append(ClauseChange("added", None, ref))
            continue
        i = pairs[j]
        for k in range(i):  # removed clauses that came before this one
            if k not in placed and k not in pairs.values():
                changes.append(ClauseChange("removed", old[k], None))
                placed.add(k)
        partner = old[i]
        edits = diff_words(partner.clause.full_text, ref.clause.full_text)
        moved = j not in ordered or renamed.get(partner.section.heading) != ref.section.heading
        same = all(e.kind == "equal" for e in edits)
        status = "moved" if moved else ("unchanged" if same else "modified")
        changes.append(ClauseChange(status, partner, ref, edits))
    for k, ref in enumerate(old):
        if k not in placed and k not in pairs.values():
            changes.append(ClauseChange("removed", ref, None))
    return Comparison(a, b, changes)


def _heading_map(pairs: list[tuple[ClauseRef, ClauseRef]]) -> dict[str, str]:
    """Old heading -> the new heading most of its clauses went to (a renamed heading)."""
    votes: dict[str, dict[str, int]] = {}
    for a, b in pairs:
        counts = votes.setdefault(a.section.heading, {})
        counts[b.section.heading] = counts.get(b.section.heading, 0) + 1
    return {
        old: max(sorted(counts), key=lambda h: (counts[h], h == old))
        for old, counts in votes.items()
    }


def compare(library: Any, doc_a: str, doc_b: str) -> Comparison:
    """Compare two indexed documents by id (old first)."""
    if doc_a == doc_b:
        raise ValueError(f"compare needs two different documents (both are {doc_a})")
    return compare_documents(library.document(doc_a), library.document(doc_b), library)


def _label(ref: ClauseRef | None) -> str:
    if ref is None:
        return ""
    clause = ref.clause
    if clause.sub:
        return "–" if clause.sub.startswith("indent") else clause.printed_sub or clause.sub
    return clause.printed_label or (f"{clause.label})" if clause.label else "")


def write_comparison_docx(
    path: str | Path, comparison: Comparison, *, author: str = DEFAULT_AUTHOR
) -> Path:
    """The new version as a Word redline of the old one, headed ``MOD``."""
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
    notes: list[str] = []
    shown_old: set[str] = set()
    open_old = open_new = None
    for change in comparison.changes:
        if change.new is not None and change.new.section.heading != open_new:
            new_heading = change.new.section.heading
            old_heading = _old_heading(comparison, new_heading)
            if old_heading in shown_old:
                old_heading = ""
            writer.paragraph(RedlineParagraph.revised(old_heading, new_heading, italic=True))
            shown_old.add(old_heading)
            open_new, open_old = new_heading, old_heading or open_old
        elif (
            change.new is None
            and change.old is not None
            and change.old.section.heading != open_old
            and change.old.section.heading not in shown_old
        ):
            open_old = change.old.section.heading
            shown_old.add(open_old)
            writer.paragraph(RedlineParagraph.revised(open_old, "", italic=True))
        old_text = _with_notes(change.old, notes) if change.old else ""
        new_text = _with_notes(change.new, notes) if change.new else ""
        writer.paragraph(
            RedlineParagraph.revised(old_text, new_text, _label(change.old), _label(change.new))
        )
    for number, note in enumerate(notes, 1):
        writer.heading(f"[^{number}]: {note}", bold=False)
    return writer.save(path)


def _with_notes(ref: ClauseRef, notes: list[str]) -> str:
    """Clause text with ``[^N]`` markers for its footnotes (numbered in order of use)."""
    marks = []
    for note in ref.clause.footnotes:
        if note not in notes:
            notes.append(note)
        marks.append(f"[^{notes.index(note) + 1}]")
    return ref.clause.text + "".join(marks)


def _old_heading(comparison: Comparison, new_heading: str) -> str:
    """The heading the clauses now under ``new_heading`` had in the old version (most of them)."""
    olds = [
        c.old.section.heading
        for c in comparison.changes
        if c.new and c.old and c.new.section.heading == new_heading
    ]
    if not olds:
        return ""
    return new_heading if new_heading in olds else max(sorted(set(olds)), key=olds.count)
