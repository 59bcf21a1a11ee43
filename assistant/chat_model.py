"""Chat models: two small Protocols, and adapters over LangChain chat models chosen by settings.

- :class:`ChatModel`: ``stream(messages)`` yields the text of a reply (answers, smoothing).
- :class:`ToolCallingModel`: ``call_tools(messages, tools)`` returns one :class:`ModelReply` (its
  text and its :class:`ToolCall` s); the conversation may carry earlier replies and the
  :class:`ToolResult` s of their calls (the tool-calling agent).

This is the only module that touches LangChain: :class:`LangChainChatModel` translates both ways.

``RESOLUTIONS_LLM_PROVIDER=openai`` with ``RESOLUTIONS_LLM_BASE_URL`` (``http://127.0.0.1:8080/v1``)
and ``RESOLUTIONS_LLM_MODEL`` uses ``langchain_openai.ChatOpenAI`` against any OpenAI-compatible
server (llama.cpp server, vLLM, Ollama's ``/v1``, hosted services; key in
``RESOLUTIONS_LLM_API_KEY``); ``ollama`` uses ``langchain_ollama.ChatOllama``. LangChain's provider
packages are imported only when configured (extra ``llm``), so the default install never needs them.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol, runtime_checkable

from assistant.errors import UnavailableError
from assistant.settings import Settings

Message = dict[str, str]  # {"role": "system" | "user" | "assistant", "content": str}
ToolSpec = dict[str, Any]  # {"name", "description", "parameters": JSON Schema} (OpenAI's function)
PROVIDERS = ("openai", "ollama")


@dataclass(frozen=True)
class ToolCall:
    """The model asks for tool ``name`` with ``args``; ``id`` pairs it with its result."""

    name: str
    args: dict[str, Any] = field(default_factory=dict)
    id: str = ""


@dataclass(frozen=True)
class ModelReply:
    """One reply of a tool-calling model: text, tool calls, or both."""

    text: str = ""
    tool_calls: tuple[ToolCall, ...] = ()


@dataclass(frozen=True)
class ToolResult:
    """What a tool returned for the call ``call_id`` (as the model reads it: text, often JSON)."""

    call_id: str
    content: str
    name: str = ""


Turn = Message | ModelReply | ToolResult  # one entry of a tool-calling conversation


@runtime_checkable
class ChatModel(Protocol):
    """Anything that streams the text of a reply to a list of messages."""

    def stream(self, messages: Sequence[Message]) -> Iterator[str]: ...


@runtime_checkable
class ToolCallingModel(Protocol):
    """Anything that answers a conversation with text and/or calls of the ``tools`` offered.

    ``max_tokens`` caps the reply when the model has no cap of its own. A model that has the
    method but cannot call tools after all says so with ``supports_tools = False``."""

    def call_tools(
        self, messages: Sequence[Turn], tools: Sequence[ToolSpec], *, max_tokens: int | None = None
    ) -> ModelReply: ...


class ChatModelError(UnavailableError):
    """The chat model is misconfigured or unreachable (a message a person can act on)."""


def _text(content: Any) -> str:
    """The text of a LangChain message's content (a string or a list of content blocks)."""
    if isinstance(content, list):
        return "".join(b.get("text", "") if isinstance(b, dict) else str(b) for b in content)
    return str(content or "")


def _limited(model: Any, max_tokens: int) -> Any:
    """The model with a cap on the tokens of one reply, when it has such a field and no cap."""
    fields = getattr(type(model), "model_fields", {})
    update: dict[str, Any] = {}
    for name in ("max_tokens", "num_predict"):
        if name in fields and getattr(model, name, None) is None:
            update[name] = max_tokens
    if "extra_body" in fields:  # OpenAI-compatible servers (llama.cpp) read max_tokens only
        body = dict(getattr(model, "extra_body", None) or {})
        body.setdefault("max_tokens", max_tokens)
        update["extra_body"] = body
    return model.model_copy(update=update) if update else model


def to_langchain(messages: Sequence[Turn]) -> list[Any]:
    """Our conversation as LangChain messages."""
    from langchain_core.messages import AIMessage, HumanMessage, SystemMessage, ToolMessage

    kinds = {"system": SystemMessage, "user": HumanMessage, "assistant": AIMessage}
    converted: list[Any] = []
    for turn in messages:
        if isinstance(turn, ModelReply):
            calls = [
                {"name": c.name, "args": dict(c.args), "id": c.id or None} for c in turn.tool_calls
            ]
            converted.append(AIMessage(content=turn.text, tool_calls=calls))
        elif isinstance(turn, ToolResult):
            converted.append(ToolMessage(content=turn.content, tool_call_id=turn.call_id))
        else:
            converted.append(kinds[turn["role"]](turn["content"]))
    return converted


def from_langchain(message: Any) -> ModelReply:
    """A LangChain ``AIMessage`` as our :class:`ModelReply` (its parsed tool calls only)."""
    calls = tuple(
        ToolCall(str(c.get("name", "")), dict(c.get("args") or {}), str(c.get("id") or ""))
        for c in getattr(message, "tool_calls", None) or []
    )
    return ModelReply(_text(getattr(message, "content", "")), calls)


class LangChainChatModel:
    """A :class:`ChatModel` and :class:`ToolCallingModel` over any LangChain ``BaseChatModel``."""

    def __init__(self, model: Any) -> None:
        self.model = model

    @property
    def supports_tools(self) -> bool:
        """Whether the LangChain model binds tools (its class has its own ``bind_tools``)."""
        from langchain_core.language_models import BaseChatModel

        bind = getattr(type(self.model), "bind_tools", None)
        return bind is not None and bind is not BaseChatModel.bind_tools

    def stream(self, messages: Sequence[Message]) -> Iterator[str]:
        pairs = [(m["role"], m["content"]) for m in messages]
        for chunk in self.model.stream(pairs):
            content = _text(getattr(chunk, "content", chunk))
            if content:
                yield content

    def call_tools(
        self, messages: Sequence[Turn], tools: Sequence[ToolSpec], *, max_tokens: int | None = None
    ) -> ModelReply:
        model = self.model if max_tokens is None else _limited(self.model, max_tokens)
        bound = model.bind_tools([{"type": "function", "function": spec} for spec in tools])
        return from_langchain(bound.invoke(to_langchain(messages)))


def _is_langchain(model: Any) -> bool:
    from langchain_core.language_models import BaseChatModel

    return isinstance(model, BaseChatModel)


def as_chat_model(model: Any) -> ChatModel:
    """``model`` itself when it is a :class:`ChatModel` of ours, else a LangChain adapter."""
    if _is_langchain(model):
        return LangChainChatModel(model)
    if isinstance(model, ChatModel):
        return model
    raise TypeError(f"not a chat model: {type(model).__name__} (needs .stream(messages))")


def as_tool_calling_model(model: Any) -> ToolCallingModel | None:
    """``model`` as a :class:`ToolCallingModel`, or ``None`` when it cannot call tools."""
    if _is_langchain(model):
        model = LangChainChatModel(model)
    if isinstance(model, ToolCallingModel) and getattr(model, "supports_tools", True):
        return model
    return None


def _missing(package: str) -> ChatModelError:
    return ChatModelError(
        f"the language model provider needs {package}: install the 'llm' extra "
        "(pip install -e '.[llm]') or unset RESOLUTIONS_LLM_PROVIDER for offline answers"
    )


def chat_model_from_settings(settings: Settings) -> ChatModel | None:
    """The configured chat model, or ``None`` when ``llm_provider`` is empty (offline answers)."""
    provider = settings.llm_provider.strip().lower()
    if not provider:
        return None
    if provider not in PROVIDERS:
        raise ChatModelError(
            f"unknown RESOLUTIONS_LLM_PROVIDER {settings.llm_provider!r}: "
            f"use one of {', '.join(PROVIDERS)}, or leave it empty"
        )
    if not settings.llm_model:
        raise ChatModelError("RESOLUTIONS_LLM_MODEL is empty: name the model the server serves")
    if provider == "openai":
        if not settings.llm_base_url:
            raise ChatModelError(
                "RESOLUTIONS_LLM_BASE_URL is empty: give the server's URL, "
                "e.g. http://127.0.0.1:8080/v1"
            )
        try:
            from langchain_openai import ChatOpenAI
        except ImportError as error:
            raise _missing("langchain-openai") from error
        model: Any = ChatOpenAI(
            base_url=settings.llm_base_url,
            model=settings.llm_model,
            api_key=settings.llm_api_key or "not-needed",  # type: ignore[arg-type]
            timeout=settings.llm_timeout,
            temperature=0,
            max_retries=1,
            max_completion_tokens=settings.llm_max_tokens,
            # llama.cpp server and older OpenAI-compatible servers read only max_tokens
            extra_body={"max_tokens": settings.llm_max_tokens},
        )
    else:
        try:
            from langchain_ollama import ChatOllama
        except ImportError as error:
            raise _missing("langchain-ollama") from error
        kwargs: dict[str, Any] = {
            "model": settings.llm_model,
            "temperature": 0,
            "num_predict": settings.llm_max_tokens,
        }
        if settings.llm_base_url:
            kwargs["base_url"] = settings.llm_base_url
        model = ChatOllama(**kwargs)
    return LangChainChatModel(model)
