"""Rank fusion helpers: weighted RRF and the ordering of quoting passages after their source."""

from __future__ import annotations

from assistant.index.fusion import quoted_after_source, weighted_rrf

SOURCE = "to organize one regional preparatory meeting per region for each of the six regions"
TEXTS = {
    "contribution/12": "3 " + SOURCE + " (Rev. 2025)",  # a contribution quoting the clause
    "contribution/40": "an unrelated paragraph of the contribution about its purpose",
    "wtdc/resolves/1": SOURCE,
    "wtsa/resolves/1": "to maintain at least one regional preparatory meeting per region",
}


def is_resolution(item: str) -> bool:
    return not item.startswith("contribution/")


def test_a_quoting_passage_follows_its_source() -> None:
    ranked = ["contribution/12", "wtsa/resolves/1", "contribution/40", "wtdc/resolves/1"]
    assert quoted_after_source(ranked, TEXTS, is_resolution) == [
        "wtsa/resolves/1",
        "contribution/40",
        "wtdc/resolves/1",
        "contribution/12",
    ]


def test_nothing_moves_without_a_quoted_source_below() -> None:
    ranked = ["wtdc/resolves/1", "contribution/12", "contribution/40", "wtsa/resolves/1"]
    assert quoted_after_source(ranked, TEXTS, is_resolution) == ranked
    extra = " ".join(f"word{n}" for n in range(30))  # the clause is only a small part of it
    longer = {**TEXTS, "contribution/12": f"{TEXTS['contribution/12']} {extra}"}
    reversed_ = ["contribution/12", "wtdc/resolves/1"]
    assert quoted_after_source(reversed_, longer, is_resolution) == reversed_  # not a quote


def test_weighted_rrf_prefers_agreement() -> None:
    scores = weighted_rrf({"a": ["x", "y"], "b": ["y", "x"]}, {"a": 1.0, "b": 0.5}, k=10)
    assert scores["x"] > scores["y"] > 0
