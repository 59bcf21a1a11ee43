"""Hybrid search: dense (Chroma) + BM25, weighted reciprocal rank fusion, glossary weighting.

The query is expanded with the glossary (``TSB`` -> ``Telecommunication Standardization Bureau``),
the other names of the places it names, and the acronyms the indexed texts define for the long
forms it spells out (``United Nations Angola Verification Mission``: ``UNAVEM``), for both
retrievers. A body or a resolution named in the query multiplies the fused score of its
clauses by ``1 + weight``: the others stay in the ranking.
"""

from __future__ import annotations

import contextlib
import functools
import re
import threading
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from assistant.errors import BadRequestError
from assistant.index import ingest_state as st
from assistant.index.chunking import document_chunks
from assistant.index.fusion import apply_boosts, quoted_after_source, top, weighted_rrf
from assistant.index.lexical import FILTER_KEYS, LexicalIndex, without_topic_frames
from assistant.index.model import Hit
from assistant.text.answer_type import expected_answer_type
from assistant.text.asked import Asked
from assistant.text.conditions import asks_condition, sets_condition
from assistant.text.glossary import MONTH_NUMBER, QueryTerms, load_glossary
from assistant.text.places import load_places
from ingest.model import slugify
from ingest.paragraph_text import MONTHS

if TYPE_CHECKING:
    from assistant.index.library import Library


@dataclass
class SearchWeights:
    """The global knobs of fusion. ``dense``, ``rrf_k``, ``expansion`` and ``body`` were learned
    by a coordinate search on the training questions of issue 16 (MRR), each step checked on dev
    (``python -m evals.fit_support --fusion``, evals/README.md); the other boosts were set on
    evals/data/questions.jsonl (bench/RESULTS.md) and the search kept them."""

    dense: float = 0.25  # dense is the weaker retriever on clause text: quarter weight
    bm25: float = 1.0
    rrf_k: float = 5.0  # small k: the first ranks of each retriever count most
    body: float = 1.0  # boost of clauses of a body named in the query
    resolution: float = 0.3  # boost of clauses of a resolution named in the query (number)
    revision: float = 0.3  # boost of a document whose revision is named ("Doha", "2014")
    clause: float = 0.5  # boost of a clause named by section word and label ("resolves 1")
    expansion: float = 0.6  # weight of glossary expansions in BM25 (a little under the typed words)
    # boost of a text adopted in a month named with its year ("the Council's June 1990 text"):
    # MRR on train 0.801 (0) -> 0.805 (0.3) -> 0.806 (1.0); dev unchanged (sixteenth round)
    dated: float = 1.0
    # boost of a clause among the first ``typed_depth`` that states an answer of the checked kind
    # asked (a count, a date ...: assistant/text/asked.py): MRR on train 0.806 -> 0.826, dev
    # 0.720 -> 0.751 (sixteenth round)
    typed: float = 0.8
    # boost of a clause among the first ``typed_depth`` that sets a condition when the query asks
    # what follows one ("... do if ...?": assistant/text/conditions.py): on the answerable
    # questions of the seen splits MRR 0.827 (0) -> 0.829 (1.6), hit@3 0.877 both (nineteenth
    # round)
    condition: float = 1.6
    typed_depth: int = 20
    depth: int = 50  # candidates taken from each retriever


_GENERIC = {"rev", "new", "the", "of", "and"}
_ADOPTED = re.compile(rf"\bof \d{{1,2}} ({MONTHS}) ((?:19|20)\d\d)\b")


@functools.lru_cache(maxsize=4096)
def adopted_in(title: str) -> frozenset[str]:
    """The month a title dates its text to: ``Resolution 658 (1990) of 27 June 1990`` ->
    ``{"June 1990"}``."""
    return frozenset(f"{m.group(1)} {m.group(2)}" for m in _ADOPTED.finditer(title))


def adopted_on(title: str) -> tuple[int, int] | None:
    """The year and month a title dates its text to (the first date), else None."""
    found = _ADOPTED.search(title)
    if found is None:
        return None
    return int(found.group(2)), MONTH_NUMBER[found.group(1).lower()]


AFTER_EVENT_MONTHS = 12  # a text answers for what came after an event if adopted within a year


def answers_after(title: str, event: tuple[int, int]) -> bool:
    """Whether a text with this title may be what came after an event of (year, month 0-12):
    adopted in the event's month or the twelve after it (any month of its year when the month is
    not known); a text without a date may."""
    adopted = adopted_on(title)
    if adopted is None:
        return True
    year, month = event
    start = year * 12 + (month or 1)
    end = year * 12 + (month or 12) + AFTER_EVENT_MONTHS
    return start <= adopted[0] * 12 + adopted[1] <= end


QUOTE_LOOKAHEAD = 5  # results beyond k where the source of a quoting passage is looked for


@functools.lru_cache(maxsize=4096)  # asked for every candidate clause of every search
def revision_words(revision: str, body: str) -> frozenset[str]:
    """Distinctive words of a revision: ``Rev. New Delhi, 2024`` -> ``{delhi, 2024}``."""
    words = set(slugify(revision).split("-")) - _GENERIC - {body.lower(), ""}
    return frozenset(w for w in words if len(w) >= 3)


class _Waiter:
    """One search waiting for its row of a shared store query (or for its turn to run one)."""

    __slots__ = ("error", "event", "filters", "k", "lead", "result", "vector")

    def __init__(self, vector: list[float], k: int, filters: dict[str, list[str]]) -> None:
        self.vector = vector
        self.k = k
        self.filters = filters
        self.event = threading.Event()
        self.lead = False  # woken to run the next batch, not with a result
        self.result: list[tuple[str, float]] = []
        self.error: BaseException | None = None

    def key(self) -> tuple[int, tuple[tuple[str, tuple[str, ...]], ...]]:
        return self.k, tuple(sorted((f, tuple(v)) for f, v in self.filters.items()))


class StoreBatcher:
    """Concurrent searches share one store query (``query_embeddings`` takes several vectors:
    in Chroma, 8 vectors cost about twice one). The first caller runs the query for itself;
    those that arrive meanwhile queue, and when it is done the oldest of them runs one query for
    all queued with the same ``k`` and filters (one query per distinct pair), and so on. Nobody
    waits on a timer, and only the thread whose turn it is wakes."""

    def __init__(self, store: Any, max_batch: int = 64) -> None:
        self.store = store
        self.max_batch = max_batch
        self._lock = threading.Lock()
        self._pending: list[_Waiter] = []
        self._running = False

    def nearest(
        self, vector: list[float], k: int, filters: dict[str, list[str]]
    ) -> list[tuple[str, float]]:
        """``store.nearest_ids([vector], k, filters)[0]``, in a query shared with others."""
        mine = _Waiter(vector, k, filters)
        with self._lock:
            self._pending.append(mine)
            lead = not self._running
            self._running = True
        if not lead:
            mine.event.wait()
        if lead or mine.lead:
            self._run_turn()
        if mine.error is not None:
            raise mine.error
        return mine.result

    def _run_turn(self) -> None:
        with self._lock:
            batch = self._pending[: self.max_batch]
            del self._pending[: self.max_batch]
        try:
            groups: dict[Any, list[_Waiter]] = {}
            for waiter in batch:
                groups.setdefault(waiter.key(), []).append(waiter)
            for group in groups.values():
                first = group[0]
                try:
                    rows = self.store.nearest_ids([w.vector for w in group], first.k, first.filters)
                except BaseException as error:
                    for waiter in group:
                        waiter.error = error
                else:
                    for waiter, row in zip(group, rows, strict=True):
                        waiter.result = row
        finally:
            for waiter in batch:
                waiter.event.set()
            with self._lock:
                if self._pending:  # hand the next turn to the oldest waiting search
                    following = self._pending[0]
                    following.lead = True
                    following.event.set()
                else:
                    self._running = False


class Retriever:
    """Runs searches over one library's store and lexical index."""

    def __init__(self, library: Library, weights: SearchWeights) -> None:
        self.library = library
        self.weights = weights
        self.glossary = load_glossary()
        self.places = load_places()
        self._lexical: LexicalIndex | None = None
        self._fingerprint_of: tuple[st.State, str] | None = None
        self._lock = threading.Lock()
        self._chunks: tuple[str, dict[str, tuple[str, str, str]]] = ("", {})
        self._batcher: StoreBatcher | None = None

    def lexical(self, state: st.State) -> LexicalIndex:
        """The BM25 index of the active generations: loaded, or rebuilt and saved (per
        process: each replica derives its own when the database's active set changed)."""
        fingerprint = self._fingerprint(state)
        current = self._lexical
        if current is not None and current.fingerprint == fingerprint:
            return current
        with self._lock:
            return self._load_lexical(state, fingerprint)

    def _fingerprint(self, state: st.State) -> str:
        seen = self._fingerprint_of
        if seen is not None and seen[0] is state:
            return seen[1]  # the same state object: no need to hash it again
        fingerprint = state.fingerprint()
        self._fingerprint_of = (state, fingerprint)
        return fingerprint

    def _load_lexical(self, state: st.State, fingerprint: str) -> LexicalIndex:
        if self._lexical is not None and self._lexical.fingerprint == fingerprint:
            return self._lexical
        folder = self.library.home / "bm25"
        index = LexicalIndex.load(folder, fingerprint)
        if index is None:
            texts: list[str] = []
            clause_ids: list[str] = []
            metadatas: list[dict[str, Any]] = []
            for document_id in sorted(state.documents):
                document = self.library._loaded(document_id, state)[0]
                for chunk in document_chunks(document, str(state.documents[document_id]["sha256"])):
                    texts.append(chunk.text)
                    clause_ids.append(chunk.clause_id)
                    metadatas.append(chunk.metadata)
            index = LexicalIndex.build(texts, clause_ids, metadatas, fingerprint)
            if self.library.home.exists():
                with contextlib.suppress(OSError):  # a cache: another process may be saving it
                    index.save(folder)
        self._lexical = index
        return index

    def normalize_filters(
        self, filters: dict[str, str | list[str]] | None, state: st.State
    ) -> dict[str, list[str]]:
        """Check filter keys and values; ``document`` values may be loose names."""
        out: dict[str, list[str]] = {}
        for key, raw in (filters or {}).items():
            if key not in FILTER_KEYS:
                raise BadRequestError(
                    f"unknown filter {key!r}; use one of: {', '.join(FILTER_KEYS)}"
                )
            values = [raw] if isinstance(raw, str) else list(raw)
            if key == "document":
                values = [self.library.resolve_document(v) for v in values]
            elif key == "body":
                known = {
                    str(e["summary"]["body"]).lower(): str(e["summary"]["body"])
                    for e in state.documents.values()
                }
                values = [known.get(v.lower(), v) for v in values]
            elif key == "keyword":
                values = [v.lower() for v in values]
            out[key] = values
        return out

    def search(self, query: str, k: int, filters: dict[str, str | list[str]] | None) -> list[Hit]:
        """Hybrid search on one snapshot of the state; retried if an ingest replaced a
        document under it (its old version's files deleted meanwhile)."""
        for attempt in range(3):
            try:
                return self._search(query, k, filters)
            except (LookupError, FileNotFoundError):
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")

    def _search(self, query: str, k: int, filters: dict[str, str | list[str]] | None) -> list[Hit]:
        query = " ".join(query.split())
        if not query:
            raise BadRequestError("the search query is empty; type some words to look for")
        if k < 1:
            raise BadRequestError(f"k must be at least 1 (got {k})")
        state = self.library.state()
        flt = self.normalize_filters(filters, state)
        if not state.documents:
            return []
        terms = self.glossary.find(query)
        lexical = self.lexical(state)
        expansions = list(
            dict.fromkeys(
                [
                    *self.glossary.expansions(query, terms),
                    *self.places.expansions(query),
                    *lexical.acronyms.named_in(query),  # what the texts define it as
                ]
            )
        )
        expanded = f"{query} ({'; '.join(expansions)})" if expansions else query
        depth = max(self.weights.depth, 3 * k)
        # "deal with" frames the subject: its rare forms ("dealings") must not outweigh it
        bm25 = lexical.search(
            without_topic_frames(query), depth, flt, " ".join(expansions), self.weights.expansion
        )
        dense = self._dense(expanded, depth, flt, state)
        scores = weighted_rrf(
            {"dense": [c for c, _ in dense], "bm25": [c for c, _ in bm25]},
            {"dense": self.weights.dense, "bm25": self.weights.bm25},
            k=self.weights.rrf_k,
        )
        dated = self._dated(terms, state)
        scores = apply_boosts(scores, self._boosts(scores, terms, state, lexical, dated))
        untyped = {c: i for i, (c, _) in enumerate(top(scores, len(scores)), start=1)}
        scores = apply_boosts(scores, self._typed_boosts(query, scores, state))
        dense_of = dict(dense)
        bm25_of = dict(bm25)
        dense_rank = {c: i for i, (c, _) in enumerate(dense, start=1)}
        bm25_rank = {c: i for i, (c, _) in enumerate(bm25, start=1)}
        ranked = top(scores, k + QUOTE_LOOKAHEAD)
        citations = {c: self.library.clause(c, state) for c, _ in ranked}
        order = quoted_after_source(
            [c for c, _ in ranked],
            {c: str(cited.get("text", "")) for c, cited in citations.items()},
            lambda c: bool(citations[c].get("body")),  # a resolution (passages have no body)
        )[:k]
        hits: list[Hit] = []
        for clause_id in order:
            signals = {
                "dense": dense_of.get(clause_id, 0.0),
                "bm25": bm25_of.get(clause_id, 0.0),
                "dense_rank": float(dense_rank.get(clause_id, 0)),
                "bm25_rank": float(bm25_rank.get(clause_id, 0)),
                "untyped_rank": float(untyped.get(clause_id, 0)),
                # the query names the month its text was adopted, or that of other texts
                "dated_document": float(citations[clause_id].get("document") in dated),
                "dated_other": float(
                    bool(dated) and citations[clause_id].get("document") not in dated
                ),
                # the query asks what came after a dated event; this text is from before it
                # or long after
                "after_event_other": float(
                    terms.after is not None
                    and not answers_after(
                        self._title(str(citations[clause_id].get("document", "")), state),
                        terms.after,
                    )
                ),
            }
            score = scores[clause_id]
            if hits:  # a quoting passage moved after its source keeps the ranking monotonic
                score = min(score, hits[-1].score)
            hits.append(Hit(citations[clause_id], score, signals))
        return hits

    def _dense(
        self, query: str, depth: int, flt: dict[str, list[str]], state: st.State
    ) -> list[tuple[str, float]]:
        vector = self.library.embedder.embed_query(query)
        found = self._store_batcher().nearest(vector, depth * 2, flt)
        return self._current(found, state)[:depth]

    def _store_batcher(self) -> StoreBatcher:
        store = self.library.store
        batcher = self._batcher
        if batcher is None or batcher.store is not store:
            with self._lock:
                batcher = self._batcher
                if batcher is None or batcher.store is not store:
                    batcher = self._batcher = StoreBatcher(store)
        return batcher

    def nearest_many(self, vectors: list[list[float]], depth: int) -> list[list[str]]:
        """The clauses nearest to each vector (the dense half of :meth:`search`, for many
        vectors in one store query), current versions only."""
        state = self.library.state()
        if not state.documents or not vectors:
            return [[] for _ in vectors]
        rows = self.library.store.nearest_ids(vectors, depth * 2)
        return [[c for c, _ in self._current(row, state)[:depth]] for row in rows]

    def _current(self, found: list[tuple[str, float]], state: st.State) -> list[tuple[str, float]]:
        """Clause ids and similarities of the hits (chunk id, distance) that belong to a
        document's current version."""
        chunks = self._chunks_of(state, [i for i, _ in found])
        out: list[tuple[str, float]] = []
        seen: set[str] = set()
        for chunk_id, distance in found:
            known = chunks.get(chunk_id)
            if known is None:
                continue  # deleted since the query
            document, generation, clause_id = known
            active = state.generation(document)
            if active is None or active != generation:
                continue  # a chunk of an old or unfinished version (or being deleted)
            if clause_id not in seen:
                seen.add(clause_id)
                out.append((clause_id, 1.0 - distance))
        return out

    def _chunks_of(self, state: st.State, ids: list[str]) -> dict[str, tuple[str, str, str]]:
        """(document, generation, clause) of chunk ids: what the store's metadata says, read
        once per id (an id names one chunk of one generation: its metadata never changes), so
        a query asks the store for ids and distances only. Forgotten when the active set
        changes, so the cache holds at most the chunks the store holds."""
        fingerprint = self._fingerprint(state)
        cache = self._chunks
        if cache[0] != fingerprint:
            cache = self._chunks = (fingerprint, {})
        known = cache[1]
        missing = [i for i in ids if i not in known]
        if missing:
            for chunk_id, meta in self.library.store.metadatas(missing).items():
                known[chunk_id] = (
                    str(meta.get("document")),
                    str(meta.get("generation")),
                    str(meta.get("clause")),
                )
        return known

    def _typed_boosts(
        self, query: str, scores: dict[str, float], state: st.State
    ) -> dict[str, float]:
        """Extra weight for the first clauses that state an answer of the checked kind asked
        ("Within what period ...?": the clause with "within thirty days"), and for those that set
        a condition when one is asked about ("What will the Council do if ...?")."""
        typed = self.weights.typed if expected_answer_type(query) is not None else 0.0
        condition = self.weights.condition if asks_condition(query) else 0.0
        if not typed and not condition:
            return {}
        asked = Asked.read(query)
        boosts: dict[str, float] = {}
        for clause_id, _ in top(scores, self.weights.typed_depth):
            text = str(self.library.clause(clause_id, state).get("text", ""))
            boost = (typed if typed and asked.states_new(text) else 0.0) + (
                condition if condition and sets_condition(text) else 0.0
            )
            if boost:
                boosts[clause_id] = boost
        return boosts

    @staticmethod
    def _title(document_id: str, state: st.State) -> str:
        """The title of an indexed document ("Resolution 658 (1990) of 27 June 1990")."""
        entry = state.documents.get(document_id, {})
        return str(entry.get("summary", {}).get("title", ""))

    @classmethod
    def _dated(cls, terms: QueryTerms, state: st.State) -> set[str]:
        """The documents adopted in a month the query names ("the June 1990 resolution")."""
        if not terms.months:
            return set()
        return {
            document_id
            for document_id in state.documents
            if adopted_in(cls._title(document_id, state)) & terms.months
        }

    def _boosts(
        self,
        scores: dict[str, float],
        terms: QueryTerms,
        state: st.State,
        lexical: LexicalIndex,
        dated: set[str],
    ) -> dict[str, float]:
        """Extra weight for what the query names: body, resolution, revision, clause label."""
        if not (terms.bodies or terms.resolutions or terms.clauses or terms.words or terms.months):
            return {}
        w = self.weights
        boosts: dict[str, float] = {}
        for clause_id in scores:
            document_id, keyword, label, sub = lexical.clause_info.get(
                clause_id, (clause_id.split("/", 1)[0], "", "", "")
            )
            entry = state.documents.get(document_id)
            if not entry:
                continue
            summary = entry["summary"]
            body, number = str(summary.get("body", "")), str(summary.get("number", ""))
            boost = w.body * terms.bodies.get(body, 0.0)
            if any(n == number and b in ("", body) for b, n in terms.resolutions):
                boost += w.resolution
            if revision_words(str(summary.get("revision", "")), body) & terms.words:
                boost += w.revision
            if document_id in dated:
                boost += w.dated
            if keyword and (keyword.split()[0], label) in terms.clauses:
                boost += w.clause * (0.5 if sub else 1.0)
            if boost:
                boosts[clause_id] = boost
        return boosts
