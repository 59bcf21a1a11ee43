"""The kind of answer a question asks for, when a clause can be checked for it.

Only kinds whose presence in a clause can be seen in its words: an *amount* of money ("How much
does ... pay?", "What budget ...?") and a *duration* ("How long is the term ...?", "How long
before ...?"). A clause that supports such a question must state one; a clause about the same
subject that states none does not answer it (the resolutions rarely hold budgets or terms of
office, and a nearby clause about the meetings is not an answer to "what do they cost?").
"""

from __future__ import annotations

import re
from typing import Literal

AnswerType = Literal["amount", "duration"]

_NUMBER = (
    r"(?:\d[\d,.'’ ]*|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve"
    r"|fifteen|twenty|thirty|several|a few)"
)
_ASKS: dict[AnswerType, re.Pattern[str]] = {
    "amount": re.compile(
        r"\bhow much\b|\bhow many (?:swiss )?(?:francs|dollars|euros)\b"
        r"|\bwhat (?:is |was |are |were )?(?:the )?(?:budget|amount|cost|fee|price)s?\b",
        re.IGNORECASE,
    ),
    "duration": re.compile(
        r"\bhow long\b|\bfor how many (?:years|months|weeks|days)\b", re.IGNORECASE
    ),
}
_STATES: dict[AnswerType, re.Pattern[str]] = {
    "amount": re.compile(
        r"(?:\b(?:CHF|USD|EUR|US\$)|[$€£])\s*\d"
        r"|\b\d[\d,.'’ ]*\s*(?:million|thousand|billion)?\s*"
        r"(?:Swiss francs|francs|dollars|euros|CHF|USD|EUR)\b",
        re.IGNORECASE,
    ),
    "duration": re.compile(
        rf"\b{_NUMBER}(?:[\s-]+\w+)?[\s-]+(?:years?|months?|weeks?|days?)\b", re.IGNORECASE
    ),
}


# Words that only ask for the kind ("how long"), not what about: not topic words of the question.
FRAMING: dict[AnswerType, frozenset[str]] = {
    "amount": frozenset({"much", "many"}),
    "duration": frozenset({"long", "many"}),
}


def expected_answer_type(question: str) -> AnswerType | None:
    """``amount`` or ``duration`` when the question asks for one, else None."""
    for kind, pattern in _ASKS.items():
        if pattern.search(question):
            return kind
    return None


def states(text: str, kind: AnswerType | None) -> bool:
    """Whether ``text`` states an answer of ``kind`` (always true when there is no kind)."""
    return kind is None or bool(_STATES[kind].search(text))
