"""Questions about a resolution's own adoption, answered from its heading and adoption note.

"When was resolution 242 adopted?", "What was the vote on resolution 678?", "At which meeting was
resolution 661 adopted?", "When was WTSA Resolution 43 last revised?": no clause states these;
the text's heading does ("Resolution 678 (1990) of 29 November 1990", "RESOLUTION 43 (Rev. New
Delhi, 2024)" with its adopting line) and, in UN texts, the note printed after it ("Adopted at the
2963rd meeting by 12 votes to 2 (Cuba and Yemen), with 1 abstention (China).").

A question is read as one of these only when, with the resolutions it names cut out, every word
left belongs to the question's frame ("when", "was", "adopted", "vote", ...): "How many hostages
were held when resolution 638 was adopted?" asks about hostages, not the adoption, and is left to
the clauses. The answer cites the heading as a citation object whose ``section`` is ``heading``
and whose ``text`` is the heading and note quoted; it is ``answered`` only when the heading states
what is asked (a vote needs the note), else the clauses are searched as for any question.
"""

from __future__ import annotations

import re
from typing import Literal

from assistant.answering.model import Answer
from assistant.text.catalog import Catalog
from assistant.text.question import Question, strip_spans
from ingest.model import HEADING, Document, heading_citation

AdoptionAsk = Literal["date", "vote", "meeting", "body", "place", "title"]
MAX_DOCUMENTS = 3  # a number naming more versions than this is too loose to answer for each

_WORD = re.compile(r"[a-z]+")
# Words any of these questions may use beside the resolution's name.
_FRAME = frozenset(
    "a an the this that it its was were is did does do has had been be of on in at by for to "
    "which what when who how whom security council un united nations resolution text "
    "adopted adopt adopting passed pass approved approve agreed revised revise revision "
    "last latest most recently recent first originally initially again tell me please".split()
)
_DATE = frozenset("when date day year dated".split())
_VOTE = frozenset(
    "against favour favor many countries country members member states state result tally "
    "count split support supported opposed whom not participate participated participating "
    "absent".split()
)
_VOTED = frozenset(
    "vote votes voted voting unanimous unanimously consensus abstain abstained abstaining "
    "abstention abstentions".split()
)
_MEETING = frozenset("meeting session number".split())
_BODY = frozenset("who body conference assembly organ".split())
_OTHER = frozenset("where title called name named full official".split())
_FIRST = frozenset("first originally initially".split())
_ALLOWED = _FRAME | _DATE | _VOTED | _VOTE | _MEETING | _BODY | _OTHER
_ADOPTED = frozenset("adopted adopt adopting passed pass approved approve agreed revised".split())


def asked_adoption(question: Question) -> AdoptionAsk | None:
    """What a question asks about its resolutions' adoption, or ``None`` when it asks anything
    else (any word outside the frame)."""
    if not question.numbered_documents:
        return None
    words = _WORD.findall(strip_spans(question.text, question.mentions).lower())
    extra = [w for w in words if w not in _ALLOWED]
    if extra or not words:
        return None
    present = set(words)
    if present & _VOTED:  # not "against" alone: "Against whom was resolution 661 adopted?"
        return "vote"
    if "meeting" in present and present & _ADOPTED:
        return "meeting"
    if present & _DATE and (present & _ADOPTED or present & {"date", "dated"}):
        return "date"
    if "where" in present and present & _ADOPTED:
        return "place"
    if present & _BODY and present & _ADOPTED:
        return "body"
    if present & {"title", "called", "name", "named"}:
        return "title"
    return None


def _stated(document: Document, ask: AdoptionAsk, first: bool) -> str:
    """The words of the heading that answer ``ask``, or ``""`` (``first``: the first adoption
    is asked, which a revision's heading does not date)."""
    note = document.adoption.split("\n")[0]
    if ask == "vote":
        recorded = re.search(r"\b(?:votes?|voting|unanimously|consensus)\b", note)
        return note if recorded else ""
    if ask == "meeting":
        found = re.search(r"\bat (?:the|its) [\w-]+ (?:plenary )?meeting\b", note)
        return note if found else ""
    if ask == "title":  # a UN text's heading has no title beside its number and date
        return "" if document.title.lower().startswith("resolution") else document.title
    if first and document.revision.startswith("Rev"):
        return ""
    if ask == "body":
        return document.adopting
    if ask == "place":  # "The ... Assembly (New Delhi, 2024),"
        return document.adopting if re.search(r"\([A-Z][^,()]+, \d{4}\)", document.adopting) else ""
    if re.search(r"\bof \d{1,2} [A-Z][a-z]+ \d{4}\b", document.title):  # "... of 29 November 1990"
        return document.title
    if re.search(r"\b\d{4}\b", document.adopting):  # "The ... Assembly (New Delhi, 2024),"
        return document.adopting
    return ""


def _name(document: Document) -> str:
    draft = f" ({document.status})" if document.status != "in force" else ""
    return f"{document.short_name}{draft}"


def adoption_answer(catalog: Catalog, question: Question) -> Answer | None:
    """The answer from the headings of the resolutions the question names by number, or ``None``
    (search the clauses): it is not about their adoption, or a heading does not state it."""
    documents = [catalog.by_id[d] for d in sorted(question.numbered_documents)]
    ask = asked_adoption(question)
    if ask is None or not documents or len(documents) > MAX_DOCUMENTS:
        return None
    first = bool(_FIRST & set(_WORD.findall(question.text.lower())))
    stated = [(document, _stated(document, ask, first)) for document in documents]
    if not all(words for _, words in stated):
        return None
    lines = [
        f'{_name(document)}, {HEADING}: "{words}" ({document.short_name}, {HEADING})'
        for document, words in stated
    ]
    return Answer(
        "answered",
        "\n".join(lines),
        [heading_citation(document) for document, _ in stated],
        [],
        question.text,
    )
