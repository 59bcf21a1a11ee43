"""The library facade: one object that ingests, stores and searches; every shell uses it.

Built once from :class:`~assistant.settings.Settings`; the embedder and the store can be passed in
(tests pass fakes). The CLI, the API, the answerer, the aligner, the drafter and the evals all go
through this object and never touch Chroma or the model directly.

THIS FILE IS THE CONTRACT (issue 3 implements it). Ingest is in :mod:`assistant.index.indexer`,
hybrid search in :mod:`assistant.index.retrieval`; the state and the parsed documents live in the
library's database (:mod:`assistant.index.database`), the vectors in Chroma.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from assistant.caching import embed_cached
from assistant.errors import ConfigurationError, NotFoundError
from assistant.index import ingest_state as st
from assistant.index.database import (
    Database,
    database_for,
    read_embedder_record,
    write_embedder_record,
)
from assistant.index.indexer import Indexer, summary_of
from assistant.index.model import Hit, IngestReport, ProgressCallback
from assistant.index.retrieval import Retriever, SearchWeights
from assistant.settings import Settings
from ingest.loader import ParsedFile
from ingest.model import HEADING, Clause, Document, Section, citation, heading_citation, slugify

_Parsed = tuple[Document, dict[str, tuple[Section, Clause]]]
_NAME_NOISE = {"res", "resolution", "rev", "the", "of"}
FEW_TEXTS = 64  # embed() of at most this many texts goes through the query micro-batcher


class EmbedderMismatchError(ConfigurationError):
    """The index's vectors were made by another embedder than this process's."""


class Library:
    """Ingest, store and search clauses of resolutions."""

    def __init__(self, settings: Settings, embedder: Any = None, store: Any = None) -> None:
        self.settings = settings
        self.home = Path(settings.home)
        self._embedder = embedder
        self._embedder_checked = False
        self._store = store
        self._indexer = Indexer(
            self.home,
            self._get_store,
            self._get_embedder,
            settings.parse_limits(),
            settings.max_chunks_per_file,
            database=self._get_db,
        )
        self._db: Database | None = None
        self._state: st.State | None = None
        self._poll_seconds = max(0.0, float(settings.state_poll_ms)) / 1000.0
        self._state_fresh_until = 0.0  # the cached state is trusted until then (monotonic)
        self._state_writes = -1  # the database's count of state writes when it was checked
        self._poll_lock = threading.Lock()  # one thread polls; the others keep the state meanwhile
        self._documents: dict[tuple[str, str], _Parsed] = {}  # (id, generation) -> parsed
        self._lock = threading.RLock()  # lazy parts and caches are shared by request threads
        self.retriever = Retriever(self, SearchWeights())

    # -- parts, created when first needed ------------------------------------------------
    def _get_embedder(self) -> Any:
        if self._embedder is None or not self._embedder_checked:
            with self._lock:
                if self._embedder is None:
                    from assistant.index.embedding import settings_embedder

                    self._embedder = settings_embedder(self.settings)
                if not self._embedder_checked:
                    self._check_embedder(self._embedder)
                    self._embedder_checked = True
        return self._embedder

    def _check_embedder(self, embedder: Any) -> None:
        """Refuse an embedder whose vectors differ from those of the index (another model, other
        weights): the scores would be noise. The first embedder to meet the database is recorded
        (an index of before issue 17, which kept no record, is taken to be of this one); an empty
        index takes the embedder it is given."""
        from assistant.index.embedding import describe, record_of, same_vectors

        db = self._get_db()
        mine = record_of(embedder)
        recorded = read_embedder_record(db)
        if recorded is not None and same_vectors(recorded, mine):
            return
        if recorded is not None and st.load_state(db).documents:
            raise EmbedderMismatchError(
                f"the index in {self.home} was built with {describe(recorded)}, but this process "
                f"embeds with {describe(mine)}, whose vectors differ; run `resolutions ingest "
                "--rebuild` to embed the library again with it, or set "
                "RESOLUTIONS_EMBEDDING_MODEL and RESOLUTIONS_EMBEDDING_BACKEND back to those of "
                "the index ('onnx' for the float MiniLM, 'onnx-int8' for its int8 copy)"
            )
        write_embedder_record(db, mine)

    def embedder_record(self) -> dict[str, Any] | None:
        """The recorded embedder of the index (``None`` before any was recorded)."""
        return read_embedder_record(self._get_db())

    def _get_db(self) -> Database:
        if self._db is None:
            with self._lock:
                if self._db is None:
                    self._db = database_for(self.settings)
        return self._db

    @property
    def database(self) -> Database:
        return self._get_db()

    def _get_store(self) -> Any:
        if self._store is None:
            with self._lock:
                if self._store is None:
                    from assistant.index.store import ChromaStore

                    self._store = ChromaStore(
                        self.settings.collection,
                        path=self.home / "chroma",
                        url=self.settings.chroma_url,
                    )
        return self._store

    @property
    def embedder(self) -> Any:
        return self._get_embedder()

    @property
    def store(self) -> Any:
        return self._get_store()

    def state(self) -> st.State:
        """The committed state, re-read when another process (a replica, the CLI) committed a
        new one. The state version (one small query) is asked at most every
        ``settings.state_poll_ms``, by one thread at a time (the others keep the state they have
        meanwhile); a write of this process (any library on the same database) is seen at
        once."""
        db = self._get_db()
        cached = self._state
        now = time.monotonic()
        polling = False
        if cached is not None and self._state_writes == db.state_writes:
            if now < self._state_fresh_until:
                return cached
            if not self._poll_lock.acquire(blocking=False):
                return cached  # another thread is asking the database right now
            polling = True
        try:
            writes = db.state_writes
            version = st.current_version(db)
            self._state_fresh_until = now + self._poll_seconds
            self._state_writes = writes
        finally:
            if polling:
                self._poll_lock.release()
        if cached is not None and cached.version == version:
            return cached
        with self._lock:
            if self._state is None or self._state.version != version:
                self._state = st.load_state(db)
            return self._state

    def _reread_state(self) -> st.State:
        """The committed state read now, not at the next poll: a version this process still
        held was replaced (and its parsed document deleted) by another process."""
        db = self._get_db()
        with self._lock:
            self._state_writes = db.state_writes
            self._state = st.load_state(db)
            self._state_fresh_until = time.monotonic() + self._poll_seconds
            return self._state

    # -- the contract --------------------------------------------------------------------
    def ingest(
        self,
        paths: Sequence[str] | None = None,
        progress: ProgressCallback | None = None,
        parsed: Sequence[ParsedFile] = (),
        replace: bool = False,
    ) -> IngestReport:
        """Parse and index files (default: ``settings.corpus``); incremental by content hash.

        ``parsed``: files the caller has parsed already (by path), used instead of parsing again
        when the file's content is still the one parsed. ``replace``: a document whose id is
        already indexed from another file is replaced by this one's (else it is refused)."""
        targets = [Path(p) for p in paths] if paths else [Path(self.settings.corpus)]
        self.settings.ensure_home()
        report = IngestReport()
        self._indexer.ingest(targets, report, progress, parsed, replace)
        self._state = None
        self.retriever.lexical(self.state())  # rebuild BM25 now, not at the first search
        return report

    def documents(self) -> list[dict[str, Any]]:
        """Summaries of indexed documents: citation fields, clause count, file, hash, ingested."""
        state = self.state()
        return [summary_of(state, document_id) for document_id in sorted(state.documents)]

    def document(self, document_id: str) -> Document:
        """The parsed structure of an indexed document; ``LookupError`` if unknown."""
        if document_id not in self.state().documents:
            document_id = self.resolve_document(document_id)
        return self._loaded(document_id)[0]

    def _loaded(self, document_id: str, state: st.State | None = None) -> _Parsed:
        """The parsed document of the generation active in ``state`` (default: now)."""
        generation = (state or self.state()).generation(document_id)
        if generation is None:
            raise NotFoundError(f"{document_id!r} is not in the index; see `resolutions documents`")
        key = (document_id, generation)
        cached = self._documents.get(key)
        if cached is None:
            try:
                document = st.load_document(self._get_db(), document_id, generation)
            except NotFoundError:
                if state is not None:
                    raise  # the caller's snapshot is gone: it decides what to do
                # another process replaced that version since this process last polled
                return self._loaded(document_id, self._reread_state())
            clauses = {clause.id: (section, clause) for section, clause in document.clauses()}
            cached = (document, clauses)
            with self._lock:
                for old in [k for k in self._documents if k[0] == document_id]:
                    del self._documents[old]
                self._documents[key] = cached
        return cached

    def resolve_document(self, name: str) -> str:
        """A document id from a loose name (``'WTSA 43'``, ``'pp-58 busan'``); ``LookupError``."""
        state = self.state()
        wanted = name.strip()
        if wanted in state.documents:
            return wanted
        slug = slugify(wanted)
        if slug in state.documents:
            return slug
        tokens = [t for t in slug.split("-") if t and t not in _NAME_NOISE]
        if not tokens:
            raise NotFoundError(f"{name!r} names no document; see `resolutions documents`")
        matches = [
            d for d in sorted(state.documents) if set(tokens) <= _name_tokens(d, state.documents[d])
        ]
        if len(matches) == 1:
            return matches[0]
        if not matches:
            raise NotFoundError(
                f"no indexed document matches {name!r}; see `resolutions documents` for the ids"
            )
        raise NotFoundError(
            f"{name!r} matches several documents ({', '.join(matches)}); name one of them by its id"
        )

    def clause(self, clause_id: str, state: st.State | None = None) -> dict[str, Any]:
        """The citation object of one clause; ``LookupError`` if unknown.

        With ``state``, the clause as it is in that state's version of its document."""
        document_id = clause_id.split("/", 1)[0]
        try:
            document, clauses = self._loaded(document_id, state)
        except (LookupError, FileNotFoundError):
            raise NotFoundError(f"no clause {clause_id!r} in the index") from None
        if clause_id == f"{document.id}/{HEADING}" and clause_id not in clauses:
            return heading_citation(document)
        if clause_id not in clauses:
            raise NotFoundError(f"no clause {clause_id!r} in {document.short_name}")
        section, clause = clauses[clause_id]
        return citation(document, section, clause)

    def search(
        self, query: str, k: int = 5, filters: dict[str, str | list[str]] | None = None
    ) -> list[Hit]:
        """Hybrid search (dense + BM25, weighted rank fusion). Filters: body, document,
        keyword, status, kind. A body or resolution named in the query is weighted, not filtered."""
        return self.retriever.search(query, k, filters)

    def nearest(self, texts: Sequence[str], k: int) -> list[list[str]]:
        """The ``k`` clause ids nearest in meaning to each of ``texts`` (dense only, no filters:
        one embedding pass and one store query for all of them; for picking candidate
        documents, where :meth:`search` per text would be many round trips)."""
        return self.retriever.nearest_many(embed_cached(self, texts), k)

    def embed(self, texts: Sequence[str]) -> list[list[float]]:
        """Normalized embeddings with the library's embedder (for alignment and drafting). A few
        texts (a request's question and clauses) share passes with concurrent requests."""
        embedder = self._get_embedder()
        few = getattr(embedder, "embed_few", None)
        if few is not None and 0 < len(texts) <= FEW_TEXTS:
            return list(few(list(texts)))
        return list(embedder.embed_documents(list(texts)))

    def rebuild(
        self, paths: Sequence[str] | None = None, progress: ProgressCallback | None = None
    ) -> IngestReport:
        """Embed the library again from scratch with this process's embedder: every document is
        removed, then ``paths`` (default: the files the index held, else the corpus) ingested."""
        state = self.state()
        targets = list(paths or []) or [f for f in sorted(state.files) if Path(f).exists()]
        for document_id in sorted(state.documents):
            self._indexer.remove(document_id)
        write_embedder_record(self._get_db(), None)
        self._state = None
        self._embedder_checked = False
        return self.ingest(targets or None, progress)

    def remove(self, document_id: str) -> None:
        """Remove a document and its clauses from the index."""
        document_id = self.resolve_document(document_id)
        self._indexer.remove(document_id)
        self._state = None
        self.retriever.lexical(self.state())


def _name_tokens(document_id: str, entry: dict[str, Any]) -> set[str]:
    summary = entry.get("summary", {})
    text = " ".join(
        [
            document_id,
            str(summary.get("name", "")),
            str(summary.get("body", "")),
            str(summary.get("number", "")),
            str(summary.get("revision", "")),
            Path(str(entry.get("file", ""))).stem,
        ]
    )
    return set(slugify(text).split("-"))
