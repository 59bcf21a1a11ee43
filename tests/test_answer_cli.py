"""``resolutions ask`` and ``resolutions chat`` over the fake library."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from assistant.cli import main

TIMING = (
    "When should the informal meeting of the chairs and vice-chairs of the regional "
    "preparatory meetings be held before WTSA?"
)


@pytest.fixture
def cli_library(fake_library, monkeypatch):
    """Every command's Library is the fake library (no real model in these tests)."""
    monkeypatch.setattr("assistant.index.library.Library", lambda *args, **kwargs: fake_library)
    monkeypatch.delenv("RESOLUTIONS_LLM_PROVIDER", raising=False)
    return fake_library


def test_ask_json(cli_library) -> None:
    result = CliRunner().invoke(main, ["ask", "--json", TIMING])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["status"] == "answered" and data["citations"]
    assert {"status", "answer", "citations", "related", "intent", "tool_calls"} <= set(data)
    assert data["intent"] == "question"


def test_ask_text_not_found_lists_related(cli_library) -> None:
    result = CliRunner().invoke(main, ["ask", "What is the capital of France?"])
    assert result.exit_code == 0, result.output
    assert "do not address" in result.stdout and "Related:" in result.stdout


def test_ask_with_conversation_resolves_follow_up(cli_library) -> None:
    runner = CliRunner()
    first = runner.invoke(main, ["ask", "--json", "--conversation", "c1", TIMING])
    assert first.exit_code == 0, first.output
    second = runner.invoke(
        main, ["ask", "--json", "--conversation", "c1", "And what does the WTDC one say?"]
    )
    data = json.loads(second.stdout)
    assert "WTDC" in data["searched"] and "WTSA" not in data["searched"]
    assert data["citations"]


def test_a_follow_up_naming_another_body_cites_that_body_first(cli_library) -> None:
    runner = CliRunner()
    runner.invoke(main, ["ask", "--json", "--conversation", "c2", TIMING])
    second = runner.invoke(
        main, ["ask", "--json", "--conversation", "c2", "And what does the WTDC one say?"]
    )
    assert json.loads(second.stdout)["citations"][0]["body"] == "WTDC"


def test_ask_bad_input_is_one_line_exit_2(cli_library) -> None:
    result = CliRunner().invoke(main, ["ask", "--conversation", "bad id", TIMING])
    assert result.exit_code == 2
    assert "invalid conversation id" in result.output and "Traceback" not in result.output
    result = CliRunner().invoke(main, ["ask", "   "])
    assert result.exit_code == 2 and "message is empty" in result.output


def test_ask_misconfigured_model_is_one_line_exit_2(cli_library, monkeypatch) -> None:
    monkeypatch.setenv("RESOLUTIONS_LLM_PROVIDER", "nonsense")
    monkeypatch.setenv("RESOLUTIONS_LLM_MODEL", "m")
    result = CliRunner().invoke(main, ["ask", TIMING])
    assert result.exit_code == 2 and "unknown RESOLUTIONS_LLM_PROVIDER" in result.output


def test_chat_session_with_follow_up(cli_library) -> None:
    result = CliRunner().invoke(
        main,
        ["chat", "--conversation", "t1"],
        input=f"{TIMING}\nAnd what does the WTDC one say?\n/quit\n",
    )
    assert result.exit_code == 0, result.output
    assert "WTSA Res. 43" in result.stdout
    assert "Searched:" in result.stdout and "before WTDC?" in result.stdout
