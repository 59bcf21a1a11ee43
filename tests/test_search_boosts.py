"""What a query names beyond its words (issue 16): the month of a text's adoption ("the Council's
June 1990 resolution") and the kind of answer it asks for (a period, a count ...)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from assistant.index.retrieval import adopted_in, answers_after
from assistant.text.glossary import load_glossary
from tests.fakes import REPORT_WITHIN, REPORT_WITHIN_QUESTION, hrc_resolution, library_of


def dated_library(tmp_path: Path, dates: dict[int, str], operative: str) -> Any:
    """A library of short resolutions: number -> the date of adoption, one operative clause."""
    return library_of(
        tmp_path,
        {
            f"r{number}.txt": f"Resolution {number} ({date[-4:]})\nof {date}\n\n"
            "The Human Rights Council,\n\nRecalling its earlier resolutions on the matter,\n\n"
            f"1. {operative};\n\n2. Decides to remain seized of the matter.\n"
            for number, date in dates.items()
        },
    )


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


@pytest.mark.parametrize(
    ("query", "after"),
    [
        ("What did the Council decide after the raid on Karameh in March 1968?", (1968, 3)),
        ("After the mediator was murdered in 1948, what did the Council ask?", (1948, 0)),
        ("What did it decide following the 1983 intervention in Grenada?", (1983, 0)),
        ("How many days after its adoption does resolution 816 (1993) act?", None),
        ("Oil exported after what date is covered by resolution 692 (1991)?", None),
        ("What did the Council decide in June 1990?", None),
    ],
)
def test_a_query_asks_what_came_after_a_dated_event(
    query: str, after: tuple[int, int] | None
) -> None:
    assert load_glossary().find(query).after == after


def test_what_came_after_an_event_was_adopted_within_a_year_of_it() -> None:
    title = "Resolution 248 (1968) of 24 March 1968"
    assert answers_after(title, (1968, 3)) and answers_after(title, (1967, 0))
    assert not answers_after(title, (1968, 4))  # before the event
    assert not answers_after(title, (1966, 11))  # long after
    assert answers_after("Resolution 58 (Rev. Busan, 2014)", (2010, 0))  # no date: may


def test_a_text_from_before_the_event_asked_about_is_flagged(tmp_path: Path) -> None:
    texts = {31: "3 March 2029", 32: "3 March 2031"}
    library = dated_library(tmp_path, texts, "Condemns the attack on the airport")
    hits = library.search("What did the Council decide after the airport attack of 2031?", k=4)
    flagged = {h.id.split("/")[0]: h.signals["after_event_other"] for h in hits}
    assert flagged == {"hrc-31-2029": 1.0, "hrc-32-2031": 0.0}


def test_search_prefers_the_text_adopted_in_the_month_named(tmp_path: Path) -> None:
    texts = {31: "3 March 2031", 32: "3 October 2031", 33: "3 June 2031"}
    library = dated_library(
        tmp_path, texts, "Calls upon the parties to release all political prisoners"
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
    library = library_of(tmp_path, {"r40.txt": REPORT_WITHIN})
    question = REPORT_WITHIN_QUESTION
    assert library.search(question, k=1)[0].id == "hrc-40-2031/operative/2"  # states a period
    library.retriever.weights.typed = 0.0  # without the boost, the closer words win
    assert library.search(question, k=1)[0].id == "hrc-40-2031/operative/1"


def test_search_prefers_the_clause_that_sets_the_condition_asked_about(tmp_path: Path) -> None:
    text = hrc_resolution(
        41,
        "3 April 2031",
        "the blockade of the port",
        [
            "Demands that the authorities lift the blockade of the port and open the port to "
            "relief convoys",
            "Decides that, in the event of failure to lift the blockade, it will meet again",
        ],
    )
    library = library_of(tmp_path, {"r41.txt": text})
    question = "What will the Council do if the authorities do not lift the blockade of the port?"
    assert library.search(question, k=1)[0].id == "hrc-41-2031/operative/2"  # sets a condition
    library.retriever.weights.condition = 0.0  # without the boost, the closer words win
    assert library.search(question, k=1)[0].id == "hrc-41-2031/operative/1"
