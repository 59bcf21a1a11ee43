"""Where a named resolution speaks of a subject: "Which provisions of PP-58 deal with RPMs?",
"Where does WTDC 31 talk about least developed countries?", "Which paragraphs of resolution 687
mention chemical weapons?".

The answer is every clause of the named resolution whose words hold each idea of the subject (an
acronym of the glossary or a hyphenated word counts in its other spellings, a word in its other
forms), listed in order and cited; none is "it never speaks of" the subject, said plainly. The
question of what those clauses *say* about it is left to the usual search ("What does PP-58 say
about RPMs?").
"""

from __future__ import annotations

import re

from assistant.answering.matching import uses_stem, with_expansions
from assistant.text.question import STOPWORD_STEMS, stems, term_groups
from ingest.model import Clause, Document

_SPEAKS = (
    r"(?:deal|deals|dealing|dealt)\s+with|(?:talk|talks|speak|speaks)\s+(?:about|of)"
    r"|(?:refer|refers|relate|relates)\s+to|(?:touch|touches)\s+(?:on|upon)"
    r"|mention|mentions|address|addresses|concern|concerns|cover|covers|discuss|discusses"
    r"|(?:is|are)\s+about"
)
_PARTS = r"(?:paragraphs?|provisions?|clauses?|parts?|sections?|passages?)"
# "Which provisions of PP-58 deal with RPMs?", "What paragraphs in resolution 687 mention ...?"
WHICH_PARTS = re.compile(
    rf"^\s*(?:which|what)\s+(?:of\s+(?:its|the)\s+)?{_PARTS}\s+(?:of|in)\s+(?P<named>.+?)\s+"
    rf"(?:{_SPEAKS})\s+(?P<subject>[^?]+?)\s*\??\s*$",
    re.IGNORECASE,
)
# "Where does WTDC 31 talk about least developed countries?", "Where in PP-58 are RPMs
# mentioned?" is left out: its subject comes first.
WHERE = re.compile(
    rf"^\s*where\s+(?:in\s+it\s+)?(?:does|do|did)\s+(?P<named>.+?)\s+"
    rf"(?:{_SPEAKS})\s+(?P<subject>[^?]+?)\s*\??\s*$",
    re.IGNORECASE,
)

# The words between "which paragraphs of" and the verb name a resolution, never a clause of
# their own.
_CLAUSE_VERB = re.compile(r"\b(?:is|are|was|were|do|does|did|to|has|have|had|will|shall)\b", re.I)


def asked_subject(text: str) -> tuple[int, str] | None:
    """For a message that asks where a resolution speaks of a subject: where the words naming
    the resolution end, and the subject (``(30, "RPMs")``); else ``None``."""
    match = WHICH_PARTS.match(text) or WHERE.match(text)
    if not match or _CLAUSE_VERB.search(match["named"]):
        return None  # "Which paragraphs of resolution 577 is the report to cover?"
    return match.end("named"), match["subject"].strip()


def clauses_about(document: Document, subject: str) -> list[Clause]:
    """The clauses of ``document`` (its headings' words included) that hold every idea of
    ``subject``, in document order."""
    groups = [g for g in term_groups(subject) if any(a - STOPWORD_STEMS for a in g.alternatives)]
    if not groups:
        return []
    found: list[Clause] = []
    for section in document.sections:
        heading = stems(section.heading)
        for clause in section.clauses:
            words = with_expansions(heading | stems(clause.text))  # "RPMs": the long form too
            if all(
                any(all(uses_stem(w, words) for w in a) for a in g.alternatives) for g in groups
            ):
                found.append(clause)
    return found
