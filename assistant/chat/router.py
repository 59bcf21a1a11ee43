"""The deterministic intent router: what a chat message asks, and what it names.

Intents: ``revise`` (a whole resolution, :mod:`assistant.chat.router_revise`), ``draft`` (propose,
merge, harmonize, redline), ``compare`` (compare, differ, change, align), ``lookup`` (a clause
named, and a request to see it), else ``question``. Entities: bodies (glossary and named
resolutions), documents (named resolutions; a bare body counts only when the corpus holds one
document of it), clause references (``assistant.text.references``), the target body of a draft ("for
the Plenipotentiary") and the documents to take into account. Follow-ups ("that", "it", "the same
draft") resolve against the :class:`State` an earlier turn left.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

from assistant.chat import router_revise as revising
from assistant.chat.addressees import asked_sections
from assistant.chat.locate import asked_subject
from assistant.text.catalog import Catalog
from assistant.text.clause_refs import match_clauses
from assistant.text.glossary import load_glossary
from assistant.text.mentions import Mention, all_mentions
from assistant.text.references import Reference, resolve, resolve_mention
from ingest.model import Document

Intent = Literal["question", "lookup", "compare", "draft", "revise", "summary"]
INTENTS: tuple[str, ...] = ("question", "lookup", "compare", "draft", "revise", "summary")

DRAFT = re.compile(
    r"\b(?:propos(?:e|al)|suggest|harmoni[sz](?:e|ed|ing|ation)|merg(?:e|ed|ing)|redraft|"
    r"rewrite|reword|combine|consolidate|redline|red-line|tracked changes|revision marks|MOD)\b"
    r"|(?:^|[.!?;]\s*|\b(?:now|please|you|to|then|also|and|let's|lets|us)\s+)(?:draft|write)\b",
    re.IGNORECASE,
)
# A question about how something is done (or who, when, where... does it) is a question, whatever
# its verbs: "How do regional telecommunication organizations vote to adopt a common proposal?".
# Asking the assistant to do it ("how would you merge ...", "how should we word ...") is not.
ASKS_HOW = re.compile(
    r"^\s*(?:and\s+|so\s+|but\s+|then\s+)?(?:how|who|whom|when|where|why|which|what)\b"
    r"[^.!;:]*?\b(?:do|does|did|is|are|was|were|must|shall|can|may|should|will|has|have|had)\b"
    r"(?!\s+(?:you|we|i|us)\b)",
    re.IGNORECASE,
)
WH_QUESTION = re.compile(
    r"^\s*(?:and\s+|so\s+|but\s+|then\s+)?(?:how|who|whom|when|where|why|which|what)\b"
    r"(?!\s+(?:about|of)\b)(?![^?]*\b(?:you|we|i|me|us|let's|lets|would|could)\b)[^?]*\?\s*$",
    re.IGNORECASE,
)
COMPARE = re.compile(
    r"\b(?:compare[sd]?|comparing|comparison|differ(?:s|ent|ence|ences)?|diff|chang(?:e|es|ed)|"
    r"versus|vs\.?|line(?:s|d)? up|align(?:s|ed|ment)?|contrast|side by side)\b",
    re.IGNORECASE,
)
LOOKUP = re.compile(
    r"\b(?:show|quote|read|open|display|print|give me|look up|lookup|cite|text of|what is|"
    r"what's|what does|what do)\b",
    re.IGNORECASE,
)
# A question about a whole resolution (or one of its sections), with no subject of its own:
# "Summarize resolution 300", "What does WTSA 43 resolve?", "What does Res. 300 (Testville, 2030)
# say?".
SUMMARY = re.compile(
    r"\b(?:summari[sz](?:e|ed|ing)|summary|overview|outline|gist|main\s+points|key\s+points|"
    r"operative\s+(?:part|paragraphs|clauses|provisions))\b",
    re.IGNORECASE,
)
WHOLE_QUESTION = re.compile(
    r"^\s*(?:what|which)(?:'s|\s+(?:does|do|did|is|are|was|were))\b", re.IGNORECASE
)
# "and what does the WTDC one say?": a follow-up, never a summary
LEANS_BACK = re.compile(
    r"^\s*(?:and|also|but|then|now|what\s+about|how\s+about)\b|\b(?:the|that|this)\s+"
    r"(?:[\w-]+\s+)?one\b",
    re.IGNORECASE,
)
SECTION_VERBS = {
    "resolve": "resolves",
    "resolves": "resolves",
    "decide": "decides",
    "decides": "decides",
    "instruct": "instructs",
    "instructs": "instructs",
    "invite": "invites",
    "invites": "invites",
    "request": "requests",
    "requests": "requests",
    "ask": "requests",
    "asks": "requests",
    "consider": "considering",
    "considerings": "considering",
    "recall": "recalling",
    "note": "noting",
    "recognize": "recognizing",
    "recognise": "recognizing",
    "urge": "urges",
    "encourage": "encourages",
}
SUMMARY_WORDS = frozenset(
    """
    summarize summarise summarized summarised summarizing summarising summary overview outline
    gist main key points operative part parts paragraphs provisions clauses say says said
    provide provides contain contains cover covers do does did whole all brief briefly short
    shortly what which are is was were tell about in of the a an it its whole entire
    """.split()
)
SAME = re.compile(
    r"\b(?:the\s+)?(?:same|this|that)\s+(?:draft|text|resolution|document|version|"
    r"one)\b",
    re.IGNORECASE,
)
PRONOUN = re.compile(r"\b(?:that|it|this|those|these|them|same)\b", re.IGNORECASE)
FOR_BODY = re.compile(r"\bfor\s+(?:the\s+)?$", re.IGNORECASE)
WITH_CUE = re.compile(
    r"\b(?:taking|take)\b[^.;?]*$|\bin\s+(?:the\s+)?light\s+of\s+[^.;?]*$|"
    r"\bin\s+line\s+with\s+[^.;?]*$",
    re.IGNORECASE,
)
WITH_AT = re.compile(r"\bin\s+line\s+with\s+(?:the\s+)?$|\btaking\s+$", re.IGNORECASE)
AGAINST = re.compile(r"\bagainst\s+(?:the\s+)?$", re.IGNORECASE)
_FILLER = frozenset(
    """
    a an the of for from on about in into with to and or please now me us can could would
    you i we it that this those these them same draft drafts merge merged merging version
    versions harmonize harmonized harmonise harmonised wording text texts clause clauses
    propose proposal suggest write new one single union wide union-wide mod redline show as
    against based line taking account into make give
    """.split()
)


@dataclass
class State:
    """What a turn leaves for the next: its intent, documents, clauses, question, draft request."""

    intent: str = ""
    question: str = ""
    documents: list[str] = field(default_factory=list)
    clause_ids: list[str] = field(default_factory=list)
    draft: dict[str, Any] = field(default_factory=dict)
    revision: dict[str, Any] = field(default_factory=dict)  # the revise request
    draft_result: dict[str, Any] = field(default_factory=dict)  # the draft JSON (not saved twice)

    @classmethod
    def from_json(cls, data: dict[str, Any] | None) -> State:
        data = data or {}
        return cls(
            **{
                k: data[k]
                for k in ("intent", "question", "documents", "clause_ids", "draft", "revision")
                if k in data
            }
        )

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        del data["draft_result"]
        return data


@dataclass
class Route:
    """The router's decision for one message."""

    intent: str
    message: str
    references: list[Reference] = field(default_factory=list)  # clause and section references
    documents: list[str] = field(default_factory=list)
    bodies: list[str] = field(default_factory=list)
    with_documents: list[str] = field(default_factory=list)
    exclude_documents: list[str] = field(default_factory=list)  # "without", "except" ...
    for_body: str = ""
    base_document: str = ""  # a redline's base ("against the 2014 text")
    revise_document: str = ""  # the resolution to revise (intent ``revise``)
    unresolved: str = ""  # how the message named a resolution that the library lacks (revise)
    topic: str = ""
    follow_up: bool = False  # the message leans on the previous turn
    section: str = ""  # summary: the heading keyword asked for ("resolves"); "" = operative part
    # summary: the headings asked for, by verb and addressee ("instructs the Council"; a verb
    # under "resolves" too: "resolves to instruct ..."); [] = every section of the keyword
    headings: list[str] = field(default_factory=list)
    subject: str = (
        ""  # summary: only the clauses that speak of it ("Which provisions ... deal with")
    )

    @property
    def clause_ids(self) -> list[str]:
        return list(
            dict.fromkeys(i for r in self.references if r.kind == "clause" for i in r.clause_ids)
        )

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["references"] = [r.to_json() for r in self.references]
        data["clause_ids"] = self.clause_ids
        return data


def intent_of(message: str, references: list[Reference], rest_words: list[str]) -> str:
    """The intent from the wording alone (plus whether a clause is named)."""
    if wants_draft(message):
        return "draft"
    if COMPARE.search(message):
        return "compare"
    named = [r for r in references if r.clause_ids or r.kind == "clause"]
    if named and (LOOKUP.search(message) or len(rest_words) <= 3):
        return "lookup"
    return "question"


def asks_how(message: str) -> bool:
    """Whether the message asks how (who, when...) something is done: a question."""
    return bool(ASKS_HOW.search(message) or WH_QUESTION.search(message))


def wants_draft(message: str) -> bool:
    """Whether the message asks for wording (not a question that merely names drafting)."""
    return bool(DRAFT.search(message)) and not asks_how(message)


def _roles(text: str, mentions: list[Mention], draft: bool) -> dict[int, str]:
    roles: dict[int, str] = {}
    for mention in mentions:
        before = text[: mention.start]
        if draft and _left_out(before):
            roles[id(mention)] = "without"
        elif AGAINST.search(before):
            roles[id(mention)] = "base"
        elif draft and FOR_BODY.search(before) and not mention.cited.number:
            roles[id(mention)] = "for"
        elif (WITH_CUE.search(before) and "into account" in text[mention.end :].lower()) or (
            WITH_AT.search(before)
        ):
            roles[id(mention)] = "with"
    return roles


def _left_out(before: str) -> bool:
    """Whether the nearest cue before a mention leaves it out ("without the Doha draft", "but
    not WTDC 31"; a "with" or "for" after that cue starts a new list)."""
    out = [m.end() for m in revising.WITHOUT.finditer(before)]
    back = [m.end() for m in revising.WITH.finditer(before)] + [
        m.end() for m in FOR_BODY.finditer(before)
    ]
    return bool(out) and max(out) > max(back, default=-1)


def route(message: str, catalog: Catalog, state: State | None = None) -> Route:
    """Intent and entities of ``message``; ``state`` is what the previous turn left."""
    state = state or State()
    text = " ".join(message.split())
    mentions = all_mentions(text, catalog)
    drafting = wants_draft(text)
    revise_cue = None if asks_how(text) else revising.cue(text)
    roles = _roles(text, mentions, drafting)
    revising_now = revise_cue is not None or state.intent == "revise"
    revise_roles = _roles(text, mentions, True) if revising_now else {}
    if revise_cue is not None:
        revising.roles(text, mentions, revise_roles, revise_cue)
    skip = [
        d.id
        for m in mentions
        if roles.get(id(m)) in ("for", "with", "base", "without")
        for d in resolve_mention(m, catalog)[0]
    ]
    same = SAME.search(text)
    references = resolve(text, catalog, context=state.documents or None, exclude=skip)
    clause_refs = [r for r in references if r.kind != "document"]
    rest = _rest_words(text, references)
    intent = intent_of(text, clause_refs, rest)
    content = [w for w in rest if w.lower() not in _FILLER]
    named = revising.objects(mentions, revise_roles)
    if (
        not [r for r in clause_refs if r.clause_ids or r.kind == "clause"]
        and not asks_how(text)
        and revising.is_revision(text, revise_cue, named, content, state)
    ):
        found = Route("revise", text, clause_refs)
        revising.entities(found, mentions, revise_roles, catalog, state)
        found.bodies = _bodies(text, found, catalog, mentions)
        found.topic = " ".join(rest)
        return found
    if revise_cue is not None and intent in ("lookup", "question") and clause_refs:
        intent, roles = "draft", revise_roles  # "revise considering e) of PP-58 for PP"
    found = Route(intent, text, clause_refs)
    for mention in mentions:
        docs, status, _ = resolve_mention(mention, catalog)
        role = roles.get(id(mention), "")
        bare_body = not (mention.cited.number or mention.cited.place or mention.cited.year)
        if role == "for":
            found.for_body = mention.cited.body or (docs[0].body if docs else "")
            continue
        if role == "without":
            found.exclude_documents.extend(d.id for d in docs)
            continue
        if role == "base" and docs:
            found.base_document = docs[0].id
        if bare_body and len(catalog.matching(mention.cited)) > 1:
            continue
        if status in ("resolved", "ambiguous"):
            found.documents.extend(d.id for d in docs)
            if role == "with":
                found.with_documents.extend(d.id for d in docs)
    if same and state.documents:
        found.documents.extend(state.documents)
    left_out = set(found.exclude_documents)
    found.documents = [d for d in dict.fromkeys(found.documents) if d not in left_out]
    found.with_documents = [d for d in found.with_documents if d not in left_out]
    if intent == "compare":
        _add_counterparts(found, catalog)
    found.bodies = _bodies(text, found, catalog, mentions)
    found.topic = " ".join(rest)
    found.follow_up = bool(PRONOUN.search(text)) and not content and not found.clause_ids
    if intent in ("question", "lookup") and not any(
        r.clause_ids or r.kind == "clause" for r in found.references
    ):
        _summary(found, text, rest, mentions, catalog)
    return found


def summary_section(text: str, rest: list[str]) -> tuple[str, list[str]] | None:
    """For a message about a whole resolution: the heading keyword it asks for ("" for the
    operative part) and the words left over (they must name the section: "instruct the
    Secretary-General"); ``None`` for a message of another form."""
    if LEANS_BACK.search(text) or not (SUMMARY.search(text) or WHOLE_QUESTION.match(text)):
        return None
    section, left = "", []
    for word in (w.strip("'’") for w in rest):
        lowered = word.lower()
        if lowered in SECTION_VERBS and not section:
            section = SECTION_VERBS[lowered]
        elif lowered not in SUMMARY_WORDS and lowered not in _FILLER:
            left.append(word)
    return section, left


def _summary(
    found: Route, text: str, rest: list[str], mentions: list[Mention], catalog: Catalog
) -> None:
    """Make ``found`` a ``summary`` when the message asks about a named resolution as a whole
    (its version in force when the name leaves the version open), a section of it by verb and
    addressee, where it speaks of a subject (:mod:`assistant.chat.locate`), or about a number
    the library does not hold (``unresolved``)."""
    located = asked_subject(text)
    asked = ("", []) if located else summary_section(text, rest)
    if asked is None:
        return
    section, left = asked
    if left and not section:
        return  # a subject of its own: a question
    if located:  # only the resolutions named before the subject
        mentions = [m for m in mentions if m.end <= located[0]]
    documents: list[str] = []
    for mention in mentions:
        docs = revising.in_force(mention, catalog)
        if docs and (mention.cited.number or len(catalog.matching(mention.cited)) == 1):
            documents.extend(d.id for d in docs)
        elif not docs and mention.cited.number and not found.unresolved:
            found.unresolved = mention.text
    if not documents and not found.unresolved:
        return
    documents = list(dict.fromkeys(documents))
    headings = [
        part.heading
        for d in documents
        for part in (asked_sections(catalog.by_id[d], section, left) if section else [])
    ]
    if left and not headings:
        return  # "what does WTSA 43 resolve about the forum?": a question
    found.intent = "summary"
    found.section = section
    found.headings = headings
    found.subject = located[1] if located else ""
    found.documents = documents


def _rest_words(text: str, references: list[Reference]) -> list[str]:
    """The words outside every reference span (for the topic and the lookup test)."""
    spans = sorted((r.start, r.end) for r in references)
    kept, position = [], 0
    for start, end in spans:
        if start >= position:
            kept.append(text[position:start])
            position = end
    kept.append(text[position:])
    words = re.findall(r"[A-Za-z][\w'’-]*", " ".join(kept))
    lookup_words = {
        "show",
        "me",
        "quote",
        "read",
        "open",
        "give",
        "please",
        "the",
        "of",
        "in",
        "what",
        "is",
        "does",
        "say",
        "says",
        "exactly",
        "and",
        "text",
        "display",
        "paragraph",
        "clause",
        "section",
        "print",
        "cite",
        "from",
        "a",
        "what's",
    }
    return [w for w in words if w.lower() not in lookup_words]


def _add_counterparts(found: Route, catalog: Catalog) -> None:
    """'How does the Doha draft change X?', 'is X of A different from B?': the same clause in
    the other documents named, or else in the version before the one named."""
    targets = list(found.documents)
    if len(found.documents) == 1:
        previous = catalog.previous_version(catalog.by_id[found.documents[0]])
        if previous is not None:
            found.documents.append(previous.id)
            targets.append(previous.id)
    covered = {i.split("/", 1)[0] for r in found.references for i in r.clause_ids}
    for reference in found.references:
        if reference.kind != "clause" or not reference.document:
            continue
        for target in targets:
            if target in covered or target not in catalog.by_id:
                continue
            ids = _same_clause(reference, catalog.by_id[target])
            reference.clause_ids = reference.clause_ids + ids


def same_clause(reference: Reference, document: Document) -> list[str]:
    """The clause of ``document`` with the section and label that ``reference`` names."""
    return _same_clause(reference, document)


def _same_clause(reference: Reference, document: Document) -> list[str]:
    sub = (
        f", {reference.sub}"
        if reference.sub.startswith("indent")
        else (f" {reference.sub})" if reference.sub else "")
    )
    probes = [
        reference.text,
        f"{reference.section} {reference.label}{sub}",
        f"{reference.section.split()[0]} {reference.label}{sub}",
    ]
    for probe in probes:
        hits = match_clauses(probe, document, require_label=True)
        if hits:
            return hits[0].clause_ids
    return []


def _bodies(text: str, found: Route, catalog: Catalog, mentions: list[Mention]) -> list[str]:
    bodies = list(load_glossary().find(text).bodies)
    bodies += [m.cited.body for m in mentions if m.cited.body]
    bodies += [catalog.by_id[d].body for d in found.documents if d in catalog.by_id]
    if found.for_body:
        bodies.append(found.for_body)
    return list(dict.fromkeys(b for b in bodies if b))
