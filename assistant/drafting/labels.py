"""Labels of a revised section: clauses added to a lettered or numbered list get the next labels
in sequence (the ones after them are relettered, as drafters do), added indents are numbered."""

from __future__ import annotations

import dataclasses
from typing import Any, Protocol

from ingest.model import Clause


class LabelledEntry(Protocol):
    """What labelling needs of a proposal clause (see :class:`assistant.drafting.revise.Entry`)."""

    status: str
    clause: Clause
    base: Any


def label_scheme(labels: list[str]) -> str | None:
    """``"letters"`` for a, b, c ..., ``"numbers"`` for 1, 2, 3 ..., else ``None``."""
    if labels and all(label == chr(ord("a") + k) for k, label in enumerate(labels)):
        return "letters"
    if labels and all(label == str(k + 1) for k, label in enumerate(labels)):
        return "numbers"
    return None


def _printed_form(entries: list[Any], scheme: str) -> str:
    """How the section prints its labels (``{})`` for ``a)``), from its first base clause."""
    for entry in entries:
        clause = entry.clause
        if entry.base is not None and not clause.sub and clause.label:
            printed = entry.base.clause.printed_label or clause.label
            if entry.base.clause.label in printed:
                return printed.replace(entry.base.clause.label, "{}", 1)
    return "{})" if scheme == "letters" else "{}"


def relabel(entries: list[Any], kind: str, *, new: bool = False) -> None:
    """Relabel the top-level clauses of a section that has added clauses, if its base clauses
    are labelled in sequence (a new section of several clauses is lettered in the preamble,
    numbered in the operative part); sub-items follow their parent; indents are renumbered."""
    tops = [e for e in entries if not e.clause.sub]
    if any(e.status == "added" for e in entries):
        scheme = label_scheme([e.base.clause.label for e in tops if e.base is not None])
        if scheme is None and new and len(tops) > 1:
            scheme = "letters" if kind == "preamble" else "numbers"
        if scheme is not None:
            _sequence(entries, tops, scheme, _printed_form(entries, scheme))
    counts: dict[str, int] = {}
    for entry in entries:
        clause = entry.clause
        if clause.sub.startswith("indent"):
            counts[clause.label] = counts.get(clause.label, 0) + 1
            sub = f"indent {counts[clause.label]}"
            if sub != clause.sub:
                entry.clause = dataclasses.replace(clause, sub=sub)


def _sequence(entries: list[Any], tops: list[Any], scheme: str, form: str) -> None:
    current = ""
    for entry in entries:
        if not entry.clause.sub:
            index = next(k for k, top in enumerate(tops) if top is entry)
            current = chr(ord("a") + index) if scheme == "letters" else str(index + 1)
        if current:
            entry.clause = dataclasses.replace(
                entry.clause, label=current, printed_label=form.format(current)
            )
