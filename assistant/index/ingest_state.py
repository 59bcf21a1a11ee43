"""What is indexed, file by file: content hashes, generations, parsed documents, the ingest lock;
kept in the library's database (:mod:`assistant.index.database`: SQLite or PostgreSQL).

Crash safety: the database transaction of :func:`save_state` is the commit point. Chunks of a new
version of a document are written under a new *generation* (the file's sha256) while the old
generation stays active; search only shows chunks of active generations. ``pending`` records
generations being written, so a run after a crash (even SIGKILL) deletes what an interrupted run
left behind. Every commit bumps the state version: one small query tells a replica whether the
set of active generations may have changed.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import socket
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import delete, insert, select, text, update

from assistant.errors import ConflictError, NotFoundError
from assistant.index import database as sql
from assistant.index.database import Database, fingerprint_of
from ingest.model import Document, document_from_dict, document_to_dict

LOCK_TTL = 30.0  # seconds a SQLite lock row lives without a heartbeat
LOCK_KEY = 0x7265736F6C0002  # the PostgreSQL advisory lock of ingests


class IngestBusyError(ConflictError, OSError):
    """Another ingest (or remove) holds the lock on this library."""


@dataclass
class State:
    """The committed state of the index."""

    documents: dict[str, dict[str, Any]] = field(default_factory=dict)  # id -> entry
    files: dict[str, dict[str, Any]] = field(default_factory=dict)  # path -> sha256, documents
    pending: dict[str, str] = field(default_factory=dict)  # document id -> generation in writing
    version: int = 0  # the database's state version this was read at

    def generation(self, document_id: str) -> str | None:
        entry = self.documents.get(document_id)
        return str(entry["sha256"]) if entry else None

    def fingerprint(self) -> str:
        """Changes whenever the set of active (document, generation) pairs changes."""
        return fingerprint_of(self.documents)


def current_version(db: Database) -> int:
    """The state version: one small query (what a replica polls before using its caches)."""
    with db.engine.connect() as conn:
        found = conn.execute(
            select(sql.state_version.c.version).where(sql.state_version.c.id == 1)
        ).scalar()
    return int(found or 0)


def load_state(db: Database) -> State:
    """The committed state (empty when nothing was ingested), read on one snapshot."""
    with db.read() as conn:
        version = conn.execute(
            select(sql.state_version.c.version).where(sql.state_version.c.id == 1)
        ).scalar()
        documents = {row.id: json.loads(row.entry) for row in conn.execute(select(sql.documents))}
        files = {
            row.path: {"sha256": row.sha256, "documents": json.loads(row.documents)}
            for row in conn.execute(select(sql.files))
        }
        pending = {row.document_id: row.generation for row in conn.execute(select(sql.pending))}
    return State(documents, files, pending, int(version or 0))


def save_state(db: Database, state: State) -> None:
    """Commit ``state`` in one transaction (only the rows that changed are written) and bump
    the state version: readers see the old or the new state, whole."""
    with db.write() as conn:
        _sync(
            conn,
            sql.documents,
            "id",
            {
                d: {"generation": str(e["sha256"]), "entry": json.dumps(e, ensure_ascii=False)}
                for d, e in state.documents.items()
            },
        )
        _sync(
            conn,
            sql.files,
            "path",
            {
                p: {"sha256": str(e["sha256"]), "documents": json.dumps(list(e["documents"]))}
                for p, e in state.files.items()
            },
        )
        _sync(
            conn,
            sql.pending,
            "document_id",
            {d: {"generation": g} for d, g in state.pending.items()},
        )
        conn.execute(
            update(sql.state_version)
            .where(sql.state_version.c.id == 1)
            .values(
                version=sql.state_version.c.version + 1,
                fingerprint=fingerprint_of(state.documents),
            )
        )
        state.version = int(
            conn.execute(
                select(sql.state_version.c.version).where(sql.state_version.c.id == 1)
            ).scalar_one()
        )
    db.state_writes += 1  # this process's readers see it without waiting for their next poll


def _sync(conn: Any, table: Any, key: str, wanted: dict[str, dict[str, Any]]) -> None:
    """Make ``table`` hold exactly ``wanted`` (key -> other columns), writing only changes."""
    columns = [c.name for c in table.columns if c.name != key]
    have = {
        row[0]: dict(zip(columns, row[1:], strict=True))
        for row in conn.execute(select(table.c[key], *[table.c[c] for c in columns]))
    }
    gone = [k for k in have if k not in wanted]
    if gone:
        conn.execute(delete(table).where(table.c[key].in_(gone)))
    for name, values in wanted.items():
        if name not in have:
            conn.execute(insert(table).values({key: name, **values}))
        elif have[name] != values:
            conn.execute(update(table).where(table.c[key] == name).values(**values))


def save_document(db: Database, document: Document, generation: str) -> None:
    """Keep the parsed document of one generation."""
    body = sql.compress(document_to_dict(document))
    with db.write() as conn:
        conn.execute(
            delete(sql.parsed_documents).where(
                sql.parsed_documents.c.document_id == document.id,
                sql.parsed_documents.c.generation == generation,
            )
        )
        conn.execute(
            insert(sql.parsed_documents).values(
                document_id=document.id, generation=generation, body=body
            )
        )


def load_document(db: Database, document_id: str, generation: str) -> Document:
    """The parsed document of one generation; :class:`NotFoundError` if it is not kept."""
    with db.engine.connect() as conn:
        body = conn.execute(
            select(sql.parsed_documents.c.body).where(
                sql.parsed_documents.c.document_id == document_id,
                sql.parsed_documents.c.generation == generation,
            )
        ).scalar()
    if body is None:
        raise NotFoundError(f"{document_id!r} is not in the index (its version was replaced)")
    return document_from_dict(sql.decompress(body))


def remove_stale_documents(db: Database, state: State) -> None:
    """Delete the parsed documents of generations that are neither active nor pending."""
    keep = {(d, str(e["sha256"])) for d, e in state.documents.items()}
    keep |= set(state.pending.items())
    table = sql.parsed_documents
    with db.write() as conn:
        stored = conn.execute(select(table.c.document_id, table.c.generation)).all()
        for document_id, generation in stored:
            if (document_id, generation) not in keep:
                conn.execute(
                    delete(table).where(
                        table.c.document_id == document_id, table.c.generation == generation
                    )
                )


def _busy(db: Database) -> IngestBusyError:
    return IngestBusyError(
        f"another ingest or remove is running on {db.where}; wait for it to finish"
    )


@contextlib.contextmanager
def ingest_lock(db: Database) -> Iterator[None]:
    """Hold the library's ingest lock; :class:`IngestBusyError` at once if another process (or
    thread) has it. PostgreSQL: a session advisory lock, released by the server when the
    holder's connection dies (even by SIGKILL). SQLite: a lock row with an owner and an expiry
    kept fresh by a heartbeat; a holder that died (its process is gone from this machine, or
    its heartbeat stopped for :data:`LOCK_TTL` seconds) no longer holds it."""
    if db.dialect == "postgresql":
        with db.engine.connect() as conn:
            got = conn.execute(text("SELECT pg_try_advisory_lock(:k)"), {"k": LOCK_KEY}).scalar()
            conn.commit()
            if not got:
                raise _busy(db)
            try:
                yield
            finally:
                conn.rollback()
                conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": LOCK_KEY})
                conn.commit()
        return
    owner = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex}"
    _take_row_lock(db, owner)
    stop = threading.Event()
    beat = threading.Thread(target=_heartbeat, args=(db, owner, stop), daemon=True)
    beat.start()
    try:
        yield
    finally:
        stop.set()
        beat.join()
        with db.write() as conn:
            conn.execute(delete(sql.ingest_lock).where(sql.ingest_lock.c.owner == owner))


def _take_row_lock(db: Database, owner: str) -> None:
    table = sql.ingest_lock
    now = time.time()
    with db.write() as conn:
        row = conn.execute(select(table).where(table.c.name == "ingest")).first()
        if row is not None and row.expires > now and _alive(row.host, row.pid):
            raise _busy(db)
        values = {
            "owner": owner,
            "host": socket.gethostname(),
            "pid": os.getpid(),
            "expires": now + LOCK_TTL,
        }
        if row is None:
            conn.execute(insert(table).values(name="ingest", **values))
        else:
            conn.execute(update(table).where(table.c.name == "ingest").values(**values))


def _alive(host: str, pid: int) -> bool:
    """Whether the lock's holder may still run (a process on another host: until it expires)."""
    if host != socket.gethostname():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _heartbeat(db: Database, owner: str, stop: threading.Event) -> None:
    while not stop.wait(LOCK_TTL / 3):
        # a busy database: the next beat tries again
        with contextlib.suppress(Exception), db.write() as conn:
            conn.execute(
                update(sql.ingest_lock)
                .where(sql.ingest_lock.c.owner == owner)
                .values(expires=time.time() + LOCK_TTL)
            )


def file_sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()
