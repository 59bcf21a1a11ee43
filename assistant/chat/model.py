"""The data types of the chat, shared by the router, the agents and the shells."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar

from assistant.chat.router import Route


@dataclass
class Reply:
    """The answer JSON of ``resolutions ask`` plus what the assistant decided and did."""

    status: str
    answer: str
    citations: list[dict[str, Any]]
    intent: str
    tool_calls: list[dict[str, Any]]
    related: list[dict[str, Any]] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)  # draft, revision, docx, links, ...
    route: Route | None = None
    mode: str = "offline"  # "offline" | "llm" | "fallback"

    # ``links`` (in ``extra``): the cross-references inside the cited clauses, each with
    # ``source`` (the clause id), ``start``/``end`` (offsets in its text), ``clause_ids`` or
    # ``document`` (the target), ``status`` and ``newer`` (a newer revision in the corpus).

    @property
    def draft(self) -> dict[str, Any] | None:
        return self.extra.get("draft")

    @property
    def revision(self) -> dict[str, Any] | None:
        """The revise JSON of :func:`assistant.drafting.revise.revise` (intent ``revise``)."""
        return self.extra.get("revision")

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "status": self.status,
            "answer": self.answer,
            "citations": self.citations,
            "related": self.related,
            "intent": self.intent,
            "tool_calls": self.tool_calls,
        }
        data.update(self.extra)
        if self.route is not None:
            data["entities"] = {
                "documents": self.route.documents,
                "bodies": self.route.bodies,
                "clause_ids": self.route.clause_ids,
                "for_body": self.route.for_body,
                "with_documents": self.route.with_documents,
            }
            if self.route.revise_document:
                data["entities"]["revise_document"] = self.route.revise_document
            if self.route.exclude_documents:
                data["entities"]["exclude_documents"] = self.route.exclude_documents
        return data


# -- what a streamed reply sends before its final Reply (``stream_respond(..., events=True)``) ----


@dataclass(frozen=True)
class IntentEvent:
    """What the message was understood as, right after routing (before any search)."""

    name: ClassVar[str] = "intent"
    intent: str  # "question" | "lookup" | "compare" | "draft" | "revise" | ... (the router's)
    documents: list[str] = field(default_factory=list)  # resolutions named in the message
    clause_ids: list[str] = field(default_factory=list)  # clauses named in the message

    def to_json(self) -> dict[str, Any]:
        return {"intent": self.intent, "documents": self.documents, "clause_ids": self.clause_ids}


@dataclass(frozen=True)
class CitationsEvent:
    """The clauses the answer cites (citation objects), once they are found; ``related``: the
    nearest clauses when none answers."""

    name: ClassVar[str] = "citations"
    citations: list[dict[str, Any]]
    related: list[dict[str, Any]] = field(default_factory=list)
    status: str = ""  # the answer's status when it is already known ("answered", ...)

    def to_json(self) -> dict[str, Any]:
        return {"citations": self.citations, "related": self.related, "status": self.status}


StreamEvent = IntentEvent | CitationsEvent
