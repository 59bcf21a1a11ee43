"""Questions asked on a condition, and clauses that set one.

"What will the Council do if South Africa ignores the decision?" is answered by the clause that
says what follows a failure ("Decides that, in the event of failure ... to comply, the Council
will meet"), not by the clause that makes the demand. A condition that only hedges ("if
necessary", "if any", "if possible") asks and sets none.
"""

from __future__ import annotations

import re

_HEDGE = r"(?!(?:any|necessary|possible|so|appropriate|required|need be|needed|applicable)\b)"
_CONDITION = rf"\b(?:if|unless|in case)\b {_HEDGE}|\bin the event\b"  # asked or set
_ASKS = re.compile(rf"{_CONDITION}|\bwhat happens\b", re.IGNORECASE)
_SETS = re.compile(
    rf"{_CONDITION}|\bfailing (?:which|that|this|such)\b"
    r"|\bshould (?:\w+ ){0,4}?(?:fail|refuse|continue|persist|not)\b|\bin (?:the )?case of\b",
    re.IGNORECASE,
)


def asks_condition(question: str) -> bool:
    """Whether ``question`` asks what holds or follows on a condition ("... do if ...?")."""
    return bool(_ASKS.search(question))


def sets_condition(text: str) -> bool:
    """Whether ``text`` says what holds or follows on a condition ("if ...", "in the event of
    ...", "should ... fail to")."""
    return bool(_SETS.search(text))
