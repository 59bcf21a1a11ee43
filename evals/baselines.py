"""Retrieval baselines measured beside the assistant: naive LangChain RAG, BM25 only, dense only.

Every retriever returns ranked *positions*, each a set of clause ids (a clause retriever gives one
id per position; a chunk retriever gives the clauses a chunk contains), so hit@k means "within the
first k results the user would read", whatever the unit.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from assistant.index.model import ClauseLibrary
from evals.metrics import normalize_space
from ingest.model import without_footnotes

Ranked = list[set[str]]
FOOTNOTE_MARK = re.compile(r"\[\^\d+\]")
LONG_CLAUSE = 500  # a clause longer than this counts when a chunk holds its opening
OPENING = 250


class Embedder(Protocol):
    def embed_documents(self, texts: Sequence[str]) -> list[list[float]]: ...

    def embed_query(self, text: str) -> list[float]: ...


class Retriever(Protocol):
    name: str

    def rank(self, query: str, k: int) -> Ranked: ...


class BM25Baseline:
    """BM25 (bm25s, English stop words, Snowball stemming) over clause texts."""

    name = "bm25"

    def __init__(self, clauses: Sequence[dict[str, Any]]) -> None:
        import bm25s

        try:
            import Stemmer

            self._stemmer: Any = Stemmer.Stemmer("english")
        except ImportError:  # pragma: no cover - PyStemmer is a dependency
            self._stemmer = None
        self._ids = [c["id"] for c in clauses]
        self._bm25s = bm25s
        tokens = bm25s.tokenize(
            [c["text"] for c in clauses], stopwords="en", stemmer=self._stemmer, show_progress=False
        )
        self._index = bm25s.BM25()
        self._index.index(tokens, show_progress=False)

    def rank(self, query: str, k: int) -> Ranked:
        tokens = self._bm25s.tokenize(
            [query], stopwords="en", stemmer=self._stemmer, show_progress=False
        )
        if not tokens.vocab:
            return []
        k = min(k, len(self._ids))
        docs, scores = self._index.retrieve(tokens, k=k, show_progress=False)
        return [{self._ids[int(d)]} for d, s in zip(docs[0], scores[0], strict=True) if s > 0]


class DenseBaseline:
    """MiniLM over the bare clause texts, cosine similarity, no context, no fusion."""

    name = "dense"

    def __init__(self, clauses: Sequence[dict[str, Any]], embedder: Embedder) -> None:
        self._ids = [c["id"] for c in clauses]
        self._embedder = embedder
        self._matrix = np.asarray(
            embedder.embed_documents([c["text"] for c in clauses]), dtype=np.float32
        )
        self._matrix /= np.linalg.norm(self._matrix, axis=1, keepdims=True) + 1e-12

    def rank(self, query: str, k: int) -> Ranked:
        vector = np.asarray(self._embedder.embed_query(query), dtype=np.float32)
        scores = self._matrix @ (vector / (np.linalg.norm(vector) + 1e-12))
        return [{self._ids[int(i)]} for i in np.argsort(-scores)[:k]]


def clause_probe(text: str) -> str:
    """What a chunk must contain to count as holding the clause (see evals/README.md)."""
    probe = normalize_space(without_footnotes(text))
    return probe[:OPENING] if len(probe) > LONG_CLAUSE else probe


class NaiveRAGBaseline:
    """LangChain's RecursiveCharacterTextSplitter (1000/200) over whole files, MiniLM, Chroma.

    ``files`` maps each document id to its file; a chunk holds a clause when it comes from the
    clause's own file and contains its text (a quotation in another file cites that file).
    """

    name = "naive_rag"

    def __init__(
        self,
        files: dict[str, Path],
        clauses: Sequence[dict[str, Any]],
        embedder: Embedder,
        chunk_size: int = 1000,
        chunk_overlap: int = 200,
    ) -> None:
        import chromadb
        from langchain_text_splitters import RecursiveCharacterTextSplitter

        splitter = RecursiveCharacterTextSplitter(
            chunk_size=chunk_size, chunk_overlap=chunk_overlap
        )
        self.chunks: list[str] = []
        self.contains: list[set[str]] = []
        for path in dict.fromkeys(Path(p) for p in files.values()):
            documents = {d for d, p in files.items() if Path(p) == path}
            probes = [
                (c["id"], clause_probe(c["text"])) for c in clauses if c["document"] in documents
            ]
            for chunk in splitter.split_text(path.read_text(encoding="utf-8")):
                flat = normalize_space(FOOTNOTE_MARK.sub("", chunk))
                self.chunks.append(chunk)
                held = {cid for cid, probe in probes if probe and probe in flat}
                # a marker naming the chunk's file (never an expected id): lets the report
                # tell chunks of one file from another
                self.contains.append(held | {f"{min(documents)}/#chunk"})
        found = set().union(*self.contains) if self.contains else set()
        self.unmatched = [c["id"] for c in clauses if c["id"] not in found]
        self._embedder = embedder
        client = chromadb.EphemeralClient(settings=chromadb.Settings(anonymized_telemetry=False))
        self._collection = client.create_collection(
            f"naive-rag-{uuid.uuid4().hex[:12]}",
            embedding_function=None,
            metadata={"hnsw:space": "cosine"},
        )
        vectors = embedder.embed_documents(self.chunks)
        self._collection.add(
            ids=[str(i) for i in range(len(self.chunks))],
            embeddings=np.asarray(vectors, dtype=np.float32),
            documents=self.chunks,
        )

    def rank(self, query: str, k: int) -> Ranked:
        result = self._collection.query(
            query_embeddings=np.asarray([self._embedder.embed_query(query)], dtype=np.float32),
            n_results=min(k, len(self.chunks)),
        )
        return [self.contains[int(i)] for i in result["ids"][0]]


class LibraryRetriever:
    """The assistant's own hybrid search, through the library facade."""

    name = "assistant"

    def __init__(self, library: ClauseLibrary) -> None:
        self._library = library

    def rank(self, query: str, k: int) -> Ranked:
        return [{hit.id} for hit in self._library.search(query, k=k)]


class AnswererRanking:
    """The clauses found for a question in the order the answerer weighs them: search, then the
    support model (:func:`assistant.answering.ranking.ranked_evidence`)."""

    name = "answerer"

    def __init__(self, library: ClauseLibrary) -> None:
        self._library = library

    def rank(self, query: str, k: int) -> Ranked:
        from assistant.answering.ranking import ranked_evidence

        return [{e.id} for e in ranked_evidence(self._library, query, k)][:k]
