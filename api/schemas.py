"""Request and response models, with the examples shown in the OpenAPI schema."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from assistant.errors import BadRequestError
from assistant.settings import MAX_QUESTION_CHARS

CLAUSE_ID = (
    "wtsa-43-rev-new-delhi-2024/resolves-to-instruct-the-director-of-the-telecommunication/1"
)
DOCUMENT_ID = "wtsa-43-rev-new-delhi-2024"

CITATION_EXAMPLE: dict[str, Any] = {
    "id": CLAUSE_ID,
    "document": DOCUMENT_ID,
    "body": "WTSA",
    "number": "43",
    "revision": "Rev. New Delhi, 2024",
    "section": "resolves to instruct the Director of the TSB",
    "label": "1",
    "sub": "",
    "citation": "WTSA Res. 43 (Rev. New Delhi, 2024), resolves to instruct the Director of "
    "the TSB 1",
    "text": "to coordinate the timing of regional preparatory meetings ...",
}

# The reply of POST /ask (and of the stream's `answer` event). `status`: "answered" (a cited clause
# states the answer), "partial" (the cited clauses are the closest provisions: on the subject, but
# the detail asked is missing, and the answer says which) or "not_found" (`related`: the nearest).
ANSWER_EXAMPLE: dict[str, Any] = {
    "status": "answered",
    "answer": "The regional preparatory meetings should be held ... [1]",
    "citations": [CITATION_EXAMPLE],
    "related": [],
    "intent": "question",
    "tool_calls": [{"tool": "search", "args": {"query": "timing of interregional meetings"}}],
}


class AskRequest(BaseModel):
    """A chat message: a question, a look-up, a comparison or a drafting request."""

    model_config = ConfigDict(
        extra="forbid",  # a misspelt field is an error, not silently ignored
        json_schema_extra={
            "examples": [
                {
                    "question": "What do the resolutions say about the timing of "
                    "interregional meetings?"
                },
                {"question": "and what does the WRC one say?", "conversation_id": "c0ffee12"},
            ]
        },
    )

    question: str = Field(min_length=1, max_length=MAX_QUESTION_CHARS)
    conversation_id: str | None = Field(default=None, max_length=200)


class DraftRequest(BaseModel):
    """A clause id or a topic (one of the two), and optionally the target body and documents."""

    model_config = ConfigDict(
        extra="forbid",  # "exclude" for "exclude_documents" must not draft with the excluded text
        json_schema_extra={
            "examples": [
                {"clause_id": CLAUSE_ID, "for_body": "PP"},
                {
                    "topic": "regional preparatory meetings",
                    "for_body": "PP",
                    "with_documents": [DOCUMENT_ID],
                },
            ]
        },
    )

    clause_id: str | None = Field(default=None, max_length=500)
    topic: str | None = Field(default=None, max_length=MAX_QUESTION_CHARS)
    for_body: str | None = Field(default=None, max_length=100)
    with_documents: list[str] | None = Field(default=None, max_length=50)
    exclude_documents: list[str] | None = Field(default=None, max_length=50)
    against: str | None = Field(
        default=None,
        max_length=500,
        description="redline against this clause id, or the corresponding clause of this "
        "document (default: the draft's base clause)",
    )

    def arguments(self) -> dict[str, Any]:
        """Keyword arguments of ``assistant.drafting.draft.draft``."""
        if bool(self.clause_id) == bool(self.topic and self.topic.strip()):
            raise BadRequestError(
                "Give either a clause to draft from or a topic, not both and not neither "
                "(fields clause_id and topic)."
            )
        return self.model_dump()


class ConversationCreated(BaseModel):
    id: str = Field(examples=["c0ffee12"])


class Health(BaseModel):
    status: str = Field(examples=["ok"])
    version: str = Field(examples=["0.1.0"])
    library: str = Field(examples=["ready"], description="'ready' or 'not loaded yet'")
    uploads: bool = Field(description="Whether POST /ingest is enabled (a token is configured)")
    library_id: str = Field(
        default="",
        examples=["3f1c9a0d5e7b2c4a8d6e0f1a2b3c4d5e"],
        description="A digest of the data directory, the database and the settings that shape "
        "answers (never the path): `resolutions ask` and `search` hand their question to this "
        "server only when theirs is equal",
    )


class IngestResult(BaseModel):
    """What an upload gave: the documents parsed from it and what the index did."""

    file: str = Field(examples=["my-resolution.txt"])
    documents: list[dict[str, Any]]
    added: list[str] = Field(default_factory=list)
    replaced: list[str] = Field(default_factory=list)
    unchanged: list[str] = Field(default_factory=list)
    clauses: int = 0
    skipped: list[dict[str, Any]] = Field(
        default_factory=list,
        description="Resolutions of a collection that were not indexed, with the reason "
        "(the others were): {'line', 'reason'}",
    )
