"""The names a question uses ("Dubrovnik", "Afghanistan", "Lisbon"), and which of them a text
never uses.

A name is a capitalized word that does not open the question and is not used as an adjective
("the Dutch handover", "Israeli settlements"), a glossary term ("ITU-T"), a month or a stopword;
an acronym ("UNOMIL") only when asked for (a text may spell "POWs" out). A place counts as used
by a text that uses one of its other names (:mod:`assistant.text.places`: "Lisbon" by a text on
Portugal).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.text.glossary import load_glossary
from assistant.text.places import fold, load_places
from assistant.text.question import STOPWORD_STEMS, STOPWORDS, stems
from ingest.paragraph_text import MONTHS as MONTH_NAMES

MONTHS = frozenset(MONTH_NAMES.split("|"))
_NAME = re.compile(r"(?<=\s)([A-Z][\w'’-]*)(?:\s+([a-z]+))?")
_ACRONYM = re.compile(r"[A-Z]{3,8}s?")  # "UNOMIL", "UNTAC"; not "UN" (a glossary term)
# The end of a sentence just before a word ("... in El Salvador. Besides the FMLN, ..."), not an
# abbreviation or an initial ("Mr. Bush", "J. Smith").
_SENTENCE_END = re.compile(
    r"(?<!\bMr)(?<!\bMs)(?<!\bDr)(?<!\bSt)(?<!\bNo)(?<!\bMrs)(?<!\b[A-Z])[.?!]\s+$"
)
_RUN = re.compile(r"(?<=\s)[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*)*")


def _bare(word: str) -> str:
    """``word`` without a possessive ("Korea's": "Korea")."""
    return re.sub(r"['’]s?$", "", word)


@dataclass(frozen=True)
class Name:
    """One name of a question: the word, and the stems any of which a text may use for it."""

    word: str
    alternatives: tuple[frozenset[str], ...]
    place: bool = False
    phrase: str = ""  # the run of capitalized words it is part of ("Walvis Bay")

    def used_by(self, vocabulary: set[str] | dict[str, float]) -> bool:
        """Whether a text with these stems uses the name, or one of the place's other names."""
        return any(a and all(s in vocabulary for s in a) for a in self.alternatives)


def names_in(text: str, *, acronyms: bool = False) -> list[Name]:
    """The names ``text`` uses, in order (see the module's docstring); with ``acronyms``, the
    acronyms too ("UNOMIL": a text on UNOMIG does not use it)."""
    places = load_places()
    place_words = {w for p in places.found(text) for w in fold(p.term).split()}
    other_names = places.word_names(text)
    terms = {e.term.lower() for e in load_glossary().entries}
    found: list[Name] = []
    runs = {m.start(): m.group(0) for m in _RUN.finditer(text)}
    phrase, run_end = "", -1
    for match in _NAME.finditer(text):
        if _SENTENCE_END.search(text, max(0, match.start() - 8), match.start()):
            continue  # the first word of a sentence, as the first word of the text
        if match.start() > run_end:
            phrase = runs.get(match.start(), match.group(1))
            run_end = match.start() + len(phrase)
        word, after = _bare(match.group(1)), match.group(2)
        parts = word.split("-")
        if parts[-1].islower() or (after and after not in STOPWORDS) or _term(word, terms):
            continue  # a modifier ("Bedouin crossing", "Israel-bound cargo"), a term ("ITU-T")
        for part in parts:
            if acronyms and _ACRONYM.fullmatch(part) and not _term(part, terms):
                spelled = (frozenset(stems(part.rstrip("s"))), frozenset(stems(part)))
                found.append(Name(part, spelled, phrase=part))  # "UNMOs": "UNMO" or "UNMOs"
                continue
            if len(part) < 2 or sum(c.isupper() for c in part) > 1 or part in MONTHS:
                continue
            if part.lower() in STOPWORDS or _term(part, terms):
                continue
            folded = fold(part)
            others = other_names.get(folded.lower(), [])
            alternatives = (
                frozenset(stems(part)),
                *(frozenset(stems(n) - STOPWORD_STEMS) for n in others),
            )
            found.append(Name(part, alternatives, folded in place_words, _bare(phrase)))
    return found


def _term(word: str, terms: set[str]) -> bool:
    """Whether ``word`` is a glossary term or its plural ("RPMs", "WTSA")."""
    lowered = word.lower()
    return lowered in terms or (lowered.endswith("s") and lowered[:-1] in terms)


def unknown_names(text: str, known: dict[str, float]) -> list[str]:
    """The names in ``text`` that no clause of the library uses (``known``: the library's
    stems), each with the words around it ("Walvis Bay"): "What did the Council say about the
    shelling of Dubrovnik?" asks about what no text mentions. Places are left out: a capital
    stands for its State, which a text may name."""
    unknown = [n.phrase or n.word for n in names_in(text) if not n.place and not n.used_by(known)]
    return list(dict.fromkeys(unknown))


def absent_names(names: list[Name], vocabulary: set[str]) -> list[str]:
    """The names a text with these stems (``vocabulary``) does not use."""
    return [n.word for n in names if not n.used_by(vocabulary)]


# A run of capitalized words, with the short words a name may hold ("United Nations Interim
# Force in Lebanon"): the initials of such a run spell the acronym a question may use instead.
_LONG_NAME = re.compile(r"[A-Z][\w’'-]+(?:\s+(?:(?:in|of|for|on|and|the)\s+)*[A-Z][\w’'-]+)+")
_SHORT_WORDS = frozenset({"in", "of", "for", "on", "and", "the"})


def long_names(text: str) -> list[str]:
    """The runs of capitalized words of ``text`` that name something ("United Nations Angola
    Verification Mission", "Security Council")."""
    return [run.group(0) for run in _LONG_NAME.finditer(text)]


def acronyms_of(text: str) -> set[str]:
    """The acronyms (lower case) that the long names of ``text`` spell, with and without their
    short words: "United Nations Interim Force in Lebanon" -> "unifil" and "unifl", "United
    Nations Transitional Authority in Cambodia" -> "untac" (and "unitac")."""
    found: set[str] = set()
    for name in long_names(text):
        words = name.split()
        found.add("".join(w[0] for w in words).lower())
        found.add("".join(w[0] for w in words if w not in _SHORT_WORDS).lower())
    return {a for a in found if len(a) >= 3}
