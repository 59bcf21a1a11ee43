"""Acronyms the texts define themselves (issue 16): "the United Nations Angola Verification
Mission (UNAVEM II)" lets a question in words find a later text that only writes "UNAVEM II"."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from assistant.index.lexical import LexicalIndex
from assistant.text.names import Acronyms, definitions
from tests.fakes import hrc_resolution, library_of


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Decides to establish the United Nations Angola Verification Mission (UNAVEM II) "
            "for a period of seventeen months",
            [("UNAVEM", "UNAVEM II", "United Nations Angola Verification Mission")],
        ),
        (
            "organizing one or more interregional preparatory meetings (IRMs) of chairmen",
            [("IRM", "IRMs", "interregional preparatory meetings")],
        ),
        (  # the shortest run would start at "of": the long form starts at a word that counts
            "in cooperation with the Organization of African Unity (OAU),",
            [("OAU", "OAU", "Organization of African Unity")],
        ),
        ("Recalling its resolution 194 (III) of 11 December 1948", []),  # a Roman numeral
        ("the report of the Secretary-General (S/24736)", []),  # a document symbol
        ("as agreed by the parties (FMLN)", []),  # the letters are not in the words before
        (  # a run that starts in lower case before capitals lost its first word
            "the operations of the United Nations Observer Mission in El Salvador (ONUSAL)",
            [],
        ),
    ],
)
def test_definitions_find_the_long_form_before_the_brackets(
    text: str, expected: list[tuple[str, str, str]]
) -> None:
    found = [(d.acronym, d.written, d.long_form) for d in definitions(text)]
    assert found == expected


ACRONYMS = Acronyms.from_texts(
    [
        "the United Nations Angola Verification Mission (UNAVEM II)",
        "Commends the United Nations Protection Force (UNPROFOR)",
        "the Conference Preparatory Meeting (CPM)",
    ]
)


@pytest.mark.parametrize(
    ("query", "named"),
    [
        ("How long did the Council keep the UN verification mission in Angola going?", ["UNAVEM"]),
        ("What did the Council ask of the U.N. protection force in Bosnia?", ["UNPROFOR"]),
        ("the United Nations Protection Force's mandate", ["UNPROFOR"]),
        ("What is UNPROFOR's mandate?", []),  # the query already uses the acronym
        # every word of "Conference Preparatory Meeting", but far apart: not the long form
        ("Where are the preparatory meetings held before the plenipotentiary conference?", []),
        ("Which mission verifies the elections?", []),  # some of the words only
    ],
)
def test_a_query_spelling_out_a_long_form_names_its_acronym(query: str, named: list[str]) -> None:
    assert ACRONYMS.named_in(query) == named


def test_a_clause_speaks_of_both_forms_of_an_acronym() -> None:
    from assistant.text.question import stems

    using_acronym = ACRONYMS.context(stems("Decides to extend the mandate of UNAVEM II"))
    assert stems("Angola Verification Mission") <= using_acronym
    spelled_out = ACRONYMS.context(stems("the United Nations Protection Force shall"))
    assert "unprofor" in spelled_out
    assert ACRONYMS.context(stems("the protection of civilians")) == set()


def test_the_lexical_index_keeps_the_acronyms_it_was_built_from(tmp_path: Path) -> None:
    texts = ["Establishes the United Nations Observer Mission in Liberia (UNOMIL);", "Other text"]
    index = LexicalIndex.build(texts, ["a/1", "b/1"], [{}, {}], "fp")
    assert index.acronyms.long_forms == {"UNOMIL": ["United Nations Observer Mission in Liberia"]}
    index.save(tmp_path / "bm25")
    loaded = LexicalIndex.load(tmp_path / "bm25", "fp")
    assert loaded is not None and loaded.acronyms.long_forms == index.acronyms.long_forms
    meta = tmp_path / "bm25" / "meta.json"  # saved before acronyms were kept: rebuilt, not wrong
    meta.write_text(meta.read_text().replace('"acronyms"', '"older"'), encoding="utf-8")
    assert LexicalIndex.load(tmp_path / "bm25", "fp") is None
    index.save(tmp_path / "bm25")  # made by an older tokenizer: rebuilt, not searched wrongly
    meta.write_text(meta.read_text().replace('"tokens"', '"older"'), encoding="utf-8")
    assert LexicalIndex.load(tmp_path / "bm25", "fp") is None


def test_a_hyphenated_word_is_found_written_as_one_and_the_other_way() -> None:
    from assistant.answering.matching import uses_stem
    from assistant.text.question import stem, stems, term_groups

    texts = ["Calls for an immediate cease-fire", "Welcomes the peacekeeping operation"]
    index = LexicalIndex.build(texts, ["a/1", "b/1"], [{}, {}], "fp")
    assert [c for c, _ in index.search("ceasefire", 5)] == ["a/1"]
    assert [c for c, _ in index.search("peace-keeping", 5)] == ["b/1"]
    assert uses_stem(stem("ceasefire"), stems(texts[0]))
    (cease, fire) = term_groups("the cease-fire")  # each part is found in "ceasefire"
    written_as_one = stems("a ceasefire")
    assert all(any(a <= written_as_one for a in g.alternatives) for g in (cease, fire))
    assert not any(a <= stems("a fire") for a in cease.alternatives)


MONITORING_GROUP = "Until when was the UN monitoring group in Ruritania extended?"


def ruritania_library(tmp_path: Path) -> Any:
    """A text that defines UNRUMOG, a later one that only writes it, one on something else."""

    def resolution(number: int, operative: str) -> str:
        return hrc_resolution(number, "3 March 2031", "the situation", [operative])

    return library_of(
        tmp_path,
        {
            "r50.txt": resolution(
                50, "Establishes the United Nations Ruritania Monitoring Group (UNRUMOG)"
            ),
            "r51.txt": resolution(51, "Extends the term of UNRUMOG until 31 December 2031"),
            "r52.txt": resolution(52, "Extends the term of the Freedonia rapporteur until 2032"),
        },
    )


def test_search_finds_a_later_text_that_only_writes_the_acronym(tmp_path: Path) -> None:
    ranked = [hit.id for hit in ruritania_library(tmp_path).search(MONITORING_GROUP, k=3)]
    assert ranked.index("hrc-51-2031/operative/1") < ranked.index("hrc-52-2031/operative/1")


def test_a_clause_that_only_writes_the_acronym_covers_the_words_asked(tmp_path: Path) -> None:
    from assistant.answering.evidence import retrieve

    retrieval = retrieve(ruritania_library(tmp_path), MONITORING_GROUP)
    evidence = {e.id: e for e in retrieval.evidence}
    assert evidence["hrc-51-2031/operative/1"].coverage == 1.0  # "UNRUMOG": all four ideas


def test_a_clause_is_compared_with_the_question_as_search_embedded_it(fake_library: Any) -> None:
    """A glossary acronym ("RPMs") is spelled out before the similarity of each clause is
    measured: the embedder knows the words, not the acronym."""
    from assistant.answering.evidence import retrieve
    from assistant.answering.matching import similarities

    question = "How many RPMs does PP Resolution 58 call for?"
    retrieval = retrieve(fake_library, question)
    spelled = [e for e in retrieval.evidence if "regional preparatory meeting" in e.words]
    assert spelled
    for evidence in spelled:
        bare = similarities(fake_library, question, [evidence.citation])[0][0]
        assert evidence.similarity > bare
