"""What is indexed, file by file: content hashes, generations, parsed documents, the ingest lock.

Crash safety: the state file is the commit point. Chunks of a new version of a document are written
under a new *generation* (the file's sha256) while the old generation stays active; search only
shows chunks of active generations. ``pending`` records generations being written, so a run after
a crash (even SIGKILL) deletes what an interrupted run left behind. Every write of the state file
is atomic (temporary file, fsync, rename).
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from assistant.errors import ConfigurationError, ConflictError
from ingest.model import Document, document_from_dict, document_to_dict

STATE_VERSION = 1


class IngestBusyError(ConflictError, OSError):
    """Another ingest (or remove) holds the lock on this data directory."""


@dataclass
class State:
    """The committed state of the index."""

    documents: dict[str, dict[str, Any]] = field(default_factory=dict)  # id -> entry
    files: dict[str, dict[str, Any]] = field(default_factory=dict)  # path -> sha256, documents
    pending: dict[str, str] = field(default_factory=dict)  # document id -> generation in writing

    def generation(self, document_id: str) -> str | None:
        entry = self.documents.get(document_id)
        return str(entry["sha256"]) if entry else None

    def fingerprint(self) -> str:
        """Changes whenever the set of active (document, generation) pairs changes."""
        pairs = sorted((d, str(e["sha256"])) for d, e in self.documents.items())
        return hashlib.sha256(json.dumps(pairs).encode()).hexdigest()


def state_path(home: Path) -> Path:
    return home / "state.json"


def load_state(home: Path) -> State:
    """The committed state (empty when nothing was ingested)."""
    path = state_path(home)
    if not path.exists():
        return State()
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except ValueError as error:
        raise ConfigurationError(
            f"{path} is damaged ({error}); delete the folder {home} and ingest again"
        ) from error
    return State(
        documents=data.get("documents", {}),
        files=data.get("files", {}),
        pending=data.get("pending", {}),
    )


def save_state(home: Path, state: State) -> None:
    """Write the state atomically: after a crash the old or the new state is there, whole."""
    data = {"version": STATE_VERSION, **asdict(state)}
    write_atomic(state_path(home), json.dumps(data, indent=1, ensure_ascii=False))


def write_atomic(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` through a synced temporary file and a rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with tmp.open("w", encoding="utf-8") as handle:
        handle.write(text)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, path)
    with contextlib.suppress(OSError):
        directory = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(directory)
        finally:
            os.close(directory)


def documents_dir(home: Path) -> Path:
    return home / "documents"


def document_path(home: Path, document_id: str, generation: str) -> Path:
    """Where the parsed document of one generation is kept (JSON)."""
    return documents_dir(home) / f"{document_id}@{generation[:16]}.json"


def save_document(home: Path, document: Document, generation: str) -> None:
    write_atomic(
        document_path(home, document.id, generation),
        json.dumps(document_to_dict(document), ensure_ascii=False),
    )


def load_document(home: Path, document_id: str, generation: str) -> Document:
    path = document_path(home, document_id, generation)
    return document_from_dict(json.loads(path.read_text(encoding="utf-8")))


def remove_stale_documents(home: Path, state: State) -> None:
    """Delete parsed-document files of generations that are not active."""
    keep = {document_path(home, d, str(e["sha256"])).name for d, e in state.documents.items()}
    folder = documents_dir(home)
    if not folder.is_dir():
        return
    for path in folder.iterdir():
        if path.name not in keep:
            path.unlink(missing_ok=True)


@contextlib.contextmanager
def ingest_lock(home: Path) -> Iterator[None]:
    """Hold the data directory's lock; :class:`IngestBusyError` if another process has it.

    ``flock`` locks are released by the kernel when a process dies, even by SIGKILL.
    """
    home.mkdir(parents=True, exist_ok=True)
    with (home / "ingest.lock").open("a") as handle:
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as error:
            raise IngestBusyError(
                f"another ingest or remove is running on {home}; wait for it to finish"
            ) from error
        try:
            yield
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


def file_sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()
