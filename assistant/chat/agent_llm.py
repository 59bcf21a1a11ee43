"""The tool-calling agent: a chat model (a :class:`~assistant.chat_model.ToolCallingModel`) calls
the tools of :mod:`assistant.chat.tools` in a loop limited in steps and time. Its final answer must
cite clause ids (``[id]``) that the tools returned in this turn, with quoted words found in those
clauses (:mod:`assistant.answering.citations`); otherwise :func:`run_agent` returns ``None`` and
the router's reply is used instead. A model that cannot call tools, errs, or runs out of steps or
time also returns ``None``.
"""

from __future__ import annotations

import concurrent.futures
import contextlib
import json
import logging
import re
import time
import weakref
from typing import Any

from assistant.answering import citations as checks
from assistant.chat.agent_offline import docx_hint, links_for
from assistant.chat.agent_revise import docx_hint as revise_docx_hint
from assistant.chat.model import Reply
from assistant.chat.router import Route, State
from assistant.chat.tools import TOOL_SPECS, Tools, for_model
from assistant.chat_model import (
    ModelReply,
    ToolCallingModel,
    ToolResult,
    Turn,
    as_tool_calling_model,
)
from assistant.index.model import ClauseLibrary
from prompts import load_prompt

log = logging.getLogger(__name__)
CITED = re.compile(
    r"(?:[\"“](?P<words>[^\"”]{3,400})[\"”]\s*)?"
    r"\[(?P<id>[a-z0-9][\w./-]*/[\w./-]+)\]"
)
MAX_TOOL_CHARS = 6000


MAX_STRIKES = 2
_strikes: dict[int, int] = {}  # id(chat model) -> turns it failed to complete with tools


def _strike(chat_model: Any) -> None:
    """Count a failed turn; after MAX_STRIKES the model is not asked again (until it is freed)."""
    key = id(chat_model)
    if key not in _strikes:
        with contextlib.suppress(TypeError):  # no weak references: counted for the process
            weakref.finalize(chat_model, _strikes.pop, key, None)
    _strikes[key] = _strikes.get(key, 0) + 1


def _invoke(
    model: ToolCallingModel, messages: list[Turn], max_tokens: int, seconds: float
) -> ModelReply | None:
    pool = concurrent.futures.ThreadPoolExecutor(max_workers=1)
    try:
        future = pool.submit(model.call_tools, list(messages), TOOL_SPECS, max_tokens=max_tokens)
        return future.result(timeout=max(0.1, seconds))
    except concurrent.futures.TimeoutError:
        log.warning("the chat model did not answer within the agent's time limit")
        return None
    except Exception as error:  # any failure of the model: fall back to the router
        log.warning("the chat model failed: %s", type(error).__name__)
        return None
    finally:
        pool.shutdown(wait=False, cancel_futures=True)


def _hint(found: Route) -> str:
    parts = [f"The router reads this as a {found.intent}."]
    if found.clause_ids:
        parts.append("Clauses named: " + ", ".join(found.clause_ids) + ".")
    if found.documents:
        parts.append("Documents named: " + ", ".join(found.documents) + ".")
    if found.revise_document:
        parts.append(f"Resolution to revise: {found.revise_document}.")
    if found.for_body:
        parts.append(f"Target body of a draft: {found.for_body}.")
    return " ".join(parts)


def run_agent(
    library: ClauseLibrary, text: str, found: Route, tools: Tools, chat_model: Any, state: State
) -> Any:
    """The model's reply (a :class:`~assistant.chat.agent.Reply`), or ``None`` to fall back."""
    settings = getattr(library, "settings", None)
    max_steps = int(getattr(settings, "agent_max_steps", 6))
    limit = float(getattr(settings, "agent_timeout", 90.0))
    if _strikes.get(id(chat_model), 0) >= MAX_STRIKES:
        return None  # it failed before: go straight to the router
    model = as_tool_calling_model(chat_model)
    if model is None:
        return None  # it cannot call tools: the router answers
    max_tokens = int(getattr(settings, "agent_max_tokens", 512))
    system = load_prompt("agent")
    earlier = f" Earlier in this conversation: {state.question}" if state.question else ""
    messages: list[Turn] = [
        {"role": "system", "content": system},
        {"role": "user", "content": f"{text}\n\n({_hint(found)}{earlier})"},
    ]
    started = time.monotonic()
    final = ""
    for _ in range(max_steps):
        remaining = limit - (time.monotonic() - started)
        message = _invoke(model, messages, max_tokens, remaining) if remaining > 0 else None
        if message is None:
            _strike(chat_model)
            return None
        messages.append(message)
        if not message.tool_calls:
            final = message.text.strip()
            break
        for number, call in enumerate(message.tool_calls):
            result = for_model(call.name, tools.run(call.name, dict(call.args)))
            content = json.dumps(result, ensure_ascii=False)[:MAX_TOOL_CHARS]
            messages.append(ToolResult(call.id or f"call-{number}", content, call.name))
    else:
        _strike(chat_model)
        return None
    if not tools.calls:
        _strike(chat_model)  # answered without the tools: not a tool-calling model
    return _checked_reply(library, final, found, tools)


def _checked_reply(library: ClauseLibrary, final: str, found: Route, tools: Tools) -> Any:
    if not final:
        return None
    quotes = [
        checks.Quote(m.group("id"), (m.group("words") or "").strip()) for m in CITED.finditer(final)
    ]
    kept, rejected = checks.check(library, quotes, tools.retrieved)
    drafted = tools.drafts[-1] if tools.drafts else None
    revised = tools.revisions[-1] if tools.revisions else None
    if not kept and drafted is None and revised is None:
        return None
    for bad in rejected:
        final = final.replace(f"[{bad.quote.clause_id}]", "")
    cited_ids = list(dict.fromkeys(q.clause_id for q in kept))
    citations = [dict(library.clause(i)) for i in cited_ids]
    extra: dict[str, Any] = {"mode": "llm"}
    if drafted is not None:
        extra["draft"] = drafted["draft"]
        extra["docx"] = docx_hint({k: v for k, v in drafted["args"].items() if v})
        known = {c["id"] for c in citations}
        citations += [c for c in drafted["draft"].get("sources", []) if c["id"] not in known]
    if revised is not None:
        citations += _revision_citations(library, revised["revision"], citations)
        extra["revision"] = revised["revision"]
        asked, done = revised["args"], revised["revision"]
        extra["docx"] = revise_docx_hint(
            {
                "document": done["document"],
                "for_body": asked.get("for_body"),
                "with_documents": done.get("with") if asked.get("with_documents") else None,
                "exclude_documents": done.get("excluded"),
            }
        )
    extra["links"] = links_for(tools, citations)
    names = {c["tool"] for c in tools.calls}
    intent = (
        "revise"
        if revised is not None
        else "draft"
        if drafted is not None
        else "compare"
        if names & {"compare", "align"}
        else "lookup"
        if names and names <= {"get_clause", "resolve_reference"}
        else "question"
    )
    return Reply(
        status="answered",
        answer=re.sub(r"[ \t]{2,}", " ", final).strip(),
        citations=citations,
        intent=intent,
        tool_calls=[{"tool": c["tool"], "args": c["args"]} for c in tools.calls],
        extra=extra,
        route=found,
        mode="llm",
    )


def _revision_citations(
    library: ClauseLibrary, revision: dict[str, Any], known: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """The sources of the revised and added clauses of a revision (not yet in ``known``)."""
    seen = {c["id"] for c in known}
    ids = [
        s
        for c in revision.get("clauses", [])
        if c.get("status") != "kept"
        for s in c.get("sources", [])
        if s not in seen
    ]
    return [dict(library.clause(i)) for i in dict.fromkeys(ids)]
