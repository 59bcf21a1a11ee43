"""Questions asked on a condition, and clauses that set one (assistant/text/conditions.py)."""

from __future__ import annotations

import pytest

from assistant.text.conditions import asks_condition, sets_condition


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("What will the Council do if the parties ignore the deadline?", True),
        ("What happens when the mandate ends?", True),
        ("Unless the forces withdraw, what does the Council threaten?", True),
        ("What role, if any, does the resolution give the observers?", False),  # a hedge
        ("Whom may the Secretary-General consult, if necessary?", False),
        ("What does the Council decide about the mandate?", False),
    ],
)
def test_a_question_asks_what_follows_a_condition(question: str, expected: bool) -> None:
    assert asks_condition(question) is expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Decides that, in the event of failure to comply, it will meet again", True),
        ("Warns that if the attacks are repeated the Council will consider further steps", True),
        ("should the Government fail to comply, to consider appropriate measures", True),
        ("failing which the Council will take action under Chapter VII", True),
        ("Requests the Secretary-General to report, if possible, within thirty days", False),
        ("Demands the immediate withdrawal of all forces", False),
    ],
)
def test_a_clause_sets_a_condition(text: str, expected: bool) -> None:
    assert sets_condition(text) is expected
