"""The kind of answer a question asks for, and whether a clause states one of that kind.

Five kinds are *checked* (:data:`CHECKED`): an amount of money ("How much does ... pay?", "What
budget ...?"), a duration ("How long is the term ...?"), a count ("How many observers ...?"), a
date or period ("When ...?"; "On what date ...?" asks for a calendar date: "without delay" does
not answer it) and a place ("Where ...?"). A clause that supports such a question must state one
that the question does not already hold (:func:`stated_spans`: a resolution's number or year is
not a count, "the report of 19 April 1991" is no date of the thing asked, "these two countries"
is no count of observers: :func:`counted_nouns`); a clause about the same
subject that states none does not answer it (a nearby clause about the meetings is not an answer
to "what do they cost?"). A question about who holds a role ("Who chairs the committee?", "Which
country commands the force?") is answered only by a clause that speaks of that role
(:func:`asked_role`): a clause that names the committee does not say who chairs it.

Measured on the seen question splits (train, dev, test, test2; evals/ROUNDS.md) before adoption,
as (answering clauses that pass) against (best clauses of unanswerable questions that pass):
date 27/29 against 4/17 (was 29/29 against 11/17 with the looser rule), place 22/24 against 1/13
(was 22/24 against 10/13), roles 4/5 against 3/23.

The other kinds (:data:`GENERAL`: a person/office/body, an article or resolution reference, a
reason: "Why ...?" is answered by "because of", "in order to", "with a view to"...; an instance:
"Which irregular armed groups ...?" is answered by a name, not by "irregular armed groups") are
read the same way but only as *signals* of the learned support model
(``assistant/answering/support.py``): whether a clause names a body is seen in its words less
reliably than a sum of money, so it weighs, it does not decide.
"""

from __future__ import annotations

import re
from typing import Literal, get_args

from assistant.text.glossary import MONTH_NUMBER, load_glossary
from assistant.text.person_names import proper_names
from assistant.text.places import load_places
from ingest.paragraph_text import MONTHS

AnswerType = Literal["amount", "duration", "count", "date", "place"]
GeneralType = Literal[
    "amount",
    "duration",
    "count",
    "date",
    "person_or_body",
    "place",
    "reference",
    "reason",
    "instance",
]
CHECKED: tuple[AnswerType, ...] = ("amount", "duration", "count", "date", "place")
GENERAL: tuple[GeneralType, ...] = get_args(GeneralType)

_NUMBER_WORDS = (
    r"one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen"
    r"|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty"
    r"|ninety|hundred|thousand"
)
_NUMBER = rf"(?:\d[\d,.'’ ]*|{_NUMBER_WORDS}|several|a few)"
_NOT_VERB = r"(?!(?:does|do|did|is|are|was|were|should|must|will|can|may|shall)\b)"
_MONTHS = rf"(?:{MONTHS})"
_BEFORE_PLACE = (
    r"(?:in|at|to|from|near|between|on|within|into|across|along|throughout|through|via|off"
    r"|around|over|beyond)"
)
_PLACE_NOUN = r"(?i:city|town|port|capital|island|province|district|region|territor(?:y|ies))"
# Capitalized words after "in", "to" ... that are not places: bodies, documents, titles, months.
_NOT_PLACE = (
    rf"(?:{_MONTHS}|Council|Assembly|Secretary|General|Secretary-General|United|Nations|Member"
    r"|Members|States|Governments?|Charter|Articles?|Chapter|Committee|Commission|Conference"
    r"|Resolutions?|Organization|Union|Office|Court|Tribunal|Mission|Force|Report|President"
    r"|Director|Bureau|Sector|Plenipotentiary|Parties|Party|Board|Group|Agreements?|Convention"
    r"|Protocol|Declaration|Statute|Rules|Regulations|Annex|Programme|Plan|Fund|Operation"
    r"|Authority|Administrator|Special|Personal|Representative|Envoy|Chairman|Prime|Minister"
    r"|His|Her|Their|Its|The|This|That|These|Those|All|Any|Such|Security|International"
    r"|Economic|Social|Emergency|Interim|Transitional|High|Commissioner|Red|Cross)"
)
# "How often ...?" (a duration asked as an interval) and the adverbs that answer it.
_HOW_OFTEN = r"\bhow (?:often|frequently)\b|\bat what intervals?\b"
_EVERY_SO_OFTEN = r"annually|yearly|monthly|weekly|daily|quarterly|biennially"
# What a body issues: "Which Security Council resolutions ...?" asks for references.
_DOCUMENT_NOUNS = (
    r"(?:resolutions?|decisions?|reports?|documents?|letters?|statements?|recommendations?"
    r"|declarations?|conventions?|agreements?)"
)
# Order matters: the first kind whose pattern matches is the one asked for.
_ASKS: dict[GeneralType, re.Pattern[str]] = {
    "reason": re.compile(  # "Why ...?", "For what purpose ...?"
        r"^\s*(?:and\s+)?why\b|\bfor what (?:reasons?|purposes?)\b|\bon what grounds?\b"
        r"|\bwhat (?:is|was|are|were) the (?:reasons?|purposes?|grounds?|motives?) (?:for|of)\b",
        re.IGNORECASE,
    ),
    "amount": re.compile(
        r"\bhow much\b(?! (?:longer|more time|time)\b)"  # "how much longer": a duration
        r"|\bhow many (?:swiss )?(?:francs|dollars|euros)\b"
        r"|\bwhat (?:is |was |are |were )?(?:the )?(?:budget|amount|cost|fee|price|percentage"
        r"|proportion|fine|penalty|sum)s?\b|\bwhat (?:share|portion|fraction) of\b"
        r"|\bhow far\b",  # a distance: "30 kilometres"
        re.IGNORECASE,
    ),
    "duration": re.compile(  # how long, or how often ("every six months", "annually")
        r"\bhow (?:long|much longer|much more time|much time)\b"
        r"|\bhow many (?:years|months|weeks|days|hours)\b"
        rf"|{_HOW_OFTEN}"
        r"|\bwithin (?:what|which|how much) (?:time|period)\b|\bwhat time[- ]?(?:limit|frame)\b"
        r"|\bfor (?:what|which|how long an?) (?:\w+ )?(?:period|term|time)\b",
        re.IGNORECASE,
    ),
    "count": re.compile(  # "How many ...?", "Give me the number of civilians displaced ..."
        r"\bhow many\b|\bwhat (?:is |was )?the (?:exact |total )?number of\b|\bwhat figure\b"
        r"|\b(?:give|tell|show) me the (?:exact |total )?(?:number|figure) of\b"
        # a force's size: "What is the mandated strength of ...?", "To what strength ...?"
        r"|\b(?:what|which) (?:is |was )?(?:the |its )?(?:[\w-]+ )?(?:strength|troop ceiling)\b",
        re.IGNORECASE,
    ),
    "date": re.compile(
        r"^\s*(?:and\s+)?when\b|\b(?:by|until|since|from) when\b|\bin (?:what|which) years?\b"
        r"|\bwhat (?:year|date)s?\b|\bwhich (?:year|date|month|day)s?\b"
        r"|\bhow (?:soon|early|late|close)\b|\bdeadlines?\b"
        r"|\bwhen (?:did|does|do|should|must|will|was|were|is|are)\b",
        re.IGNORECASE,
    ),
    "place": re.compile(
        r"^\s*(?:and\s+)?where\b|\bwhere (?:did|does|do|should|must|will|was|were|is|are)\b"
        r"|\b(?:which|what)(?: (?!(?:is|are|was|were|does|do|did)\b)[\w-]+)? (?:city|cities|town"
        r"|towns|territory|territories|place|region|area|island|islands|river|canal|line|border"
        r"|port|sea|zone|province|provinces|district|districts|route|routes|village|villages)\b"
        r"|\bin which (?:city|country|place)\b"
        r"|\b(?:to|from|into) (?:which|what) (?:country|countries)\b",  # where to, where from
        re.IGNORECASE,
    ),
    "person_or_body": re.compile(
        r"^\s*(?:and\s+)?who(?:m|se)?\b|\bwho (?:is|are|was|were|should|must|will|may|shall)\b"
        r"|\bby whom\b|\bto whom\b"
        rf"|\b(?:which|what)(?! the\b)(?: {_NOT_VERB}[\w-]+){{0,2}}? "
        r"(?:body|bodies|organs?|officials?|officers?|persons?|committees?|organizations?"
        r"|bureau|sector|member states?|states?"
        r"|parties|party|governments?|council|secretary|director|groups?|entity"
        r"|entities|authority|authorities|country|countries|court|judges?|missions?|movements?"
        r"|meeting"
        r"|hostages|members?|force|chairs?|factions?|leaders?|delegations?|sides?(?! of))\b"
        # not a body's name before what is asked ("Which two Security Council resolutions")
        rf"(?!(?:-\w+)? {_DOCUMENT_NOUNS}\b)",  # "Which Secretary-General report ...?"
        re.IGNORECASE,
    ),
    "reference": re.compile(
        rf"\b(?:which|what)(?: {_NOT_VERB}[\w-]+){{0,4}}? "
        r"(?:articles?|resolutions?|chapters?|paragraphs?|decisions?|provisions?"
        r"|recommendations?|reports?|documents?|annex|annexes)\b(?! \d)",
        re.IGNORECASE,
    ),
    # "Which irregular armed groups ...?", "At which airfields ...?": which one, by its name (a
    # question of no other kind; the last tried)
    "instance": re.compile(
        r"^\W*(?:(?:to|at|in|on|from|of|for|by|with|under|into|against)\s+)?(?:which|what)\s+"
        r"(?!(?:does|do|did|is|are|was|were|has|have|had|will|would|should|must|can|may|shall)\b)",
        re.IGNORECASE,
    ),
}
_STATES: dict[GeneralType, re.Pattern[str]] = {
    "instance": re.compile(r"\b[A-Z][a-z]+(?:[ -][A-Z][a-z]+)+\b"),  # a name of two words or more
    "reason": re.compile(  # a cause or a purpose: "because of", "in order to", "with a view to"
        r"\b(?:because|as a (?:result|consequence) of|owing to|due to|in order to|so as to|so that"
        r"|with a view to|in view of|for the purposes? of|given (?:that|the)|in the light of"
        r"|on the grounds? (?:that|of)|by reason of|in response to|aimed at|with the aim of"
        r"|since (?!(?:\d|(?:[A-Z][a-z]+ )?\d{4}\b|then\b)))",
        re.IGNORECASE,
    ),
    "amount": re.compile(
        r"(?:\b(?:CHF|USD|EUR|US\$)|[$€£])\s*\d"
        r"|\b\d[\d,.'’ ]*\s*(?:million|thousand|billion)?\s*"
        r"(?:Swiss francs|francs|dollars|euros|CHF|USD|EUR)\b"
        r"|\b\d[\d,.]*\s*(?:per ?cent|%|kilomet|mile|metre|meter)"
        r"|\b(?:one|two|three)[- ](?:half|third|quarter|fourth|fifth|tenth)s?\b"
        rf"|\b{_NUMBER}[\s-]*(?:kilomet|km\b|miles?\b|metres?\b|meters?\b)",  # a distance
        re.IGNORECASE,
    ),
    "duration": re.compile(  # "for six months"; "until the Council decides otherwise"; "annually"
        rf"\b{_NUMBER}(?:[\s-]+\w+){{0,3}}?[\s-]+(?:years?|months?|weeks?|days?|hours?)\b"
        r"|\buntil (?:the|such|further|its|it|they|a|an|all)\b|\bindefinite(?:ly)?\b"
        r"|\bsince (?:\d{1,2} )?(?:[A-Z][a-z]+ )?(?:1[89]|20)\d\d\b"  # "since 1963": how long
        rf"|\b(?:{_EVERY_SO_OFTEN}|every (?:year|month|week|day|session)"
        r"|each (?:year|month|week|session)|once a \w+|twice a \w+)\b",
        re.IGNORECASE,
    ),
    "count": re.compile(
        rf"\b{_NUMBER}\b|\beach of the\b|\bboth\b|\bsingle\b|\bfirst\b", re.IGNORECASE
    ),
    "date": re.compile(  # a calendar date, a year; relative times are in _WHEN
        rf"\b\d{{1,2}}(?:st|nd|rd|th)? (?:of )?{_MONTHS}(?: \d{{4}})?\b|\b{_MONTHS}(?: \d{{1,2}},)?"
        r"(?: \d{4})?\b|\b(?:1[89]\d\d|20\d\d)\b"
    ),
    "reference": re.compile(
        r"\b(?:Article|Articles|Chapter|Resolution|Resolutions|Res\.|No\.|paragraph|annex"
        r"|Recommendation|decision|document)\s*\(?[\dIVXLC]+|\bS/(?:[A-Za-z.]+/?)?\d"
        r"|\bresolutions? \d|\b\d{1,4} \((?:1[89]|20)\d\d\)",  # "262 (1968)": a resolution
        re.IGNORECASE,
    ),
    "place": re.compile(
        rf"\b{_BEFORE_PLACE} (?:the )?(?!{_NOT_PLACE}\b)(?!{_PLACE_NOUN} of\b)"
        r"[A-Z][a-z]{2,}(?:[ -][A-Z][a-z]+)*"
        rf"|\b{_PLACE_NOUN} of [A-Z][a-z]+"  # "the City of Sukhumi", "the town of Kibeho"
        # place nouns that say where without a name; not "region" or "country" alone ("one
        # meeting per region" says nothing of where the next one is held)
        r"|\b(?:its|their|his|her|either|each|the other) (?:own )?sides? of (?:the )?[\w-]+"
        r"|\b(?:borders?|frontiers?|boundary|boundaries|lines?|parallel|headquarters|Headquarters"
        r"|premises|website|zones?|bases|barracks"
        r"|camps?|ports?|airport|seat|venue)\b"
    ),
    "person_or_body": re.compile(
        r"\b(?:Secretary-General|Secretary|Director|Council|Committee|Commission|Assembly"
        r"|Conference|Bureau|Sector|Member States?|Governments?|States|Parties|Court"
        r"|Tribunal|Organization|Union|Group|Board|chairs?|chairman|President|mediator"
        r"|representatives?|Government of|authorities|officials?|experts?|Agency|agencies"
        r"|Mission|Force|Movement|Community|organs|Registrar|Prosecutor|Chief of Staff)\b"
        # a person named with a title, or a name of two capitalized words or more ("Adolf
        # Eichmann", "Radio Okapi"); an acronym ("WRC", "IAEA")
        r"|\b(?:Mr|Mrs|Ms|Dr|Sir|Prince|King|Queen|Sheikh|Judge|General)\.? [A-Z][a-z]+"
        r"|\b[A-Z][a-z]+(?:[ -][A-Z][a-z]+)+\b|\b[A-Z]{2,6}s?\b"
    ),
}
_ASKS_PERSON_FIRST = re.compile(r"^\s*(?:and\s+)?who(?:m|se)?\b", re.IGNORECASE)


_PLACE_LEAD = re.compile(rf"^{_BEFORE_PLACE} (?:the )?")
# A State is a place where it follows a preposition ("raids from Namibia", "the Territory of
# Namibia", "between Israel and Jordan"), not where it acts ("Calls upon Israel to ...").
_BEFORE_STATE_PLACE = re.compile(
    rf"\b(?:{_BEFORE_PLACE}|of|and|or)\s+(?:the\s+)?(?:[\w-]+\s+)?$", re.IGNORECASE
)


def _state_places(text: str) -> list[str]:
    """The States ``text`` names as places (:data:`_BEFORE_STATE_PLACE`)."""
    return [
        name
        for name, start in load_places().states_at(text)
        if _BEFORE_STATE_PLACE.search(text[max(0, start - 40) : start])
    ]


_ENDS_AS_BODY = re.compile(rf"[ -]{_NOT_PLACE}$")
# Relative times that answer "when" (not "on what date"): "immediately", "within 30 days", "before
# the next WTDC", "upon official notification".
_WHEN = re.compile(
    r"\b(?:immediately|forthwith|without delay|as soon as|not later than|no later than"
    r"|by the end of|within (?!(?:their|its|his|her|our|your|existing|available)\b)\w+"
    r"|prior to|annually|periodically|every \w+|in conjunction with"
    r"|at (?:its|the) (?:next|forthcoming|following) \w+"
    r"|upon (?:\w+ )?(?:notification|receipt|completion|adoption|entry|signature|acceptance"
    r"|request|expiry|arrival|approval)"
    r"|(?:before|after|prior to|following|pending|at|during) (?:the |its |each )?(?:next|last|first"
    r"|end|beginning|start|expiry|completion|adoption|entry|signing|conclusion|deployment"
    r"|holding|session|meeting|conference|assembly|elections?)\b)",
    re.IGNORECASE,
)
# The relative times that set a limit, what a deadline is ("no later than the next session"), not
# the time of an event ("following the conclusion of the cease-fire phase").
_WHEN_LIMIT = re.compile(
    r"immediately|forthwith|without delay|as soon as|not later than|no later than|by the end of"
    r"|within|prior to|before",
    re.IGNORECASE,
)
# "On what date ...?", "In which month ...?": a calendar date, not "without delay".
_ASKS_CALENDAR = re.compile(
    r"\b(?:what|which) (?:date|day|month|year)s?\b|\bin (?:what|which) (?:year|month)s?\b",
    re.IGNORECASE,
)


# "How often ...?", "At what intervals ...?": an interval or a frequency, not "three months before".
_ASKS_FREQUENCY = re.compile(
    rf"{_HOW_OFTEN}|\bwhat (?:is the )?(?:frequency|interval)", re.IGNORECASE
)
_FREQUENCY = re.compile(
    rf"\b(?:{_EVERY_SO_OFTEN}|every (?:{_NUMBER} )?"
    r"(?:years?|months?|weeks?|days?|hours?|sessions?|meetings?|conferences?|assembl(?:y|ies))"
    r"|each (?:year|month|week|day|session)|(?:once|twice|\w+ times) (?:a|per|every|each) \w+"
    r"|at (?:each|every) (?:of its )?(?:session|meeting)s?|periodically at)\b",
    re.IGNORECASE,
)


# "Which States ...?", "Which two governments ...?", "Which members of the Council ...?": the
# answer names States (assistant.text.places), not "certain States" or "the Council".
_ASKS_STATE = re.compile(
    rf"\b(?:which|what)(?: (?!groups?\b|kinds?\b|types?\b){_NOT_VERB}[\w-]+){{0,2}}? "
    r"(?:member states?|states?|countr(?:y|ies)|governments?|(?<!united )nations?|council members?"
    r"|members?(?= of the (?:security )?council\b))\b",
    re.IGNORECASE,
)


# Documents a date may name ("the Cease-fire Agreement of 27 July 1993", "the letter dated ..."):
# that date is no event's, unless the document's date is asked (:func:`asks_document_date`).
_DOCUMENTS = (
    r"letters?|reports?|resolutions?|decisions?|statements?|notes?|agreements?|accords?"
    r"|declarations?|protocols?|treaty|treaties|conventions?|memorandum|communiqu[eé]s?"
    r"|arrangements?"
)
# "When was resolution 314 adopted?", "On what date was the letter written?": the date of a
# document is asked, so "the letter dated 17 June 1985" states it (elsewhere it names a document).
_ASKS_DOCUMENT_DATE = re.compile(
    rf"\b(?:{_DOCUMENTS}|communications?|messages?|appeals?|armistice)\b.*\b(?:adopted|written"
    r"|dated|sent|submitted|submit|issued|addressed|signed|concluded|reached)\b"
    r"|\bof what date\b|\bwhat (?:is|was) the date of\b",
    re.IGNORECASE,
)


def asks_document_date(question: str) -> bool:
    """Whether ``question`` asks the date of a document ("When was resolution 314 adopted?")."""
    return bool(_ASKS_DOCUMENT_DATE.search(question))


_FIRST_DOCUMENT = re.compile(rf"\b(?:{_DOCUMENTS}|communications?|messages?|appeals?)\b", re.I)
# "resolution 425 (1978)", "426 (1978)": the year names a resolution; it dates no letter.
_DESIGNATION_YEAR = re.compile(r"(\b\d{1,4}\s*)\(\d{4}\)")


def asks_resolution_date(question: str) -> bool:
    """Whether the document whose date ``question`` asks is a resolution (the first document it
    names: "When was resolution 314 adopted?", not "Of what date is the letter that resolution
    501 (1982) takes note of?")."""
    first = _FIRST_DOCUMENT.search(question)
    return first is not None and first.group(0).lower().startswith("resolution")


def asks_state(question: str) -> bool:
    """Whether ``question`` asks which State or States ("Which countries observe ...?")."""
    return bool(_ASKS_STATE.search(question))


def asks_frequency(question: str) -> bool:
    """Whether ``question`` asks how often ("How often must the Secretary-General report?")."""
    return bool(_ASKS_FREQUENCY.search(question))


# "By what date must ...?", "What is the deadline ...?": a time by which something is due, so a
# calendar date answers only in a phrase that sets a limit ("by 22 June 1992", "not later than 1
# May 1978", "by May 1993 at the latest"), not the date of an event ("abducted on 21 June 1972").
_ASKS_DEADLINE = re.compile(
    r"\bby (?:what|which) (?:date|time|day|month|year)\b|\bby when\b|\bdeadlines?\b"
    r"|\bat the latest\b|\bhow soon\b",
    re.IGNORECASE,
)
_LIMIT_BEFORE = re.compile(
    r"(?:\bby|\bbefore|\blater than|\buntil|\btill|\bprior to|\bdue)"
    r"(?:\s+(?:the\s+)?(?:end|first|second|last|middle|beginning)\s+(?:\w+\s+)?of)?\s*$",
    re.IGNORECASE,
)
_LIMIT_AFTER = re.compile(r"^,?\s*at the latest\b", re.IGNORECASE)


def asks_deadline(question: str) -> bool:
    """Whether ``question`` asks for a deadline ("By what date must ...?", "By when ...?")."""
    return bool(_ASKS_DEADLINE.search(question))


_SPAN_DATE = re.compile(rf"(?:\b({MONTHS}) )?\b((?:1[89]|20)\d\d)\b")


def dated_before(span: str, adopted: tuple[int, int]) -> bool:
    """Whether the date of ``span`` ("before 5 August 1965", "1964") falls before the (year,
    month) its text was adopted: a limit already past then is no deadline the text sets."""
    found = _SPAN_DATE.search(span)
    if found is None:
        return False
    month = MONTH_NUMBER[found.group(1).lower()] if found.group(1) else 12
    return (int(found.group(2)), month) < adopted


def _limits(text: str, found: re.Match[str]) -> bool:
    """Whether the date ``found`` in ``text`` is set as a limit ("by 22 June 1992")."""
    before = text[max(0, found.start() - 40) : found.start()]
    return bool(_LIMIT_BEFORE.search(before) or _LIMIT_AFTER.match(text, found.end()))


def asks_calendar_date(question: str) -> bool:
    """Whether ``question`` asks for a calendar date ("By what date ...?"), not any time."""
    return bool(_ASKS_CALENDAR.search(question))


# Words that only ask for the kind ("how long"), not what about: not topic words of the question.
FRAMING: dict[AnswerType, frozenset[str]] = {
    "amount": frozenset({"much", "many"}),
    "duration": frozenset({"long", "many", "often", "frequently"}),
    "count": frozenset({"many", "number", "figure"}),
    "date": frozenset({"when", "date"}),
    "place": frozenset({"where"}),
}


def expected_answer_type(question: str) -> AnswerType | None:
    """The checked kind (:data:`CHECKED`) the question asks for, else None."""
    kind = asked_type(question)
    if kind == "amount" or kind == "duration" or kind == "count" or kind == "date":
        return kind
    if kind == "place":
        return kind
    return None


def asked_type(question: str) -> GeneralType | None:
    """The general kind of answer the question asks for (see :data:`GENERAL`), else None. A
    question that begins "Who" asks for a person or a body, whatever follows ("Who is to help
    Benin assess how much damage ...?")."""
    if _ASKS_PERSON_FIRST.search(question):
        return "person_or_body"
    for kind, pattern in _ASKS.items():
        if pattern.search(question):
            return kind
    return None


def states(text: str, kind: GeneralType | None) -> bool:
    """Whether ``text`` states an answer of ``kind`` (always true when there is no kind)."""
    return kind is None or bool(_STATES[kind].search(text))


# Numbers that name or date something rather than count it: "resolution 770 (1992)",
# "paragraph 5", "S/25147", "13 August 1992".
# A footnote mark left after a year in the published text: "on 6 September 1957 2 of the".
_FOOTNOTE = re.compile(rf"\b((?:1[89]|20)\d\d) \d{{1,2}}\b(?! {_MONTHS}\b)")
# ... or after a name, before a word that no count is followed by: "between Israel and Jordan 10
# and the Charter", "Syria, 4 including", "the United Arab Emirates 53 complaining".
_FOOTNOTE_AFTER_NAME = re.compile(
    rf"(\b(?!{_MONTHS}\b)[A-Z][\w.’'-]*,?) \d{{1,3}}(?= (?:and|or|including|complaining|of|which"
    r"|that|the|to|in|on|for|with|as|was|were|is|are|has|have)\b)"
)
_NAMING_NUMBERS = re.compile(
    r"\b(?:resolutions?|paragraphs?|articles?|annex|chapter|document|No\.|S/)\s*[\d/]+"
    r"(?:\s*(?:to|and|-|–)\s*\d+\b)?"  # a range: "paragraphs 27 to 29"
    rf"(?:\s*\(\d{{4}}\))?|\(\d{{4}}\)|\b\d{{1,2}} {_MONTHS} \d{{4}}",
    re.IGNORECASE,
)
# Dates that name a document, not the time asked about: "resolution 73 (1949) of 11 August 1949",
# "the report of 19 April 1991", "a letter dated 3 May 1990".
_NAMING_DATES = re.compile(
    rf"\(\d{{4}}\)(?:\s+of\s+\d{{1,2}} {_MONTHS}\b(?: \d{{4}})?)?"  # "209 (1965) of 4 September"
    rf"|\b(?:dated|(?:{_DOCUMENTS}|understanding) of)\s+\d{{1,2}} {_MONTHS} \d{{4}}"
    rf"(?: \d{{1,2}})?(?:,? and (?:of )?\d{{1,2}} {_MONTHS} \d{{4}})?",  # "1948 2 and": a footnote
    re.IGNORECASE,
)


# A count states how many of something: a cardinal followed by what it counts ("six regional
# meetings", "1,000 additional troops"), not by a month, a unit of time or "and".
_CARDINAL = rf"(?i:\d{{1,3}}(?:,\d{{3}})+|\d+|{_NUMBER_WORDS})"
_NOT_COUNTED = (
    r"above|below|on|from|the|for|to|per|in|at|by|with|another|or|more|calendar"
    r"|years?|months?|weeks?|days?|hours?|minutes?"
)
_NOT_YEAR = r"(?!(?:1[89]|20)\d\d\b)"
_COUNTED = re.compile(  # ... or a range: "from ten to fifty"
    rf"\bfrom {_NOT_YEAR}{_CARDINAL} to {_NOT_YEAR}{_CARDINAL}\b"
    rf"|\b{_CARDINAL}(?:[\s-]+(?i:hundred|thousand|million))?"
    r"(?:-(?![a-z]*(?:th|first|second|third)\b)[a-z]+"
    rf"|\s+(?!(?:and|or)\s+[\d§])(?!(?:{_NOT_COUNTED})\b)(?!{_MONTHS}\b)[A-Za-z][a-z-]+)"
)


# A number a count is changed to states the count, whatever noun came before ("the membership of
# the Commission shall be increased to five", "the Force be brought up to 7,000").
_CHANGED_TO = re.compile(
    rf"\b(?:increased?|raised?|enlarged?|reduced?|expanded?|brought(?: up)?|decreased?)"
    rf" (?:to|by) {_NOT_YEAR}{_CARDINAL}\b",
    re.IGNORECASE,
)


# What "How many ...?" counts: up to three words after it, before a verb or a preposition
# ("How many military observers does ...", "the number of RPMs per region").
_COUNT_ASKED = re.compile(
    r"\b(?:how many|number of|figure of)\s+([A-Za-z-]+(?:\s+[A-Za-z-]+){0,3})", re.I
)
_PLURAL = re.compile(r"^(?:[A-Za-z-]+[^s]s|[A-Z]{2,}s)$")  # "observers", "RPMs", "States"
_NOT_COUNTED_WORD = re.compile(
    r"^(?:are|is|were|was|do|does|did|has|have|had|will|would|can|could|should|must|may|might"
    r"|shall|per|in|on|for|to|of|from|at|by|under|along|with|between|into|the|a|an|that"
    r"|which|who|whom|this|these|those|it|its|they|their|there)$",
    re.I,
)
# Nouns any count may be of ("How many people died?": "44 sailors", "19 civilians").
_ANY_COUNTED = frozenset({"people", "person", "persons", "individual", "individuals", "times"})


_COUNT_OF = re.compile(rf"\b{_CARDINAL}((?:[\s-]+[A-Za-z][\w’'-]*){{1,6}})")


def _count_of(found: re.Match[str], counting: frozenset[str]) -> str:
    """The number of ``found`` (:data:`_COUNT_OF`) and its words up to the first of
    ``counting``; "" when none of them is counted."""
    for word in re.finditer(r"[A-Za-z]+", found.group(1)):
        if _singular(word.group(0)) in counting:
            return found.group(0)[: word.end() + found.start(1) - found.start(0)]
    return ""


def _singular(word: str) -> str:
    word = word.lower()
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith("s") and not word.endswith("ss") and len(word) > 3:
        return word[:-1]
    return word


def _spelled_out(noun: str) -> frozenset[str]:
    """The counted nouns of what a glossary acronym stands for ("rpm" -> "preparatory",
    "meeting"): a text counts "six regional preparatory meetings" as often as "six RPMs"."""
    for entry in load_glossary().entries:
        if noun == entry.term.lower() and entry.expansions:
            return frozenset(_singular(w) for w in entry.expansions[0].split()[-2:])
    return frozenset()


def counted_nouns(question: str) -> frozenset[str]:
    """What a "How many ...?" question counts, singular and in lower case: the last plural
    among the words before a verb or a preposition, else the last of them ("How many United
    Nations military observers ..." -> {"observer"}, "How many UNOSOM personnel ..." ->
    {"personnel"}; "How many RPMs ..." -> {"rpm", "preparatory", "meeting"}); empty when it asks
    no count or counts anything ("How many people ...?")."""
    found = _COUNT_ASKED.search(question)
    if not found:
        return frozenset()
    words: list[str] = []
    for word in found.group(1).split():
        if _NOT_COUNTED_WORD.match(word):
            break
        words.append(word)
    if not words or any(w.lower() in _ANY_COUNTED for w in words):
        return frozenset()
    named = " ".join(words).replace("United Nations", "UN").replace("United States", "US")
    words = named.split()  # "How many United Nations personnel" counts personnel
    plurals = [i for i, w in enumerate(words) if _PLURAL.match(w)]
    nouns = [i for i, w in enumerate(words) if not w.lower().endswith(("ed", "ing"))]
    head = (plurals or nouns or [len(words) - 1])[-1]  # not "submitted" in "States submitted"
    # ... and the word before it: "civilian police officers" are counted as "civilian police"
    counted = frozenset(_singular(w) for w in words[max(0, head - 1) : head + 1])
    return counted | _spelled_out(_singular(words[head]))  # "RPMs": the meetings


def stated_spans(
    text: str,
    kind: GeneralType,
    *,
    calendar: bool = False,
    frequency: bool = False,
    state: bool = False,
    document: bool = False,
    resolution: bool = False,
    deadline: bool = False,
    counting: frozenset[str] = frozenset(),
) -> list[str]:
    """The pieces of ``text`` that state an answer of ``kind``: for a count, a number with what
    it counts (numbers that name a resolution, a paragraph or a date are not counts); for a date,
    a date (not one that names a document) or, unless ``calendar``, a relative time or a period
    ("twenty-four hours from", "before the next WTDC"); for a duration asked as ``frequency``
    ("how often"), an interval ("every sixty days", "annually"), not "six months before"; for a
    person or body asked as ``state`` (:func:`asks_state`), the names of States; for the date of
    a ``document`` (:func:`asks_document_date`), the dates that name documents too (the
    years in brackets that name resolutions only when a ``resolution``'s date is asked); for a
    ``deadline`` (:func:`asks_deadline`), only the dates and relative times set as a limit
    ("by 1 May 1993", "no later than the next session"); for a count
    of ``counting`` (:func:`counted_nouns`), only numbers with one of them in the six words
    after ("eighty-eight military observers", not "these two countries", for observers); for an
    ``instance``, the proper names (:func:`proper_names`)."""
    if kind == "instance":  # which one, by its name: not an office or a place
        return proper_names(text)
    if kind == "person_or_body" and state:
        return load_places().states_in(text)
    if kind == "duration" and frequency:
        return [m.group(0) for m in _FREQUENCY.finditer(text)]
    if kind == "count":
        text = _FOOTNOTE_AFTER_NAME.sub(r"\1", _FOOTNOTE.sub(r"\1", text))
        text = _NAMING_NUMBERS.sub(" § ", text)
        changed = [m.group(0) for m in _CHANGED_TO.finditer(text)]  # whatever it counts
        if not counting:
            return [m.group(0) for m in _COUNTED.finditer(text)] + changed
        return [span for m in _COUNT_OF.finditer(text) if (span := _count_of(m, counting))] + (
            changed
        )
    if kind == "place":  # the place, without the word before it ("in Western Sahara"); not a
        # body named after one ("by the Portuguese Government")
        spans = [_PLACE_LEAD.sub("", m.group(0)) for m in _STATES[kind].finditer(text)]
        return [span for span in spans if not _ENDS_AS_BODY.search(span)] + _state_places(text)
    if kind == "person_or_body":  # a State is a body too ("Whose applications ...?" Albania)
        return [m.group(0) for m in _STATES[kind].finditer(text)] + load_places().states_in(text)
    if kind == "duration":
        return [_with_what_follows(text, m) for m in _STATES[kind].finditer(text)]
    if kind != "date":
        return [m.group(0) for m in _STATES[kind].finditer(text)]
    if not document:
        text = _NAMING_DATES.sub(" § ", text)
    elif not resolution:  # a letter's date is asked: "425 (1978)" dates only a resolution
        text = _DESIGNATION_YEAR.sub(r"\1", text)
    dates = _STATES["date"].finditer(text)
    spans = [m.group(0) for m in dates if not deadline or _limits(text, m)]
    if not calendar:
        relative = [m for m in _WHEN.finditer(text) if not deadline or _WHEN_LIMIT.match(m[0])]
        spans += [_with_what_follows(text, m) for m in relative]
        spans += [_with_what_follows(text, m) for m in _STATES["duration"].finditer(text)]
    return spans


_FOLLOWING_WORDS = re.compile(r"(?:[\s,]+[\w'’-]+){1,4}")


def _with_what_follows(text: str, match: re.Match[str]) -> str:
    """A relative time with the words that say what it is relative to: "until the Territory
    attains full independence", not "until the" (whose words any question has)."""
    following = _FOLLOWING_WORDS.match(text, match.end())
    return match.group(0) + (following.group(0) if following else "")
