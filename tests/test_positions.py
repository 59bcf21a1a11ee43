"""References to a resolution's paragraphs by number or place ("paragraph 3 of resolution 705",
"its first paragraph"): what is read as one, and which clauses it points at."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.answering.evidence import named_clauses
from assistant.chat.router import route
from assistant.text.catalog import Catalog
from assistant.text.clause_refs import position_clauses, position_refs
from assistant.text.question import analyse
from ingest.loader import load_file
from tests.unsc_texts import unsc_document

CORPUS = Path(__file__).resolve().parent.parent / "corpus"


@pytest.fixture(scope="module")
def unsc_catalog() -> Catalog:
    return Catalog([unsc_document(n) for n in ("687", "705", "706", "650")])


@pytest.mark.parametrize(
    ("text", "part", "numbers", "counted", "resolution"),
    [
        ("What does paragraph 3 of resolution 705 (1991) say?", "operative", (3,), False, "705"),
        ("What does operative paragraph 2 of it authorize?", "operative", (2,), False, ""),
        ("What is in the second preambular paragraph?", "preamble", (2,), True, ""),
        ("What does resolution 226 request in its third paragraph?", "operative", (3,), True, ""),
        (
            "Quote the last paragraph of Security Council resolution 687.",
            "operative",
            (-1,),
            True,
            "687",
        ),
        ("What do paragraphs 2 to 4 of resolution 687 say?", "operative", (2, 3, 4), False, "687"),
        ("What do paragraphs 5, 8 and 9 say?", "operative", (5, 8, 9), False, ""),
        ("Read me OP 2 and PP3.", "operative", (2,), False, ""),
        ("What does resolution 687's paragraph 12 decide?", "operative", (12,), False, "687"),
        ("What is asked in paragraph 2 of its resolution 705?", "operative", (2,), False, "705"),
    ],
)
def test_references_to_paragraphs_are_read(
    text: str, part: str, numbers: tuple[int, ...], counted: bool, resolution: str
) -> None:
    first = position_refs(text)[0]
    assert (first.part, first.numbers, first.counted, first.resolution) == (
        part,
        numbers,
        counted,
        resolution,
    )


@pytest.mark.parametrize(
    "text",
    [
        "In which paragraph of his note did the Secretary-General suggest it?",
        "Resolution 705 follows the suggestion made in paragraph 7 of his note.",
        "Which paragraphs of Article 2 of the Charter did the Council recall?",
        "Which earlier resolution's paragraph 10 is recalled in resolution 780?",
        "Which paragraph of resolution 733 imposed the embargo?",
        "It refers to paragraph 2 (a) of the report.",
    ],
)
def test_references_to_other_texts_or_none_are_not_read(text: str) -> None:
    assert position_refs(text) == []


def test_a_reference_points_at_the_numbered_or_counted_clause() -> None:
    resolution_687 = unsc_document("687")  # operative paragraphs in parts A to I, numbered 1 to 34
    (numbered,) = position_refs("paragraph 19 of resolution 687")
    assert position_clauses(numbered, resolution_687) == ["unsc-687-1991/e-operative/19"]
    (last,) = position_refs("the last paragraph")
    assert position_clauses(last, resolution_687) == ["unsc-687-1991/i-operative/34"]
    (preamble,) = position_refs("the fifth preambular paragraph")
    assert position_clauses(preamble, resolution_687) == ["unsc-687-1991/preamble/5"]
    (beyond,) = position_refs("paragraph 90")
    assert position_clauses(beyond, resolution_687) == []


def test_a_number_with_several_clauses_points_at_none() -> None:
    """An ITU resolution numbers each operative section from 1: "paragraph 1" is no one clause."""
    documents = [d for path in sorted(CORPUS.glob("*.txt")) for d in load_file(path).documents]
    several = next(
        d
        for d in documents
        if sum(1 for s in d.sections if s.kind == "operative" for c in s.clauses if c.label == "1")
        > 1
    )
    (ref,) = position_refs("paragraph 1")
    assert position_clauses(ref, several) == []


def test_the_question_names_the_clause_of_its_resolution_only(unsc_catalog: Catalog) -> None:
    question = analyse(
        "What does operative paragraph 2 of resolution 705 (1991) decide?", unsc_catalog
    )
    others = ["unsc-706-1991", "unsc-650-1990", "unsc-687-1991"]
    assert named_clauses(question, unsc_catalog, others) == {"unsc-705-1991/operative/2"}
    counted = analyse(
        "What does resolution 650 (1990) request in its third paragraph?", unsc_catalog
    )
    assert named_clauses(counted, unsc_catalog, others) == {"unsc-650-1990/operative/3"}


def test_a_reference_to_another_text_names_no_clause(unsc_catalog: Catalog) -> None:
    question = analyse(
        "Which suggestion in paragraph 7 of his note does resolution 705 (1991) follow?",
        unsc_catalog,
    )
    assert named_clauses(question, unsc_catalog, ["unsc-705-1991"]) == set()


def test_the_words_of_a_reference_are_no_idea_of_the_question(unsc_catalog: Catalog) -> None:
    """ "third" and "3" say where to look: a text need not use them to answer."""
    for text in (
        "What does resolution 650 (1990) request in its third paragraph?",
        "What does paragraph 3 of resolution 650 (1990) request?",
    ):
        words = {g.word.lower() for g in analyse(text, unsc_catalog).groups}
        assert not words & {"third", "3", "operative"}, words


def test_a_look_up_by_paragraph_number_is_routed_to_that_clause(unsc_catalog: Catalog) -> None:
    found = route("show me paragraph 3 of resolution 705", unsc_catalog)
    assert found.intent == "lookup"
    assert [r.clause_ids for r in found.references if r.kind == "clause"] == [
        ["unsc-705-1991/operative/3"]
    ]
    preamble = route("Quote the first preambular paragraph of resolution 687", unsc_catalog)
    assert [r.clause_ids for r in preamble.references if r.kind == "clause"] == [
        ["unsc-687-1991/preamble/1"]
    ]


def test_a_paragraph_number_without_a_resolution_is_no_reference(unsc_catalog: Catalog) -> None:
    found = route("What is said in paragraph 2 about funding?", unsc_catalog)
    assert not [r for r in found.references if r.kind == "clause"]


def test_a_paragraph_of_an_itu_resolution_named_by_its_short_name(catalog: Catalog) -> None:
    """ "PP 58" names a resolution, not a preambular paragraph; "of WTSA 43" says which text."""
    assert (
        named_clauses(
            analyse("What does PP 58 instruct the Secretary-General to do?", catalog), catalog, []
        )
        == set()
    )
    second = analyse("What does the second preambular paragraph of WTSA 43 say?", catalog)
    (clause,) = named_clauses(second, catalog, [])
    document = catalog.by_id[clause.split("/")[0]]
    preamble = [c for s in document.sections if s.kind == "preamble" for c in s.clauses]
    assert clause == [c.id for c in preamble if not c.sub][1]
