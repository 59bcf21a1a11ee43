"""The one fake chat model of the tests (in the spirit of simonw/llm's ``MockModel``).

:class:`ScriptedChatModel` is given a script of replies (text, tool calls, or an exception to
raise), answers each prompt with the next one, and records the prompts it received. It implements
both interfaces of :mod:`assistant.chat_model`: ``stream`` (the text in small pieces) and
``call_tools``. A real model is tested against a llama.cpp server (the ``llama_server`` fixture).
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator, Sequence
from typing import Any

from assistant.chat_model import Message, ModelReply, ToolCall, ToolSpec, Turn

Scripted = str | ModelReply | BaseException


def call(name: str, **args: Any) -> ModelReply:
    """A reply that calls tool ``name`` with ``args`` (and no text)."""
    return ModelReply("", (ToolCall(name, args, f"c-{name}"),))


class ScriptedChatModel:
    """Answers with the replies of its script in turn; records every prompt.

    ``tools=False``: a model that cannot call tools (``supports_tools`` is false).
    ``piece``: stream the text in pieces of that many characters (default: word by word).
    A script that runs out raises :class:`AssertionError` (the test asked more than it meant to).
    """

    def __init__(self, *script: Scripted, tools: bool = True, piece: int | None = None) -> None:
        self.script = list(script)
        self.supports_tools = tools
        self.piece = piece
        self.prompts: list[list[Turn]] = []  # every prompt, in order
        self.tools: list[list[ToolSpec]] = []  # the tools offered with each call_tools
        self._lock = threading.Lock()

    @property
    def messages(self) -> list[Turn]:
        """The last prompt (empty if never asked)."""
        return self.prompts[-1] if self.prompts else []

    @property
    def seen(self) -> list[str]:
        """The text of every message of every prompt."""
        return [m["content"] for p in self.prompts for m in p if isinstance(m, dict)]

    def _next(self, messages: Sequence[Turn]) -> ModelReply:
        with self._lock:
            self.prompts.append(list(messages))
            if not self.script:
                raise AssertionError(f"the script has no reply for prompt {len(self.prompts)}")
            reply = self.script.pop(0)
        if isinstance(reply, BaseException):
            raise reply
        return ModelReply(reply) if isinstance(reply, str) else reply

    def stream(self, messages: Sequence[Message]) -> Iterator[str]:
        text = self._next(messages).text
        if self.piece:
            yield from (text[i : i + self.piece] for i in range(0, len(text), self.piece))
        else:
            yield from re.findall(r"\s*\S+|\s+", text)

    def call_tools(
        self, messages: Sequence[Turn], tools: Sequence[ToolSpec], *, max_tokens: int | None = None
    ) -> ModelReply:
        self.tools.append(list(tools))
        return self._next(messages)
