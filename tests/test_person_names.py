"""Questions that ask for a name, and the proper names a text gives (issue 16)."""

from __future__ import annotations

import pytest

from assistant.text.asked import Asked
from assistant.text.person_names import asks_name, proper_names


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("Who is the Special Representative for Angola?", True),
        ("Who was the head of the regime whose entry into Angola was condemned?", True),
        ("What was the name of the barge that was seized?", True),
        ("Who chairs the committee?", False),  # an office may answer: "the President"
        ("Who is to carry out the investigation?", False),
        ("Which States supply the troops?", False),
    ],
)
def test_a_question_asks_for_a_name(question: str, expected: bool) -> None:
    assert asks_name(question) is expected


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("Commends the Special Envoy, Mr. Dante Caputo, for his efforts", ["Mr. Dante Caputo"]),
        ("the motor barge Patrice Lumumba", ["Patrice Lumumba"]),
        (
            "Requests the Secretary-General, Mr. Javier Pérez de Cuéllar, to",
            ["Mr. Javier Pérez de Cuéllar"],
        ),
        # offices, bodies, documents and places are nobody's name
        ("Welcomes the appointment of the Special Representative of the Secretary-General", []),
        ("Calls upon the Government of Sierra Leone and the Mission in El Salvador", []),
        ("to respect the Cease-fire Agreement of 27 July 1993", []),
        ("the Democratic People’s Republic of Korea and the Agency’s Board of Governors", []),
    ],
)
def test_the_proper_names_of_a_text(text: str, names: list[str]) -> None:
    assert proper_names(text) == names


def test_only_a_name_answers_a_question_that_asks_for_one() -> None:
    asked = Asked.read("Who is the Special Envoy for Haiti commended in resolution 841?")
    assert asked.name and asked.kind == "person_or_body"
    assert not asked.states_new("Commends the Special Envoy for Haiti for his efforts")
    assert not asked.states_new("Commends the Secretary-General and the Special Envoy")
    assert asked.states_new("Commends the Special Envoy for Haiti, Mr. Dante Caputo")
    # without the name rule, the Secretary-General would be a new person or body
    assert Asked.read("Who commends the Special Envoy?").states_new(
        "Commends the Secretary-General and the Special Envoy"
    )


def test_a_name_needs_a_word_the_texts_never_write_in_lower_case() -> None:
    text = "the Armed Rebels, as Mr. Cyrus Vance said"
    assert proper_names(text) == ["Armed Rebels", "Mr. Cyrus Vance"]
    common = frozenset({"armed", "rebels", "mr"})
    assert proper_names(text, common) == ["Mr. Cyrus Vance"]


@pytest.mark.parametrize(
    "body",
    ["Steering Committee", "Contact Group", "Geneva Conventions", "Nordic Battalion", "Safe Areas"],
)
def test_a_run_that_ends_in_a_body_s_word_names_no_one(body: str) -> None:
    """However unusual its other words, "... Committee" is a body (the Co-Chairmen of the
    Steering Committee are not named by it)."""
    text = f"the reports of the {body} and of Mr. Cyrus Vance"
    assert proper_names(text, people=True) == ["Mr. Cyrus Vance"]
    assert proper_names(text) == [body, "Mr. Cyrus Vance"]  # "which group ...?" may ask for it
    asked = Asked.read("Who are the Co-Chairmen of the Steering Committee?")
    assert not asked.states_new(f"Taking note of the reports of the Co-Chairmen of the {body}")
