"""What the API asks of the assistant, as one Protocol, and its default implementation.

Routes talk to a :class:`Services` object (tests override it with fakes); the default,
:class:`AssistantServices`, is a thin adapter over the library: the chat agent, alignment,
drafting, comparison, revision, the Word writers and conversations.
"""

from __future__ import annotations

import tempfile
import uuid
from collections.abc import Callable, Iterator
from dataclasses import asdict
from pathlib import Path
from typing import Any, Protocol

from api.errors import ServiceUnavailable
from assistant.align import alignment
from assistant.align import compare as comparing
from assistant.chat import agent
from assistant.chat.conversations import ConversationStore
from assistant.chat.model import CitationsEvent, IntentEvent, StreamEvent
from assistant.chat_model import ChatModelError, chat_model_from_settings
from assistant.drafting import draft as drafting
from assistant.drafting import revise as revising
from assistant.index.model import ClauseLibrary
from assistant.settings import Settings
from assistant.word import writer
from assistant.word.comparison import write_comparison_docx
from assistant.word.revision_output import write_revision_docx

Json = dict[str, Any]
# what is known as it is known (StreamEvent: the intent, the citations), tokens (str), then one
# final reply (dict)
StreamItem = str | StreamEvent | Json


class Services(Protocol):
    """Chat, alignment, drafting, comparison, revision, Word export and conversations."""

    def respond(
        self, library: ClauseLibrary, message: str, conversation_id: str | None
    ) -> Json: ...

    def stream(
        self, library: ClauseLibrary, message: str, conversation_id: str | None
    ) -> Iterator[StreamItem]: ...

    def align(self, library: ClauseLibrary, document_id: str, with_ids: list[str]) -> Json: ...

    def align_docx(
        self, library: ClauseLibrary, document_id: str, with_ids: list[str]
    ) -> bytes: ...

    def draft(self, library: ClauseLibrary, request: Json) -> Json: ...

    def draft_docx(self, library: ClauseLibrary, request: Json) -> bytes: ...

    def compare(self, library: ClauseLibrary, doc_a: str, doc_b: str) -> Json: ...

    def compare_docx(self, library: ClauseLibrary, doc_a: str, doc_b: str) -> bytes: ...

    def revise(self, library: ClauseLibrary, document_id: str, request: Json) -> Json: ...

    def revise_docx(self, library: ClauseLibrary, document_id: str, request: Json) -> bytes: ...

    def new_conversation(self) -> str: ...

    def conversation(self, conversation_id: str) -> Json: ...


def _to_json(value: Any) -> Json:
    return value.to_json() if hasattr(value, "to_json") else dict(value)


def _docx_bytes(write: Callable[[Path], Any]) -> bytes:
    """Run a writer that saves to a path and return the file's bytes."""
    with tempfile.TemporaryDirectory(prefix="resolutions-docx-") as folder:
        path = Path(folder) / "out.docx"
        write(path)
        return path.read_bytes()


class AssistantServices:
    """The default :class:`Services`: the real assistant modules."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._chat_model: Any = None
        self._chat_model_built = False

    def chat_model(self) -> Any:
        """The configured chat model (``assistant.chat_model``), or ``None``: offline answers.

        A misconfigured model is a 503 naming the setting to fix (and is retried next time)."""
        if not self._chat_model_built and self.settings.llm_provider:
            try:
                self._chat_model = chat_model_from_settings(self.settings)
            except ChatModelError as error:
                raise ServiceUnavailable(f"The language model is not usable: {error}") from error
        self._chat_model_built = True
        return self._chat_model

    def respond(self, library: ClauseLibrary, message: str, conversation_id: str | None) -> Json:
        reply = agent.respond(
            library, message, conversation_id=conversation_id, chat_model=self.chat_model()
        )
        return _to_json(reply)

    def stream(
        self, library: ClauseLibrary, message: str, conversation_id: str | None
    ) -> Iterator[StreamItem]:
        pieces = agent.stream_respond(
            library,
            message,
            conversation_id=conversation_id,
            chat_model=self.chat_model(),
            events=True,
        )
        yield from _normalize(pieces)

    def _thread(self, conversation_id: str) -> Any:
        """The conversation object (the store checks ids: a bad one is a ValueError, a 400)."""
        return ConversationStore.for_settings(self.settings).conversation(conversation_id)

    def new_conversation(self) -> str:
        """A fresh id; the conversation is stored with its first turn."""
        return uuid.uuid4().hex

    def conversation(self, conversation_id: str) -> Json:
        """The turns so far (none for a new id)."""
        thread = self._thread(conversation_id)
        return {"id": conversation_id, "turns": [asdict(turn) for turn in thread.turns()]}

    def align(self, library: ClauseLibrary, document_id: str, with_ids: list[str]) -> Json:
        return _to_json(alignment.align(library, document_id, with_ids))

    def align_docx(self, library: ClauseLibrary, document_id: str, with_ids: list[str]) -> bytes:
        result = alignment.align(library, document_id, with_ids)
        return _docx_bytes(lambda path: writer.write_annex_docx(path, result))

    def draft(self, library: ClauseLibrary, request: Json) -> Json:
        """The draft, smoothed by the configured chat model when there is one (checked)."""
        return _to_json(drafting.draft(library, **request, chat_model=self.chat_model()))

    def draft_docx(self, library: ClauseLibrary, request: Json) -> bytes:
        result = drafting.draft(library, **request, chat_model=self.chat_model())
        return _docx_bytes(lambda path: writer.write_draft_docx(path, result))

    def compare(self, library: ClauseLibrary, doc_a: str, doc_b: str) -> Json:
        return _to_json(comparing.compare(library, doc_a, doc_b))

    def compare_docx(self, library: ClauseLibrary, doc_a: str, doc_b: str) -> bytes:
        result = comparing.compare(library, doc_a, doc_b)
        return _docx_bytes(lambda path: write_comparison_docx(path, result))

    def revise(self, library: ClauseLibrary, document_id: str, request: Json) -> Json:
        """``request``: the keyword arguments of ``assistant.drafting.revise.revise`` (``for_body``,
        ``with_documents``, ``exclude_documents``)."""
        return _to_json(revising.revise(library, document_id, **request))

    def revise_docx(self, library: ClauseLibrary, document_id: str, request: Json) -> bytes:
        result = revising.revise(library, document_id, **request)
        return _docx_bytes(lambda path: write_revision_docx(path, result, library=library))


def _normalize(items: Iterator[Any]) -> Iterator[StreamItem]:
    """Tokens as str, events as they are; the final reply (yielded last, or the generator's
    return value) as dict."""
    final: Any = None
    while True:
        try:
            item = next(items)
        except StopIteration as stop:
            final = final if stop.value is None else stop.value
            break
        if isinstance(item, str | IntentEvent | CitationsEvent):
            yield item
        else:
            final = item
    if final is not None:
        yield _to_json(final)
