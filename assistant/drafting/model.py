"""The data types of drafting, shared by the drafter, the smoother, revisions and Word files."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from assistant.drafting.citation_update import CitationUpdate
from assistant.drafting.merge import Reading
from assistant.text.terms import detokenize


@dataclass
class Span:
    """A run of the proposal and the clauses it comes from."""

    text: str
    sources: list[str]
    generalized: list[str] = field(default_factory=list)  # phrases the term map replaced
    alternatives: list[Reading] = field(default_factory=list)  # readings not chosen here
    updated: bool = False  # ``generalized`` holds the older revision of a cited resolution

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"text": self.text, "sources": self.sources}
        if self.generalized:
            data["updated_citation" if self.updated else "term_map"] = True
            data["replaces"] = self.generalized
        if self.alternatives:
            data["alternatives"] = [reading_json(r) for r in self.alternatives]
        return data


def words_before(spans: Sequence[Mapping[str, Any]], index: int, count: int = 3) -> str:
    """The last ``count`` words of the spans (JSON) before ``spans[index]``: where an empty
    choice sits ("nothing after 'the ITU Council'")."""
    return " ".join("".join(str(s["text"]) for s in spans[:index]).split()[-count:])


def reading_json(reading: Reading) -> dict[str, Any]:
    """A reading of a place where the sources differ, as JSON."""
    data: dict[str, Any] = {"text": detokenize(reading.tokens), "sources": reading.sources}
    replaced = list(dict.fromkeys(t.origin for t in reading.tokens if t.origin))
    if replaced:
        data["term_map"] = True
        data["replaces"] = replaced
    return data


@dataclass
class Draft:
    """A proposed wording, its spans with sources, the sources and the base it revises."""

    text: str
    spans: list[Span]
    sources: list[dict[str, Any]]
    base: dict[str, Any] | None
    target_body: str
    seed: str
    smoothing: dict[str, Any] | None = None  # set when a chat model was asked to smooth it
    updated_citations: list[CitationUpdate] = field(default_factory=list)
    # the proposal against its base (or the text named by ``against``): ``against`` (a citation),
    # ``markdown`` and ``html`` with <ins>/<del>, ``changes`` (every edit, equal runs too)
    redline: dict[str, Any] | None = None

    def to_json(self) -> dict[str, Any]:
        data = {
            "text": self.text,
            "spans": [span.to_json() for span in self.spans],
            "sources": self.sources,
            "base": self.base,
            "for": self.target_body,
            "seed": self.seed,
        }
        if self.smoothing is not None:
            data["smoothing"] = self.smoothing
        if self.updated_citations:
            data["updated_citations"] = [u.to_json() for u in self.updated_citations]
        if self.redline is not None:
            data["redline"] = self.redline
        return data
