"""The order the answerer weighs the clauses found for a question (answering/ranking.py)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from assistant.answering.evidence import retrieve
from assistant.answering.ranking import SEARCH_PRIOR, ranked_evidence, search_ordered
from assistant.answering.support import LogisticModel, default_config
from tests.fakes import REPORT_WITHIN, REPORT_WITHIN_QUESTION, hrc_resolution, library_of

TEXT = REPORT_WITHIN
QUESTION = REPORT_WITHIN_QUESTION


def test_the_clause_the_model_says_answers_comes_before_closer_words(tmp_path: Path) -> None:
    """A support model that weighs a stated period (``type_new``) puts the clause with "within
    thirty days" first, though search ranks the clause with the question's words first."""
    library = library_of(tmp_path, {"r40.txt": TEXT})
    library.retriever.weights.typed = 0.0  # search alone puts the closer words first
    assert library.search(QUESTION, k=1)[0].id == "hrc-40-2031/operative/1"
    config = replace(default_config(), answers=LogisticModel({"type_new": 6.0}, -3.0))
    ranked = ranked_evidence(library, QUESTION, config=config)
    assert ranked[0].id == "hrc-40-2031/operative/2"
    assert ranked[1].id == "hrc-40-2031/operative/1"  # then the search's order


def test_the_ranking_holds_what_was_found_by_support_and_search_order(tmp_path: Path) -> None:
    library = library_of(tmp_path, {"r40.txt": TEXT})
    ranked = ranked_evidence(library, QUESTION)
    found = retrieve(library, QUESTION).evidence
    assert sorted(e.id for e in ranked) == sorted(e.id for e in found)
    searched = [h.id for h in library.search(QUESTION, k=len(found))]
    keys = [e.support + SEARCH_PRIOR / (searched.index(e.id) + 1) for e in ranked]
    assert keys == sorted(keys, reverse=True)


def test_search_in_the_answerers_order_carries_the_support_it_is_ordered_by(
    tmp_path: Path,
) -> None:
    library = library_of(tmp_path, {"r40.txt": TEXT})
    config = replace(default_config(), answers=LogisticModel({"type_new": 6.0}, -3.0))
    plain = search_ordered(library, QUESTION, 2)
    assert [h["id"] for h in plain] == [h.id for h in library.search(QUESTION, k=2)]
    assert all("support" not in h for h in plain)
    ranked = [e.id for e in ranked_evidence(library, QUESTION)][:2]
    ordered = search_ordered(library, QUESTION, 2, order="answerer")
    assert [h["id"] for h in ordered] == ranked and len(ordered) == 2
    assert all(0.0 <= h["support"] <= 1.0 and "score" in h for h in ordered)
    assert ranked_evidence(library, QUESTION, config=config)[0].id.endswith("operative/2")


def test_the_answerers_order_keeps_to_the_filters(tmp_path: Path) -> None:
    other = hrc_resolution(41, "4 March 2031", "the mission", ["Requests a report on the mission"])
    library = library_of(tmp_path, {"r40.txt": TEXT, "r41.txt": other})
    documents = {d["document"] for d in library.documents()}
    assert len(documents) == 2
    kept = sorted(documents)[1]
    found = search_ordered(library, QUESTION, 5, {"document": kept}, order="answerer")
    assert found and {h["document"] for h in found} == {kept}
