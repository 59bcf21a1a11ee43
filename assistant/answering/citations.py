"""Citation checks run before an answer is shown.

A citation is kept only when (1) its clause id exists in the library, (2) the clause was retrieved
for this question, and (3) the words quoted with it are in the clause's text (whitespace, case,
quote marks and dashes normalized; an ellipsis in a quote splits it into parts that must each be
there, in order).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.index.model import ClauseLibrary

_QUOTES = str.maketrans(
    {"“": '"', "”": '"', "„": '"', "‘": "'", "’": "'", "–": "-", "—": "-", "‑": "-", "\u00a0": " "}
)
ELLIPSIS = re.compile(r"\s*(?:…|\.\.\.)\s*")


@dataclass(frozen=True)
class Quote:
    """Words attributed to one clause (empty words: the clause is cited without a quote)."""

    clause_id: str
    words: str = ""


@dataclass(frozen=True)
class Rejected:
    """A citation that failed a check, and why."""

    quote: Quote
    reason: str


def normalize(text: str) -> str:
    """Lower case, one kind of quote mark and dash, single spaces."""
    return re.sub(r"\s+", " ", text.translate(_QUOTES)).strip().lower()


def quote_in(words: str, clause_text: str) -> bool:
    """True when every part of ``words`` (split at ellipses) is in ``clause_text``, in order."""
    haystack = normalize(clause_text)
    position = 0
    parts = [normalize(p).strip(" ,;:.") for p in ELLIPSIS.split(words)]
    parts = [p for p in parts if p]
    for part in parts:
        found = haystack.find(part, position)
        if found < 0:
            return False
        position = found + len(part)
    return True


def problem(library: ClauseLibrary, quote: Quote, retrieved: set[str]) -> str:
    """Why ``quote`` must not be shown, or ``""`` when it passes every check."""
    try:
        clause = library.clause(quote.clause_id)
    except LookupError:
        return f"unknown clause id {quote.clause_id!r}"
    if quote.clause_id not in retrieved:
        return f"clause {quote.clause_id!r} was not retrieved for this question"
    if quote.words and not quote_in(quote.words, str(clause.get("text", ""))):
        return f"the quoted words are not in clause {quote.clause_id!r}"
    return ""


def check(
    library: ClauseLibrary, quotes: list[Quote], retrieved: set[str]
) -> tuple[list[Quote], list[Rejected]]:
    """Split ``quotes`` into those that pass every check and those rejected (with the reason)."""
    kept: list[Quote] = []
    rejected: list[Rejected] = []
    for quote in quotes:
        reason = problem(library, quote, retrieved)
        if reason:
            rejected.append(Rejected(quote, reason))
        else:
            kept.append(quote)
    return kept, rejected
