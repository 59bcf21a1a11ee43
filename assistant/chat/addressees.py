"""The sections a message asks for by their verb and addressee.

"What does PP-58 instruct the Council to do?" asks for the section ``instructs the Council``,
not every ``instructs`` section; "What does WTSA 43 instruct the TSB Director to do?" asks for
``resolves to instruct the Director of the Telecommunication Standardization Bureau`` (a verb
under ``resolves`` counts as the verb itself); an acronym of the glossary ("SG", "BR", "TSB")
stands for its expansions.
"""

from __future__ import annotations

import re

from assistant.text.glossary import load_glossary
from ingest.model import Document, Section

# The keywords of the sections that act on an addressee, and the verb a heading may give them
# under another keyword ("resolves to instruct ...", "resolves further to invite ...").
ACTIONS = {
    "instructs": "instruct",
    "invites": "invite",
    "requests": "request",
    "urges": "urge",
    "encourages": "encourage",
    "decides": "decide",
}
_WORD = re.compile(r"[\w-]+")


def asked_sections(document: Document, keyword: str, addressee: list[str]) -> list[Section]:
    """The sections of ``document`` with the verb ``keyword`` (``"instructs"``) whose heading
    names every word of ``addressee`` (``["the", "TSB", "Director"]``: the words of the message
    left beside the verb, filler words skipped), in document order."""
    verb = ACTIONS.get(keyword)
    by_verb = [
        s
        for s in document.sections
        if s.keyword == keyword
        or (verb is not None and re.search(rf"\bto\s+{verb}\b", s.heading, re.IGNORECASE))
    ]
    return [s for s in by_verb if _names_all(s.heading, addressee)]


def _names_all(heading: str, addressee: list[str]) -> bool:
    words = {_stem(w) for w in _WORD.findall(heading.lower())}
    glossary = load_glossary()
    for word in addressee:
        if _stem(word.lower()) in words:
            continue
        entry = glossary.term(word)
        spelled = entry.expansions if entry else ()
        if not any({_stem(w) for w in _WORD.findall(p.lower())} <= words for p in spelled):
            return False
    return True


def _stem(word: str) -> str:
    """``directors`` -> ``director``, ``bureaux`` -> ``bureau``."""
    if word.endswith("eaux"):
        return word[:-1]
    return word[:-1] if len(word) > 3 and word.endswith("s") and not word.endswith("ss") else word
