"""Questions about who holds a role: "Who chairs the committee?", "Which country commands the
force?", "Who should be appointed Plebiscite Administrator?".

Such a question is answered only by a clause that speaks of the role (chairs, presides, heads;
commands; appoints, elects; owns; runs, administers, monitors; hosts): a clause that names the
committee or the force, however closely, does not say who chairs or commands it. Measured on the
seen question splits before adoption (evals/ROUNDS.md): the clauses that answer such questions
speak of the role in 4 of 5 cases, the best clauses of the unanswerable ones in 3 of 23.

"Who is the Special Representative?", "Who was appointed Prosecutor?" ask for a person: only a
clause that names one ("Mr. Dante Caputo") answers; one that speaks of appointing a Special
Representative does not (seen splits, in-sample: 1 of 1 against 0 of 4).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Words of one role, as verbs and nouns: a clause that holds any of them speaks of the role.
ROLE_WORDS: tuple[frozenset[str], ...] = tuple(
    frozenset(group.split())
    for group in (
        "chair chairs chaired chairing chairman chairmen chairwoman chairperson chairpersons"
        " chairmanship preside presides presided presiding president presidency head heads"
        " headed heading lead leads led leading leader leaders leadership",
        "command commands commanded commanding commander commanders",
        "appoint appoints appointed appointing appointment nominate nominates nominated"
        " nomination elect elects elected election designate designates designated designation",
        "own owns owned owner owners ownership",
        "run runs ran running administer administers administered administering administration"
        " manage manages managed managing management oversee oversees oversaw overseeing"
        " oversight monitor monitors monitored monitoring supervise supervises supervised"
        " supervising supervision operate operates operated operating",
        "host hosts hosted hosting",
    )
)
_AUXILIARY = frozenset(
    "is are was were will would shall should must may can does did do has have had to be been"
    " being".split()
)
_WORD = re.compile(r"[a-z-]+")


# Titles held by a person, not an office: "Who is the <title>?" asks for a name.
_PERSON_TITLES = (
    r"mediator|envoy|representative|prosecutor|commissioner|registrar|rapporteur|coordinator"
    r"|commander|administrator|judges?|arbitrator|negotiator|observer"
)
_ASKS_PERSON = re.compile(
    r"\bwho (?P<asked>(?:is|was|has been|were|are) (?:appointed |named |designated |elected )?"
    rf"(?:as )?(?:the |an? )?(?:[\w'’-]+ ){{0,3}}?(?:{_PERSON_TITLES}))\b",  # possessives too
    re.IGNORECASE,
)
# A person named: an honorific and a name ("Mr. Dante Caputo", "Count Folke Bernadotte").
_PERSON = re.compile(
    r"\b(?:Mr|Mrs|Ms|Dr|Sir|Count|Judge|Ambassador|Lord|Dame|Professor|Prof|Justice)\.?"
    r" (?:[A-Z]\. )*[A-Z][a-z]+"
)

# The holders of a role named as a group ("the chairs and vice-chairs of the RPMs", "heads of
# State"): the clause speaks of them, not of who they are.
_HOLDERS_OF = re.compile(
    r"\b(?:chairs|chairmen|chairpersons|chairwomen|presidents|heads|leaders|commanders|owners"
    r"|hosts)\s+(?:and\s+(?:vice-)?[a-z]+\s+)?of\b"
)


@dataclass(frozen=True)
class Role:
    """The role a question asks the holder of: ``phrase`` as asked ("will command"), ``words``
    the words that speak of it; ``person``: the question asks for a person's name."""

    phrase: str
    words: frozenset[str]
    person: bool = False


def asked_role(question: str) -> Role | None:
    """The role of "who <verb>" / "which <noun> <verb>" / "who is the <role> of", else None;
    "who is the <title>" (:data:`_PERSON_TITLES`) asks for a person."""
    person = _ASKS_PERSON.search(question)
    if person:
        return Role(person.group("asked").lower(), frozenset(), person=True)
    tokens = _WORD.findall(question.lower())
    for index, token in enumerate(tokens):
        if token in ("who", "whom"):
            starts = [index + 1]
        elif token in ("which", "what"):
            starts = [index + 2, index + 3]  # after the noun: "which (sanctions) committee ..."
        else:
            continue
        for start in starts:
            end = start
            while end < len(tokens) and tokens[end] in _AUXILIARY:
                end += 1
            if end >= len(tokens):
                continue
            candidates = [end]
            if tokens[end] == "the" and end + 2 < len(tokens) and tokens[end + 2] == "of":
                candidates.append(end + 1)  # "who is the chairman of ..."
            for position in candidates:
                for words in ROLE_WORDS:
                    if tokens[position] in words:
                        phrase = " ".join(tokens[start : position + 1])
                        if phrase.startswith("the "):
                            phrase = f"holds {phrase}"  # "which country (held) the presidency"
                        return Role(phrase, words)
    return None


def speaks_of(text: str, role: Role | None) -> bool:
    """Whether ``text`` speaks of ``role`` (always true with no role); names a person when the
    role is a person's."""
    if role is None:
        return True
    if role.person:
        return bool(_PERSON.search(text))
    return not role.words.isdisjoint(_WORD.findall(_HOLDERS_OF.sub(" ", text.lower())))
