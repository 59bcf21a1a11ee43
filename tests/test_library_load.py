"""What a search costs under load (issue 17): the state version is polled at most every
``state_poll_ms`` (a write of this process is seen at once, another process's within that time),
and a search asks the store for chunk ids and distances only (each chunk's metadata read once)."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from sqlalchemy import update

from assistant.index import database as sql
from assistant.index import ingest_state as st
from assistant.index.library import Library
from assistant.settings import Settings
from tests.conftest import CORPUS
from tests.fakes import FakeEmbedder


def other_process_commits(library: Library) -> None:
    """What another process's commit looks like from here: the version moves in the database,
    and this process's count of its own writes does not."""
    db = library.database
    with db.write() as conn:
        conn.execute(
            update(sql.state_version)
            .where(sql.state_version.c.id == 1)
            .values(version=sql.state_version.c.version + 1)
        )


def library_at(home: Path, poll_ms: float) -> Library:
    return Library(Settings(home=home, corpus=CORPUS, state_poll_ms=poll_ms), FakeEmbedder())


def test_another_process_s_commit_is_seen_within_the_poll_interval(fake_library: Library) -> None:
    library = library_at(fake_library.home, 300)
    first = library.state()
    other_process_commits(library)
    assert library.state() is first  # trusted until the next poll
    time.sleep(0.35)
    assert library.state().version == first.version + 1


def test_with_no_interval_every_call_asks_the_database(fake_library: Library) -> None:
    library = library_at(fake_library.home, 0)
    first = library.state()
    other_process_commits(library)
    assert library.state().version == first.version + 1


def test_a_commit_of_this_process_is_seen_at_once_by_every_library(
    fake_library: Library, tmp_path: Path
) -> None:
    reader = library_at(fake_library.home, 60_000)
    writer = library_at(fake_library.home, 60_000)
    before = reader.state()
    assert "wtsa-43-rev-new-delhi-2024" in before.documents
    writer.remove("wtsa-43-rev-new-delhi-2024")
    after = reader.state()
    assert after.version > before.version
    assert "wtsa-43-rev-new-delhi-2024" not in after.documents
    assert all(not h.citation["id"].startswith("wtsa-43-") for h in reader.search("WTSA 43", k=20))
    assert st.current_version(reader.database) == after.version


class CountingStore:
    """The library's store, counting what a search asks of it."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner
        self.metadata_reads: list[str] = []
        self.full_queries = 0

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)

    def metadatas(self, ids: Any) -> Any:
        self.metadata_reads.extend(ids)
        return self.inner.metadatas(ids)

    def query_many(self, *args: Any, **kwargs: Any) -> Any:
        self.full_queries += 1
        return self.inner.query_many(*args, **kwargs)


def test_a_search_reads_each_chunk_s_metadata_once(fake_library: Library) -> None:
    store = CountingStore(fake_library.store)
    library = Library(fake_library.settings, FakeEmbedder(), store)
    first = library.search("regional preparatory meetings", k=5)
    read = len(store.metadata_reads)
    assert read > 0 and len(set(store.metadata_reads)) == read
    assert library.search("regional preparatory meetings", k=5) == first
    library.search("regional preparatory meetings of the assemblies", k=5)
    assert len(set(store.metadata_reads)) == len(store.metadata_reads)  # never twice
    assert store.full_queries == 0


def test_the_dense_ranking_is_that_of_the_store_s_metadata(fake_library: Library) -> None:
    """The ids-and-distances path gives the clauses and similarities the full query gives."""
    query = "coordination with regional telecommunication organizations"
    vector = fake_library.embedder.embed_query(query)
    state = fake_library.state()
    full = fake_library.store.query(vector, 100)
    expected: list[tuple[str, float]] = []
    for hit in full:
        meta = hit.metadata
        clause = str(meta["clause"])
        if state.generation(str(meta["document"])) == meta["generation"] and clause not in {
            c for c, _ in expected
        }:
            expected.append((clause, 1.0 - hit.distance))
    dense = fake_library.retriever._dense(query, 50, {}, state)
    assert [c for c, _ in dense] == [c for c, _ in expected][:50]
    assert [s for _, s in dense] == [s for _, s in expected][:50]


class SlowStore:
    """A store whose query takes a while, recording the vectors of each call."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner
        self.calls: list[int] = []

    def nearest_ids(self, vectors: Any, k: int, filters: Any = None) -> Any:
        self.calls.append(len(vectors))
        time.sleep(0.02)
        if filters and filters.get("document") == ["boom"]:
            raise RuntimeError("the store failed")
        return self.inner.nearest_ids(vectors, k, filters)


def test_concurrent_searches_share_store_queries_and_each_gets_its_own_row(
    fake_library: Library,
) -> None:
    import threading

    from assistant.index.retrieval import StoreBatcher

    store = SlowStore(fake_library.store)
    batcher = StoreBatcher(store)
    texts = [f"regional preparatory meetings {i}" for i in range(24)]
    vectors = [fake_library.embedder.embed_query(t) for t in texts]
    filters = [{} if i % 3 else {"body": ["WTSA"]} for i in range(24)]
    results: dict[int, Any] = {}
    failures: list[BaseException] = []

    def one(i: int) -> None:
        results[i] = batcher.nearest(vectors[i], 10, filters[i])
        try:
            batcher.nearest(vectors[i], 10, {"document": ["boom"]})
        except RuntimeError as error:
            failures.append(error)

    threads = [threading.Thread(target=one, args=(i,)) for i in range(24)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    for i in range(24):
        assert results[i] == fake_library.store.nearest_ids([vectors[i]], 10, filters[i])[0]
    assert len(failures) == 24  # every caller of a failed query gets its error
    assert len(store.calls) < 48 and max(store.calls) > 1  # shared queries
    assert batcher.nearest(vectors[1], 10, filters[1]) == results[1]  # idle again: runs alone
    assert not batcher._running and not batcher._pending


def test_one_thread_polls_while_the_others_keep_the_state(
    fake_library: Library, monkeypatch: Any
) -> None:
    import threading

    library = library_at(fake_library.home, 10)
    first = library.state()
    calls: list[int] = []
    real = st.current_version

    def slow_version(db: Any) -> int:
        calls.append(1)
        time.sleep(0.2)
        return real(db)

    monkeypatch.setattr(st, "current_version", slow_version)
    time.sleep(0.02)  # the state is due for a poll
    seen: list[Any] = []
    threads = [threading.Thread(target=lambda: seen.append(library.state())) for _ in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    assert len(calls) == 1 and len(seen) == 16 and all(s is first for s in seen)
