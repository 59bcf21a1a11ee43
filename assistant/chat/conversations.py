"""Conversation history in the library's database and follow-up resolution.

A follow-up ("and what does the WRC one say?") keeps the topic of the previous turn and switches
the body or resolution it names; "what about fellowships?" keeps the bodies and switches the topic.
Whether a message is a follow-up is a decision with evidence (:func:`decide_follow_up`): an
opening "and"/"what about", a word that points back ("it", "that footnote", "the WTDC one"), or
no subject of its own. A question that names its own subject is left as typed; "New question:"
before a message keeps it as typed.
Each turn stores the question as typed, the question as resolved (what was searched) and the
answer's JSON.
"""

from __future__ import annotations

import json
import re
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import func, insert, select
from sqlalchemy.exc import IntegrityError

from assistant.errors import BadRequestError
from assistant.index.database import Database, database_for, open_database
from assistant.index.database import conversation_turns as turns_table
from assistant.index.model import ClauseLibrary
from assistant.text.catalog import Catalog
from assistant.text.question import Mention, Question, analyse

ID_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:-]{0,99}$")
# "New question: ..." is never a follow-up: how a person undoes a rewrite they did not mean.
NEW_QUESTION = re.compile(
    r"^\s*(?:new\s+(?:question|topic|subject)|fresh\s+question|on\s+its\s+own)\s*[:,.-]\s*",
    re.IGNORECASE,
)
FOLLOW_UP = re.compile(
    r"^(?:and|also|but|then|what about|how about|same for|same question for|and for|"
    r"what of|now|ok|okay)\b",
    re.IGNORECASE,
)
# What a follow-up that asks a question of its own starts with, after its opening "and".
ASKING = re.compile(
    r"(?:when|where|who|whom|whose|which|what|how|why|was|were|is|are|does|do|did|has|have|"
    r"can|could|should|must|will|would)\b",
    re.IGNORECASE,
)
# "the WTDC one", "that one", "the other", "the same": a choice among what was just discussed.
ONE = re.compile(
    r"\b(?:the|that|this)\s+(?:[\w-]+\s+)?(?:one|ones)\b|\bthe\s+other\b|\b(?:the\s+)?same\b",
    re.IGNORECASE,
)
# Nouns a demonstrative points back with ("that footnote", "those meetings").
REFERRING = frozenset(
    """
    footnote footnotes clause clauses paragraph paragraphs provision provisions resolution
    resolutions text texts section sections draft drafts version versions document documents
    part item items point points list meeting meetings report reports body bodies director
    bureau conference conferences assembly assemblies organization organizations decision
    instruction request invitation date dates deadline requirement rule rules article annex
    sentence wording passage indent subparagraph council group forum session sessions
    countries country states members issue matter topic subject change changes revision
    amendment period budget fellowship fellowships sector sectors office offices proposal
    proposals chair chairs
    """.split()
)
# What follows a demonstrative used as a pronoun ("is that in", "does that apply", "why that?").
AFTER_PRONOUN = frozenset(
    """
    in of on for to at from about with by is are was were does do did has have had mean means
    apply applies say says cover covers include includes also too again still exactly
    """.split()
)
# What comes before a demonstrative pronoun (a relative "that" follows a noun instead).
BEFORE_PRONOUN = frozenset(
    """
    does do did is are was were has have and but about of in for with to on from by under
    what why how where when who which mean means
    """.split()
)
NOT_A_NOUN = frozenset("does is was has says this its thus always perhaps as yes us".split())
WH = frozenset("who whom which what how why when where whose".split())


@dataclass(frozen=True)
class FollowUp:
    """The decision on one message: the question as typed, what is searched and why.

    ``evidence`` is what makes it lean on the previous turn (an opening "and", "what about", a
    word that points back such as "it" or "that footnote", "the WTDC one", or no subject of its
    own); ``""`` when it stands alone, and then ``resolved == question``."""

    question: str
    resolved: str
    evidence: str = ""

    @property
    def rewritten(self) -> bool:
        return self.resolved != self.question


@dataclass(frozen=True)
class Turn:
    """One question and its answer."""

    index: int
    question: str
    resolved: str
    answer: dict[str, Any]
    created: float


def _replace_mentions(text: str, old: list[Mention], new: str) -> str:
    """``text`` with its first mention replaced by ``new`` and the other mentions cut out."""
    for position, mention in sorted(enumerate(old), key=lambda m: m[1].start, reverse=True):
        text = text[: mention.start] + (new if position == 0 else "") + text[mention.end :]
    text = re.sub(r"\s+(and|,)\s*(?=[?.!,]|\s+(?:say|says|said)\b)", "", text)
    return re.sub(r"\s+", " ", text).strip()


def _plural_before(words: list[str], position: int) -> bool:
    """Whether a plural noun comes before ``position`` (an antecedent for "they", "their")."""
    for i in range(position):
        word = words[i]
        noun_like = i > 0 and words[i - 1] not in WH
        plural = len(word) > 3 and word.endswith("s") and not word.endswith("ss")
        if noun_like and plural and word not in NOT_A_NOUN:
            return True
    return False


def pointing(question: str) -> str:
    """The words of ``question`` that point back at the previous turn ("it", "that footnote",
    "is that", "them" with no plural before it, "there" but not "is there"); ``""`` if none."""
    words = [w.lower() for w in re.findall(r"[A-Za-z][\w'-]*", question)]
    for i, word in enumerate(words):
        before = words[i - 1] if i else ""
        after = words[i + 1] if i + 1 < len(words) else ""
        if word in ("it", "its"):
            return word
        if word in ("they", "them", "their") and not _plural_before(words, i):
            return word
        if word in ("that", "this", "those", "these"):
            if after in REFERRING:
                return f"{word} {after}"
            if (not after or after in AFTER_PRONOUN) and (not before or before in BEFORE_PRONOUN):
                return word
        existential = before in ("is", "are", "was", "were", "be") or after in (
            "is", "are", "was", "were", "be", "any", "a", "an", "no",
        )  # fmt: skip
        if word == "there" and not existential:
            return word
    return ""


def evidence_of(question: str, now: Question) -> str:
    """Why ``question`` leans on the previous turn, in words; ``""`` when it stands alone."""
    text = question.strip()
    opening = FOLLOW_UP.match(text)
    if opening:
        return f'it opens with "{opening.group(0)}"'
    one = ONE.search(text)
    if one:
        return f'"{one.group(0)}" points back'
    word = pointing(text)
    if word:
        return f'"{word}" points back'
    if not now.groups and not now.mentions and not now.absent:  # "resolution 300": a subject
        return "it names no subject of its own"
    return ""


def decide_follow_up(question: str, previous: str | None, catalog: Catalog) -> FollowUp:
    """Whether ``question`` is a follow-up of the earlier question ``previous``, and if so the
    standalone question it means. A question that names its own subject, or needs none, is not
    a follow-up: only an opening "and"/"what about", a word that points back, or a question
    with no subject of its own is."""
    cleared = NEW_QUESTION.sub("", question, count=1)
    if cleared != question or not previous:
        return FollowUp(cleared, cleared)
    now = analyse(question, catalog)
    why = evidence_of(question, now)
    if not why:
        return FollowUp(question, question)
    resolved = _resolved(question, previous, catalog, now, why)
    return FollowUp(question, resolved, why if resolved != question else "")


def _resolved(question: str, previous: str, catalog: Catalog, now: Question, why: str) -> str:
    opening = why.startswith("it opens with")
    if now.mentions and now.groups:
        return question  # names what and where: standalone
    before = analyse(previous, catalog)
    names = " and ".join(dict.fromkeys(m.text.strip() for m in before.mentions))
    if now.mentions:
        mine = " and ".join(dict.fromkeys(m.text.strip() for m in now.mentions))
        if before.mentions:
            return _replace_mentions(previous, before.mentions, mine)
        return f"{previous.rstrip(' ?.!')} in {mine}?"
    if now.groups:
        if not before.mentions:
            return question
        rest = question
        while opening and FOLLOW_UP.match(rest):  # "and what about ...": both openings
            rest = FOLLOW_UP.sub("", rest, count=1).strip(" ,")
        if opening and not ASKING.match(rest):  # "what about fellowships?": another subject
            topic = FOLLOW_UP.sub("", now.topic, count=1).strip(" ,?.!")
            return f"What does {names} say about {topic}?"
        # "that footnote" of the same text; "and when was it adopted?": a question of its own
        return f"{rest.rstrip(' ?.!')} in {names}?"
    return previous


def resolve_follow_up(question: str, previous: str | None, catalog: Catalog) -> str:
    """The standalone question meant by ``question`` after the earlier question ``previous``."""
    return decide_follow_up(question, previous, catalog).resolved


class ConversationStore:
    """Every conversation, in the library's database (SQLite in the home, or PostgreSQL: then
    a conversation started on one API replica continues on any other)."""

    def __init__(self, where: Database | Path) -> None:
        if isinstance(where, Database):
            self.db = where
        else:  # a SQLite file of its own
            path = Path(where).resolve()
            self.db = open_database(f"sqlite:///{path}", path.parent)

    @classmethod
    def for_settings(cls, settings: Any) -> ConversationStore:
        return cls(database_for(settings))

    def conversation(self, conversation_id: str) -> Conversation:
        """The conversation with this id (created on its first turn)."""
        if not ID_PATTERN.match(conversation_id or ""):
            raise BadRequestError(
                f"invalid conversation id {conversation_id!r}: use 1-100 letters, digits, "
                "'.', '_', ':' or '-', starting with a letter or digit"
            )
        return Conversation(self, conversation_id)

    def turns(self, conversation_id: str, limit: int = 50) -> list[Turn]:
        t = turns_table
        with self.db.engine.connect() as conn:
            rows = conn.execute(
                select(t.c.idx, t.c.question, t.c.resolved, t.c.answer, t.c.created)
                .where(t.c.conversation == conversation_id)
                .order_by(t.c.idx.desc())
                .limit(limit)
            ).all()
        return [Turn(r[0], r[1], r[2], json.loads(r[3]), r[4]) for r in reversed(rows)]

    def add(
        self, conversation_id: str, question: str, resolved: str, answer: dict[str, Any]
    ) -> Turn:
        created = time.time()
        t = turns_table
        for attempt in range(5):  # two replicas adding to one conversation at once: retry
            try:
                with self.db.write() as conn:
                    last = conn.execute(
                        select(func.coalesce(func.max(t.c.idx), -1)).where(
                            t.c.conversation == conversation_id
                        )
                    ).scalar_one()
                    conn.execute(
                        insert(t).values(
                            conversation=conversation_id,
                            idx=last + 1,
                            question=question,
                            resolved=resolved,
                            answer=json.dumps(answer, ensure_ascii=False),
                            created=created,
                        )
                    )
                break
            except IntegrityError:
                if attempt == 4:
                    raise
        return Turn(int(last) + 1, question, resolved, answer, created)


@dataclass
class Conversation:
    """One conversation: its turns, and follow-up resolution against them."""

    store: ConversationStore
    id: str

    def turns(self, limit: int = 50) -> list[Turn]:
        return self.store.turns(self.id, limit)

    def resolve(self, question: str, catalog: Catalog) -> str:
        """``question`` as a standalone question, given the previous turn."""
        return self.follow_up(question, catalog).resolved

    def follow_up(self, question: str, catalog: Catalog) -> FollowUp:
        """The follow-up decision on ``question`` (what is searched, and why)."""
        previous = self.turns(limit=1)
        return decide_follow_up(question, previous[0].resolved if previous else None, catalog)

    def add(self, question: str, resolved: str, answer: dict[str, Any]) -> Turn:
        return self.store.add(self.id, question, resolved, answer)


def conversation_for(library: ClauseLibrary, conversation_id: str) -> Any:
    """The conversation ``conversation_id`` in the data directory of ``library``'s settings."""
    return ConversationStore.for_settings(library.settings).conversation(str(conversation_id))
