"""What a clause shares with a question: the library's statistics (the IDF of every stem, each
text's vocabulary and theme), the coverage of the question's ideas (partial credit from word
vectors), cosine similarities, and the decisive words a reply quotes. Used by
:mod:`assistant.answering.evidence`.
"""

from __future__ import annotations

import math
import re
from typing import Any

import numpy as np

from assistant.caching import library_cache, per_documents
from assistant.index.model import ClauseLibrary
from assistant.text.glossary import load_glossary
from assistant.text.names import Acronyms, acronyms_of, long_names
from assistant.text.question import TermGroup, stem, stems
from ingest.model import without_footnotes

THEME_SHARE = 0.5  # a stem in this share of a text's clauses is its theme, not a question's detail
QUOTE_CHARS = 320
FAMILY_PREFIX = 5  # the shortest stem that finds its family by prefix (:func:`uses_stem`)


def document_frequencies(library: ClauseLibrary) -> tuple[dict[str, float], float]:
    """IDF of every stem over the library's clauses (cached until the documents change)."""
    statistics = _statistics(library)
    return statistics[0], statistics[1]


def document_vocabulary(library: ClauseLibrary, document: str) -> set[str]:
    """The stems of every clause and heading of ``document``, with the glossary expansions of
    its acronyms (empty for a document the library does not hold)."""
    return _statistics(library)[2].get(document, set())


def document_theme(library: ClauseLibrary, document: str) -> set[str]:
    """The stems that ``THEME_SHARE`` or more of the clauses of ``document`` use: what the whole
    text is about ("Iran", "Iraq", "war"), which says nothing of what one question asks."""
    return _statistics(library)[3].get(document, set())


def library_acronyms(library: ClauseLibrary) -> Acronyms:
    """The acronyms the library's texts define ("United Nations Angola Verification Mission
    (UNAVEM II)"), for every text: a later one may only write "UNAVEM II"."""
    return _statistics(library)[6]


def with_referents(text: str, context: set[str], library: ClauseLibrary, document: str) -> set[str]:
    """``context`` (the stems of a clause's ``text``) with the words of the names ``text``
    refers to by their last word: "the Mission" in a text that names the "United Nations Angola
    Verification Mission" speaks of that mission, so its words are the clause's too."""
    names = _statistics(library)[4].get(document, {})
    referred = set().union(
        *(names.get(m.group(1).lower(), set()) for m in _THE_HEAD.finditer(text))
    )
    return context | referred if referred else context


def common_words(library: ClauseLibrary) -> frozenset[str]:
    """The words the library's texts write in lower case somewhere ("armed", "former",
    "steering"): a capitalized run made only of these is a title, not someone's name."""
    return _statistics(library)[5]


_THE_HEAD = re.compile(r"\bthe ([A-Z][a-z]+)\b")
_LOWER_WORD = re.compile(r"\b[a-z][a-z'’-]+")
Statistics = tuple[
    dict[str, float],
    float,
    dict[str, set[str]],
    dict[str, set[str]],
    dict[str, dict[str, set[str]]],
    frozenset[str],
    Acronyms,
]


def _statistics(library: ClauseLibrary) -> Statistics:
    """IDF, the IDF of an unseen stem, each document's vocabulary and theme, the stems of its
    long names by their last word, the words written in lower case, and the acronyms defined
    (cached until the documents change)."""
    return per_documents(library, "idf", lambda summaries: _count(library, summaries))


def _count(library: ClauseLibrary, summaries: list[dict[str, Any]]) -> Statistics:
    counts: dict[str, int] = {}
    vocabularies: dict[str, set[str]] = {}
    themes: dict[str, set[str]] = {}
    named: dict[str, dict[str, set[str]]] = {}
    lower: set[str] = set()
    texts: list[str] = []
    own_words: dict[str, set[str]] = {}
    total = 0
    for summary in summaries:
        document = library.document(str(summary["document"]))
        uses: dict[str, int] = {}
        clauses = 0
        spelled: set[str] = set()  # the acronyms its long names spell ("UNIFIL")
        heads: dict[str, set[str]] = {}  # "mission" -> the stems of "... Verification Mission"
        for section, clause in document.clauses():
            total += 1
            clauses += 1
            spelled |= acronyms_of(clause.full_text)
            texts.append(clause.full_text)
            lower.update(_LOWER_WORD.findall(clause.full_text))
            for long_name in long_names(clause.full_text):
                head = long_name.split()[-1].lower()
                heads[head] = heads.get(head, set()) | stems(long_name)
            for term in stems(f"{section.heading} {clause.full_text}"):
                counts[term] = counts.get(term, 0) + 1
                uses[term] = uses.get(term, 0) + 1
        name = str(summary["document"])
        # the adopting body and the title are the text's own words ("The Security Council,")
        own = stems(f"{document.adopting} {document.title}")
        own_words[name] = set(uses) | own | spelled
        themes[name] = {t for t, n in uses.items() if n >= THEME_SHARE * clauses}
        named[name] = heads
    acronyms = Acronyms.from_texts(texts)
    for name, words in own_words.items():
        vocabularies[name] = with_acronyms(with_expansions(words), acronyms)
    idf = {term: math.log(1 + total / count) for term, count in counts.items()}
    unseen = math.log(1 + max(total, 1) * 2)
    return idf, unseen, vocabularies, themes, named, frozenset(lower), acronyms


# English verbs whose other forms no suffix rule finds: "Whose statement did the Council hear?"
# is answered by "Having heard the statement ...".
_IRREGULAR = """hear heard; hold held; meet met; leave left; pay paid; sell sold; buy bought;
bring brought; lose lost; fight fought; win won; begin began begun; choose chose chosen;
speak spoke spoken; write wrote written; strike struck; stand stood; draw drew drawn;
fall fell fallen; rise rose risen; lead led; flee fled; seek sought; think thought; tell told;
find found; bear bore borne; break broke broken; shoot shot; throw threw thrown;
withdraw withdrew withdrawn; undertake undertook undertaken; forbid forbade forbidden;
arise arose arisen; build built; catch caught; teach taught; feel felt; spend spent;
lend lent; send sent; bind bound; fly flew flown; drive drove driven; ride rode ridden;
freeze froze frozen; steal stole stolen; hide hid hidden; shake shook shaken; take took taken;
overtake overtook overtaken; mistake mistook mistaken; forget forgot forgotten;
forgive forgave forgiven; grow grew grown; know knew known; blow blew blown; wear wore worn;
tear tore torn; swear swore sworn; lay laid; say said; sit sat; dig dug; hang hung;
feed fed; keep kept; sleep slept; sweep swept; weep wept; slay slew slain"""


def _irregular_forms(table: str) -> dict[str, frozenset[str]]:
    """Each stem of the table -> the stems of all the forms of its verb."""
    forms: dict[str, frozenset[str]] = {}
    for verb in table.split(";"):
        family = frozenset(stem(w) for w in verb.split())
        for each in family:
            forms[each] = forms.get(each, frozenset()) | family
    return forms


IRREGULAR_FORMS = _irregular_forms(_IRREGULAR)


_SHORT_ENDINGS = ("ing", "ed", "s", "es")


def uses_stem(stem_: str, vocabulary: set[str]) -> bool:
    """Whether ``vocabulary`` holds ``stem_`` or a word of its family: one of five letters or
    more that begins with the other ("withdraw" and "withdrawal", "chair" and "chairman"), or
    another form of an irregular verb ("hear" and "heard") or of its family ("withdrawn" and
    "withdrawal"), the noun of a verb in "-ate" ("violated" and "violation") or in "-d"
    ("extend" and "extension"), or a form of a short word ("end" and "ending")."""
    forms = IRREGULAR_FORMS.get(stem_, frozenset())
    if stem_ in vocabulary or not forms.isdisjoint(vocabulary):
        return True
    root = stem_.removesuffix("at")  # "violated" -> "violat", "violation" -> "viol"
    if root != stem_ and len(root) >= 4 and root in vocabulary:
        return True
    if len(stem_) < FAMILY_PREFIX and any(stem_ + end in vocabulary for end in _SHORT_ENDINGS):
        return True  # "end" and "ending": a short word's forms keep their ending
    if stem_.endswith("d") and stem_.removesuffix("d") + "sion" in vocabulary:
        return True  # "extend" and "extension", "decid" and "decision"
    if stem_.endswith("sion") and stem_.removesuffix("sion") + "d" in vocabulary:
        return True  # ... and the other way
    # "withdrawn" and "withdrawal": the family of a form of the verb
    families = [f for f in {stem_, *forms} if len(f) >= FAMILY_PREFIX]
    return any(
        len(v) >= FAMILY_PREFIX and (v.startswith(f) or f.startswith(v))
        for f in families
        for v in vocabulary
    )


def coverage(
    groups: list[TermGroup],
    context: set[str],
    idf: dict[str, float],
    unseen: float,
    partial: dict[str, float] | None = None,
) -> float:
    """IDF-weighted share of ``groups`` present in ``context`` (a set of stems); a group not
    present earns ``partial[group.word]`` (0 to 1) instead of 0."""
    total = found = 0.0
    for group in groups:
        weights = [min(idf.get(s, unseen) for s in alt) for alt in group.alternatives]
        weight = max(min(weights), 0.05)
        total += weight
        if any(alt <= context for alt in group.alternatives):
            found += weight
        elif partial:
            found += weight * max(0.0, partial.get(group.word.lower(), 0.0))
    return found / total if total else 0.0


def uncovered_weight(
    groups: list[TermGroup], context: set[str], idf: dict[str, float], unseen: float
) -> float:
    """The weight (IDF, over the question's heaviest idea) of the rarest idea of the question
    that the clause lacks word for word: a specific detail asked and not in the text."""
    weights = [
        max(min(min(idf.get(s, unseen) for s in alt) for alt in g.alternatives), 0.05)
        for g in groups
        if g.alternatives
    ]
    missing = [
        w
        for g, w in zip([g for g in groups if g.alternatives], weights, strict=True)
        if not any(alt <= context for alt in g.alternatives)
    ]
    return max(missing) / max(weights) if missing else 0.0


def word_vectors(library: ClauseLibrary, words: set[str]) -> dict[str, np.ndarray]:
    """Vectors of single words (cached per library)."""
    cache = library_cache(library, "word vectors")
    if len(cache) > 200_000:
        cache.clear()
    missing = sorted(w for w in words if w not in cache)
    if missing:
        for word, vector in zip(missing, library.embed(missing), strict=True):
            cache[word] = np.asarray(vector, dtype=np.float32)
    return {w: cache[w] for w in words}


def partial_matches(
    library: ClauseLibrary, groups: list[TermGroup], clause_words: list[set[str]]
) -> list[dict[str, float]]:
    """For each clause, the best cosine of each question word with a word of the clause."""
    asked = {g.word.lower() for g in groups}
    vectors = word_vectors(library, asked.union(*clause_words) if clause_words else asked)
    result: list[dict[str, float]] = []
    for words in clause_words:
        if not words:
            result.append({})
            continue
        matrix = np.stack([vectors[w] for w in sorted(words)])
        result.append({a: float((matrix @ vectors[a]).max()) for a in asked})
    return result


def segments(text: str) -> list[str]:
    """The parts of a clause between semicolons and colons (the whole text when none is long)."""
    parts = [part.strip() for part in re.split(r"[;:]", text) if len(part.strip()) > 25]
    return parts or [text]


def similarities(
    library: ClauseLibrary, question: str, citations: list[dict[str, Any]]
) -> list[tuple[float, float]]:
    """Cosine of the question with each clause, and with its closest segment (vectors cached
    per library; one embedding call per question)."""

    def text(citation: dict[str, Any]) -> str:
        return f"{citation.get('section', '')}: {citation.get('text', '')}"

    cache = library_cache(library, "clause vectors")
    if len(cache) > 100_000:
        cache.clear()
    pieces = [text(c) for c in citations] + [
        part for c in citations for part in segments(str(c.get("text", "")))
    ]
    missing = list(dict.fromkeys(p for p in pieces if p not in cache))
    vectors = library.embed([question, *missing])
    for piece, vector in zip(missing, vectors[1:], strict=True):
        cache[piece] = np.asarray(vector, dtype=np.float32)
    query = np.asarray(vectors[0], dtype=np.float32)
    query /= float(np.linalg.norm(query)) or 1.0

    def cosine(piece: str) -> float:
        vector = cache[piece]
        return float(vector @ query) / (float(np.linalg.norm(vector)) or 1.0)

    return [
        (cosine(text(c)), max(cosine(p) for p in segments(str(c.get("text", "")))))
        for c in citations
    ]


_SEGMENT = re.compile(r"[^;:]+[;:]?")


def decisive_words(text: str, groups: list[TermGroup]) -> str:
    """The part of ``text`` that answers: the whole clause when short, else the segment (between
    semicolons and colons) that holds most of the question's ideas, cut to a window if long."""
    body = without_footnotes(text)
    if len(body) <= QUOTE_CHARS or not groups:
        return _window(body, groups)
    best, best_hits = body, -1.0
    for match in _SEGMENT.finditer(body):
        segment = match.group(0).strip()
        hits = sum(1 for g in groups if any(alt <= stems(segment) for alt in g.alternatives))
        if hits > best_hits and len(segment) > 20:
            best, best_hits = segment, hits
    return _window(best, groups)


def _window(segment: str, groups: list[TermGroup]) -> str:
    segment = segment.strip().rstrip(";:,.").strip()
    if len(segment) <= QUOTE_CHARS:
        return segment
    words = segment.split(" ")
    wanted = {s for g in groups for alt in g.alternatives for s in alt}
    marks = [i for i, w in enumerate(words) if stems(w) & wanted] or [0]
    size = 45
    start = max(0, min(marks[0], len(words) - size))
    start = max(
        range(start, max(start, len(words) - size) + 1),
        key=lambda s: sum(1 for m in marks if s <= m < s + size),
    )
    cut = " ".join(words[start : start + size]).rstrip(";:,.")
    return ("… " if start else "") + cut + (" …" if start + size < len(words) else "")


def with_forms(context: set[str]) -> set[str]:
    """``context`` plus the other forms of its irregular verbs ("holding": "held")."""
    forms = [IRREGULAR_FORMS[s] for s in context if s in IRREGULAR_FORMS]
    return context.union(*forms) if forms else context


def with_acronyms(context: set[str], acronyms: Acronyms) -> set[str]:
    """``context`` plus the long forms of the acronyms the library defines that it uses, and
    the acronyms whose long forms it uses whole."""
    return context | acronyms.context(context)


def with_expansions(context: set[str]) -> set[str]:
    """``context`` plus the words of the glossary expansions of the acronyms in it."""
    extra: set[str] = set()
    for entry in load_glossary().entries:
        if stem(entry.term) in context or stem(entry.term + "s") in context:
            for expansion in entry.expansions:
                extra |= stems(expansion)
    return context | extra
