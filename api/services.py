"""What the API asks of the assistant, as one Protocol, and its default implementation.

Routes talk to a :class:`Services` object (tests override it with fakes); the default,
:class:`AssistantServices`, is a thin adapter over ``assistant.agent`` (else ``assistant.answer``),
``assistant.align``, ``assistant.draft``, ``assistant.compare``, ``assistant.word`` and
``assistant.conversations``, imported when first used so the API starts without them.
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
    """Chat, alignment, drafting, comparison, Word export and conversations."""

    def respond(self, library: Any, message: str, conversation_id: str | None) -> Json: ...

    def stream(self, library: Any, message: str,
               conversation_id: str | None) -> Iterator[StreamItem]: ...

    def align(self, library: Any, document_id: str, with_ids: list[str]) -> Json: ...

    def align_docx(self, library: Any, document_id: str, with_ids: list[str]) -> bytes: ...

    def draft(self, library: Any, request: Json) -> Json: ...

    def draft_docx(self, library: Any, request: Json) -> bytes: ...

    def compare(self, library: Any, doc_a: str, doc_b: str) -> Json: ...

    def compare_docx(self, library: Any, doc_a: str, doc_b: str) -> bytes: ...

    def new_conversation(self) -> str: ...

    def conversation(self, conversation_id: str) -> Json: ...


def _module(name: str) -> ModuleType:
    try:
        return importlib.import_module(name)
    except ModuleNotFoundError as error:
        if error.name != name:
            raise
        raise ServiceUnavailable(f"{name} is not available in this installation") from error


def _function(owner: Any, *names: str) -> Callable[..., Any]:
    """The first callable attribute of ``owner`` among ``names`` (a 503 if none)."""
    for name in names:
        found = getattr(owner, name, None)
        if callable(found):
            return found
    label = getattr(owner, "__name__", type(owner).__name__)
    raise ServiceUnavailable(f"{label} has none of {', '.join(names)}")


def _to_json(value: Any) -> Json:
    return value.to_json() if hasattr(value, "to_json") else dict(value)


def _docx_bytes(write: Callable[[Path], Any]) -> bytes:
    """Run a writer that takes a path (or returns bytes) and return the file's bytes."""
    with tempfile.TemporaryDirectory(prefix="resolutions-docx-") as folder:
        path = Path(folder) / "out.docx"
        result = write(path)
        if isinstance(result, bytes | bytearray):
            return bytes(result)
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


def _has_module(name: str) -> bool:
    try:
        importlib.import_module(name)
    except ModuleNotFoundError as error:
        if error.name != name:
            raise
        return False
    return True


class AssistantServices:
    """The default :class:`Services`: the real assistant modules."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._chat_model: Any = None
        self._chat_model_built = False

    def chat_model(self) -> Any:
        """The configured chat model (``assistant.chat_model``), or ``None``: offline answers."""
        if not self._chat_model_built:
            self._chat_model_built = True
            if self.settings.llm_provider:
                build = _function(_module("assistant.chat_model"), "chat_model_from_settings",
                                  "from_settings", "build_chat_model", "make_chat_model")
                self._chat_model = build(self.settings)
        return self._chat_model

    def respond(self, library: Any, message: str, conversation_id: str | None) -> Json:
        if _has_module("assistant.agent"):
            respond = _function(_module("assistant.agent"), "respond")
            return _to_json(respond(library, message, conversation_id=conversation_id,
                                    chat_model=self.chat_model()))
        answer = _function(_module("assistant.answer"), "answer")
        return _to_json(answer(library, message, conversation=self._thread(conversation_id),
                               chat_model=self.chat_model()))

    def stream(self, library: Any, message: str,
               conversation_id: str | None) -> Iterator[StreamItem]:
        if _has_module("assistant.agent"):
            agent = _module("assistant.agent")
            streamer = getattr(agent, "stream_respond", None) or getattr(agent, "stream", None)
            if callable(streamer):
                yield from _normalize(streamer(library, message, conversation_id=conversation_id,
                                               chat_model=self.chat_model()))
                return
            reply = self.respond(library, message, conversation_id)
            yield from chunk_words(str(reply.get("answer", "")))
            yield reply
            return
        streamer = _function(_module("assistant.answer"), "stream_answer")
        yield from _normalize(streamer(library, message,
                                       conversation=self._thread(conversation_id),
                                       chat_model=self.chat_model()))

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

    def align(self, library: Any, document_id: str, with_ids: list[str]) -> Json:
        return _to_json(self._alignment(library, document_id, with_ids))

    def _alignment(self, library: Any, document_id: str, with_ids: list[str]) -> Any:
        return _function(_module("assistant.align"), "align")(library, document_id, with_ids)

    def align_docx(self, library: Any, document_id: str, with_ids: list[str]) -> bytes:
        alignment = self._alignment(library, document_id, with_ids)
        write = _function(_module("assistant.word"), "write_alignment_docx", "alignment_docx",
                          "write_alignment", "alignment_to_docx")
        return _docx_bytes(lambda path: write(alignment, path))

    def draft(self, library: Any, request: Json) -> Json:
        return _to_json(_function(_module("assistant.draft"), "draft")(library, **request))

    def draft_docx(self, library: Any, request: Json) -> bytes:
        result = _function(_module("assistant.draft"), "draft")(library, **request)
        write = _function(_module("assistant.word"), "write_draft_docx", "draft_docx",
                          "write_draft", "write_redline", "draft_to_docx")
        return _docx_bytes(lambda path: write(result, path))

    def compare(self, library: Any, doc_a: str, doc_b: str) -> Json:
        return _to_json(_function(_module("assistant.compare"), "compare")(library, doc_a, doc_b))

    def compare_docx(self, library: Any, doc_a: str, doc_b: str) -> bytes:
        result = _function(_module("assistant.compare"), "compare")(library, doc_a, doc_b)
        write = _function(_module("assistant.word"), "write_comparison_docx", "comparison_docx",
                          "write_comparison", "comparison_to_docx")
        return _docx_bytes(lambda path: write(result, path))


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
