"""Chat: one message in, the reply of the agent out (JSON, or streamed as Server-Sent Events)."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import StreamingResponse

from api.deps import LibraryDep, ServicesDep
from api.errors import ERROR_RESPONSES, RATE_LIMITED_RESPONSES, ApiError, error_body
from api.schemas import ANSWER_EXAMPLE, AskRequest, ConversationCreated
from api.services import Services
from assistant.chat.model import CitationsEvent, IntentEvent
from assistant.errors import AssistantError
from assistant.index.model import ClauseLibrary

log = logging.getLogger("api")
router = APIRouter(responses=ERROR_RESPONSES, tags=["chat"])

SSE_DOC = """Server-Sent Events, each sent as soon as it is known:

1. `event: intent` with `{"intent", "documents", "clause_ids"}`: what the message was understood
   as (`question`, `lookup`, `summary`, `compare`, `draft`, `revise`, ...), right after routing,
   before any search;
2. `event: citations` with `{"citations", "related", "status"}`: the clauses the answer cites
   (citation objects) and the nearest ones when none answers, once they are found: before the
   text of an offline answer, after the text a language model wrote (its citations are checked
   against its words);
3. `event: token` with `{"text": str}` for each piece of the answer: a model's tokens as it
   writes them, the offline answer line by line;
4. one `event: answer` with the full reply (the JSON of `POST /ask`; its `answer` is
   authoritative: it replaces the streamed text when a model's answer was rejected).

A failure at any point is one `event: error` with the error shape, and ends the stream. Clients
should ignore event names they do not know. Read it with `fetch` and a stream reader
(EventSource cannot POST)."""
SSE_EXAMPLE = (
    'event: intent\ndata: {"intent": "question", "documents": [], "clause_ids": []}\n\n'
    'event: citations\ndata: {"citations": [{"id": "wtsa-43-rev-new-delhi-2024/resolves/1", '
    '"citation": "WTSA Res. 43 (Rev. New Delhi, 2024), resolves 1"}], "related": [], '
    '"status": "answered"}\n\n'
    'event: token\ndata: {"text": "The "}\n\n'
    'event: answer\ndata: {"status": "answered", "answer": "The ...", '
    '"citations": []}\n\n'
)


@router.post(
    "/ask",
    responses={
        200: {"content": {"application/json": {"example": ANSWER_EXAMPLE}}},
        **RATE_LIMITED_RESPONSES,
    },
)
def ask(request: AskRequest, http: Request, library: LibraryDep, services: ServicesDep) -> Any:
    """Answer a chat message with citations (the JSON of ``resolutions ask``).

    ``status`` is ``answered`` (a cited clause states it), ``partial`` (the cited clauses are the
    closest provisions: they address the subject but not the detail asked, which the answer
    names) or ``not_found`` (then ``related`` holds the nearest clauses);
    ``intent`` and ``tool_calls`` say what the assistant did. With
    ``Accept: text/event-stream`` the reply streams as in ``POST /ask/stream``.
    """
    if "text/event-stream" in http.headers.get("accept", ""):
        return ask_stream(request, library, services)
    return services.respond(library, request.question, request.conversation_id)


def _event(name: str, data: Any) -> str:
    return f"event: {name}\ndata: {json.dumps(data, ensure_ascii=False)}\n\n"


def sse_events(services: Services, library: ClauseLibrary, request: AskRequest) -> Iterator[str]:
    """The event stream of one answer; failures become one ``error`` event."""
    try:
        for item in services.stream(library, request.question, request.conversation_id):
            if isinstance(item, str):
                yield _event("token", {"text": item})
            elif isinstance(item, IntentEvent | CitationsEvent):
                yield _event(item.name, item.to_json())
            else:
                yield _event("answer", item)
    except ApiError as error:
        yield _event("error", error_body(error.status, error.message, error.code))
    except AssistantError as error:
        yield _event("error", error_body(error.status, str(error.args[0]) if error.args else ""))
    except Exception as error:  # the stream has started: report, never drop the connection
        log.error("error while streaming an answer: %s", type(error).__name__)
        yield _event("error", error_body(500, "Internal error; the server log has the details."))


@router.post(
    "/ask/stream",
    description=SSE_DOC,
    response_class=StreamingResponse,
    responses={
        **RATE_LIMITED_RESPONSES,
        200: {"content": {"text/event-stream": {"example": SSE_EXAMPLE}}},
    },
)
def ask_stream(
    request: AskRequest, library: LibraryDep, services: ServicesDep
) -> StreamingResponse:
    """Answer a chat message, streaming the answer as it is produced."""
    return StreamingResponse(
        sse_events(services, library, request),
        media_type="text/event-stream",
        headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
    )


@router.post("/conversations", status_code=201)
def new_conversation(services: ServicesDep) -> ConversationCreated:
    """Start a conversation; pass its id as ``conversation_id`` to ``/ask`` for follow-ups."""
    return ConversationCreated(id=services.new_conversation())


@router.get("/conversations/{conversation_id}")
def conversation(conversation_id: str, services: ServicesDep) -> dict[str, Any]:
    """The turns of a conversation so far."""
    return services.conversation(conversation_id)
