"""Chat models: one small Protocol, and adapters over LangChain chat models chosen by settings.

``RESOLUTIONS_LLM_PROVIDER=openai`` with ``RESOLUTIONS_LLM_BASE_URL`` (``http://127.0.0.1:8080/v1``)
and ``RESOLUTIONS_LLM_MODEL`` uses ``langchain_openai.ChatOpenAI`` against any OpenAI-compatible
server (llama.cpp server, vLLM, Ollama's ``/v1``, hosted services; key in
``RESOLUTIONS_LLM_API_KEY``); ``ollama`` uses ``langchain_ollama.ChatOllama``. LangChain's provider
packages are imported only when configured (extra ``llm``), so the default install never needs them.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any, Protocol, runtime_checkable

from assistant.errors import UnavailableError
from assistant.settings import Settings

Message = dict[str, str]  # {"role": "system" | "user" | "assistant", "content": str}
PROVIDERS = ("openai", "ollama")


@runtime_checkable
class ChatModel(Protocol):
    """Anything that streams the text of a reply to a list of messages."""

    def stream(self, messages: Sequence[Message]) -> Iterator[str]: ...


class ChatModelError(UnavailableError):
    """The chat model is misconfigured or unreachable (a message a person can act on)."""


class LangChainChatModel:
    """A :class:`ChatModel` over any LangChain ``BaseChatModel``."""

    def __init__(self, model: Any) -> None:
        self.model = model

    def stream(self, messages: Sequence[Message]) -> Iterator[str]:
        pairs = [(m["role"], m["content"]) for m in messages]
        for chunk in self.model.stream(pairs):
            content = getattr(chunk, "content", chunk)
            if isinstance(content, list):  # content blocks
                content = "".join(
                    b.get("text", "") if isinstance(b, dict) else str(b) for b in content
                )
            if content:
                yield str(content)


def as_chat_model(model: Any) -> ChatModel:
    """``model`` itself when it is a :class:`ChatModel` of ours, else a LangChain adapter."""
    from langchain_core.language_models import BaseChatModel

    if isinstance(model, BaseChatModel):
        return LangChainChatModel(model)
    if isinstance(model, ChatModel):
        return model
    raise TypeError(f"not a chat model: {type(model).__name__} (needs .stream(messages))")


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
