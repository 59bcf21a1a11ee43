"""Import a data directory of the file-based versions (before issue 18) into the database.

Those kept ``<home>/state.json`` (documents, files, pending), the parsed documents as
``<home>/documents/<id>@<generation[:16]>.json`` and the conversations in
``<home>/conversations.sqlite3``. Each is imported once, in one transaction, and then renamed
with the suffix ``.imported`` (kept, not deleted). The vectors stay where they are (Chroma).
"""

from __future__ import annotations

import json
import logging
import os
import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, insert, select, update

from assistant.errors import ConfigurationError
from assistant.index import database as sql

if TYPE_CHECKING:
    from assistant.index.database import Database

log = logging.getLogger(__name__)
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
    from assistant.index.ingest_state import fingerprint_of

    try:
        data = json.loads(state_file.read_text(encoding="utf-8"))
    except ValueError as error:
        raise ConfigurationError(
            f"{state_file} is damaged ({error}); delete the folder {home} and ingest again"
        ) from error
    documents: dict[str, dict[str, Any]] = data.get("documents", {})
    with db.write() as conn:
        if conn.execute(select(func.count()).select_from(sql.documents)).scalar():
            log.warning("%s not imported: the database already holds a library", state_file)
            return
        for document_id, entry in documents.items():
            generation = str(entry["sha256"])
            conn.execute(
                insert(sql.documents).values(
                    id=document_id,
                    generation=generation,
                    entry=json.dumps(entry, ensure_ascii=False),
                )
            )
            parsed = home / "documents" / f"{document_id}@{generation[:16]}.json"
            body = json.loads(parsed.read_text(encoding="utf-8"))  # missing: nothing imported
            sql.insert_ignore(
                conn,
                sql.parsed_documents,
                [
                    {
                        "document_id": document_id,
                        "generation": generation,
                        "body": sql.compress(body),
                    }
                ],
            )
        for path, entry in data.get("files", {}).items():
            conn.execute(
                insert(sql.files).values(
                    path=path,
                    sha256=str(entry["sha256"]),
                    documents=json.dumps(list(entry["documents"])),
                )
            )
        for document_id, generation in data.get("pending", {}).items():
            conn.execute(insert(sql.pending).values(document_id=document_id, generation=generation))
        conn.execute(
            update(sql.state_version)
            .where(sql.state_version.c.id == 1)
            .values(version=sql.state_version.c.version + 1, fingerprint=fingerprint_of(documents))
        )
    os.replace(state_file, state_file.with_name(state_file.name + IMPORTED))
    log.info("imported %d documents of %s into %s", len(documents), state_file, db.where)


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
        sql.insert_ignore(
            conn, sql.conversation_turns, [dict(zip(names, row, strict=True)) for row in rows]
        )
    for suffix in ("", "-wal", "-shm"):
        part = path.with_name(path.name + suffix)
        if part.exists():
            os.replace(part, part.with_name(part.name + IMPORTED))
    log.info("imported %d conversation turns of %s", len(rows), path)
