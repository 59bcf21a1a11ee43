"""From a question to evidence: retrieved clauses, how well each supports it, the decisive words.

Support of a clause combines measures calibrated on the question set
(``evals/data/questions.jsonl``; ``tests/test_answer_calibration.py`` reports the rates):

- *coverage*: the share of the question's ideas (IDF-weighted; an acronym counts as found when one
  of its glossary expansions is) in the clause text or its section heading; an idea not found
  word for word gets partial credit: the best cosine of its word with a word of the clause
  (the library's embedder, so "get-together" earns some credit from "meeting");
- *similarity*: cosine of the question with the clause, and with its closest segment (between
  semicolons and colons), with the library's embedder;
- a clause the question names (``considering e)``, ``the taking into account paragraph``)
  supports it;
- *agreement*: a clause ranked first by BM25 and among the first few by the embedder (two
  independent retrievers agree) needs less support (:data:`AGREED_THRESHOLD`).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from assistant.caching import library_cache
from assistant.index.model import ClauseLibrary
from assistant.text.answer_type import states
from assistant.text.catalog import Catalog
from assistant.text.clause_refs import match_clauses
from assistant.text.glossary import load_glossary
from assistant.text.question import (
    Question,
    TermGroup,
    analyse,
    catalog_for,
    content_words,
    stem,
    stems,
)

# Calibrated on evals/data/questions.jsonl: no unanswerable question above the line.
SIMILARITY_WEIGHT = 0.5
SEGMENT_WEIGHT = 0.5
SUPPORT_THRESHOLD = 1.18
AGREED_THRESHOLD = 1.0  # for a clause both retrievers put first (see :func:`agreed`)
AGREED_DENSE_RANK = 4  # "first" for the embedder: within its first ranks
# Below the threshold but above this floor, a configured chat model is asked to judge (it may
# answer, with checked quotes, or say NOT FOUND): the unsupported answerable questions of the set
# (paraphrases) score 0.73-1.04 here, the off-topic ones 0.68-1.16.
CONSULT_FLOOR = 0.7
SEARCH_K = 12
QUOTE_CHARS = 320


@dataclass
class Evidence:
    """One retrieved clause and how it supports the question."""

    citation: dict[str, Any]
    score: float
    coverage: float = 0.0
    similarity: float = 0.0
    words: str = ""
    named: bool = False  # the question names this clause
    segment_similarity: float = 0.0  # cosine with the closest part of the clause
    agreed: bool = False  # first for BM25 and among the first for the embedder
    states_answer: bool = True  # states an answer of the kind the question asks for

    @property
    def id(self) -> str:
        return str(self.citation["id"])

    @property
    def document(self) -> str:
        return str(self.citation.get("document", ""))

    @property
    def support(self) -> float:
        """One number to rank by and to compare with :data:`SUPPORT_THRESHOLD`."""
        return (
            self.coverage
            + SIMILARITY_WEIGHT * self.similarity
            + SEGMENT_WEIGHT * self.segment_similarity
            + (2.0 if self.named else 0.0)
        )

    @property
    def supports(self) -> bool:
        """Whether this clause, by itself, supports an answer to the question."""
        if not self.states_answer:
            return False
        if self.agreed:
            return self.support >= AGREED_THRESHOLD
        return self.support >= SUPPORT_THRESHOLD


@dataclass
class Retrieval:
    """What retrieval found for one question, ranked by support."""

    question: Question
    evidence: list[Evidence] = field(default_factory=list)

    @property
    def supporting(self) -> list[Evidence]:
        return [e for e in self.evidence if e.supports]

    @property
    def uncertain(self) -> bool:
        """No clause supports the question, but the best one comes close enough for a chat
        model to judge (:data:`CONSULT_FLOOR`)."""
        return not self.supporting and any(
            e.support >= CONSULT_FLOOR and e.states_answer for e in self.evidence
        )

    @property
    def retrieved_ids(self) -> set[str]:
        return {e.id for e in self.evidence}


def document_frequencies(library: ClauseLibrary) -> tuple[dict[str, float], float]:
    """IDF of every stem over the library's clauses (cached until the documents change)."""
    summaries = library.documents()
    key = tuple(
        sorted(f"{s.get('document')}:{s.get('sha256', s.get('hash', ''))}" for s in summaries)
    )
    cache = library_cache(library, "idf")
    cached = cache.get("idf")
    if cached and cached[0] == key:
        return cached[1], cached[2]
    counts: dict[str, int] = {}
    total = 0
    for summary in summaries:
        document = library.document(str(summary["document"]))
        for section, clause in document.clauses():
            total += 1
            for term in stems(f"{section.heading} {clause.full_text}"):
                counts[term] = counts.get(term, 0) + 1
    idf = {term: math.log(1 + total / count) for term, count in counts.items()}
    unseen = math.log(1 + max(total, 1) * 2)
    cache["idf"] = (key, idf, unseen)
    return idf, unseen


def coverage(
    groups: list[TermGroup],
    context: set[str],
    idf: dict[str, float],
    unseen: float,
    partial: dict[str, float] | None = None,
) -> float:
    """IDF-weighted share of ``groups`` present in ``context`` (a set of stems); a group not
    present earns ``partial[group.word]`` (0 to 1) instead of 0."""
    total = found = 0.0
    for group in groups:
        weights = [min(idf.get(s, unseen) for s in alt) for alt in group.alternatives]
        weight = max(min(weights), 0.05)
        total += weight
        if any(alt <= context for alt in group.alternatives):
            found += weight
        elif partial:
            found += weight * max(0.0, partial.get(group.word.lower(), 0.0))
    return found / total if total else 0.0


def word_vectors(library: ClauseLibrary, words: set[str]) -> dict[str, np.ndarray]:
    """Vectors of single words (cached per library)."""
    cache = library_cache(library, "word vectors")
    if len(cache) > 200_000:
        cache.clear()
    missing = sorted(w for w in words if w not in cache)
    if missing:
        for word, vector in zip(missing, library.embed(missing), strict=True):
            cache[word] = np.asarray(vector, dtype=np.float32)
    return {w: cache[w] for w in words}


def partial_matches(
    library: ClauseLibrary, groups: list[TermGroup], clause_words: list[set[str]]
) -> list[dict[str, float]]:
    """For each clause, the best cosine of each question word with a word of the clause."""
    asked = {g.word.lower() for g in groups}
    vectors = word_vectors(library, asked.union(*clause_words) if clause_words else asked)
    result: list[dict[str, float]] = []
    for words in clause_words:
        if not words:
            result.append({})
            continue
        matrix = np.stack([vectors[w] for w in sorted(words)])
        result.append({a: float((matrix @ vectors[a]).max()) for a in asked})
    return result


def segments(text: str) -> list[str]:
    """The parts of a clause between semicolons and colons (the whole text when none is long)."""
    parts = [part.strip() for part in re.split(r"[;:]", text) if len(part.strip()) > 25]
    return parts or [text]


def similarities(
    library: ClauseLibrary, question: str, citations: list[dict[str, Any]]
) -> list[tuple[float, float]]:
    """Cosine of the question with each clause, and with its closest segment (vectors cached
    per library; one embedding call per question)."""

    def text(citation: dict[str, Any]) -> str:
        return f"{citation.get('section', '')}: {citation.get('text', '')}"

    cache = library_cache(library, "clause vectors")
    if len(cache) > 100_000:
        cache.clear()
    pieces = [text(c) for c in citations] + [
        part for c in citations for part in segments(str(c.get("text", "")))
    ]
    missing = list(dict.fromkeys(p for p in pieces if p not in cache))
    vectors = library.embed([question, *missing])
    for piece, vector in zip(missing, vectors[1:], strict=True):
        cache[piece] = np.asarray(vector, dtype=np.float32)
    query = np.asarray(vectors[0], dtype=np.float32)
    query /= float(np.linalg.norm(query)) or 1.0

    def cosine(piece: str) -> float:
        vector = cache[piece]
        return float(vector @ query) / (float(np.linalg.norm(vector)) or 1.0)

    return [
        (cosine(text(c)), max(cosine(p) for p in segments(str(c.get("text", "")))))
        for c in citations
    ]


_SEGMENT = re.compile(r"[^;:]+[;:]?")


def decisive_words(text: str, groups: list[TermGroup]) -> str:
    """The part of ``text`` that answers: the whole clause when short, else the segment (between
    semicolons and colons) that holds most of the question's ideas, cut to a window if long."""
    body = text.split(" [Footnote:")[0].strip()
    if len(body) <= QUOTE_CHARS or not groups:
        return _window(body, groups)
    best, best_hits = body, -1.0
    for match in _SEGMENT.finditer(body):
        segment = match.group(0).strip()
        hits = sum(1 for g in groups if any(alt <= stems(segment) for alt in g.alternatives))
        if hits > best_hits and len(segment) > 20:
            best, best_hits = segment, hits
    return _window(best, groups)


def _window(segment: str, groups: list[TermGroup]) -> str:
    segment = segment.strip().rstrip(";:,.").strip()
    if len(segment) <= QUOTE_CHARS:
        return segment
    words = segment.split(" ")
    wanted = {s for g in groups for alt in g.alternatives for s in alt}
    marks = [i for i, w in enumerate(words) if stems(w) & wanted] or [0]
    size = 45
    start = max(0, min(marks[0], len(words) - size))
    start = max(
        range(start, max(start, len(words) - size) + 1),
        key=lambda s: sum(1 for m in marks if s <= m < s + size),
    )
    cut = " ".join(words[start : start + size]).rstrip(";:,.")
    return ("… " if start else "") + cut + (" …" if start + size < len(words) else "")


def with_expansions(context: set[str]) -> set[str]:
    """``context`` plus the words of the glossary expansions of the acronyms in it."""
    extra: set[str] = set()
    for entry in load_glossary().entries:
        if stem(entry.term) in context or stem(entry.term + "s") in context:
            for expansion in entry.expansions:
                extra |= stems(expansion)
    return context | extra


def agreed(signals: dict[str, float]) -> bool:
    """Whether BM25 ranks the clause first and the embedder among its first ranks."""
    dense = signals.get("dense_rank", 0.0)
    return signals.get("bm25_rank", 0.0) == 1 and 1 <= dense <= AGREED_DENSE_RANK


def named_clauses(question: str, catalog: Catalog, documents: list[str]) -> set[str]:
    """Ids of clauses the question names (``considering e)``) in ``documents``."""
    named: set[str] = set()
    for document_id in documents:
        document = catalog.by_id.get(document_id)
        if document is None:
            continue
        for hit in match_clauses(question, document, require_label=False):
            if hit.kind == "clause" or len(hit.clause_ids) == 1:
                named.update(hit.clause_ids)
    return named


def evaluate(
    library: ClauseLibrary,
    question: Question,
    citations: list[tuple[dict[str, Any], float]],
    idf: dict[str, float],
    unseen: float,
    named: set[str] | None = None,
    agreeing: set[str] | None = None,
) -> list[Evidence]:
    """Evidence for each (citation, search score), ranked by support."""
    if not citations:
        return []
    sims = similarities(library, question.text, [c for c, _ in citations])
    contexts = [
        with_expansions(stems(f"{c.get('section', '')} {c.get('text', '')}")) for c, _ in citations
    ]
    unmatched = [
        g
        for g in question.groups
        if not all(any(alt <= ctx for alt in g.alternatives) for ctx in contexts)
    ]
    words = [
        {w.lower() for w in content_words(f"{c.get('section', '')} {c.get('text', '')}")}
        for c, _ in citations
    ]
    partial = partial_matches(library, unmatched, words) if unmatched else [{}] * len(citations)
    evidence = []
    for (citation, score), (sim, part), context, soft in zip(
        citations, sims, contexts, partial, strict=True
    ):
        cov = coverage(question.groups, context, idf, unseen, soft)
        text = decisive_words(str(citation.get("text", "")), question.groups)
        clause_id = str(citation["id"])
        evidence.append(
            Evidence(
                citation,
                score,
                cov,
                sim,
                text,
                clause_id in (named or set()),
                part,
                clause_id in (agreeing or set()),
                states(str(citation.get("text", "")), question.answer_type),
            )
        )
    return sorted(evidence, key=lambda e: e.support, reverse=True)


def retrieve(library: ClauseLibrary, text: str, k: int = SEARCH_K) -> Retrieval:
    """Search, then measure how each clause found supports the question."""
    question = analyse(text, catalog_for(library))
    idf, unseen = document_frequencies(library)
    hits = library.search(text, k=k)
    found = [(hit.citation, hit.score) for hit in hits]
    agreeing = {hit.id for hit in hits if agreed(getattr(hit, "signals", None) or {})}
    if question.comparison:
        have = {c.get("document") for c, _ in found}
        for document in question.documents:
            if document not in have:
                extra = library.search(text, k=3, filters={"document": document})
                found += [(hit.citation, hit.score) for hit in extra]
    catalog = catalog_for(library)
    documents = list(dict.fromkeys([*question.documents, *(c.get("document") for c, _ in found)]))
    named = named_clauses(text, catalog, [str(d) for d in documents][:8])
    have = {c["id"] for c, _ in found}
    for clause_id in sorted(named - have):
        found.append((library.clause(clause_id), 0.0))
    unique = list({str(c["id"]): (c, s) for c, s in reversed(found)}.values())[::-1]
    return Retrieval(question, evaluate(library, question, unique, idf, unseen, named, agreeing))
