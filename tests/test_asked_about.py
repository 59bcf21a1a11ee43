"""The word a question asks about, and whether a clause names its answer next to it (issue 16):
"Requests the Secretary-General to report" answers "Who is to report?"; a body named a
sentence away from "the representatives of the two communities" does not say who they were."""

from __future__ import annotations

import pytest

from assistant.text.asked import Asked, anchor_of


@pytest.mark.parametrize(
    ("question", "anchor"),
    [
        ("Who represented the two communities at the Vienna talks?", "represent"),
        ("Which party won the election?", "won"),  # "party" only says the kind of answer
        ("How many observers does resolution 619 send?", "observ"),
        ("Which body shall monitor the embargo?", "monitor"),
        ("Who?", ""),
    ],
)
def test_the_word_a_question_asks_about(question: str, anchor: str) -> None:
    assert anchor_of(question) == anchor


@pytest.mark.parametrize(
    ("question", "clause", "near"),
    [
        (
            "Who is requested to report to the Council?",
            "Requests the Secretary-General to report to the Council by 31 May",
            True,
        ),
        (  # the only body is a sentence away; "representatives" is the word asked about
            "Who represented the two communities at the talks?",
            "the Secretary-General has expressed the view, in connexion with the talks in "
            "Vienna between the representatives of the two communities held in March",
            False,
        ),
        (  # a name next to the word's family: "Commander" for "commands"
            "Who commands the force?",
            "Welcomes the appointment of Major-General Ole Hansen as Force Commander",
            True,
        ),
        ("Who commands the force?", "Decides to extend the mandate of the Force", False),
    ],
)
def test_an_answer_next_to_the_word_asked_about(question: str, clause: str, near: bool) -> None:
    asked = Asked.read(question)
    assert asked.near_anchor(clause, asked.spans(clause)) is near
