"""The ``revise`` intent of the router: a whole resolution revised with the wording of others.

"Revise PP-58 with the WTSA and WTDC texts", "update Resolution 43 in line with the others",
"harmonize the whole of WTDC Res. 31 for PP", "redline PP 58 against its counterparts". A
revision needs a cue (a strong one: revise, revision, update, bring into line; or a weak one:
harmonize, redline, MOD, with a resolution named or "the whole"), no clause named (that is a
clause-level draft), no subject beyond the resolutions ("harmonize the clauses on RPM timing" is
a draft on a topic) and no question form ("how was Resolution 58 revised?"). The first
resolution named as the object is the one to revise (its version in force when the name leaves
the version open); the others named, after "with", "from", "using", "against" and the like, are
the ones to take wording from, those after "without", "except", "but not" are left out;
"for the Plenipotentiary" is the target body. After a revision,
"and for WTSA?" or "what about WTDC 31?" revise again with what changed.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from assistant.text.catalog import Catalog
from assistant.text.mentions import Mention
from assistant.text.references import resolve_mention
from ingest.model import Document

if TYPE_CHECKING:
    from assistant.chat.router import Route, State

STRONG = re.compile(
    r"\b(?:revis(?:e|ed|ing|ion)|updat(?:e|ed|ing)|"
    r"bring\b[^;?]{0,80}?\b(?:in|into)\s+line)\b",
    re.IGNORECASE,
)
WEAK = re.compile(
    r"\b(?:harmoni[sz](?:e|ed|ing|ation)|redline|red-line|redraft|rewrite|rework|(?-i:MOD))\b",
    re.IGNORECASE,
)
WHOLE = re.compile(
    r"\b(?:whole|entire|full|complete)\b|\ball\s+(?:of\s+)?(?:the\s+|its\s+)?(?:clauses|"
    r"paragraphs|text)\b",
    re.IGNORECASE,
)
RESOLUTION = re.compile(r"\b(?:resolution|document)\b", re.IGNORECASE)
QUESTION = re.compile(
    r"^(?:what|how|why|when|where|which|who|whose|does|did|do|is|are|was|were|has|have|had|"
    r"should|shall|must|can|could|would|will|may|might)\b(?!\s+(?:you|u|we)\b)(?!\s+about\b)",
    re.IGNORECASE,
)
FOLLOW = re.compile(
    r"^(?:and|now|then|also|what\s+about|how\s+about|same|ok|okay|instead)\b", re.IGNORECASE
)
WITH = re.compile(
    r"\b(?:with|from|using|based\s+on|against|taking|in\s+(?:the\s+)?light\s+of)\b", re.IGNORECASE
)
WITHOUT = re.compile(
    r"\b(?:without|except|excluding|exclude|but\s+not|leav(?:e|ing)\s+out|other\s+than|"
    r"apart\s+from|not\s+(?:using|from|with))\b",
    re.IGNORECASE,
)
PRONOUN = re.compile(r"\b(?:it|this|that|same)\b", re.IGNORECASE)
WORDS = frozenset(
    """
    revise revised revising revision revisions update updated updating harmonization
    harmonisation bring brought redraft rewrite rework whole entire full complete all
    resolution resolutions document counterparts counterpart others other parallel related
    corresponding ones sector sectors sectoral its their text texts version prepare produce
    do help want need like i'd let's using instead what how about also then ok okay just
    newest latest current whole-resolution throughout overall reflect match mirror follow
    consistent accordingly without except excluding exclude but not leave leaving out than
    apart
    """.split()
)


def cue(text: str) -> re.Match[str] | None:
    """The revise cue of a request (``None`` for a question or no cue)."""
    if QUESTION.match(text):
        return None
    return STRONG.search(text) or WEAK.search(text)


def roles(text: str, mentions: list[Mention], found: dict[int, str], at: re.Match[str]) -> None:
    """Add the ``with`` role to the mentions after "with", "from", "against" ..., and the
    ``without`` role to those after "without", "except", "but not" ... (the nearer cue wins;
    in place)."""
    verb_end = at.start() + len(re.match(r"[\w-]+", at.group()).group())  # type: ignore[union-attr]
    for mention in mentions:
        role = found.get(id(mention), "")
        if role == "for":
            continue
        start = verb_end if mention.start >= verb_end else 0
        before = text[start : mention.start]
        cues = [(m.start(), "without") for m in WITHOUT.finditer(before)]
        cues += [(m.start(), "with") for m in WITH.finditer(before)]
        nearest = max(cues)[1] if cues else ""
        if nearest == "without":
            found[id(mention)] = "without"
        elif role in ("base", "with") or nearest == "with":
            found[id(mention)] = "with"


def objects(mentions: list[Mention], found: dict[int, str]) -> list[Mention]:
    """The mentions without a role: the first names the resolution to revise."""
    return [m for m in mentions if not found.get(id(m))]


def is_revision(
    text: str, at: re.Match[str] | None, named: list[Mention], content: list[str], state: State
) -> bool:
    """Whether a request (or a follow-up of a revision) asks to revise a whole resolution."""
    rest = [w for w in content if w.lower() not in WORDS]
    if at is None:
        return state.intent == "revise" and bool(FOLLOW.match(text)) and not rest
    if rest and not WHOLE.search(text):
        return False
    if STRONG.search(text):
        return True
    return bool(named or WHOLE.search(text))


def in_force(mention: Mention, catalog: Catalog) -> list[Document]:
    """The documents a mention of the resolution to revise points at: when its version is left
    open, the newest version in force of each series (the newest when none is in force)."""
    docs, status, _ = resolve_mention(mention, catalog)
    cited = mention.cited
    if status not in ("resolved", "ambiguous"):
        return []
    if cited.place or cited.year or cited.status:
        return docs
    versions = catalog.matching(cited)
    current = catalog.newest([d for d in versions if "force" in d.status.lower()])
    series = {(d.body, d.number) for d in docs}
    return [d for d in current if (d.body, d.number) in series] or docs


def entities(
    found: Route,
    mentions: list[Mention],
    found_roles: dict[int, str],
    catalog: Catalog,
    state: State,
) -> None:
    """Fill the document to revise, the documents to take wording from and the target body."""
    previous: dict[str, Any] = {}
    if state.intent == "revise":  # the request of the revision before (or its documents)
        previous = state.revision or {
            "document": state.documents[0] if state.documents else "",
            "with_documents": state.documents[1:],
        }
    named = objects(mentions, found_roles)
    with_docs: list[str] = []
    without: list[str] = []
    for mention in mentions:
        role = found_roles.get(id(mention), "")
        docs, _, _ = resolve_mention(mention, catalog)
        if role == "for":
            found.for_body = mention.cited.body or (docs[0].body if docs else "")
            continue
        if role == "without":
            without.extend(d.id for d in docs)
            continue
        if named and mention is named[0]:
            continue
        bare = not (mention.cited.number or mention.cited.place or mention.cited.year)
        if bare and len(catalog.matching(mention.cited)) > 1:
            continue
        with_docs.extend(d.id for d in docs)
    candidates: list[str] = []
    if named:
        candidates = [d.id for d in in_force(named[0], catalog)]
        found.unresolved = "" if candidates else named[0].text
    elif previous.get("document"):
        candidates = [previous["document"]]
    elif state.documents and (
        state.intent == "revise" or (len(state.documents) == 1 and PRONOUN.search(found.message))
    ):
        candidates = [state.documents[0]]
    if not found.for_body and previous:
        found.for_body = str(previous.get("for_body") or "")
    if not with_docs and previous and not named:
        with_docs = list(previous.get("with_documents") or [])
    if not without and previous and not named:
        without = list(previous.get("exclude_documents") or [])
    base = candidates[0] if len(candidates) == 1 else ""
    found.revise_document = base
    found.exclude_documents = [d for d in dict.fromkeys(without) if d != base]
    found.with_documents = [
        d for d in dict.fromkeys(with_docs) if d != base and d not in found.exclude_documents
    ]
    found.documents = list(dict.fromkeys([*candidates, *found.with_documents]))
