"""The names a question uses ("Dubrovnik", "Afghanistan", "Lisbon"), and which of them a text
never uses.

A name is a capitalized word that does not open the question and is not used as an adjective
("the Dutch handover", "Israeli settlements"), a glossary term ("ITU-T"), a month or a stopword;
an acronym ("UNOMIL") only when asked for (a text may spell "POWs" out). A place counts as used
by a text that uses one of its other names (:mod:`assistant.text.places`: "Lisbon" by a text on
Portugal).

It also holds the acronyms the texts define themselves (:class:`Acronyms`): "the United
Nations Angola Verification Mission (UNAVEM II)" lets a question in words ("the UN verification
mission in Angola") find a later text that only writes "UNAVEM II". A definition is an acronym
in brackets after its long form, found as Schwartz and Hearst (2003) do: the shortest run of
words before the brackets, opening on a word that is no stopword with the acronym's first letter,
that holds every letter of the acronym in order.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from assistant.text.glossary import load_glossary
from assistant.text.places import fold, load_places
from assistant.text.question import STOPWORD_STEMS, STOPWORDS, WORD, stem, stems
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


# -- acronyms the texts define themselves ------------------------------------------------------

# "(UNAVEM II)", "(UNOSOM)", "(IRMs)", "(ITU-D)": capitals, an optional plural "s", an optional
# Roman numeral; at least two capitals.
_DEFINED = re.compile(r"\(\s*([A-Z][A-Za-z-]*[A-Z])(s)?((?:\s+[IVX]+)?)\s*\)")
_WORDS_BEFORE = 12  # how far back a long form may start


@dataclass(frozen=True)
class Definition:
    """One acronym and the words it stands for: ``UNAVEM`` (written ``UNAVEM II``) ->
    ``United Nations Angola Verification Mission``."""

    acronym: str  # the letters, no plural or numeral: "UNAVEM", "IRM"
    written: str  # as the text writes it: "UNAVEM II", "IRMs"
    long_form: str


def _opens(text: str, at: int) -> bool:
    """Whether a word that is no stopword starts at ``at`` ("Organization", not "of")."""
    if at > 0 and text[at - 1].isalnum():
        return False
    word = WORD.match(text, at)
    return word is not None and stem(word.group(0)) not in STOPWORD_STEMS


def _long_form(acronym: str, before: str) -> str | None:
    """The shortest end of ``before`` that spells ``acronym`` (Schwartz and Hearst's rule), or
    ``None``."""
    short = [c for c in acronym.lower() if c.isalnum()]
    text = " ".join(before.split()[-_WORDS_BEFORE:])
    lowered = text.lower()
    li = len(lowered) - 1
    for si in range(len(short) - 1, -1, -1):
        letter = short[si]
        while li >= 0 and (lowered[li] != letter or (si == 0 and not _opens(lowered, li))):
            li -= 1
        if li < 0:
            return None
        li -= 1
    start = text.rfind(" ", 0, li + 1) + 1
    long_form = text[start:].strip(" ;:-")
    words = long_form.split()
    if not 2 <= len(words) <= min(len(short) + 5, 2 * len(short)) or "," in long_form:
        return None
    if words[0][:1].islower() and any(w[:1].isupper() for w in words[1:]):
        return None  # "operations of the United Nations Observer Mission ... (ONUSAL)"
    return long_form


def definitions(text: str) -> list[Definition]:
    """The acronyms ``text`` defines, each with its long form, in order."""
    found: list[Definition] = []
    for match in _DEFINED.finditer(text):
        acronym = match.group(1)
        if not acronym.strip("IVXLC"):
            continue  # a Roman numeral: "resolution 194 (III)"
        before = re.split(r"[.;:()\[\]“”\"]", text[: match.start()])[-1]
        long_form = _long_form(acronym, before)
        if long_form and long_form.replace(" ", "").lower() != acronym.lower():
            written = " ".join(f"{acronym}{match.group(2) or ''} {match.group(3)}".split())
            found.append(Definition(acronym, written, long_form))
    return found


@dataclass
class Acronyms:
    """Every definition of a library, both ways: acronym -> long forms, long form -> acronym."""

    long_forms: dict[str, list[str]] = field(default_factory=dict)  # "UNAVEM" -> [long forms]

    @classmethod
    def from_texts(cls, texts: Iterable[str]) -> Acronyms:
        """The definitions of all ``texts`` (each long form once per acronym)."""
        long_forms: dict[str, list[str]] = {}
        for text in texts:
            for definition in definitions(text):
                forms = long_forms.setdefault(definition.acronym, [])
                if definition.long_form not in forms:
                    forms.append(definition.long_form)
        return cls(long_forms)

    def named_in(self, query: str) -> list[str]:
        """The acronyms of the long forms ``query`` spells out: every content word of one, close
        together in any order ("the UN verification mission in Angola": ``UNAVEM``; "UN" counts
        for "United Nations"). Acronyms the query already uses are left out."""
        undotted = re.sub(r"\b(?:[A-Z]\.){2,3}", lambda m: m.group(0).replace(".", ""), query)
        words = WORD.findall(_closed(undotted))
        found: list[str] = []
        for acronym, forms in self.long_forms.items():
            if re.search(rf"\b{re.escape(acronym)}", query):
                continue
            if any(_spelled_out(long_form, words) for long_form in forms):
                found.append(acronym)
        return found

    def context(self, words: set[str]) -> set[str]:
        """The stems a clause with these stems also speaks of: the long form of each acronym
        it uses ("unavem": "verification", "angola" ...), and each acronym whose long form it
        uses whole."""
        extra: set[str] = set()
        for acronym, forms in self.long_forms.items():
            short = stem(acronym)
            if short in words or stem(acronym + "s") in words:
                for long_form in forms:
                    extra.update(_key_stems(long_form))
            elif any(set(_key_stems(f)) <= words for f in forms):
                extra.add(short)
        return extra


def _closed(text: str) -> str:
    """``text`` with the hyphens inside words closed up ("Peace-keeping": "Peacekeeping")."""
    return re.sub(r"(?<=[A-Za-z])-(?=[A-Za-z])", "", text)


@functools.lru_cache(maxsize=4096)
def _key_stems(text: str) -> tuple[str, ...]:
    """The stems of the content words of ``text``, hyphens closed up (cached: a library's long
    forms are asked for again for every clause)."""
    return tuple(
        s for s in (stem(w) for w in WORD.findall(_closed(text))) if s not in STOPWORD_STEMS
    )


# "UN", "EU": a few capitals that may stand for the first words of a long form
_INITIALS = re.compile(r"[A-Z]{2,3}")


def _spelled_out(long_form: str, words: list[str]) -> bool:
    """Whether every content word of ``long_form`` is among ``words`` (a query's, in order)
    within a few words of each other; a capitals token may stand for a run of words by their
    initials."""
    wanted = _key_stems(long_form)
    if len(wanted) < 2:
        return False
    positions: dict[str, list[int]] = {w: [] for w in wanted}
    form_words = WORD.findall(_closed(long_form))
    for at, word in enumerate(words):
        key = stem(word)
        if key in positions:
            positions[key].append(at)
        if _INITIALS.fullmatch(word):
            size = len(word)
            for i in range(len(form_words) - size + 1):
                run = form_words[i : i + size]
                if "".join(w[0] for w in run).upper() == word:
                    for covered in run:
                        positions.setdefault(stem(covered), []).append(at)
    if not all(positions[w] for w in wanted):
        return False
    width = len(wanted) + 2
    starts = {at for w in wanted for at in positions[w]}
    return any(all(any(s <= at < s + width for at in positions[w]) for w in wanted) for s in starts)
