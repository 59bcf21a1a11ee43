"""The chat-model seam (assistant/chat_model.py): our two Protocols, and the LangChain adapter's
translation of a tool-calling conversation both ways (a real model: tests/test_llm_server.py and
the ``llama_server`` tests)."""

from __future__ import annotations

import pytest
from langchain_core.messages import AIMessage, HumanMessage, SystemMessage, ToolMessage

from assistant.chat_model import (
    ChatModel,
    LangChainChatModel,
    ModelReply,
    ToolCall,
    ToolCallingModel,
    ToolResult,
    as_chat_model,
    as_tool_calling_model,
    from_langchain,
    to_langchain,
)
from tests.chat_fakes import ScriptedChatModel, call


def test_the_scripted_fake_implements_both_protocols_and_records_prompts() -> None:
    model = ScriptedChatModel("a reply in words", call("search", query="x"))
    assert isinstance(model, ChatModel) and isinstance(model, ToolCallingModel)
    assert as_chat_model(model) is model and as_tool_calling_model(model) is model
    pieces = list(model.stream([{"role": "user", "content": "hello"}]))
    assert pieces == ["a", " reply", " in", " words"]
    reply = model.call_tools([{"role": "user", "content": "find x"}], [{"name": "search"}])
    assert reply.tool_calls == (ToolCall("search", {"query": "x"}, "c-search"),)
    assert model.seen == ["hello", "find x"] and model.tools == [[{"name": "search"}]]
    with pytest.raises(AssertionError, match="no reply"):
        model.call_tools([], [])
    assert as_tool_calling_model(ScriptedChatModel(tools=False)) is None


def test_a_conversation_translates_to_langchain_and_back() -> None:
    turns = [
        {"role": "system", "content": "rules"},
        {"role": "user", "content": "question"},
        ModelReply("", (ToolCall("search", {"query": "q"}, "id-1"), ToolCall("get_clause"))),
        ToolResult("id-1", '{"hits": []}', "search"),
        {"role": "assistant", "content": "earlier answer"},
    ]
    system, user, asked, result, answered = to_langchain(turns)
    assert isinstance(system, SystemMessage) and system.content == "rules"
    assert isinstance(user, HumanMessage) and user.content == "question"
    assert isinstance(asked, AIMessage)
    assert [(c["name"], c["args"], c["id"]) for c in asked.tool_calls] == [
        ("search", {"query": "q"}, "id-1"),
        ("get_clause", {}, None),
    ]
    assert isinstance(result, ToolMessage) and result.tool_call_id == "id-1"
    assert isinstance(answered, AIMessage) and answered.content == "earlier answer"
    assert from_langchain(asked) == ModelReply(
        "", (ToolCall("search", {"query": "q"}, "id-1"), ToolCall("get_clause", {}, ""))
    )
    blocks = AIMessage(
        content=[{"type": "text", "text": "It says "}, {"type": "text", "text": "so"}]
    )
    assert from_langchain(blocks) == ModelReply("It says so")


def test_langchain_models_call_tools_only_when_they_bind_them() -> None:
    from langchain_core.language_models.fake_chat_models import FakeListChatModel

    assert as_tool_calling_model(FakeListChatModel(responses=["x"])) is None  # no bind_tools
    assert as_tool_calling_model(LangChainChatModel(FakeListChatModel(responses=["x"]))) is None
    openai = pytest.importorskip("langchain_openai")
    model = openai.ChatOpenAI(base_url="http://127.0.0.1:9/v1", api_key="x", model="m")
    adapter = as_tool_calling_model(model)
    assert isinstance(adapter, LangChainChatModel) and adapter.model is model
    assert as_tool_calling_model(LangChainChatModel(model)) is not None
