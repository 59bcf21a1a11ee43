"""From a question to evidence: retrieved clauses, how well each supports it, the decisive words.

Support of a clause combines two measures that are calibrated on the question set
(``evals/data/questions.jsonl``; see :data:`THRESHOLDS`):

- *coverage*: the share of the question's ideas (IDF-weighted; an acronym counts as found when one
  of its glossary expansions is) present in the clause text or its section heading;
- *similarity*: cosine of the question and the clause with the library's embedder.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import Any

from assistant.question import Question, TermGroup, analyse, catalog_for, stems

# Calibrated thresholds (see the module docstring and the report of issue 5).
THRESHOLDS = {"coverage": 0.6, "similarity": 0.62, "pair_coverage": 0.3, "pair_similarity": 0.42}
SEARCH_K = 12
QUOTE_CHARS = 320
_IDF_CACHE: dict[int, tuple[tuple[str, ...], dict[str, float], float]] = {}
_VECTOR_CACHE: dict[tuple[int, str, int], list[float]] = {}


@dataclass
class Evidence:
    """One retrieved clause and how it supports the question."""

    citation: dict[str, Any]
    score: float
    coverage: float = 0.0
    similarity: float = 0.0
    words: str = ""

    @property
    def id(self) -> str:
        return str(self.citation["id"])

    @property
    def document(self) -> str:
        return str(self.citation.get("document", ""))

    @property
    def support(self) -> float:
        """One number to rank by (coverage and similarity weigh the same)."""
        return (self.coverage + self.similarity) / 2

    @property
    def supports(self) -> bool:
        """Whether this clause, by itself, supports an answer to the question."""
        t = THRESHOLDS
        return (self.coverage >= t["coverage"] or self.similarity >= t["similarity"]
                or (self.coverage >= t["pair_coverage"]
                    and self.similarity >= t["pair_similarity"]))


@dataclass
class Retrieval:
    """What retrieval found for one question, ranked by support."""

    question: Question
    evidence: list[Evidence] = field(default_factory=list)

    @property
    def supporting(self) -> list[Evidence]:
        return [e for e in self.evidence if e.supports]

    @property
    def retrieved_ids(self) -> set[str]:
        return {e.id for e in self.evidence}


def document_frequencies(library: Any) -> tuple[dict[str, float], float]:
    """IDF of every stem over the library's clauses (cached until the documents change)."""
    summaries = library.documents()
    key = tuple(sorted(f"{s.get('document')}:{s.get('sha256', s.get('hash', ''))}"
                       for s in summaries))
    cached = _IDF_CACHE.get(id(library))
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
    _IDF_CACHE[id(library)] = (key, idf, unseen)
    return idf, unseen


def coverage(groups: list[TermGroup], context: set[str], idf: dict[str, float],
             unseen: float) -> tuple[float, list[TermGroup]]:
    """IDF-weighted share of ``groups`` present in ``context`` (a set of stems), and which."""
    total = found_weight = 0.0
    found: list[TermGroup] = []
    for group in groups:
        weights = [min(idf.get(s, unseen) for s in alt) for alt in group.alternatives]
        weight = max(min(weights), 0.05)
        total += weight
        if any(alt <= context for alt in group.alternatives):
            found_weight += weight
            found.append(group)
    return (found_weight / total if total else 0.0), found


def _cosine(a: list[float], b: list[float]) -> float:
    dot = sum(x * y for x, y in zip(a, b, strict=False))
    norm = math.sqrt(sum(x * x for x in a)) * math.sqrt(sum(y * y for y in b))
    return dot / norm if norm else 0.0


def similarities(library: Any, question: str, citations: list[dict[str, Any]]) -> list[float]:
    """Cosine of the question with each clause (clause vectors cached per library)."""
    def text(citation: dict[str, Any]) -> str:
        return f"{citation.get('section', '')}: {citation.get('text', '')}"

    def key(citation: dict[str, Any]) -> tuple[int, str, int]:
        return id(library), str(citation["id"]), hash(text(citation))

    if len(_VECTOR_CACHE) > 100_000:
        _VECTOR_CACHE.clear()
    missing = [c for c in citations if key(c) not in _VECTOR_CACHE]
    vectors = library.embed([question] + [text(c) for c in missing])
    for citation, vector in zip(missing, vectors[1:], strict=True):
        _VECTOR_CACHE[key(citation)] = list(vector)
    query = list(vectors[0])
    return [_cosine(query, _VECTOR_CACHE[key(c)]) for c in citations]


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


def evaluate(library: Any, question: Question, citations: list[tuple[dict[str, Any], float]],
             idf: dict[str, float], unseen: float) -> list[Evidence]:
    """Evidence for each (citation, search score), ranked by support."""
    if not citations:
        return []
    sims = similarities(library, question.text, [c for c, _ in citations])
    evidence = []
    for (citation, score), sim in zip(citations, sims, strict=True):
        context = stems(f"{citation.get('section', '')} {citation.get('text', '')}")
        cov, _ = coverage(question.groups, context, idf, unseen)
        words = decisive_words(str(citation.get("text", "")), question.groups)
        evidence.append(Evidence(citation, score, cov, sim, words))
    return sorted(evidence, key=lambda e: e.support, reverse=True)


def retrieve(library: Any, text: str, k: int = SEARCH_K) -> Retrieval:
    """Search, then measure how each clause found supports the question."""
    question = analyse(text, catalog_for(library))
    idf, unseen = document_frequencies(library)
    hits = library.search(text, k=k)
    found = [(hit.citation, hit.score) for hit in hits]
    if question.comparison:
        have = {c.get("document") for c, _ in found}
        for document in question.documents:
            if document not in have:
                extra = library.search(text, k=3, filters={"document": document})
                found += [(hit.citation, hit.score) for hit in extra]
    return Retrieval(question, evaluate(library, question, found, idf, unseen))
