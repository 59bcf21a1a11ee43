"""What the API asks of the assistant, as one Protocol, and its default implementation.

Routes talk to a :class:`Services` object (tests override it with fakes); the default,
:class:`AssistantServices`, is a thin adapter over ``assistant.agent`` (else ``assistant.answer``),
``assistant.align``, ``assistant.draft``, ``assistant.compare``, ``assistant.revise``,
``assistant.word`` and ``assistant.conversations``, imported when first used so the API starts
without them.
"""

from __future__ import annotations

import importlib
import tempfile
import uuid
from collections.abc import Callable, Iterator
from dataclasses import asdict
from pathlib import Path
from types import ModuleType
from typing import Any, Protocol

from api.errors import ServiceUnavailable
from assistant.settings import Settings

Json = dict[str, Any]
StreamItem = str | Json  # tokens (str), then one final reply (dict)


class Services(Protocol):
    """Chat, alignment, drafting, comparison, revision, Word export and conversations."""

    def respond(self, library: Any, message: str, conversation_id: str | None) -> Json: ...

    def stream(
        self, library: Any, message: str, conversation_id: str | None
    ) -> Iterator[StreamItem]: ...

    def align(self, library: Any, document_id: str, with_ids: list[str]) -> Json: ...

    def align_docx(self, library: Any, document_id: str, with_ids: list[str]) -> bytes: ...

    def draft(self, library: Any, request: Json) -> Json: ...

    def draft_docx(self, library: Any, request: Json) -> bytes: ...

    def compare(self, library: Any, doc_a: str, doc_b: str) -> Json: ...

    def compare_docx(self, library: Any, doc_a: str, doc_b: str) -> bytes: ...

    def revise(self, library: Any, document_id: str, request: Json) -> Json: ...

    def revise_docx(self, library: Any, document_id: str, request: Json) -> bytes: ...

    def new_conversation(self) -> str: ...

    def conversation(self, conversation_id: str) -> Json: ...


def _module(name: str) -> ModuleType:
    try:
        return importlib.import_module(name)
    except ModuleNotFoundError as error:
        if error.name != name:
            raise
        raise ServiceUnavailable(f"{name} is not available in this installation") from error


def _has_module(name: str) -> bool:
    try:
        importlib.import_module(name)
    except ModuleNotFoundError as error:
        if error.name != name:
            raise
        return False
    return True


def _to_json(value: Any) -> Json:
    return value.to_json() if hasattr(value, "to_json") else dict(value)


def _docx_bytes(write: Callable[[Path], Any]) -> bytes:
    """Run a writer that saves to a path and return the file's bytes."""
    with tempfile.TemporaryDirectory(prefix="resolutions-docx-") as folder:
        path = Path(folder) / "out.docx"
        write(path)
        return path.read_bytes()


def chunk_words(text: str) -> Iterator[str]:
    """Split a finished answer into word tokens (spaces kept), for streaming it."""
    word = ""
    for char in text:
        word += char
        if char.isspace():
            yield word
            word = ""
    if word:
        yield word


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
            module = _module("assistant.chat_model")
            try:
                self._chat_model = module.chat_model_from_settings(self.settings)
            except module.ChatModelError as error:
                raise ServiceUnavailable(f"The language model is not usable: {error}") from error
        self._chat_model_built = True
        return self._chat_model

    def respond(self, library: Any, message: str, conversation_id: str | None) -> Json:
        chat_model = self.chat_model()
        if _has_module("assistant.agent"):
            respond = _module("assistant.agent").respond
            reply = respond(
                library, message, conversation_id=conversation_id, chat_model=chat_model
            )
            return _to_json(reply)
        answer = _module("assistant.answer").answer
        thread = self._thread(conversation_id)
        return _to_json(answer(library, message, conversation=thread, chat_model=chat_model))

    def stream(
        self, library: Any, message: str, conversation_id: str | None
    ) -> Iterator[StreamItem]:
        chat_model = self.chat_model()
        if _has_module("assistant.agent"):
            agent = _module("assistant.agent")
            streamer = getattr(agent, "stream_respond", None)
            if callable(streamer):
                pieces = streamer(
                    library, message, conversation_id=conversation_id, chat_model=chat_model
                )
                yield from _normalize(pieces)
                return
            reply = self.respond(library, message, conversation_id)
            yield from chunk_words(str(reply.get("answer", "")))
            yield reply
            return
        stream_answer = _module("assistant.answer").stream_answer
        thread = self._thread(conversation_id)
        yield from _normalize(
            stream_answer(library, message, conversation=thread, chat_model=chat_model)
        )

    def _thread(self, conversation_id: str | None) -> Any:
        """The conversation object (the store checks ids: a bad one is a ValueError, a 400)."""
        if not conversation_id:
            return None
        store = _module("assistant.conversations").ConversationStore.for_settings(self.settings)
        return store.conversation(conversation_id)

    def new_conversation(self) -> str:
        """A fresh id; the conversation is stored with its first turn."""
        return uuid.uuid4().hex

    def conversation(self, conversation_id: str) -> Json:
        """The turns so far (none for a new id)."""
        thread = self._thread(conversation_id)
        return {"id": conversation_id, "turns": [asdict(turn) for turn in thread.turns()]}

    def _alignment(self, library: Any, document_id: str, with_ids: list[str]) -> Any:
        return _module("assistant.align").align(library, document_id, with_ids)

    def align(self, library: Any, document_id: str, with_ids: list[str]) -> Json:
        return _to_json(self._alignment(library, document_id, with_ids))

    def align_docx(self, library: Any, document_id: str, with_ids: list[str]) -> bytes:
        alignment = self._alignment(library, document_id, with_ids)
        write = _module("assistant.word").write_annex_docx
        return _docx_bytes(lambda path: write(path, alignment))

    def draft(self, library: Any, request: Json) -> Json:
        """The draft, smoothed by the configured chat model when there is one (checked)."""
        draft = _module("assistant.draft").draft
        return _to_json(draft(library, **request, chat_model=self.chat_model()))

    def draft_docx(self, library: Any, request: Json) -> bytes:
        draft = _module("assistant.draft").draft
        result = draft(library, **request, chat_model=self.chat_model())
        write = _module("assistant.word").write_draft_docx
        return _docx_bytes(lambda path: write(path, result))

    def compare(self, library: Any, doc_a: str, doc_b: str) -> Json:
        return _to_json(_module("assistant.compare").compare(library, doc_a, doc_b))

    def compare_docx(self, library: Any, doc_a: str, doc_b: str) -> bytes:
        compare = _module("assistant.compare")
        result = compare.compare(library, doc_a, doc_b)
        return _docx_bytes(lambda path: compare.write_comparison_docx(path, result))

    def revise(self, library: Any, document_id: str, request: Json) -> Json:
        """``request``: the keyword arguments of ``assistant.revise.revise`` (``for_body``,
        ``with_documents``, ``exclude_documents``)."""
        return _to_json(_module("assistant.revise").revise(library, document_id, **request))

    def revise_docx(self, library: Any, document_id: str, request: Json) -> bytes:
        result = _module("assistant.revise").revise(library, document_id, **request)
        write = _module("assistant.revise_output").write_revision_docx
        return _docx_bytes(lambda path: write(path, result, library=library))


def _normalize(items: Iterator[Any]) -> Iterator[StreamItem]:
    """Tokens as str; the final reply (yielded last, or the generator's return value) as dict."""
    final: Any = None
    while True:
        try:
            item = next(items)
        except StopIteration as stop:
            final = final if stop.value is None else stop.value
            break
        if isinstance(item, str):
            yield item
        else:
            final = item
    if final is not None:
        yield _to_json(final)
