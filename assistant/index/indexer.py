"""Incremental, idempotent, crash-safe ingest and removal (used by :class:`Library`).

Order of writes for each batch of changed files: record the new generations as ``pending`` ->
write parsed documents (database) and chunk vectors (Chroma) under the new generation -> commit
the state (one database transaction: the new generations become active, atomically, for every
replica) -> delete the chunks of old generations. Search filters on active generations, so it
never sees a mix of old and new clauses of a file; a run after a crash first deletes whatever
the ``pending`` generations left behind.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy.exc import SQLAlchemyError

from assistant.errors import NotFoundError
from assistant.index import ingest_state as st
from assistant.index.chunking import Chunk, document_chunks
from ingest.errors import IngestError
from ingest.limits import ParseLimits
from ingest.loader import ParsedFile, iter_corpus_files, load_file
from ingest.model import Document, document_summary

if TYPE_CHECKING:
    from assistant.index.database import Database
    from assistant.index.embedding import Embedder
    from assistant.index.model import IngestReport, ProgressCallback
    from assistant.index.store import ClauseStore

ALREADY_INDEXED = "already_indexed"  # code of the failure: the id comes from another file
BATCH_CHUNKS = 512  # chunks embedded and written together (one commit each)
CHUNKS_PER_MINUTE = 4_000  # what MiniLM embeds in a minute on 2 cores (bench/RESULTS.md)


@dataclass
class _Pending:
    key: str
    sha256: str
    documents: list[Document]
    chunks: list[list[Chunk]]
    positions: dict[str, dict[str, int]] = field(default_factory=dict)  # in a collection


class Indexer:
    """Writes documents into the store and the state under one data directory."""

    def __init__(
        self,
        home: Path,
        store: Callable[[], ClauseStore],
        embedder: Callable[[], Embedder],
        limits: ParseLimits,
        max_chunks: int,
        database: Callable[[], Database] | None = None,
    ) -> None:
        self.home = home
        self._store = store
        self._embedder = embedder
        self._database = database
        self.limits = limits
        self.max_chunks = max_chunks

    def _db(self) -> Database:
        if self._database is None:
            raise RuntimeError("the Indexer was built without a database")
        return self._database()

    def recover(self, state: st.State) -> None:
        """Delete chunks and parsed documents left by an interrupted run (call with the lock
        held)."""
        if state.pending:
            for document_id in list(state.pending):
                self._delete_inactive(document_id, state.generation(document_id))
            state.pending.clear()
            st.save_state(self._db(), state)
        st.remove_stale_documents(self._db(), state)

    def _delete_inactive(self, document_id: str, active: str | None) -> None:
        self._store().delete_document(document_id, keep_generation=active)

    def ingest(
        self,
        paths: Sequence[Path],
        report: IngestReport,
        progress: ProgressCallback | None,
        parsed: Sequence[ParsedFile] = (),
        replace: bool = False,
    ) -> st.State:
        """Index the supported files under ``paths``; fills ``report``; returns the new state.

        ``parsed`` holds files already parsed by the caller; each is used for its path if the
        file still has the content that was parsed. ``replace``: a document whose id another
        file gave is taken over by the file ingested now (atomically, as a changed file is);
        without it, such a document is refused (:data:`ALREADY_INDEXED`)."""
        files = iter_corpus_files(list(paths))
        known = {str(Path(p.path).resolve()): p for p in parsed}
        with st.ingest_lock(self._db()):
            state = st.load_state(self._db())
            self.recover(state)
            batch: list[_Pending] = []
            claimed: dict[str, str] = {}  # document id -> file key, in this run
            for done, path in enumerate(files, start=1):
                item = self._prepare(path, state, claimed, report, known, replace)
                if item is not None:
                    batch.append(item)
                    if sum(len(c) for p in batch for c in p.chunks) >= BATCH_CHUNKS:
                        self._flush(batch, state, report, progress)
                        batch = []
                if progress:
                    progress(done, len(files), path.name)
            if batch:
                self._flush(batch, state, report, progress)
            st.remove_stale_documents(self._db(), state)
        return state

    def _prepare(
        self,
        path: Path,
        state: st.State,
        claimed: dict[str, str],
        report: IngestReport,
        known_parses: dict[str, ParsedFile],
        replace: bool = False,
    ) -> _Pending | None:
        key = str(path.resolve())
        digest = ""
        try:
            if path.is_file():
                digest = st.file_sha256(path)
                known = state.files.get(key)
                if (
                    known
                    and known["sha256"] == digest
                    and all(state.generation(d) == digest for d in known["documents"])
                ):
                    report.unchanged.extend(known["documents"])
                    for document_id in known["documents"]:
                        claimed[document_id] = key
                    return None
            given = known_parses.get(key)
            if given is not None and given.sha256 == digest:
                parsed = given
            else:
                parsed = load_file(path, limits=self.limits)
        except IngestError as error:
            report.failed.append({"file": error.source, "line": error.line, "reason": error.reason})
            return None
        except OSError as error:
            report.failed.append({"file": str(path), "line": 0, "reason": str(error)})
            return None
        report.failed.extend(failure.to_json() for failure in parsed.failures)
        documents = list(parsed.documents)
        conflicts = []
        for document in documents:
            owner = claimed.get(document.id)  # another file of this run: never replaced
            if owner is None and not replace:
                owner = self._owner(state, document.id)
            if owner and owner != key:
                conflicts.append(_already_indexed(path, parsed, document.id, owner))
        if conflicts and len(conflicts) == len(documents):
            report.failed.extend(conflicts)
            return None
        if conflicts:  # a collection: the resolutions another file gives are skipped
            report.failed.extend(conflicts)
            skipped = {failure["document"] for failure in conflicts}
            documents = [d for d in documents if d.id not in skipped]
        for document in documents:
            claimed[document.id] = key
        chunks = [document_chunks(document, parsed.sha256) for document in documents]
        count = sum(len(c) for c in chunks)
        if count > self.max_chunks:
            report.failed.append(
                {
                    "file": str(path),
                    "line": 0,
                    "reason": f"the file gives {count:,} passages to embed, over the limit of "
                    f"{self.max_chunks:,} (about {count // CHUNKS_PER_MINUTE + 1} "
                    "min of embedding on a 2-core machine); split the file, or raise "
                    "RESOLUTIONS_MAX_CHUNKS_PER_FILE to allow it",
                }
            )
            return None
        return _Pending(key, parsed.sha256, documents, chunks, parsed.positions)

    def _owner(self, state: st.State, document_id: str) -> str | None:
        """The file that an indexed document comes from, if that file still exists."""
        entry = state.documents.get(document_id)
        if entry and Path(entry["file"]).exists():
            return str(entry["file"])
        return None

    def _flush(
        self,
        batch: list[_Pending],
        state: st.State,
        report: IngestReport,
        progress: ProgressCallback | None = None,
    ) -> None:
        batch = [item for item in batch if self._stored(item, report)]
        for item in batch:
            for document in item.documents:
                state.pending[document.id] = item.sha256
        st.save_state(self._db(), state)
        chunks = [chunk for item in batch for per_doc in item.chunks for chunk in per_doc]
        vectors = self._embed(batch, chunks, progress)
        if chunks:
            self._store().upsert(
                [c.id for c in chunks],
                vectors,
                [c.text for c in chunks],
                [c.metadata for c in chunks],
            )
        now = datetime.now(UTC).isoformat(timespec="seconds")
        touched: list[str] = []
        for item in batch:
            touched.extend(d.id for d in item.documents)
            touched.extend(self._commit_file(item, state, report, now))
        for document_id in touched:  # stay pending until their old chunks are deleted
            state.pending[document_id] = state.generation(document_id) or ""
        st.save_state(self._db(), state)  # the commit point
        for document_id in touched:
            self._delete_inactive(document_id, state.generation(document_id))
            state.pending.pop(document_id, None)
        st.save_state(self._db(), state)
        report.clauses += len({c.clause_id for c in chunks})

    def _stored(self, item: _Pending, report: IngestReport) -> bool:
        """Write the parsed documents of one file; a file that cannot be stored is reported and
        left out, and the others go on."""
        try:
            for document in item.documents:
                st.save_document(self._db(), document, item.sha256)
        except (OSError, SQLAlchemyError) as error:
            reason = getattr(error, "strerror", None) or str(error).splitlines()[0][:200]
            report.failed.append(
                {
                    "file": item.key,
                    "line": 0,
                    "reason": f"its parsed text cannot be stored in {self._db().where} "
                    f"({reason}); check the database's space and permissions",
                }
            )
            return False
        return True

    def _embed(
        self, batch: list[_Pending], chunks: list[Chunk], progress: ProgressCallback | None
    ) -> list[list[float]]:
        """The vectors of ``chunks``; a collection's are embedded document by document, each
        reported to ``progress`` as ``(document, documents, "file: id")``."""
        if not chunks:
            return []
        if progress is None or all(len(item.documents) < 2 for item in batch):
            return list(self._embedder().embed_documents([c.text for c in chunks]))
        vectors: list[list[float]] = []
        for item in batch:
            name = Path(item.key).name
            for done, (document, per_doc) in enumerate(
                zip(item.documents, item.chunks, strict=True), start=1
            ):
                if per_doc:
                    vectors.extend(self._embedder().embed_documents([c.text for c in per_doc]))
                if len(item.documents) > 1:
                    progress(done, len(item.documents), f"{name}: {document.id}")
        return vectors

    def _commit_file(
        self, item: _Pending, state: st.State, report: IngestReport, now: str
    ) -> list[str]:
        """Make the file's new documents active; return ids of documents it no longer has."""
        new_ids = [d.id for d in item.documents]
        old_ids = list(state.files.get(item.key, {}).get("documents", []))
        for document, chunks in zip(item.documents, item.chunks, strict=True):
            previous = state.documents.get(document.id)
            if previous and previous["file"] != item.key:
                _drop_from_file(state, previous["file"], document.id)
            (report.replaced if previous else report.added).append(document.id)
            state.documents[document.id] = {
                "file": item.key,
                "sha256": item.sha256,
                "ingested": now,
                "clauses": len(document.clauses()),
                "chunks": len(chunks),
                "summary": {
                    **document_summary(document),
                    **_position(item.positions.get(document.id)),
                },
            }
        state.files[item.key] = {"sha256": item.sha256, "documents": new_ids}
        gone = [d for d in old_ids if d not in new_ids]
        for document_id in gone:
            state.documents.pop(document_id, None)
        return gone

    def remove(self, document_id: str) -> st.State:
        """Remove one document (its chunks, parsed file and state entry)."""
        with st.ingest_lock(self._db()):
            state = st.load_state(self._db())
            self.recover(state)
            entry = state.documents.pop(document_id, None)
            if entry is None:
                raise NotFoundError(
                    f"{document_id!r} is not in the index; see `resolutions documents`"
                )
            _drop_from_file(state, entry["file"], document_id)
            state.pending[document_id] = ""
            st.save_state(self._db(), state)  # commit: search no longer shows it
            self._delete_inactive(document_id, None)
            state.pending.pop(document_id, None)
            st.save_state(self._db(), state)
            st.remove_stale_documents(self._db(), state)
        return state


def _already_indexed(
    path: Path, parsed: ParsedFile, document_id: str, owner: str
) -> dict[str, Any]:
    """The failure of a document that another file already gives. The shells name their own
    way to replace it: ``code`` is :data:`ALREADY_INDEXED`, ``document`` and ``owner`` say which."""
    line = parsed.positions.get(document_id, {}).get("line", 0)
    return {
        "file": str(path),
        "line": line,
        "reason": f"document id {document_id!r} already comes from {owner}; to replace it with "
        f"this file's, ingest again with --replace, or remove it first (resolutions remove "
        f"{document_id})",
        "code": ALREADY_INDEXED,
        "document": document_id,
        "owner": owner,
        **({"part": True} if len(parsed.documents) > 1 else {}),
    }


def _position(position: dict[str, int] | None) -> dict[str, Any]:
    """The summary field of a document of a collection: where it starts in its file."""
    return {"position": dict(position)} if position else {}


def _drop_from_file(state: st.State, key: str, document_id: str) -> None:
    entry = state.files.get(key)
    if not entry:
        return
    entry["documents"] = [d for d in entry["documents"] if d != document_id]
    if not entry["documents"]:
        state.files.pop(key, None)


def summary_of(state: st.State, document_id: str) -> dict[str, Any]:
    """The ``documents()`` row of one indexed document."""
    entry = state.documents[document_id]
    return {
        **entry["summary"],
        "clauses": entry["clauses"],
        "chunks": entry["chunks"],
        "file": entry["file"],
        "sha256": entry["sha256"],
        "ingested": entry["ingested"],
    }
