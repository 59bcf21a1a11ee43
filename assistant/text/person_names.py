"""Questions that ask for someone's (or something's) name, and the names a text gives.

"Who is the Special Representative for Angola?" asks for a name: a clause that welcomes "the
appointment of the Special Representative" speaks of the office and does not say who holds it.
Such a question is answered only by a clause with a proper name of two or more words that is not
made of the words of offices, bodies and documents, nor a place ("Dante Caputo", "Patrice
Lumumba", "Theo-Ben Gurirab").
"""

from __future__ import annotations

import re

from assistant.text.places import load_places
from ingest.paragraph_text import MONTHS

_ASKS_NAME = re.compile(
    r"^\s*who (?:is|was|are|were) (?:the|its|his|her|their)\b|\bwhat (?:is|was) the names? of\b",
    re.IGNORECASE,
)
# Capitalized words in a row ("Count Folke Bernadotte", "Theo-Ben Gurirab", "Mr. Javier Pérez de
# Cuéllar"): particles and initials may sit between them.
_CAPITALIZED = re.compile(
    r"\b[A-Z][\w’'-]*\.?(?:\s+(?:(?:de|da|dos|van|von|del|la|le|al|el|bin|ibn)\s+)?[A-Z][\w’'-]*\.?)+"
)
# Words of offices, bodies, documents and titles: a run made only of these (and places) is no
# one's name ("the Special Representative of the Secretary-General", "United Nations Force").
_OFFICE_WORDS = frozenset(
    (
        "united nations security council general assembly secretary secretary-general special "
        "representative representatives personal envoy committee commission force mission "
        "government governments republic democratic people's kingdom states state member members "
        "organization agreement agreements charter court international justice observer observers "
        "group conference front party movement national federal socialist union soviet african "
        "unity peace operation assistance transitional authority interim emergency supervision "
        "truce commander chief military president vice-president prime minister ministers foreign "
        "affairs director director-general agency energy atomic board governors treaty convention "
        "declaration protocol article articles chapter resolution resolutions act law north south "
        "east west central southern northern western eastern arab islamic high commissioner "
        "refugees economic social development programme fund bank monetary world health "
        "the of and for in on to a an further also decides requests calls urges notes welcomes "
        "recalling noting having considering reaffirming expressing deeply gravely mr mrs ms sir "
        "dr his her excellency co-presidents co-chairmen chairman chairmen chair head heads "
        "council's nations' provisional mediator executive office headquarters zone territory "
        "territories islands island republic's government's people liberation army forces "
        "police region regional organizations organization's european community africa asia "
        "europe america americas american latin caribbean pacific middle cease-fire ceasefire "
        "armistice joint defence defense nuclear weapons non-proliferation autonomous safeguards "
        "human rights humanitarian relief independence elections electoral constitution "
        "constituent"
    ).split()
    + [m.lower() for m in MONTHS.split("|")]
)

# The last words (singular) of the names of bodies, forces, documents and places: a run that ends
# in one ("Steering Committee", "Contact Group", "Geneva Conventions") names no person.
_BODY_HEADS = frozenset(
    (
        "committee commission council conference force mission group organization organisation "
        "agency agencies board court tribunal authority authorities front party parties movement "
        "union assembly office army police programme fund bank agreement accord declaration "
        "protocol treaty convention charter act plan process talks initiative secretariat "
        "administration corps brigade battalion contingent team unit panel service institute "
        "centre center government republic kingdom state zone area territory territories island "
        "region community"
    ).split()
)


def asks_name(question: str) -> bool:
    """Whether ``question`` asks who holds an office or what something is called ("Who is the
    Special Envoy for Haiti?", "What was the name of the barge?")."""
    return bool(_ASKS_NAME.search(question))


def proper_names(
    text: str, common: frozenset[str] = frozenset(), people: bool = False
) -> list[str]:
    """The proper names of two or more words in ``text`` that are not offices, bodies,
    documents or places: what answers :func:`asks_name`. With ``common`` (words written in lower
    case: :func:`assistant.answering.matching.common_words`), a name needs a word that is none
    of these either ("Armed Forces" names no one). With ``people``, a run that ends in the word
    of a body ("Steering Committee", "Geneva Conventions") is left out too."""
    places = load_places()
    names = []
    for match in _CAPITALIZED.finditer(text):
        span = match.group(0)
        words = [w.replace("’", "'").strip(".'").lower().removesuffix("'s") for w in span.split()]
        if len(words) < 2:
            continue
        named = [p.term for p in places.found(span)] + places.states_in(span)
        place_words = {w.lower() for term in named for w in term.split()}
        if people and not _BODY_HEADS.isdisjoint((words[-1], words[-1].removesuffix("s"))):
            continue  # "Steering Committee", "Contact Group": a body, however it is called
        if any(_of_a_name(w, place_words, common) for w in words):
            names.append(span)
    return names


def _of_a_name(word: str, place_words: set[str], common: frozenset[str]) -> bool:
    """Whether ``word`` (lower case) can only be part of a name: no place's, office's or
    common word, in the singular or the plural."""
    forms = (word, word.removesuffix("s"))
    return word not in place_words and _OFFICE_WORDS.isdisjoint(forms) and common.isdisjoint(forms)
