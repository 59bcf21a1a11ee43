"""Closing marks of a revision's clauses follow their place, as the base document does it."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any

from assistant.drafting.draft import Span
from assistant.drafting.punctuation import habits, punctuate
from ingest.model import Clause, Document, Section


@dataclass
class _Ref:
    clause: Clause


@dataclass
class _Entry:
    status: str
    clause: Clause
    base: Any
    spans: list[Span] = field(default_factory=list)


def _document(sections: list[tuple[str, str, list[str]]]) -> Document:
    built = []
    for heading, kind, texts in sections:
        clauses = [Clause(f"d/{heading}/{k}", chr(97 + k), "", t) for k, t in enumerate(texts)]
        built.append(Section(heading, kind, heading, heading, clauses))
    return Document("d", "resolution", "PP", "1", "", "PP Res. 1", sections=built)


ITU = _document(
    [
        ("considering", "preamble", ["that one;", "that two;", "that three,"]),
        ("noting", "preamble", ["that four;", "that five,"]),
        ("resolves", "operative", ["to act;", "to list:", "to report."]),
    ]
)


def _kept(clause: Clause) -> _Entry:
    copy = dataclasses.replace(clause)
    return _Entry("kept", copy, _Ref(clause), [Span(copy.text, [clause.id])])


def _added(text: str) -> _Entry:
    return _Entry("added", Clause("new", "", "", text), None, [Span(text, ["other/x"])])


def test_the_marks_of_each_place_are_learned_from_the_base() -> None:
    assert habits(ITU) == {
        ("preamble", "inside"): ";",
        ("preamble", "section end"): ",",
        ("operative", "text end"): ".",
    }  # operative "inside" is ";" once and ":" once: no habit


def test_added_and_displaced_clauses_take_the_mark_of_their_place() -> None:
    considering = [_kept(c) for c in ITU.sections[0].clauses] + [_added("that six;")]
    noting = [_kept(c) for c in ITU.sections[1].clauses]
    resolves = [_kept(c) for c in ITU.sections[2].clauses] + [_added("to go on.")]
    punctuate([("preamble", considering), ("preamble", noting), ("operative", resolves)], ITU)
    assert [e.clause.text for e in considering] == [
        "that one;",
        "that two;",
        "that three;",
        "that six,",
    ]
    assert considering[2].status == "revised" and considering[2].spans[0].text == "that three;"
    assert considering[3].spans[0].text == "that six,"
    assert [e.status for e in noting] == ["kept", "kept"]  # in place: untouched
    # the old last clause is inside now; operative "inside" has no habit, so it keeps its mark;
    # the new last clause ends the text
    assert [e.clause.text for e in resolves] == ["to act;", "to list:", "to report.", "to go on."]


def test_a_clause_in_its_old_place_keeps_its_own_mark() -> None:
    odd = _document([("considering", "preamble", ["that one;", "that two,", "that three;", "x,"])])
    entries = [_kept(c) for c in odd.sections[0].clauses]
    punctuate([("preamble", entries)], odd)
    assert [e.clause.text for e in entries] == ["that one;", "that two,", "that three;", "x,"]
    merged = _Entry(
        "revised", Clause("m", "b", "", "that two, merged;"), _Ref(odd.sections[0].clauses[1])
    )
    merged.spans = [Span("that two, merged;", ["a", "b"])]
    punctuate([("preamble", [entries[0], merged, entries[2], entries[3]])], odd)
    assert merged.clause.text == "that two, merged;"  # no habit inside (two of three): left


def test_a_paragraph_layout_has_its_own_habits() -> None:
    unsc = _document(
        [
            ("preamble", "preamble", ["Recalling one,", "Noting two,", "Stressing three,"]),
            (
                "operative",
                "operative",
                ["1. Decides;", "2. Requests;", "3. Decides to remain seized."],
            ),
        ]
    )
    preamble = [_kept(c) for c in unsc.sections[0].clauses] + [_added("Welcoming four;")]
    operative = [_kept(c) for c in unsc.sections[1].clauses]
    punctuate([("preamble", preamble), ("operative", operative)], unsc)
    assert preamble[-1].clause.text == "Welcoming four,"
    assert [e.status for e in operative] == ["kept"] * 3
