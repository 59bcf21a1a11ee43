"""Incremental, idempotent, crash-safe ingest and removal (used by :class:`Library`).

Order of writes for each batch of changed files: record the new generations as ``pending`` ->
write parsed documents and chunk vectors under the new generation -> commit the state (the new
generations become active, atomically) -> delete the chunks of old generations. Search filters on
active generations, so it never sees a mix of old and new clauses of a file; a run after a crash
first deletes whatever the ``pending`` generations left behind.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from assistant.errors import NotFoundError
from assistant.index import ingest_state as st
from assistant.index.chunking import Chunk, document_chunks
from ingest.errors import IngestError
from ingest.limits import ParseLimits
from ingest.loader import ParsedFile, iter_corpus_files, load_file
from ingest.model import Document, document_summary

if TYPE_CHECKING:
    from assistant.index.embedding import Embedder
    from assistant.index.model import IngestReport, ProgressCallback
    from assistant.index.store import ClauseStore

BATCH_CHUNKS = 512  # chunks embedded and written together (one commit each)
CHUNKS_PER_MINUTE = 4_000  # what MiniLM embeds in a minute on 2 cores (bench/RESULTS.md)


@dataclass
class _Pending:
    key: str
    sha256: str
    documents: list[Document]
    chunks: list[list[Chunk]]


class Indexer:
    """Writes documents into the store and the state under one data directory."""

    def __init__(
        self,
        home: Path,
        store: Callable[[], ClauseStore],
        embedder: Callable[[], Embedder],
        limits: ParseLimits,
        max_chunks: int,
    ) -> None:
        self.home = home
        self._store = store
        self._embedder = embedder
        self.limits = limits
        self.max_chunks = max_chunks

    def recover(self, state: st.State) -> None:
        """Delete chunks and files left by an interrupted run (call with the lock held)."""
        if state.pending:
            for document_id in list(state.pending):
                self._delete_inactive(document_id, state.generation(document_id))
            state.pending.clear()
            st.save_state(self.home, state)
        st.remove_stale_documents(self.home, state)

    def _delete_inactive(self, document_id: str, active: str | None) -> None:
        if active:
            self._store().delete(
                {"$and": [{"document": document_id}, {"generation": {"$ne": active}}]}
            )
        else:
            self._store().delete({"document": document_id})

    def ingest(
        self,
        paths: Sequence[Path],
        report: IngestReport,
        progress: ProgressCallback | None,
        parsed: Sequence[ParsedFile] = (),
    ) -> st.State:
        """Index the supported files under ``paths``; fills ``report``; returns the new state.

        ``parsed`` holds files already parsed by the caller; each is used for its path if the
        file still has the content that was parsed."""
        files = iter_corpus_files(list(paths))
        known = {str(Path(p.path).resolve()): p for p in parsed}
        with st.ingest_lock(self.home):
            state = st.load_state(self.home)
            self.recover(state)
            batch: list[_Pending] = []
            claimed: dict[str, str] = {}  # document id -> file key, in this run
            for done, path in enumerate(files, start=1):
                item = self._prepare(path, state, claimed, report, known)
                if item is not None:
                    batch.append(item)
                    if sum(len(c) for p in batch for c in p.chunks) >= BATCH_CHUNKS:
                        self._flush(batch, state, report)
                        batch = []
                if progress:
                    progress(done, len(files), path.name)
            if batch:
                self._flush(batch, state, report)
            st.remove_stale_documents(self.home, state)
        return state

    def _prepare(
        self,
        path: Path,
        state: st.State,
        claimed: dict[str, str],
        report: IngestReport,
        known_parses: dict[str, ParsedFile],
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
        for document in parsed.documents:
            owner = claimed.get(document.id) or self._owner(state, document.id)
            if owner and owner != key:
                report.failed.append(
                    {
                        "file": str(path),
                        "line": 0,
                        "reason": f"document id {document.id!r} already comes from {owner}; "
                        f"remove it first (resolutions remove {document.id}) or rename "
                        "one of the files' resolutions",
                    }
                )
                return None
        for document in parsed.documents:
            claimed[document.id] = key
        chunks = [document_chunks(document, parsed.sha256) for document in parsed.documents]
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
        return _Pending(key, parsed.sha256, parsed.documents, chunks)

    def _owner(self, state: st.State, document_id: str) -> str | None:
        """The file that an indexed document comes from, if that file still exists."""
        entry = state.documents.get(document_id)
        if entry and Path(entry["file"]).exists():
            return str(entry["file"])
        return None

    def _flush(self, batch: list[_Pending], state: st.State, report: IngestReport) -> None:
        batch = [item for item in batch if self._stored(item, report)]
        for item in batch:
            for document in item.documents:
                state.pending[document.id] = item.sha256
        st.save_state(self.home, state)
        chunks = [chunk for item in batch for per_doc in item.chunks for chunk in per_doc]
        vectors = self._embedder().embed_documents([c.text for c in chunks]) if chunks else []
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
        st.save_state(self.home, state)  # the commit point
        for document_id in touched:
            self._delete_inactive(document_id, state.generation(document_id))
            state.pending.pop(document_id, None)
        st.save_state(self.home, state)
        report.clauses += len({c.clause_id for c in chunks})

    def _stored(self, item: _Pending, report: IngestReport) -> bool:
        """Write the parsed documents of one file; a file that cannot be stored is reported and
        left out, and the others go on."""
        try:
            for document in item.documents:
                st.save_document(self.home, document, item.sha256)
        except OSError as error:
            reason = error.strerror or type(error).__name__
            report.failed.append(
                {
                    "file": item.key,
                    "line": 0,
                    "reason": f"its parsed text cannot be stored in {self.home} ({reason}); "
                    "check the data directory's space and permissions",
                }
            )
            return False
        return True

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
                "summary": document_summary(document),
            }
        state.files[item.key] = {"sha256": item.sha256, "documents": new_ids}
        gone = [d for d in old_ids if d not in new_ids]
        for document_id in gone:
            state.documents.pop(document_id, None)
        return gone

    def remove(self, document_id: str) -> st.State:
        """Remove one document (its chunks, parsed file and state entry)."""
        with st.ingest_lock(self.home):
            state = st.load_state(self.home)
            self.recover(state)
            entry = state.documents.pop(document_id, None)
            if entry is None:
                raise NotFoundError(
                    f"{document_id!r} is not in the index; see `resolutions documents`"
                )
            _drop_from_file(state, entry["file"], document_id)
            state.pending[document_id] = ""
            st.save_state(self.home, state)  # commit: search no longer shows it
            self._delete_inactive(document_id, None)
            state.pending.pop(document_id, None)
            st.save_state(self.home, state)
            st.remove_stale_documents(self.home, state)
        return state


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
