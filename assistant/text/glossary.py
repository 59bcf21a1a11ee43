"""The glossary of the domain (``assistant/data/glossary.json``): acronyms, expansions, bodies.

Delegates say "the standardization assembly" for WTSA and "RPMs" for regional preparatory meetings.
The glossary expands queries (lexical and dense search), and tells which body or resolution a
question names, so that search can weigh those clauses (never exclude the others).
"""

from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from ingest.paragraph_text import MONTHS

GLOSSARY_FILE = Path(__file__).resolve().parents[1] / "data" / "glossary.json"


@dataclass(frozen=True)
class Entry:
    """One term: ``WTSA`` -> ``World Telecommunication Standardization Assembly``, body ``WTSA``."""

    term: str
    expansions: tuple[str, ...]
    body: str = ""
    kind: str = "organization"


@dataclass
class QueryTerms:
    """What a query names: glossary entries, bodies (with a strength), resolution numbers."""

    entries: list[Entry] = field(default_factory=list)
    bodies: dict[str, float] = field(default_factory=dict)
    resolutions: set[tuple[str, str]] = field(default_factory=set)  # (body or "", number)
    clauses: set[tuple[str, str]] = field(default_factory=set)  # (word, label): "resolves 1"
    words: set[str] = field(default_factory=set)  # lower-case words of the query
    months: set[str] = field(default_factory=set)  # "June 1990": a text adopted then (dated)
    # an event the query asks what came after: (year, month 1-12 or 0) ("after the December
    # 1985 killings", "after the 1983 intervention in Grenada")
    after: tuple[int, int] | None = None


# "resolves 1", "recalling b)", "considering c" (a letter label needs ")" or the end of a phrase)
_CLAUSE_MENTION = re.compile(
    r"\b([A-Za-z]{4,})\s+(\d{1,2}|[a-z]\)|[a-z](?=\s+(?:of|in|and|between)\b|[?.,;]|$))"
)

# A year after "since", "before", "until"...: the date of an event, not of a text ("since 1967",
# "before 1 January 1991"); "the March 1969 decision" or "in 2014" may name a text by its year.
EVENT_TIME_BEFORE = re.compile(
    r"\b(?:since|before|after|until|till|by|from|between|during|prior\s+to)\s+"
    rf"(?:\d{{1,2}}(?:st|nd|rd|th)?\s+)?(?:(?:{MONTHS})\s+)?(?:\d{{1,2}},\s+)?$",
    re.IGNORECASE,
)
# A month and year may name a text by its adoption ("the Council's June 1990 resolution"); not
# after "since", "before" ... (:data:`EVENT_TIME_BEFORE`) nor with a day ("on 5 June 1967" dates
# an event more often than a text).
_MONTH_YEAR = re.compile(rf"(?<!\d )\b({MONTHS}),? ((?:19|20)\d\d)\b", re.IGNORECASE)
# "What did the Council decide after the attack ... in December 1968?": what answers was adopted
# after the event. Not "after what date", nor a resolution's year in brackets ("681 (1990)").
_AFTER_EVENT = re.compile(
    r"\b(?:after|following|in the wake of|in response to)\s+(?!(?:what|which)\b)"
    rf"(?:[^?.;()]*?\s)?(?:({MONTHS})\s+)?((?:19|20)\d\d)\b(?!\))",
    re.IGNORECASE,
)
MONTH_NUMBER = {name.lower(): number for number, name in enumerate(MONTHS.split("|"), start=1)}

BODY_WEIGHT = {"body": 1.0, "bureau": 0.5, "sector": 0.5, "group": 0.5, "meeting": 0.25}


class Glossary:
    """Lookups over the glossary entries."""

    def __init__(self, entries: list[Entry]) -> None:
        self.entries = entries
        self._term_patterns = [(entry, _term_pattern(entry.term)) for entry in entries]
        self._phrase_patterns = [
            (entry, re.compile(r"\b" + re.escape(phrase) + r"s?\b", re.IGNORECASE))
            for entry in entries
            for phrase in entry.expansions
        ]
        bodies = sorted({e.term for e in entries if e.kind == "body"}, key=len, reverse=True)
        self._resolution = re.compile(
            r"(?:\b(" + "|".join(re.escape(b) for b in bodies) + r")\b"
            r"[\s-]*(?:res(?:olution)?\.?\s*)?"
            r"|\bres(?:olution)?\.?\s*)(\d{1,4})\b",
            re.IGNORECASE,
        )

    def find(self, query: str) -> QueryTerms:
        """The entries, bodies and resolutions a query names."""
        found: dict[str, Entry] = {}
        for entry, pattern in self._term_patterns:
            if pattern.search(query):
                found[entry.term] = entry
        for entry, pattern in self._phrase_patterns:
            if pattern.search(query):
                found[entry.term] = entry
        terms = QueryTerms(entries=list(found.values()))
        for entry in terms.entries:
            weight = BODY_WEIGHT.get(entry.kind, 0.0)
            if entry.body and weight:
                terms.bodies[entry.body] = max(terms.bodies.get(entry.body, 0.0), weight)
        for match in self._resolution.finditer(query):
            body = (match.group(1) or "").upper()
            terms.resolutions.add((body, match.group(2)))
        for match in _CLAUSE_MENTION.finditer(query):
            terms.clauses.add((match.group(1).lower(), match.group(2).lower()))
        terms.words = set(re.findall(r"[a-z0-9]+", query.lower()))
        terms.months = {
            f"{m.group(1).capitalize()} {m.group(2)}"
            for m in _MONTH_YEAR.finditer(query)
            if not EVENT_TIME_BEFORE.search(query[: m.start()])
        }
        if event := _AFTER_EVENT.search(query):
            month = MONTH_NUMBER.get((event.group(1) or "").lower(), 0)
            terms.after = (int(event.group(2)), month)
        return terms

    def term(self, word: str) -> Entry | None:
        """The entry whose term ``word`` is ("SG", "tsb"; a term of 3 letters or fewer only in
        capitals, as in :meth:`find`), or ``None``."""
        return next(
            (entry for entry, pattern in self._term_patterns if pattern.fullmatch(word)), None
        )

    def expansions(self, query: str, terms: QueryTerms | None = None) -> list[str]:
        """The expansions of the query's acronyms and the acronyms of its phrases."""
        terms = terms or self.find(query)
        extra: list[str] = []
        lowered = query.lower()
        for entry in terms.entries:
            if entry.term.lower() not in lowered.split():
                extra.append(entry.term)
            extra.extend(p for p in entry.expansions if p.lower() not in lowered)
        return extra

    def expand(self, query: str, terms: QueryTerms | None = None) -> str:
        """The query followed by the expansions of its acronyms and the acronyms of its phrases."""
        extra = self.expansions(query, terms)
        return f"{query} ({'; '.join(extra)})" if extra else query


def _term_pattern(term: str) -> re.Pattern[str]:
    """Acronyms of 4+ letters match in any case; shorter ones only as capitals (``BR``, ``PP``)."""
    flags = re.IGNORECASE if len(term) >= 4 else 0
    return re.compile(r"(?<![\w-])" + re.escape(term) + r"s?(?![\w-])", flags)


@functools.cache
def load_glossary(path: Path = GLOSSARY_FILE) -> Glossary:
    """The glossary from its JSON file (cached)."""
    data = json.loads(path.read_text(encoding="utf-8"))
    entries = [
        Entry(
            term=item["term"],
            expansions=tuple(item.get("expansions", [])),
            body=item.get("body", ""),
            kind=item.get("kind", "organization"),
        )
        for item in data["entries"]
    ]
    return Glossary(entries)
