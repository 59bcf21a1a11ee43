"""Conversation history in the library's database and follow-up resolution.

A follow-up ("and what does the WRC one say?") keeps the topic of the previous turn and switches
the body or resolution it names; "what about fellowships?" keeps the bodies and switches the topic.
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
from assistant.text.question import Mention, analyse

ID_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:-]{0,99}$")
FOLLOW_UP = re.compile(
    r"^(?:and|also|but|then|so|what about|how about|same for|same question for|and for|"
    r"what of|now)\b",
    re.IGNORECASE,
)
ANAPHORA = re.compile(
    r"\b(?:it|its|they|them|their|that|this|those|these|one|ones|there|same|"
    r"else|more|too|also)\b",
    re.IGNORECASE,
)
POINTING = re.compile(r"\b(?:it|its|that|this|those|these|they|them|their|there)\b", re.IGNORECASE)


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


def resolve_follow_up(question: str, previous: str | None, catalog: Catalog) -> str:
    """The standalone question meant by ``question`` after the earlier question ``previous``."""
    if not previous:
        return question
    now = analyse(question, catalog)
    shaped_like = bool(FOLLOW_UP.search(question.strip())) or (
        len(now.groups) <= 1 and bool(ANAPHORA.search(question))
    )
    if not shaped_like and now.groups:
        if now.mentions or not POINTING.search(question):
            return question
        before = analyse(previous, catalog)
        if not before.mentions:
            return question
        names = " and ".join(dict.fromkeys(m.text.strip() for m in before.mentions))
        return f"{question.rstrip(' ?.!')} in {names}?"  # "that footnote" of the same text
    if now.mentions and now.groups:
        return question  # names what and where: standalone
    before = analyse(previous, catalog)
    if now.mentions:
        names = " and ".join(dict.fromkeys(m.text.strip() for m in now.mentions))
        if before.mentions:
            return _replace_mentions(previous, before.mentions, names)
        return f"{previous.rstrip(' ?.!')} in {names}?"
    if now.groups:
        if not before.mentions:
            return question
        names = " and ".join(dict.fromkeys(m.text.strip() for m in before.mentions))
        return f"What does {names} say about {now.topic.rstrip(' ?.!')}?"
    return previous


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
        previous = self.turns(limit=1)
        return resolve_follow_up(question, previous[0].resolved if previous else None, catalog)

    def add(self, question: str, resolved: str, answer: dict[str, Any]) -> Turn:
        return self.store.add(self.id, question, resolved, answer)


def conversation_for(library: ClauseLibrary, conversation_id: str) -> Any:
    """The conversation ``conversation_id`` in the data directory of ``library``'s settings."""
    return ConversationStore.for_settings(library.settings).conversation(str(conversation_id))
