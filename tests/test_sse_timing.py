"""POST /ask/stream sends what is known as it is known (issue 19, item 5): the intent right after
routing, the citations once they are found, then the text, then the reply; over a real socket,
with the real assistant, against a library whose search is made slow on purpose."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from api.app import create_app
from assistant.chat.agent import respond, stream_respond
from assistant.chat.model import CitationsEvent, IntentEvent, Reply
from tests.test_browser import serve

SEARCH_DELAY = 0.6  # seconds added to every search of the library
QUESTION = "What do the resolutions say about the timing of interregional meetings?"


@pytest.fixture
def slow_url(fake_library: Any) -> Iterator[str]:
    search = fake_library.search

    def slow_search(*args: Any, **kwargs: Any) -> Any:
        time.sleep(SEARCH_DELAY)
        return search(*args, **kwargs)

    fake_library.search = slow_search
    yield from serve(create_app(fake_library.settings, library=fake_library))


def timed_events(url: str, question: str) -> list[tuple[float, str, Any]]:
    """(seconds since the request, event name, data) for each event, as the client reads it."""
    events: list[tuple[float, str, Any]] = []
    start = time.monotonic()
    with httpx.stream("POST", url + "/ask/stream", json={"question": question}, timeout=60) as r:
        buffer = ""
        for chunk in r.iter_text():
            buffer += chunk
            while "\n\n" in buffer:
                block, buffer = buffer.split("\n\n", 1)
                fields = dict(line.split(": ", 1) for line in block.splitlines())
                data = json.loads(fields["data"])
                events.append((time.monotonic() - start, fields["event"], data))
    return events


def test_the_intent_arrives_before_the_search_ends(slow_url: str) -> None:
    events = timed_events(slow_url, QUESTION)
    names = [name for _, name, _ in events]
    assert names[0] == "intent" and names[1] == "citations" and names[-1] == "answer", names
    assert set(names[2:-1]) == {"token"}
    at = {name: seconds for seconds, name, _ in reversed(events)}  # first arrival of each
    assert at["answer"] - at["intent"] >= SEARCH_DELAY * 0.8, events  # not one burst
    assert events[0][2]["intent"] == "question"
    reply = events[-1][2]
    assert events[1][2]["citations"] == reply["citations"]
    assert events[1][2]["status"] == reply["status"]
    assert (
        "".join(data["text"] for _, name, data in events if name == "token").strip()
        == (reply["answer"])
    )


def test_a_lookup_streams_its_intent_then_its_clause(slow_url: str) -> None:
    events = timed_events(slow_url, "show me WTSA 43 resolves to instruct the Director 1")
    names = [name for _, name, _ in events]
    assert names[0] == "intent" and names[-1] == "answer", names
    assert events[0][2]["intent"] == "lookup"
    assert events[0][2]["documents"] == ["wtsa-43-rev-new-delhi-2024"]
    assert "citations" in names and names.index("citations") < names.index("token")


def test_events_only_when_asked_for(fake_library: Any) -> None:
    """The CLI's stream (no events) is text, then the Reply; ``respond`` is unchanged."""
    plain = list(stream_respond(fake_library, QUESTION))
    assert all(isinstance(p, str) for p in plain[:-1]) and isinstance(plain[-1], Reply)
    typed = list(stream_respond(fake_library, QUESTION, events=True))
    assert isinstance(typed[0], IntentEvent) and isinstance(typed[1], CitationsEvent)
    assert [p for p in typed if isinstance(p, str)] == plain[:-1]
    assert respond(fake_library, QUESTION).to_json() == plain[-1].to_json()
