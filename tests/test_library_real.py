"""The library with the real MiniLM embedder and embedded Chroma (slow)."""

from __future__ import annotations

import pytest

from assistant.index.library import Library

pytestmark = pytest.mark.slow


def test_real_library_finds_paraphrased_clauses(real_library: Library) -> None:
    hits = real_library.search(
        "how long before the assembly should the regional preparatory meetings take place?", k=3
    )
    assert hits and hits[0].citation["citation"]
    assert any(h.citation["body"] == "WTSA" for h in hits)
    hits = real_library.search("what does the radio conference ask the BR director to do", k=5)
    assert any(h.citation["body"] == "WRC" for h in hits[:3])


def test_real_library_search_is_deterministic(real_library: Library) -> None:
    query = "coordination with regional telecommunication organizations"
    assert [h.id for h in real_library.search(query, k=5)] == [
        h.id for h in real_library.search(query, k=5)
    ]
