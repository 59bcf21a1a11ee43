"""What a query names beyond its words (issue 16): the month of a text's adoption ("the Council's
June 1990 resolution") and the kind of answer it asks for (a period, a count ...)."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.index.retrieval import adopted_in
from assistant.text.glossary import load_glossary
from tests.fakes import library_of


@pytest.mark.parametrize(
    ("query", "months"),
    [
        ("What did the Council decide in June 1990 on Western Sahara?", {"June 1990"}),
        ("In its December 1957 Kashmir decision, what did it note?", {"December 1957"}),
        ("the Council's September, 1990 endorsement", {"September 1990"}),
        ("What has happened since June 1967?", set()),  # the time of an event
        ("Who attacked the village on 11 July 1976?", set()),  # a day dates an event
        ("What does resolution 658 say?", set()),
    ],
)
def test_a_query_names_the_month_of_a_text(query: str, months: set[str]) -> None:
    assert load_glossary().find(query).months == months


def test_a_title_dates_its_text() -> None:
    assert adopted_in("Resolution 658 (1990) of 27 June 1990") == {"June 1990"}
    assert adopted_in("Resolution 58 (Rev. Busan, 2014)") == frozenset()


def test_search_prefers_the_text_adopted_in_the_month_named(tmp_path: Path) -> None:
    library = library_of(
        tmp_path,
        {
            f"r{number}.txt": f"Resolution {number} (2031)\nof 3 {month} 2031\n\n"
            "The Human Rights Council,\n\nRecalling its earlier resolutions on the matter,\n\n"
            "1. Calls upon the parties to release all political prisoners;\n\n"
            "2. Decides to remain seized of the matter.\n"
            for number, month in ((31, "March"), (32, "October"), (33, "June"))
        },
    )
    question = "Whom did the Council ask in June 2031 to release political prisoners?"
    hits = library.search(question, k=3)
    assert hits[0].id == "hrc-33-2031/operative/1"
    assert {h.id.split("/")[0] for h in hits} == {"hrc-33-2031"}  # the month's text comes first
    assert hits[0].signals["dated_document"] == 1.0 and hits[0].signals["dated_other"] == 0.0
    other = library.search(question, k=6)[-1]  # a clause of another month's text
    assert other.signals["dated_document"] == 0.0 and other.signals["dated_other"] == 1.0
    library.retriever.weights.dated = 0.0  # without the boost, the other texts' clause follows
    assert {h.id.split("/")[0] for h in library.search(question, k=3)} != {"hrc-33-2031"}


def test_search_prefers_the_clause_that_states_the_kind_asked(tmp_path: Path) -> None:
    library = library_of(
        tmp_path,
        {
            "r40.txt": "Resolution 40 (2031)\nof 3 March 2031\n\nThe Human Rights Council,\n\n"
            "Recalling its earlier resolutions on the mission,\n\n"
            "1. Requests the Secretary-General to report to the Council on the mission;\n\n"
            "2. Requests the Secretary-General to report within thirty days;\n\n"
            "3. Decides to remain seized of the matter.\n"
        },
    )
    question = "Within what period must the Secretary-General report to the Council on the mission?"
    assert library.search(question, k=1)[0].id == "hrc-40-2031/operative/2"  # states a period
    library.retriever.weights.typed = 0.0  # without the boost, the closer words win
    assert library.search(question, k=1)[0].id == "hrc-40-2031/operative/1"
