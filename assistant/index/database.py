"""The library's own state in one SQL database (SQLAlchemy 2): documents and their generations,
the parsed documents, the ingest lock and the conversations. The vectors live in Chroma.

SQLite at ``<home>/library.sqlite3`` by default (one machine, nothing to run); PostgreSQL when
``RESOLUTIONS_DATABASE_URL`` is set (``postgresql+psycopg://user:password@host/db``), which is
what lets several API replicas share one library. The schema is made and upgraded by Alembic
(``assistant/index/migrations``) when a process first opens the database; a data directory of
the file-based versions (``state.json``, ``documents/``, ``conversations.sqlite3``) is imported
then, once.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import logging
import os
import sqlite3
import threading
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from sqlalchemy import (
    Column,
    Connection,
    Engine,
    Float,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    create_engine,
    event,
    func,
    insert,
    select,
    text,
    update,
)
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError
from sqlalchemy.pool import NullPool

from assistant.errors import ConfigurationError

log = logging.getLogger(__name__)
MIGRATIONS = Path(__file__).resolve().parent / "migrations"
SQLITE_NAME = "library.sqlite3"
MIGRATION_LOCK_KEY = 0x7265736F6C0001  # a PostgreSQL advisory lock: one migrating process

metadata = MetaData()

# One row per active document: its generation (the file's sha256) and its entry (JSON).
documents = Table(
    "documents",
    metadata,
    Column("id", String(255), primary_key=True),
    Column("generation", String(64), nullable=False),
    Column("entry", Text, nullable=False),
)
# One row per ingested file: its sha256 and the ids of the documents it gave (JSON list).
files = Table(
    "files",
    metadata,
    Column("path", Text, primary_key=True),
    Column("sha256", String(64), nullable=False),
    Column("documents", Text, nullable=False),
)
# Generations being written (vectors that may be in the store but are not committed).
pending = Table(
    "pending",
    metadata,
    Column("document_id", String(255), primary_key=True),
    Column("generation", String(64), nullable=False),
)
# The parsed document of each (document, generation), zlib-compressed JSON.
parsed_documents = Table(
    "parsed_documents",
    metadata,
    Column("document_id", String(255), primary_key=True),
    Column("generation", String(64), primary_key=True),
    Column("body", LargeBinary, nullable=False),
)
# One row (id 1): bumped by every commit of the state; what a replica polls, one small query.
state_version = Table(
    "state_version",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("version", Integer, nullable=False),
    Column("fingerprint", String(64), nullable=False),
)
# The ingest lock on SQLite (PostgreSQL uses an advisory lock): owner and expiry.
ingest_lock = Table(
    "ingest_lock",
    metadata,
    Column("name", String(50), primary_key=True),
    Column("owner", String(255), nullable=False),
    Column("host", String(255), nullable=False),
    Column("pid", Integer, nullable=False),
    Column("expires", Float, nullable=False),
)
# One row (id 1): the embedder that made the vectors (JSON: name, version, fingerprint; issue 17).
embedder_record = Table(
    "embedder_record",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("record", Text, nullable=False),
)
conversation_turns = Table(
    "conversation_turns",
    metadata,
    Column("conversation", String(100), primary_key=True),
    Column("idx", Integer, primary_key=True),
    Column("question", Text, nullable=False),
    Column("resolved", Text, nullable=False),
    Column("answer", Text, nullable=False),
    Column("created", Float, nullable=False),
)


class Database:
    """One engine over the library's database, migrated to the newest schema."""

    def __init__(self, url: str, home: Path) -> None:
        self.url = url
        self.home = home
        self.state_writes = 0  # states committed by this process (readers' caches check it)
        try:
            parsed = make_url(url)
        except ArgumentError as error:
            raise ConfigurationError(
                f"RESOLUTIONS_DATABASE_URL {url!r} is not a database URL; use "
                "postgresql+psycopg://user:password@host:5432/name, or unset it (SQLite)"
            ) from error
        if parsed.drivername in ("postgresql", "postgres"):
            parsed = parsed.set(drivername="postgresql+psycopg")
        self.dialect = parsed.get_backend_name()
        self.where = (
            str(parsed.database)
            if self.dialect == "sqlite"
            else f"{parsed.host}:{parsed.port or 5432}/{parsed.database}"
        )
        if self.dialect == "sqlite":
            self.engine: Engine = create_engine(parsed, poolclass=NullPool)
            event.listen(self.engine, "connect", _sqlite_connect)
            event.listen(self.engine, "begin", _sqlite_begin)
        elif self.dialect == "postgresql":
            self.engine = create_engine(parsed, pool_pre_ping=True, pool_size=8, max_overflow=8)
        else:
            raise ConfigurationError(
                f"RESOLUTIONS_DATABASE_URL: {self.dialect!r} is not supported; use PostgreSQL "
                "(postgresql+psycopg://...) or unset it for SQLite"
            )

    @contextlib.contextmanager
    def write(self) -> Iterator[Connection]:
        """A write transaction (SQLite: ``BEGIN IMMEDIATE``, so writers queue, never deadlock)."""
        with self.engine.connect() as conn:
            conn = conn.execution_options(sqlite_begin="IMMEDIATE")
            with conn.begin():
                yield conn

    @contextlib.contextmanager
    def read(self) -> Iterator[Connection]:
        """A read transaction on one snapshot (PostgreSQL: REPEATABLE READ)."""
        with self.engine.connect() as conn:
            if self.dialect == "postgresql":
                conn = conn.execution_options(isolation_level="REPEATABLE READ")
            with conn.begin():
                yield conn

    def migrate(self) -> None:
        """Bring the schema to the newest revision (one process at a time), then import a
        data directory of the file-based versions if the database has no state yet."""
        with self._migration_lock() as conn:
            from alembic import command
            from alembic.config import Config

            config = Config()
            config.set_main_option("script_location", str(MIGRATIONS))
            config.attributes["connection"] = conn
            if _current_revision(conn) != _head_revision(config):
                command.upgrade(config, "head")
                conn.commit()
            import_legacy_home(self, self.home)

    @contextlib.contextmanager
    def _migration_lock(self) -> Iterator[Connection]:
        if self.dialect == "postgresql":
            with self.engine.connect() as conn:
                conn.execute(text("SELECT pg_advisory_lock(:k)"), {"k": MIGRATION_LOCK_KEY})
                conn.commit()
                try:
                    yield conn
                finally:
                    conn.rollback()
                    conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": MIGRATION_LOCK_KEY})
                    conn.commit()
            return
        path = Path(str(self.engine.url.database))
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.with_name(f".{path.name}.migrate").open("a") as handle:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
            try:
                with self.engine.connect() as conn:
                    yield conn
            finally:
                fcntl.flock(handle.fileno(), fcntl.LOCK_UN)

    def dispose(self) -> None:
        self.engine.dispose()


def _sqlite_connect(dbapi_connection: sqlite3.Connection, _record: Any) -> None:
    dbapi_connection.isolation_level = None  # transactions begin where SQLAlchemy says
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.close()


def _sqlite_begin(conn: Connection) -> None:
    conn.exec_driver_sql(f"BEGIN {conn.get_execution_options().get('sqlite_begin', '')}".strip())


def _current_revision(conn: Connection) -> str | None:
    from alembic.runtime.migration import MigrationContext

    revision = MigrationContext.configure(conn).get_current_revision()
    conn.commit()
    return revision


def _head_revision(config: Any) -> str | None:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(config).get_current_head()


_databases: dict[str, Database] = {}
_databases_lock = threading.Lock()


def database_url(settings: Any) -> str:
    """The URL of the library's database: ``RESOLUTIONS_DATABASE_URL``, or SQLite in the home."""
    url = str(getattr(settings, "database_url", "") or "").strip()
    if url:
        return url
    return f"sqlite:///{Path(settings.home).resolve() / SQLITE_NAME}"


def database_for(settings: Any) -> Database:
    """The migrated database of these settings (one engine per URL and process)."""
    return open_database(database_url(settings), Path(settings.home))


def open_database(url: str, home: Path) -> Database:
    """The migrated database at ``url`` (``home``: where a file-based library may wait to be
    imported, and where SQLite keeps its file by default)."""
    key = f"{url}\n{home.resolve()}"
    found = _databases.get(key)
    if found is not None:
        return found
    with _databases_lock:
        found = _databases.get(key)
        if found is None:
            if url.startswith("sqlite"):
                home.mkdir(parents=True, exist_ok=True)
                Path(str(make_url(url).database)).parent.mkdir(parents=True, exist_ok=True)
            found = Database(url, home)
            found.migrate()
            _databases[key] = found
    return found


def read_embedder_record(db: Database) -> dict[str, Any] | None:
    """The record of the embedder the index's vectors were made with (``None``: not recorded)."""
    with db.read() as conn:
        row = conn.execute(
            select(embedder_record.c.record).where(embedder_record.c.id == 1)
        ).first()
    return json.loads(row[0]) if row else None


def write_embedder_record(db: Database, record: dict[str, Any] | None) -> None:
    """Record the embedder of the index's vectors (``None``: forget it, before a rebuild)."""
    with db.write() as conn:
        conn.execute(embedder_record.delete())
        if record is not None:
            conn.execute(insert(embedder_record).values(id=1, record=json.dumps(record)))


def compress(data: dict[str, Any]) -> bytes:
    return zlib.compress(json.dumps(data, ensure_ascii=False).encode("utf-8"), 6)


def decompress(body: bytes) -> Any:
    return json.loads(zlib.decompress(body).decode("utf-8"))


def insert_ignore(conn: Connection, table: Table, rows: list[dict[str, Any]]) -> None:
    """Insert rows whose primary key is not there yet (the others are left as they are)."""
    if not rows:
        return
    keys = [c.name for c in table.primary_key.columns]
    for row in rows:
        where = [table.c[k] == row[k] for k in keys]
        if conn.execute(select(*[table.c[k] for k in keys]).where(*where)).first() is None:
            conn.execute(insert(table).values(**row))


def fingerprint_of(entries: dict[str, dict[str, Any]]) -> str:
    """Changes whenever the set of active (document, generation) pairs changes."""
    pairs = sorted((d, str(e["sha256"])) for d, e in entries.items())
    return hashlib.sha256(json.dumps(pairs).encode()).hexdigest()


# -- a data directory of the file-based versions (before issue 18) --------------------------
# Those kept <home>/state.json (documents, files, pending), the parsed documents as
# <home>/documents/<id>@<generation[:16]>.json and the conversations in
# <home>/conversations.sqlite3. Each is imported once, in one transaction, then renamed with
# the suffix .imported (kept, not deleted). The vectors stay where they are (Chroma).

IMPORTED = ".imported"


def import_legacy_home(db: Database, home: Path) -> None:
    """Import what a file-based data directory holds (call with the migration lock held)."""
    state_file = home / "state.json"
    if state_file.is_file():
        _import_state(db, home, state_file)
    conversations = home / "conversations.sqlite3"
    if conversations.is_file():
        _import_conversations(db, conversations)


def _import_state(db: Database, home: Path, state_file: Path) -> None:
    try:
        data = json.loads(state_file.read_text(encoding="utf-8"))
    except ValueError as error:
        raise ConfigurationError(
            f"{state_file} is damaged ({error}); delete the folder {home} and ingest again"
        ) from error
    entries: dict[str, dict[str, Any]] = data.get("documents", {})
    with db.write() as conn:
        if conn.execute(select(func.count()).select_from(documents)).scalar():
            log.warning("%s not imported: the database already holds a library", state_file)
            return
        for document_id, entry in entries.items():
            generation = str(entry["sha256"])
            conn.execute(
                insert(documents).values(
                    id=document_id,
                    generation=generation,
                    entry=json.dumps(entry, ensure_ascii=False),
                )
            )
            parsed = home / "documents" / f"{document_id}@{generation[:16]}.json"
            body = json.loads(parsed.read_text(encoding="utf-8"))  # missing: nothing imported
            insert_ignore(
                conn,
                parsed_documents,
                [
                    {
                        "document_id": document_id,
                        "generation": generation,
                        "body": compress(body),
                    }
                ],
            )
        for path, entry in data.get("files", {}).items():
            conn.execute(
                insert(files).values(
                    path=path,
                    sha256=str(entry["sha256"]),
                    documents=json.dumps(list(entry["documents"])),
                )
            )
        for document_id, generation in data.get("pending", {}).items():
            conn.execute(insert(pending).values(document_id=document_id, generation=generation))
        conn.execute(
            update(state_version)
            .where(state_version.c.id == 1)
            .values(version=state_version.c.version + 1, fingerprint=fingerprint_of(entries))
        )
    db.state_writes += 1
    os.replace(state_file, state_file.with_name(state_file.name + IMPORTED))
    log.info("imported %d documents of %s into %s", len(entries), state_file, db.where)


def _import_conversations(db: Database, path: Path) -> None:
    source = sqlite3.connect(path, timeout=10)
    try:
        rows = source.execute(
            "SELECT conversation, idx, question, resolved, answer, created FROM turns"
        ).fetchall()
    except sqlite3.DatabaseError:
        rows = []  # no turns table: nothing was ever said
    finally:
        source.close()
    names = ("conversation", "idx", "question", "resolved", "answer", "created")
    with db.write() as conn:
        insert_ignore(
            conn, conversation_turns, [dict(zip(names, row, strict=True)) for row in rows]
        )
    for suffix in ("", "-wal", "-shm"):
        part = path.with_name(path.name + suffix)
        if part.exists():
            os.replace(part, part.with_name(part.name + IMPORTED))
    log.info("imported %d conversation turns of %s", len(rows), path)
