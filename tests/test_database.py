"""The library's database: state round trip and version, the ingest lock, on SQLite and on a real
PostgreSQL server (Debian's package, started by the test on a free loopback port)."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import update

from assistant.index import database as sql
from assistant.index import ingest_state as st
from assistant.index.database import Database, open_database
from assistant.index.library import Library
from assistant.settings import Settings
from tests.conftest import CORPUS, ROOT
from tests.fakes import FakeEmbedder
from tests.pg_server import create_database, running_postgres


@pytest.fixture(scope="module")
def postgres_url() -> Iterator[str]:
    with running_postgres() as url:
        yield url


def sqlite_db(tmp_path: Path) -> Database:
    return open_database(f"sqlite:///{tmp_path / 'home' / 'library.sqlite3'}", tmp_path / "home")


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.slow)])
def db(request: pytest.FixtureRequest, tmp_path: Path) -> Database:
    if request.param == "sqlite":
        return sqlite_db(tmp_path)
    url = request.getfixturevalue("postgres_url")
    name = f"t{abs(hash(str(tmp_path))) % 10**9}"
    return open_database(create_database(url, name), tmp_path / "home")


def test_state_round_trip_and_version(db: Database) -> None:
    empty = st.load_state(db)
    assert empty.documents == {} and empty.version == st.current_version(db)
    state = st.State(
        documents={"a": {"sha256": "1" * 64, "file": "/x/a.txt", "summary": {"body": "PP"}}},
        files={"/x/a.txt": {"sha256": "1" * 64, "documents": ["a"]}},
        pending={"b": "2" * 64},
    )
    st.save_state(db, state)
    assert state.version == empty.version + 1 == st.current_version(db)
    again = st.load_state(db)
    assert (again.documents, again.files, again.pending) == (
        state.documents,
        state.files,
        state.pending,
    )
    state.pending.clear()
    state.documents["a"]["sha256"] = "3" * 64
    st.save_state(db, state)
    assert st.load_state(db).generation("a") == "3" * 64 and not st.load_state(db).pending
    assert st.load_state(db).fingerprint() != again.fingerprint()


def test_parsed_documents_are_kept_per_generation(db: Database) -> None:
    from ingest.loader import load_file

    [document] = load_file(CORPUS / "WRC-72-Rev-WRC-19.txt").documents
    st.save_document(db, document, "g1")
    st.save_document(db, document, "g1")  # idempotent
    st.save_document(db, document, "g2")
    assert st.load_document(db, document.id, "g1").clauses() == document.clauses()
    state = st.State(documents={document.id: {"sha256": "g2"}})
    st.remove_stale_documents(db, state)
    with pytest.raises(LookupError):
        st.load_document(db, document.id, "g1")
    assert st.load_document(db, document.id, "g2").id == document.id


def test_a_second_lock_is_refused_until_the_first_is_released(db: Database) -> None:
    busy = pytest.raises(st.IngestBusyError, match="another ingest or remove is running")
    with st.ingest_lock(db), busy, st.ingest_lock(db):
        pass
    with st.ingest_lock(db):
        pass


HOLDER = r"""
import os, sys, time
sys.path.insert(0, os.environ["PROJECT_ROOT"])
from pathlib import Path
from assistant.index.database import open_database
from assistant.index.ingest_state import ingest_lock
with ingest_lock(open_database(sys.argv[1], Path(sys.argv[2]))):
    print("locked", flush=True)
    time.sleep(120)
"""


def test_a_killed_holder_does_not_keep_the_lock(db: Database, tmp_path: Path) -> None:
    env = {**os.environ, "PROJECT_ROOT": str(ROOT)}
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, db.url, str(db.home)],
        env=env,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
        with pytest.raises(st.IngestBusyError), st.ingest_lock(db):
            pass
    finally:
        holder.send_signal(signal.SIGKILL)
        holder.wait(timeout=10)
    deadline = time.monotonic() + 10  # PostgreSQL notices the closed connection at once
    while True:
        try:
            with st.ingest_lock(db):
                break
        except st.IngestBusyError:
            assert time.monotonic() < deadline, "the dead holder kept the lock"
            time.sleep(0.2)


def test_sqlite_lock_of_another_host_holds_until_it_expires(tmp_path: Path) -> None:
    db = sqlite_db(tmp_path)
    with db.write() as conn:
        conn.execute(
            sql.ingest_lock.insert().values(
                name="ingest",
                owner="elsewhere:1:x",
                host=f"not-{socket.gethostname()}",
                pid=1,
                expires=time.time() + 60,
            )
        )
    with pytest.raises(st.IngestBusyError), st.ingest_lock(db):
        pass
    with db.write() as conn:  # its heartbeat stopped
        conn.execute(update(sql.ingest_lock).values(expires=time.time() - 1))
    with st.ingest_lock(db):
        pass


def test_a_library_polls_one_version_and_sees_another_process_commit(
    db: Database, tmp_path: Path
) -> None:
    settings = Settings(home=db.home, corpus=CORPUS, database_url=db.url)
    writer = Library(settings, embedder=FakeEmbedder())
    reader = Library(
        Settings(home=db.home, corpus=CORPUS, database_url=db.url), embedder=FakeEmbedder()
    )
    reader._store = writer.store  # one vector store, as replicas share a Chroma server
    assert reader.documents() == []
    first = reader.state()
    assert reader.state() is first  # nothing changed: the cached state, no reload
    writer.ingest([str(CORPUS / "WRC-72-Rev-WRC-19.txt")])
    assert [d["document"] for d in reader.documents()] == ["wrc-72-rev-wrc-19"]
    assert reader.search("radio", k=3)
