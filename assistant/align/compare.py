"""What changed between two versions of a resolution, clause by clause, word by word.

Clauses of the two versions are paired by content (the alignment scorer, one to one, best pairs
first), not by label, so relettered and re-sectioned clauses are still recognized. A pair is
``unchanged``, ``modified`` (with word-level edits) or ``moved`` (out of the common order, or under
another heading); clauses without a partner are ``added`` or ``removed``. The whole comparison
can be written as a Word redline of the new version against the old one (``MOD``, moved clauses
as Word moves): :func:`write_comparison_docx`, in :mod:`assistant.word.comparison`.
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass, field
from typing import Any

from assistant.align.alignment import ClauseRef, Scorer, clause_refs
from assistant.errors import BadRequestError
from assistant.index.model import ClauseLibrary
from assistant.text.redline import Edit, diff_words, summary, to_markdown
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


def compare_documents(a: Document, b: Document, library: ClauseLibrary | None = None) -> Comparison:
    """Compare version ``a`` (old) with version ``b`` (new)."""
    old, new = clause_refs(a), clause_refs(b)
    scorer = Scorer(old + new, library)
    pairs = _pairs(old, new, scorer)
    ordered = _in_order(pairs)
    renamed = _heading_map([(old[i], new[j]) for j, i in pairs.items()], a)
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


def _heading_map(pairs: list[tuple[ClauseRef, ClauseRef]], a: Document) -> dict[str, str]:
    """Old heading -> the new heading most of its clauses went to (a renamed heading); a heading
    that the old version has too is not a new name (clauses that went there moved)."""
    olds = {section.heading for section in a.sections}
    votes: dict[str, dict[str, int]] = {}
    for x, y in pairs:
        counts = votes.setdefault(x.section.heading, {})
        counts[y.section.heading] = counts.get(y.section.heading, 0) + 1
    return {
        old: max(
            sorted(h for h in counts if h == old or h not in olds) or [old],
            key=lambda h: (counts.get(h, 0), h == old),
        )
        for old, counts in votes.items()
    }


def compare(library: ClauseLibrary, doc_a: str, doc_b: str) -> Comparison:
    """Compare two indexed documents by id (old first)."""
    if doc_a == doc_b:
        raise BadRequestError(f"compare needs two different documents (both are {doc_a})")
    return compare_documents(library.document(doc_a), library.document(doc_b), library)
