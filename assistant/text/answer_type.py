"""The kind of answer a question asks for, and whether a clause states one of that kind.

Four kinds are *checked* (:data:`CHECKED`): an amount of money ("How much does ... pay?", "What
budget ...?"), a duration ("How long is the term ...?"), a count ("How many observers ...?") and
a date or period ("When ...?"). A clause that supports such a question must state one that the
question does not already hold (:func:`stated_spans`: a resolution's number or year is not a
count); a clause about the same subject that states none does not answer it (a nearby clause
about the meetings is not an answer to "what do they cost?"). Measured on the train and dev
question splits: the clauses that answer count and date questions state one in 30 of 31 cases,
the best clause of the unanswerable ones in 14 of 37.

The other kinds (:data:`GENERAL`: a person/office/body, a place, an article or resolution
reference) are read the same way but only as *signals* of the learned support model
(``assistant/answering/support.py``): whether a clause names a body is seen in its words less
reliably than a sum of money, so it weighs, it does not decide.
"""

from __future__ import annotations

import re
from typing import Literal

AnswerType = Literal["amount", "duration", "count", "date"]
GeneralType = Literal["amount", "duration", "count", "date", "person_or_body", "place", "reference"]
CHECKED: tuple[AnswerType, ...] = ("amount", "duration", "count", "date")
GENERAL: tuple[GeneralType, ...] = (
    "amount",
    "duration",
    "count",
    "date",
    "person_or_body",
    "place",
    "reference",
)

_NUMBER = (
    r"(?:\d[\d,.'’ ]*|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve"
    r"|fifteen|twenty|thirty|several|a few)"
)
_NOT_VERB = r"(?!(?:does|do|did|is|are|was|were|should|must|will|can|may|shall)\b)"
_MONTHS = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December)"
)
# Order matters: the first kind whose pattern matches is the one asked for.
_ASKS: dict[GeneralType, re.Pattern[str]] = {
    "amount": re.compile(
        r"\bhow much\b|\bhow many (?:swiss )?(?:francs|dollars|euros)\b"
        r"|\bwhat (?:is |was |are |were )?(?:the )?(?:budget|amount|cost|fee|price)s?\b",
        re.IGNORECASE,
    ),
    "duration": re.compile(
        r"\bhow long\b|\bhow many (?:years|months|weeks|days|hours)\b"
        r"|\bfor (?:what|which|how long an?) (?:\w+ )?(?:period|term|time)\b",
        re.IGNORECASE,
    ),
    "count": re.compile(r"\bhow many\b|\bwhat (?:is the )?number of\b", re.IGNORECASE),
    "date": re.compile(
        r"^\s*(?:and\s+)?when\b|\b(?:by|until|since|from) when\b|\bin (?:what|which) year\b"
        r"|\bwhat year\b|\bwhat date\b|\bon what date\b|\bwhich (?:year|date|month|day)\b"
        r"|\bhow (?:soon|early|late|close)\b|\bdeadline\b"
        r"|\bwhen (?:did|does|do|should|must|will|was|were|is|are)\b",
        re.IGNORECASE,
    ),
    "place": re.compile(
        r"^\s*(?:and\s+)?where\b|\bwhere (?:did|does|do|should|must|will|was|were|is|are)\b"
        r"|\b(?:which|what) (?:city|cities|town|towns|territory|territories|place|region"
        r"|area|island|islands|river|canal|line|border|port|sea|zone)\b"
        r"|\bin which (?:city|country|place)\b",
        re.IGNORECASE,
    ),
    "person_or_body": re.compile(
        r"^\s*(?:and\s+)?who(?:m|se)?\b|\bwho (?:is|are|was|were|should|must|will|may|shall)\b"
        r"|\bby whom\b|\bto whom\b"
        rf"|\b(?:which|what)(?: {_NOT_VERB}[\w-]+){{0,2}}? "
        r"(?:body|bodies|organ|organs|official|officer|person|committee|organization"
        r"|organizations|bureau|sector|member states?|states?"
        r"|parties|party|government|governments|council|secretary|director|group|entity"
        r"|entities|authority|country|countries|court|judge|mission|movement|meeting"
        r"|hostages|members?|force|chairs?)\b",
        re.IGNORECASE,
    ),
    "reference": re.compile(
        rf"\b(?:which|what)(?: {_NOT_VERB}[\w-]+){{0,4}}? "
        r"(?:article|articles|resolution|resolutions|chapter|paragraph|decision|provision"
        r"|recommendation|report|document|annex)\b(?! \d)",
        re.IGNORECASE,
    ),
}
_STATES: dict[GeneralType, re.Pattern[str]] = {
    "amount": re.compile(
        r"(?:\b(?:CHF|USD|EUR|US\$)|[$€£])\s*\d"
        r"|\b\d[\d,.'’ ]*\s*(?:million|thousand|billion)?\s*"
        r"(?:Swiss francs|francs|dollars|euros|CHF|USD|EUR)\b"
        r"|\b\d[\d,.]*\s*(?:per ?cent|%|kilomet|mile|metre|meter)",
        re.IGNORECASE,
    ),
    "duration": re.compile(
        rf"\b{_NUMBER}(?:[\s-]+\w+){{0,3}}?[\s-]+(?:years?|months?|weeks?|days?|hours?)\b",
        re.IGNORECASE,
    ),
    "count": re.compile(
        rf"\b{_NUMBER}\b|\beach of the\b|\bboth\b|\bsingle\b|\bfirst\b", re.IGNORECASE
    ),
    "date": re.compile(
        rf"\b(?:1[89]\d\d|20\d\d)\b|\b{_MONTHS}\b|\b(?:prior to|before|after|not later than"
        r"|no later than|not earlier than|within|until|by the end of|at least)\b"
        r"|\b(?:immediately|annually|every|next|last|session|meeting)\b",
        re.IGNORECASE,
    ),
    "reference": re.compile(
        r"\b(?:Article|Articles|Chapter|Resolution|Resolutions|Res\.|No\.|paragraph|annex"
        r"|Recommendation|decision|document)\s*\(?[\dIVXLC]+|\bS/\d|\bresolutions? \d",
        re.IGNORECASE,
    ),
    "place": re.compile(
        r"\b(?:in|at|to|from|of|between|on) (?:the )?[A-Z][a-z]{2,}"
        r"|\b(?:territory|region|country|city|border|island|area|zone)\b"
    ),
    "person_or_body": re.compile(
        r"\b(?:Secretary-General|Secretary|Director|Council|Committee|Commission|Assembly"
        r"|Conference|Bureau|Sector|Member States?|Governments?|States|Parties|Court"
        r"|Tribunal|Organization|Union|Group|Board|chairs?|chairman|President|mediator"
        r"|representatives?|Government of|authorities|officials?|experts?)\b"
    ),
}


# Words that only ask for the kind ("how long"), not what about: not topic words of the question.
FRAMING: dict[AnswerType, frozenset[str]] = {
    "amount": frozenset({"much", "many"}),
    "duration": frozenset({"long", "many"}),
    "count": frozenset({"many", "number"}),
    "date": frozenset({"when", "date"}),
}


def expected_answer_type(question: str) -> AnswerType | None:
    """The checked kind (:data:`CHECKED`) the question asks for, else None."""
    kind = asked_type(question)
    if kind == "amount" or kind == "duration" or kind == "count" or kind == "date":
        return kind
    return None


def asked_type(question: str) -> GeneralType | None:
    """The general kind of answer the question asks for (see :data:`GENERAL`), else None."""
    for kind, pattern in _ASKS.items():
        if pattern.search(question):
            return kind
    return None


def states(text: str, kind: GeneralType | None) -> bool:
    """Whether ``text`` states an answer of ``kind`` (always true when there is no kind)."""
    return kind is None or bool(_STATES[kind].search(text))


# Numbers that name or date something rather than count it: "resolution 770 (1992)",
# "paragraph 5", "S/25147", "13 August 1992".
_NAMING_NUMBERS = re.compile(
    r"\b(?:resolutions?|paragraphs?|articles?|annex|chapter|document|No\.|S/)\s*[\d/]+"
    rf"(?:\s*\(\d{{4}}\))?|\(\d{{4}}\)|\b\d{{1,2}} {_MONTHS} \d{{4}}",
    re.IGNORECASE,
)


# A count states how many of something: a cardinal followed by what it counts ("six regional
# meetings", "1,000 additional troops"), not by a month, a unit of time or "and".
_CARDINAL = (
    r"(?i:\d{1,3}(?:,\d{3})+|\d+|one|two|three|four|five|six|seven|eight|nine|ten|eleven"
    r"|twelve|fifteen|twenty|thirty|forty|fifty|hundred|thousand)"
)
_NOT_COUNTED = (
    r"above|below|on|from|the|for|to|per|in|at|by|with|another|or|more|calendar"
    r"|years?|months?|weeks?|days?|hours?|minutes?"
)
_COUNTED = re.compile(
    rf"\b{_CARDINAL}(?:[\s-]+(?i:hundred|thousand|million))?"
    r"(?:-(?![a-z]*(?:th|first|second|third)\b)[a-z]+"
    rf"|\s+(?!(?:and|or)\s+[\d§])(?!(?:{_NOT_COUNTED})\b)[a-z][a-z-]+)"
)


def stated_spans(text: str, kind: GeneralType) -> list[str]:
    """The pieces of ``text`` that state an answer of the checked ``kind``: for a count, a
    number with what it counts (numbers that name a resolution, a paragraph or a date are not
    counts); for a date, a date or a period (a duration counts: "twenty-four hours from")."""
    if kind == "count":
        return [m.group(0) for m in _COUNTED.finditer(_NAMING_NUMBERS.sub(" § ", text))]
    spans = [m.group(0) for m in _STATES[kind].finditer(text)]
    if kind == "date":
        spans += [m.group(0) for m in _STATES["duration"].finditer(text)]
    return spans
