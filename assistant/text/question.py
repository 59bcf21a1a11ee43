"""What a question asks: its content terms, the bodies and resolutions it names, its topic.

Used by the answerer (support, decisive words, side by side) and by conversations (follow-ups).
Nothing here is specific to the sample corpus: names come from the library's catalog
(``assistant.text.mentions``) and acronyms from the glossary shipped as data.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from assistant.caching import per_documents
from assistant.text.answer_type import FRAMING, AnswerType, expected_answer_type
from assistant.text.catalog import Catalog, Cited
from assistant.text.clause_refs import position_refs
from assistant.text.glossary import load_glossary
from assistant.text.mentions import all_mentions
from assistant.text.places import load_places

_STOPWORDS = """
    a about above according across after again against all also am an and any anything are as
    at be because been before being below between both but by can could did do does doing done
    during each either else ever every few for from further had has have having he her here hers
    him his how however i if in into is it its itself just let may me might more most much must my
    neither no nor not of off on once one ones only or other our out over own per please same
    say says said shall she should so some something such tell than that the
    their them then there these they this those through to too under until up upon us very via was
    we were what whatever when where whether which while who whom whose why will with within would
    yes yet you your mention mentions mentioned provide provides regarding concerning
    resolution resolutions text texts document documents clause clauses write written paragraph
    paragraphs differ differs difference differences different compare compared comparing
    comparison versus vs contrast similar similarly"""
STOPWORDS = frozenset(_STOPWORDS.split())
# Words of the asking, not of what is asked: light and reporting verbs, what a resolution does
# ("the extension decided in resolution 192": it "Extends") and "kind of". A text
# need not use them to speak of the question ("What kind of group does resolution 182 ask the
# Secretary-General to establish?" asks about a group the Secretary-General establishes).
FRAME_WORDS = frozenset(
    """ask asks asked asking call calls called calling kind kinds sort type make makes made
    making take takes took taken taking give gives gave given giving get gets got put puts send
    sends sent sending note notes noted noting adopt adopts adopted adopting want wants wanted
    happen happens happened need needs needed go goes went come comes came see sees saw seen
    know knows knew known keep keeps kept set sets use uses used using act acts acted carry
    carries carried carrying back decide decides decided deciding
    """.split()
) | frozenset(
    # the kind and the order of what is asked, not its subject: "Which two earlier resolutions
    # does resolution 241 reaffirm?", "Which States ...", "On which dates ...", "named in"
    """two three four five six seven eight nine ten eleven twelve earlier earliest latest
    previous prior besides among name names named naming number numbers date dates day days
    time times
    place places located location body bodies country countries state states cite cites cited
    citing invoke invokes invoked quote quotes quoted refer refers referred describe describes
    described address addresses addressed deal deals dealt lead leads led s
    """.split()
)
COMPARISON = re.compile(
    r"\b(differ|differs|difference|differences|different|compare|compared|comparing|comparison|"
    r"versus|vs\.?|contrast|side by side|similar|same way)\b",
    re.IGNORECASE,
)
# In a question that compares texts, these words say how they are compared, not what about
# ("How does the Doha draft revise the quotation of Article 43 ...?").
CHANGE_WORDS = frozenset(
    "change changes changed revise revises revised revision amend amends amended amendment "
    "modify modifies modified version versions draft drafts update updates updated".split()
)
SCOPE = re.compile(
    r"\b(resolutions|conferences|assemblies|sectors|bodies|each|all|both)\b", re.IGNORECASE
)
WORD = re.compile(r"[A-Za-z0-9]+")
_SUFFIXES = (
    "ations",
    "ation",
    "ments",
    "ment",
    "ings",
    "ing",
    "ies",
    "ied",
    "ers",
    "er",
    "es",
    "ed",
    "ly",
    "s",
)


def stem(word: str) -> str:
    """A light suffix-stripping stem; the same function on both sides is all that matters."""
    word = word.lower()
    if len(word) <= 4 or word.isdigit():
        return word
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            word = word[: -len(suffix)]
            if suffix in ("ies", "ied"):
                word += "y"
            break
    if word.endswith("e") and len(word) > 4:
        word = word[:-1]
    if len(word) > 4 and word[-1] == word[-2] and word[-1] not in "aeiou":
        word = word[:-1]
    return word


# A word written with hyphens ("cease-fire", "peace-keeping", "co-operate"): older texts write
# them so, people type "ceasefire", "peacekeeping", "cooperate".
HYPHENATED = re.compile(r"[A-Za-z]+(?:-[A-Za-z]+)+")


def joined_compounds(text: str) -> list[str]:
    """The hyphenated words of ``text`` written as one word (``cease-fire``: ``ceasefire``)."""
    return [word.replace("-", "") for word in HYPHENATED.findall(text)]


def stems(text: str) -> set[str]:
    """Stems of every word of ``text``, and of its hyphenated words written as one
    (stopwords included: used on the clause side)."""
    return {stem(word) for word in (*WORD.findall(text), *joined_compounds(text))}


STOPWORD_STEMS = frozenset(stem(w) for w in STOPWORDS)


def content_words(text: str) -> list[str]:
    """Words of ``text`` that carry meaning (stopwords and question scaffolding removed)."""
    return [word for word in WORD.findall(text) if word.lower() not in STOPWORDS]


@dataclass(frozen=True)
class Mention:
    """A body or resolution named in a question: where, which body, which documents."""

    start: int
    end: int
    text: str
    body: str
    documents: tuple[str, ...]
    # named by number ("resolution 350", "Resolution 58"): every held version it can mean
    numbered: tuple[str, ...] = ()


@dataclass
class TermGroup:
    """One idea of the question: a word, or an acronym with the phrases it stands for."""

    word: str
    alternatives: list[frozenset[str]]  # each: stems that must all be present


@dataclass
class Question:
    """A question analysed against the documents of a library."""

    text: str
    mentions: list[Mention] = field(default_factory=list)
    groups: list[TermGroup] = field(default_factory=list)
    comparison: bool = False
    answer_type: AnswerType | None = None  # what kind of answer it asks for, when checkable
    absent: list[str] = field(default_factory=list)  # resolutions named by number, not held

    @property
    def bodies(self) -> list[str]:
        return list(dict.fromkeys(m.body for m in self.mentions if m.body))

    @property
    def documents(self) -> list[str]:
        return list(dict.fromkeys(d for m in self.mentions for d in m.documents))

    @property
    def numbered_documents(self) -> set[str]:
        """The documents of the resolutions named by number (every held version)."""
        return {d for m in self.mentions for d in m.numbered}

    @property
    def answering_documents(self) -> set[str]:
        """The only documents whose clauses can answer (empty: any): outside a comparison,
        those named by number ("What does resolution 350 say about ...?")."""
        return set() if self.comparison else self.numbered_documents

    @property
    def topic(self) -> str:
        """The question without the names of bodies and resolutions."""
        return topic_of(strip_spans(self.text, self.mentions))


class Span(Protocol):
    """A stretch of a text: a mention, a reference to a paragraph."""

    @property
    def start(self) -> int: ...

    @property
    def end(self) -> int: ...


def strip_spans(text: str, spans: Sequence[Span]) -> str:
    """``text`` with the spans (mentioned names, paragraph references) cut out."""
    for span in sorted(spans, key=lambda m: m.start, reverse=True):
        text = text[: span.start] + text[span.end :]
    return re.sub(r"\s+", " ", text).strip()


_TOPIC_PATTERNS = (
    re.compile(
        r"\b(?:differ|differs|compare|compared|contrast|agree|disagree)\s+(?:on|about|in|"
        r"regarding|as to|over)\s+(?P<t>.+)",
        re.IGNORECASE,
    ),
    re.compile(
        r"\b(?:say|says|said|state|states|provide|provides|mention|mentions|do|does)\s+"
        r"(?:anything\s+)?(?:about|on|regarding|concerning|with regard to)\s+(?P<t>.+)",
        re.IGNORECASE,
    ),
    re.compile(r"^(?:and\s+)?(?:what|how)\s+about\s+(?P<t>.+)", re.IGNORECASE),
    re.compile(
        r"\b(?:address|addresses|cover|covers|deal with|deals with)\s+(?P<t>.+)", re.IGNORECASE
    ),
)


def topic_of(text: str) -> str:
    """A noun phrase for what is asked, when the question has a common shape; else the text."""
    text = text.strip().rstrip("?.! ")
    for pattern in _TOPIC_PATTERNS:
        match = pattern.search(text)
        if match:
            return _DANGLING.sub("", match.group("t").strip(" ,;"))
    return text


def focus_words(text: str) -> list[str]:
    """The words a reply must be about: the topic of "what does X say about <topic>" when the
    question has that shape; else its first two content words (what "who chairs", "how many
    observers" asks about)."""
    whole = text.strip().rstrip("?.! ")
    topic = topic_of(whole)
    if topic != whole:
        return content_words(topic)
    return content_words(whole)[:2]


# A preposition or article left at the end once a named body or resolution is cut out.
_DANGLING = re.compile(r"(?:\s+(?:in|of|on|for|by|from|at|to|the|and|or))+$", re.IGNORECASE)


def catalog_for(library: Any) -> Catalog:
    """The catalog of the library's documents (cached until they change)."""
    return per_documents(
        library,
        "catalog",
        lambda summaries: Catalog([library.document(str(s["document"])) for s in summaries]),
    )


def find_mentions(text: str, catalog: Catalog) -> list[Mention]:
    """Bodies and resolutions named in ``text`` (``WTSA 43``, ``the radio conference``, ``the
    Doha draft``), each with the documents it points at (the newest version when only the series
    is named)."""
    return [m for m in _mentions(text, catalog) if m.documents]


def _mentions(text: str, catalog: Catalog) -> list[Mention]:
    """:func:`find_mentions`, and the resolutions named by number that the library does not
    hold in any version (no documents)."""
    found: list[Mention] = []
    for mention in all_mentions(text, catalog):
        cited = mention.cited
        documents = catalog.matching(cited)
        if not (cited.place or cited.year or cited.status):
            documents = catalog.newest(documents)
        versions = catalog.matching(cited) if cited.number else []
        unheld = bool(cited.number) and not catalog.matching(Cited(cited.body, cited.number))
        if not documents and not unheld:
            continue  # no such version of a held resolution: it stands for the one held
        bodies = {d.body for d in documents}
        body = cited.body or (bodies.pop() if len(bodies) == 1 else "")
        found.append(
            Mention(
                mention.start,
                mention.end,
                mention.text,
                body,
                tuple(d.id for d in documents),
                tuple(d.id for d in versions),
            )
        )
    return found


def term_groups(text: str) -> list[TermGroup]:
    """The ideas of ``text`` as groups of stems, acronyms expanded through the glossary, and
    the words of a capital or a short country name through the places (``Lisbon``: Portugal)."""
    by_term = {entry.term.lower(): entry for entry in load_glossary().entries}
    places = load_places().word_names(text)
    # each part of a hyphenated word is also found in a text that writes it as one word
    joined = {
        part.lower(): stem(word.replace("-", ""))
        for word in HYPHENATED.findall(text)
        for part in word.split("-")
    }
    groups: list[TermGroup] = []
    seen: set[str] = set()
    for word in content_words(text):
        key = stem(word)
        if key in seen:
            continue
        seen.add(key)
        alternatives = [frozenset({key})]
        if word.lower() in joined:
            alternatives.append(frozenset({joined[word.lower()]}))
        entry = by_term.get(word.lower()) or by_term.get(word.lower().rstrip("s"))
        if entry:
            alternatives += [frozenset(stems(e) - STOPWORD_STEMS) for e in entry.expansions]
        alternatives += [frozenset(stems(n) - STOPWORD_STEMS) for n in places.get(word.lower(), [])]
        groups.append(TermGroup(word, [a for a in alternatives if a]))
    return groups


def analyse(text: str, catalog: Catalog) -> Question:
    """Mentions, term groups (without the names) and whether the question compares."""
    every = _mentions(text, catalog)
    mentions = [m for m in every if m.documents]
    absent = [m.text.strip() for m in every if not m.documents]  # named by number, not held
    # "paragraph 3", "its first paragraph": where to look, not what about
    positions = position_refs(text, [(m.start, m.end) for m in every])
    rest = strip_spans(text, [*every, *positions])
    named = {frozenset(m.documents) for m in mentions}
    # a body beside one of its texts ("the Security Council ... resolution 39") names one text
    distinct = {d for d in named if not any(other < d for other in named)}
    comparison = len(distinct) >= 2 or bool(COMPARISON.search(text) and SCOPE.search(text))
    groups = term_groups(rest)
    if comparison:
        groups = [g for g in groups if g.word.lower() not in CHANGE_WORDS] or groups
    kind = expected_answer_type(text)
    if kind:
        groups = [g for g in groups if g.word.lower() not in FRAMING[kind]] or groups
    return Question(text, mentions, groups, comparison, kind, absent)
