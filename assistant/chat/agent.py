"""The chat agent: one entry point for questions, look-ups, comparisons, drafts and revisions.

    respond(library, message, *, conversation_id=None, chat_model=None) -> Reply
    stream_respond(...) -> Iterator[str | Reply]   (pieces of the answer, then the Reply)
    stream_respond(..., events=True) -> Iterator[str | StreamEvent | Reply]
        (also what is known as it is known: the intent, then the citations; for the web page)

Offline (``chat_model=None``, the default) the deterministic router (:mod:`assistant.chat.router`)
decides the intent and the entities and calls the tools (:mod:`assistant.chat.tools`). With a chat
model that calls tools, a tool-calling loop over the same tools runs within limits of steps and time
(:mod:`assistant.chat.agent_llm`); its final answer passes the citation checks of
:mod:`assistant.answering.citations`, else the router's reply is returned instead. Plain questions
cost one routing pass (milliseconds) on top of :func:`assistant.answering.answer.answer`.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from assistant.answering.answer import SEARCHED, Answer, answer, stream_answer
from assistant.chat import agent_offline as offline
from assistant.chat import agent_revise
from assistant.chat import agent_texts as texts
from assistant.chat.agent_llm import run_agent
from assistant.chat.conversations import conversation_for
from assistant.chat.model import CitationsEvent, IntentEvent, Reply, StreamEvent
from assistant.chat.router import Route, State, route
from assistant.chat.tools import Tools
from assistant.errors import BadRequestError
from assistant.index.model import ClauseLibrary
from assistant.settings import MAX_QUESTION_CHARS
from assistant.text.question import catalog_for


def respond(
    library: ClauseLibrary,
    message: str,
    *,
    conversation_id: str | None = None,
    chat_model: Any = None,
) -> Reply:
    """Reply to one chat message (see the module doc)."""
    final: Reply | None = None
    for piece in stream_respond(
        library, message, conversation_id=conversation_id, chat_model=chat_model
    ):
        if isinstance(piece, Reply):
            final = piece
    assert final is not None
    return final


def stream_respond(
    library: ClauseLibrary,
    message: str,
    *,
    conversation_id: str | None = None,
    chat_model: Any = None,
    events: bool = False,
) -> Iterator[str | StreamEvent | Reply]:
    """Yield pieces of the answer text, then the final :class:`Reply` (always last).

    With ``events``, also what is known as soon as it is known: an :class:`IntentEvent` right
    after routing (before any search), then a :class:`CitationsEvent` once the answer's clauses
    are found: before the text of an offline answer, after a model's text (its citations are
    checked against its words). Each is yielded when it is produced, never held back."""
    text = _checked(message)
    thread = _thread(library, conversation_id)
    state = _state(thread)
    catalog = catalog_for(library)
    found = route(text, catalog, state)
    if events:
        yield IntentEvent(found.intent, list(found.documents), list(found.clause_ids))
    tools = Tools(library, catalog, context=state.documents)
    if chat_model is not None:
        reply = run_agent(library, text, found, tools, chat_model, state)
        if reply is not None:
            _record(thread, text, reply, state)
            yield from _finish(reply, events)
            return
        tools = Tools(library, catalog, context=state.documents)
    if found.intent == "question" or (
        found.intent == "compare" and not (found.clause_ids or len(found.documents) >= 2)
    ):
        yield from _question(library, text, found, tools, thread, chat_model, events)
        return
    reply = _offline(library, text, found, tools, state)
    _record(thread, text, reply, state)
    yield from _finish(reply, events)


def _finish(reply: Reply, events: bool) -> Iterator[str | StreamEvent | Reply]:
    """A reply composed whole: its citations (with ``events``), its lines, then itself."""
    if events:
        yield CitationsEvent(reply.citations, reply.related, reply.status)
    yield from _lines(reply.answer)
    yield reply


def _offline(library: ClauseLibrary, text: str, found: Route, tools: Tools, state: State) -> Reply:
    args: dict[str, Any] = {}
    if found.intent == "lookup":
        fields = offline.lookup(tools, found)
    elif found.intent == "summary":
        fields = texts.summary(tools, found)
    elif found.intent == "compare":
        fields = offline.compare(tools, found, lambda: _answer_json(library, text, tools))
    elif found.intent == "revise":
        fields, args = agent_revise.revise(tools, found, state)
        return _reply(fields, found, tools, revise_args=args)
    else:
        fields, args = offline.draft(tools, found, state)
    return _reply(fields, found, tools, draft_args=args)


def _question(
    library: ClauseLibrary,
    text: str,
    found: Route,
    tools: Tools,
    thread: Any,
    chat_model: Any = None,
    events: bool = False,
) -> Iterator[str | StreamEvent | Reply]:
    """The answerer (which words the answer with ``chat_model`` if it can, under its own
    citation checks). With ``events`` and no model, the offline answer's lines (composed at once
    after the search) wait for its citations, which are sent first; a model's tokens never wait."""
    held: list[str] = []
    searched = ""  # the "Searched: ..." line of a rewritten follow-up
    for piece in stream_answer(library, text, conversation=thread, chat_model=chat_model):
        if isinstance(piece, str) and piece.startswith(SEARCHED) and not searched:
            searched = piece
        if isinstance(piece, Answer):
            tools.calls.append({"tool": "search", "args": {"query": piece.question or text}})
            fields = piece.to_json()
            if searched:
                fields["searched"] = piece.question
                fields["answer"] = searched + fields["answer"]
            tools.retrieved.update(c["id"] for c in fields.get("citations", []))
            reply = _reply(fields, found, tools)
            if events:
                yield CitationsEvent(reply.citations, reply.related, reply.status)
            yield from held
            yield reply
        elif events and chat_model is None:
            held.append(piece)
        else:
            yield piece


def _answer_json(library: ClauseLibrary, text: str, tools: Tools) -> dict[str, Any]:
    tools.calls.append({"tool": "search", "args": {"query": text}})
    return answer(library, text).to_json()


def _reply(
    fields: dict[str, Any],
    found: Route,
    tools: Tools,
    draft_args: dict[str, Any] | None = None,
    revise_args: dict[str, Any] | None = None,
) -> Reply:
    core = {"status", "answer", "citations", "related"}
    extra = {k: v for k, v in fields.items() if k not in core}
    extra["links"] = offline.links_for(tools, list(fields.get("citations", [])))
    if draft_args:
        extra["draft_request"] = {k: v for k, v in draft_args.items() if v}
    if revise_args:
        extra["revise_request"] = {k: v for k, v in revise_args.items() if v}
    return Reply(
        status=fields["status"],
        answer=fields["answer"],
        citations=list(fields.get("citations", [])),
        related=list(fields.get("related", [])),
        intent=found.intent,
        tool_calls=[{"tool": c["tool"], "args": c["args"]} for c in tools.calls],
        extra=extra,
        route=found,
    )


def _checked(message: str) -> str:
    text = " ".join(str(message or "").split())
    if not text:
        raise BadRequestError(
            "the message is empty: ask a question, name a clause "
            "('WTSA 43 resolves to instruct 1') or ask for a draft"
        )
    if len(text) > MAX_QUESTION_CHARS:
        raise BadRequestError(
            f"the message is {len(text)} characters long; keep it under {MAX_QUESTION_CHARS}"
        )
    return text


def _lines(text: str) -> Iterator[str]:
    yield from text.splitlines(keepends=True)


# -- conversation state ------------------------------------------------------------------------


def _thread(library: ClauseLibrary, conversation_id: str | None) -> Any:
    if not conversation_id:
        return None

    return conversation_for(library, conversation_id)


def _state(thread: Any) -> State:
    """What the previous turn left: our own state, or what a plain answer's citations say."""
    if thread is None:
        return State()
    turns = thread.turns(limit=1)
    if not turns:
        return State()
    last = turns[0]
    saved = last.answer.get("state")
    if isinstance(saved, dict):
        state = State.from_json(saved)
        if state.intent == "draft" and isinstance(last.answer.get("draft"), dict):
            state.draft_result = last.answer["draft"]
        return state
    citations = last.answer.get("citations", [])
    return State(
        intent="question",
        question=last.resolved,
        documents=list(dict.fromkeys(c["document"] for c in citations)),
        clause_ids=[c["id"] for c in citations],
    )


def _record(thread: Any, text: str, reply: Reply, previous: State) -> None:
    if thread is None:
        return
    found = reply.route
    draft_request = reply.extra.get("draft_request") or (
        previous.draft if reply.intent == "draft" else {}
    )
    clause_ids = (
        found.clause_ids if found and found.clause_ids else [c["id"] for c in reply.citations]
    )
    documents = (
        found.documents
        if found and found.documents
        else list(dict.fromkeys(c["document"] for c in reply.citations))
    )
    state = State(
        intent=reply.intent,
        question=previous.question if reply.intent == "draft" and previous.question else text,
        documents=documents,
        clause_ids=clause_ids,
        draft=draft_request,
        revision=reply.extra.get("revise_request")
        or (previous.revision if reply.intent == "revise" else {}),
    )
    thread.add(text, text, {**reply.to_json(), "state": state.to_json()})
