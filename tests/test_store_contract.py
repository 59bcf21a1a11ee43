"""The contract of :class:`~assistant.index.store.ClauseStore`, run on every implementation: the
in-memory store of the tests, Chroma embedded, and Chroma behind a ``chroma run`` server (slow).

Filters and deletions are in the project's terms (``{field: [values]}``, a document id and the
generation to keep); only the Chroma adapter knows Chroma's ``where`` syntax."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from assistant.index.store import ChromaStore, ClauseStore, chroma_where
from tests.fakes import MemoryStore
from tests.test_chroma_server import chroma_server  # noqa: F401  (the server variant's fixture)


@pytest.fixture(params=["memory", "chroma", pytest.param("chroma-server", marks=pytest.mark.slow)])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[ClauseStore]:
    if request.param == "memory":
        yield MemoryStore()
    elif request.param == "chroma":
        yield ChromaStore("contract", path=tmp_path / "chroma")
    else:
        yield ChromaStore("contract", url=request.getfixturevalue("chroma_server"))


def unit(*values: float) -> list[float]:
    norm = sum(v * v for v in values) ** 0.5
    return [v / norm for v in values]


# five chunks of two documents (two generations of "a"), at known angles on a plane
CHUNKS: list[tuple[str, list[float], dict[str, Any]]] = [
    ("a/1", unit(1, 0, 0), {"document": "a", "generation": "g1", "body": "PP"}),
    ("a/2", unit(1, 0.2, 0), {"document": "a", "generation": "g1", "body": "PP"}),
    ("a/3", unit(1, 0.6, 0), {"document": "a", "generation": "g2", "body": "PP"}),
    ("b/1", unit(1, 1.5, 0), {"document": "b", "generation": "g1", "body": "WTSA"}),
    ("b/2", unit(0, 1, 0.1), {"document": "b", "generation": "g1", "body": "WTSA"}),
]


def fill(store: ClauseStore) -> None:
    store.upsert(
        [c[0] for c in CHUNKS],
        [c[1] for c in CHUNKS],
        [f"text of {c[0]}" for c in CHUNKS],
        [c[2] for c in CHUNKS],
    )


def test_upsert_is_idempotent_and_ids_list_the_chunks(store: ClauseStore) -> None:
    assert store.count() == 0 and store.ids() == []
    fill(store)
    fill(store)
    assert store.count() == 5
    assert sorted(store.ids()) == sorted(c[0] for c in CHUNKS)
    store.upsert(["a/1"], [unit(0, 0, 1)], ["moved"], [{"document": "a", "generation": "g3"}])
    assert store.count() == 5
    assert [h.id for h in store.query(unit(0, 0, 1), 1)] == ["a/1"]
    metadata = store.query(unit(0, 0, 1), 1)[0].metadata  # Chroma keeps keys not given again
    assert metadata.items() >= {"document": "a", "generation": "g3"}.items()


def test_query_returns_the_nearest_first_with_metadata_and_cosine_distance(
    store: ClauseStore,
) -> None:
    fill(store)
    hits = store.query(unit(1, 0, 0), 3)
    assert [h.id for h in hits] == ["a/1", "a/2", "a/3"]
    assert hits[0].metadata == CHUNKS[0][2]
    assert hits[0].distance == pytest.approx(0.0, abs=1e-5)
    assert hits[1].distance == pytest.approx(1 - unit(1, 0.2, 0)[0], abs=1e-4)
    assert store.query(unit(1, 0, 0), 0) == []
    assert len(store.query(unit(1, 0, 0), 10)) == 5


def test_filters_or_the_values_of_a_field_and_and_the_fields(store: ClauseStore) -> None:
    fill(store)
    near = unit(1, 0, 0)
    assert [h.id for h in store.query(near, 10, {"document": ["b"]})] == ["b/1", "b/2"]
    assert {h.id for h in store.query(near, 10, {"generation": ["g2", "g1"]})} == {
        c[0] for c in CHUNKS
    }
    both = {"document": ["a", "b"], "generation": ["g1"]}
    assert [h.id for h in store.query(near, 10, both)] == ["a/1", "a/2", "b/1", "b/2"]
    assert store.query(near, 10, {"document": ["a"], "body": ["WTSA"]}) == []
    assert store.query(near, 10, {}) == store.query(near, 10)
    assert sorted(store.ids({"body": ["WTSA"]})) == ["b/1", "b/2"]


def test_query_many_answers_each_vector_in_order(store: ClauseStore) -> None:
    fill(store)
    vectors = [unit(0, 1, 0.1), unit(1, 0, 0)]
    rows = store.query_many(vectors, 2, {"generation": ["g1"]})
    assert [[h.id for h in row] for row in rows] == [["b/2", "b/1"], ["a/1", "a/2"]]
    assert rows[1] == store.query(vectors[1], 2, {"generation": ["g1"]})
    assert store.query_many([], 3) == []


def test_delete_document_keeps_the_generation_asked_for(store: ClauseStore) -> None:
    fill(store)
    store.delete_document("a", keep_generation="g2")
    assert sorted(store.ids()) == ["a/3", "b/1", "b/2"]
    store.delete_document("a")
    assert sorted(store.ids()) == ["b/1", "b/2"]
    store.delete_document("no-such-document")
    assert store.count() == 2


def test_chroma_syntax_stays_inside_the_chroma_adapter() -> None:
    assert chroma_where({}) is None and chroma_where(None) is None
    assert chroma_where({"document": ["a"]}) == {"document": "a"}
    assert chroma_where({"document": ["a", "b"], "body": ["PP"]}) == {
        "$and": [{"document": {"$in": ["a", "b"]}}, {"body": "PP"}]
    }
    root = Path(__file__).resolve().parent.parent / "assistant"
    leaks = [
        str(path.relative_to(root))
        for path in root.rglob("*.py")
        if path.name != "store.py" and ("$and" in path.read_text() or "$ne" in path.read_text())
    ]
    assert leaks == []


def test_nearest_ids_are_the_query_without_metadata(store: ClauseStore) -> None:
    fill(store)
    vectors = [unit(0, 1, 0.1), unit(1, 0, 0)]
    rows = store.nearest_ids(vectors, 3, {"generation": ["g1"]})
    full = store.query_many(vectors, 3, {"generation": ["g1"]})
    assert [[i for i, _ in row] for row in rows] == [[h.id for h in row] for row in full]
    for row, hits in zip(rows, full, strict=True):
        assert [d for _, d in row] == pytest.approx([h.distance for h in hits], abs=1e-6)
    assert store.nearest_ids([], 3) == [] and store.nearest_ids(vectors[:1], 0) == [[]]


def test_metadatas_by_id_of_the_chunks_that_exist(store: ClauseStore) -> None:
    fill(store)
    found = store.metadatas(["b/2", "a/1", "gone"])
    assert found == {"b/2": CHUNKS[4][2], "a/1": CHUNKS[0][2]}
    assert store.metadatas([]) == {}
