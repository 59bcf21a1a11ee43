"""The data types of answering, shared by the offline composer and the language-model path."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal, Protocol

from assistant.answering import citations as checks


class Thread(Protocol):
    """A conversation an answer takes part in: resolves follow-ups, records the turn."""

    def resolve(self, question: str, catalog: Any) -> str:
        """The question with what a follow-up leaves out filled in from earlier turns."""
        ...

    def add(self, question: str, resolved: str, answer: dict[str, Any]) -> object:
        """Record one turn."""
        ...


@dataclass
class Answer:
    """An answer with the clauses it quotes (checked) and related clauses."""

    status: Literal["answered", "partial", "not_found"]  # see assistant.answering.answer
    text: str
    citations: list[dict[str, Any]] = field(default_factory=list)
    related: list[dict[str, Any]] = field(default_factory=list)
    question: str = ""
    mode: Literal["offline", "llm", "fallback"] = "offline"
    rejected: list[checks.Rejected] = field(default_factory=list)
    note: str = ""  # for the person at the terminal (why the model's answer was not used)

    def to_json(self) -> dict[str, Any]:
        return {
            "status": self.status,
            "answer": self.text,
            "citations": self.citations,
            "related": self.related,
        }


def plain_citation(citation: dict[str, Any]) -> dict[str, Any]:
    """A citation object without its search ``score``."""
    return {key: value for key, value in citation.items() if key != "score"}
