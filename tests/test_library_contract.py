"""One contract, two libraries: the real one (over a fake embedder) and the API tests' fake.

Both implement :class:`~assistant.index.model.ClauseLibrary`; what the shells and the domain
modules rely on must hold for each, so a fake can never drift from the real library."""

from __future__ import annotations

from typing import Any

import pytest
from api_fakes import FakeLibrary

from assistant.errors import NotFoundError
from assistant.index.model import ClauseLibrary

WTSA = "wtsa-43-rev-new-delhi-2024"
CITATION_KEYS = {"id", "document", "body", "number", "revision", "section", "label", "sub", "text"}


@pytest.fixture(params=["real", "fake"])
def library(request: pytest.FixtureRequest) -> Any:
    if request.param == "real":
        return request.getfixturevalue("fake_library")  # the real Library, fake embedder
    return FakeLibrary()


def test_it_is_a_clause_library(library: Any) -> None:
    assert isinstance(library, ClauseLibrary)
    assert library.settings.home


def test_documents_and_names(library: ClauseLibrary) -> None:
    ids = {row["document"] for row in library.documents()}
    assert WTSA in ids and len(ids) >= 5
    assert library.document(WTSA).id == WTSA
    assert library.resolve_document("WTSA 43") == WTSA
    with pytest.raises(NotFoundError):
        library.document("no-such-document")
    with pytest.raises(NotFoundError):
        library.resolve_document("zebra quartet 9999")


def test_clauses_are_citation_objects(library: ClauseLibrary) -> None:
    _, first = library.document(WTSA).clauses()[0]
    found = library.clause(first.id)
    assert set(found) >= CITATION_KEYS and found["id"] == first.id
    with pytest.raises(NotFoundError):
        library.clause(f"{WTSA}/no-such-section/zz")


def test_search_and_embeddings(library: ClauseLibrary) -> None:
    hits = library.search("regional preparatory meetings", k=3)
    assert 1 <= len(hits) <= 3
    assert all(set(h.citation) >= CITATION_KEYS and "score" in h.to_json() for h in hits)
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)
    one, two = library.embed(["regional meetings", "budget of the Union"])
    assert len(one) == len(two) and abs(sum(v * v for v in one) - 1) < 1e-6
    [nearest] = library.nearest(["regional preparatory meetings"], 2)
    assert 1 <= len(nearest) <= 2 and all(library.clause(i) for i in nearest)


def test_remove(library: ClauseLibrary) -> None:
    library.remove(WTSA)
    with pytest.raises(NotFoundError):
        library.document(WTSA)
