"""Clause alignment across resolutions: which clauses of parallel resolutions correspond.

Candidates are scored by meaning (the library's embeddings) and by wording (IDF-weighted word
overlap and word order, after body-specific terms are generalized so that "WTSAs" and "WRCs"
read alike), and constrained by the kind of section: preamble with preamble, operative parts by
the function of their heading (who is addressed: the Secretary-General or a Bureau Director, the
regional organizations, the Member States, the Council, the Union itself; under "resolves
further", the addressee the clause opens with: "to invite regional telecommunication
organizations ..."). Two clauses that only cite resolutions, different ones, never correspond.
Sub-items and indents are clauses like any other, so they can match whole clauses elsewhere.
"""

from __future__ import annotations

import functools
import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from statistics import mean
from typing import Any

import numpy as np

from assistant.caching import embed_cached
from assistant.errors import BadRequestError, NotFoundError
from assistant.index.model import ClauseLibrary
from assistant.text.terms import load_term_map
from ingest.model import Clause, Document, Section, citation

MATCH_THRESHOLD = 0.5  # lowest score of a counterpart
MAX_DOCUMENTS = 20  # documents aligned at once
NEAR_BEST = 0.04  # a second counterpart in the same document within this of the best
SAME_ROLE_BONUS = 0.05
OTHER_ROLE_PENALTY = 0.12
STOPWORDS = frozenset(
    {
        "a",
        "an",
        "and",
        "as",
        "at",
        "be",
        "been",
        "by",
        "for",
        "from",
        "has",
        "have",
        "in",
        "is",
        "it",
        "its",
        "of",
        "on",
        "or",
        "such",
        "that",
        "the",
        "their",
        "them",
        "these",
        "this",
        "those",
        "to",
        "which",
        "with",
        "will",
        "would",
        "should",
        "shall",
        "can",
        "may",
        "are",
        "was",
        "were",
        "all",
        "any",
    }
)
# Who an operative heading addresses, earliest mention wins.
ROLES = (
    ("executive", r"secretary-general|director|bureau"),
    ("council", r"\bcouncil\b"),
    ("organizations", r"organi[sz]ations|\brtos?\b"),
    ("members", r"member states|administrations|sector members|members"),
)


@dataclass
class ClauseRef:
    """A clause with its document and section, as alignment sees it."""

    document: Document
    section: Section
    clause: Clause
    position: int

    @property
    def id(self) -> str:
        return self.clause.id

    @property
    def role(self) -> str:
        return clause_role(self.section, self.clause.text)

    def citation(self) -> dict[str, Any]:
        return citation(self.document, self.section, self.clause)


def heading_role(section: Section) -> str:
    """The function of a heading: its preamble keyword, or the addressee of an operative part."""
    if section.kind != "operative":
        return section.keyword or section.kind
    heading = section.heading.lower()
    found = [(m.start(), role) for role, pattern in ROLES if (m := re.search(pattern, heading))]
    return min(found)[1] if found else "union"


# "resolves further: to invite regional telecommunication organizations to ...": the addressee
# is in the clause when the heading has none.
_ADDRESSED = re.compile(
    r"^\W*to\s+(?:invite|instruct|request|encourage|urge|ask|call\s+upon)\s+(?P<whom>(?:\S+\s+){0,8})",
    re.IGNORECASE,
)


def clause_role(section: Section, text: str) -> str:
    """The function of a clause: its heading's, or, under an operative heading that addresses
    no one ("resolves", "resolves further"), the addressee its text opens with."""
    role = heading_role(section)
    if role != "union":
        return role
    opening = _ADDRESSED.match(text)
    if opening is None:
        return role
    whom = opening["whom"].lower()
    found = [(m.start(), name) for name, pattern in ROLES if (m := re.search(pattern, whom))]
    return min(found)[1] if found else role


def compatibility(a: ClauseRef, b: ClauseRef) -> float | None:
    """Adjustment of the score for the kinds of the two sections; ``None``: never aligned."""
    kinds = {a.section.kind, b.section.kind}
    if kinds == {"preamble", "operative"}:
        return None
    if a.section.kind == "operative" and b.section.kind == "operative":
        return SAME_ROLE_BONUS if a.role == b.role else -OTHER_ROLE_PENALTY
    return SAME_ROLE_BONUS if a.section.keyword == b.section.keyword else 0.0


def clause_refs(document: Document) -> list[ClauseRef]:
    """Every clause of a document with its position."""
    return [ClauseRef(document, s, c, i) for i, (s, c) in enumerate(document.clauses())]


@functools.lru_cache(maxsize=65536)  # a pure function of the text: clauses are scored often
def _words(text: str, body: str) -> tuple[str, ...]:
    tokens = load_term_map().generalize(text, body, "PP")
    words = [t.key.lower() for t in tokens if t.key[0].isalnum()]
    return tuple(w[:-1] if w.endswith("s") and len(w) > 4 else w for w in words)


class Scorer:
    """Pairwise scores of clauses: embedding cosine and lexical similarity, with heading rules."""

    def __init__(
        self, refs: list[ClauseRef], library: ClauseLibrary | None, weight_dense: float = 0.5
    ) -> None:
        self.refs = refs
        self.index = {id(ref): i for i, ref in enumerate(refs)}
        self.words = [_words(r.clause.text, r.document.body) for r in refs]
        content = [[w for w in ws if w not in STOPWORDS] for ws in self.words]
        df = Counter(w for ws in content for w in set(ws))
        total = max(1, len(refs))
        self.bags = [_idf_bag(ws, df, total) for ws in content]
        self.vectors: np.ndarray | None = None  # one row per clause
        self.weight_dense = weight_dense
        if library is not None and refs:
            texts = [r.clause.full_text for r in refs]
            self.vectors = np.asarray(embed_cached(library, texts), dtype=np.float64)

    def lexical(self, i: int, j: int, floor: float = -math.inf) -> float:
        """Bag-of-words cosine and word-order ratio; when even the best order ratio the lengths
        allow keeps it under ``floor``, that bound (the exact ratio is not worth its cost)."""
        bag_a, bag_b = self.bags[i], self.bags[j]
        cosine = sum(v * bag_b.get(w, 0.0) for w, v in bag_a.items())
        a, b = self.words[i], self.words[j]
        bound = 2 * min(len(a), len(b)) / (len(a) + len(b)) if a or b else 1.0
        if 0.5 * cosine + 0.5 * bound < floor:
            return 0.5 * cosine + 0.5 * bound
        return 0.5 * cosine + 0.5 * SequenceMatcher(None, a, b, autojunk=False).ratio()

    def similarity(self, a: ClauseRef, b: ClauseRef, floor: float = -math.inf) -> float:
        """The pair's similarity; below ``floor`` it may be an upper bound, not the exact value."""
        i, j = self.index[id(a)], self.index[id(b)]
        if self.vectors is None:
            return self.lexical(i, j, floor)
        dense = float(self.vectors[i] @ self.vectors[j])
        lexical_weight = 1 - self.weight_dense
        rest = (floor - self.weight_dense * dense) / lexical_weight if lexical_weight else -math.inf
        return self.weight_dense * dense + lexical_weight * self.lexical(i, j, rest)

    def score(self, a: ClauseRef, b: ClauseRef, floor: float = -math.inf) -> float | None:
        """Similarity plus the heading rules (None: never counterparts); a score under
        ``floor`` may be an upper bound."""
        adjust = compatibility(a, b)
        if adjust is None or _other_resolutions(a.clause.text, b.clause.text):
            return None
        return self.similarity(a, b, floor - adjust) + adjust


# A clause that only cites a resolution: "Resolution 112 (Marrakesh, 2002) of the
# Plenipotentiary Conference;", "resolves 2 of Resolution 80 (...) of the Plenipotentiary
# Conference", "Resolution 25 (...) of the ..., on strengthening the ITU regional presence;".
_CITATION_ONLY = re.compile(
    r"^\W*(?:[a-z]+\s+\d+[a-z]?\)?\s+of\s+)?Resolutions?\s+(?P<number>\d+[A-Z]?)"
    r"(?:\s*\([^()]*\))?(?:\s+of\s+(?:the\s+)?(?:[A-Z][\w-]*\s*)+(?:\([A-Z-]+\))?)?"
    r"(?:,\s+on\s+.*)?[\s;,.:]*$",
    re.DOTALL,
)


@functools.lru_cache(maxsize=65536)
def cited_only(text: str) -> str | None:
    """The number of the resolution a clause cites when citing it is all the clause does, else
    None."""
    match = _CITATION_ONLY.match(text)
    return match["number"] if match else None


def _other_resolutions(a: str, b: str) -> bool:
    """Whether two clauses only cite resolutions, and not the same ones: a recalled resolution
    is a name, not wording another resolution's name can replace."""
    cited_a, cited_b = cited_only(a), cited_only(b)
    return cited_a is not None and cited_b is not None and cited_a != cited_b


def _idf_bag(words: list[str], df: Counter[str], total: int) -> dict[str, float]:
    counts = Counter(words)
    bag = {w: (1 + math.log(n)) * math.log(1 + total / df[w]) for w, n in counts.items()}
    norm = math.sqrt(sum(v * v for v in bag.values())) or 1.0
    return {w: v / norm for w, v in bag.items()}


@dataclass
class Group:
    """Corresponding clauses (one or more per document) and how well they correspond."""

    members: list[ClauseRef]
    score: float

    def to_json(self) -> dict[str, Any]:
        return {"clauses": [m.citation() for m in self.members], "score": round(self.score, 4)}


@dataclass
class Alignment:
    """Groups of corresponding clauses across documents, in the reading order of the first."""

    documents: list[Document]
    groups: list[Group] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "documents": [d.id for d in self.documents],
            "groups": [group.to_json() for group in self.groups],
        }


def best_counterparts(
    scorer: Scorer, ref: ClauseRef, candidates: list[ClauseRef], threshold: float = MATCH_THRESHOLD
) -> list[tuple[ClauseRef, float]]:
    """The best-scoring candidate at or above ``threshold`` (and any within NEAR_BEST of it)."""
    scored = [(c, s) for c in candidates if (s := scorer.score(ref, c, threshold)) is not None]
    scored = [(c, s) for c, s in scored if s >= threshold]
    if not scored:
        return []
    best = max(s for _, s in scored)
    return sorted([(c, s) for c, s in scored if s >= best - NEAR_BEST], key=lambda cs: -cs[1])


def counterparts(
    library: ClauseLibrary,
    ref: ClauseRef,
    documents: Sequence[str],
    threshold: float = MATCH_THRESHOLD,
) -> list[tuple[ClauseRef, float]]:
    """The best counterpart of ``ref`` in each of ``documents`` (at or above ``threshold``)."""
    pools = [clause_refs(library.document(d)) for d in documents if d != ref.document.id]
    scorer = Scorer([ref, *[other for pool in pools for other in pool]], library)
    found = []
    for pool in pools:
        best = best_counterparts(scorer, ref, pool, threshold)
        if best:
            found.append(best[0])
    return found


def clause_ref(library: ClauseLibrary, clause_id: str) -> ClauseRef:
    """The clause ``clause_id`` with its document and section."""
    document = library.document(clause_id.split("/", 1)[0])
    for ref in clause_refs(document):
        if ref.id == clause_id:
            return ref
    raise NotFoundError(f"clause {clause_id} is not in document {document.id}")


def align_documents(
    documents: list[Document], library: ClauseLibrary | None, threshold: float = MATCH_THRESHOLD
) -> Alignment:
    """Group the clauses of ``documents`` (the first one leads) by correspondence."""
    per_doc = [clause_refs(document) for document in documents]
    scorer = Scorer([ref for refs in per_doc for ref in refs], library)
    grouped: set[str] = set()
    groups: list[Group] = []
    for lead, refs in enumerate(per_doc):
        for ref in refs:
            if lead > 0 and ref.id in grouped:
                continue
            members, scores = [ref], []
            for other in per_doc[lead + 1 :]:
                pool = other if lead == 0 else [c for c in other if c.id not in grouped]
                for match, score in best_counterparts(scorer, ref, pool, threshold):
                    members.append(match)
                    scores.append(score)
            grouped.update(m.id for m in members)
            groups.append(Group(members, sum(scores) / len(scores) if scores else 0.0))
    return Alignment(documents, _ordered(groups, documents[0].id))


def mutual_groups(
    documents: list[Document], library: ClauseLibrary | None, threshold: float = MATCH_THRESHOLD
) -> list[Group]:
    """Clauses of ``documents`` joined where each is the other's best counterpart in its
    document, strongest pairs first, never two clauses of one document in a group; the others
    stay alone. Unlike :func:`align_documents`, no document leads: a clause cannot be taken by a
    weaker match of the first document before its twin elsewhere is seen."""
    per_doc = [clause_refs(document) for document in documents]
    scorer = Scorer([ref for refs in per_doc for ref in refs], library)
    home = {ref.id: k for k, refs in enumerate(per_doc) for ref in refs}
    best: dict[tuple[str, int], tuple[ClauseRef, float]] = {}
    for k, refs in enumerate(per_doc):
        for ref in refs:
            for j, pool in enumerate(per_doc):
                found = best_counterparts(scorer, ref, pool, threshold) if j != k else []
                if found:
                    best[(ref.id, j)] = found[0]
    pairs = []
    for (ref_id, _), (other, score) in best.items():
        back = best.get((other.id, home[ref_id]))
        if back is not None and back[0].id == ref_id and ref_id < other.id:
            pairs.append((score, back[0], other))
    group_of: dict[str, list[ClauseRef]] = {r.id: [r] for refs in per_doc for r in refs}
    scores: dict[int, list[float]] = {}
    for score, a, b in sorted(pairs, key=lambda p: -p[0]):
        first, second = group_of[a.id], group_of[b.id]
        if first is second or {home[m.id] for m in first} & {home[m.id] for m in second}:
            continue
        first.extend(second)
        scores.setdefault(id(first), []).extend([score, *scores.pop(id(second), [])])
        for member in second:
            group_of[member.id] = first
    unique = list({id(g): g for g in group_of.values()}.values())
    groups = [
        Group(sorted(g, key=lambda m: home[m.id]), mean(scores.get(id(g), [0.0]))) for g in unique
    ]
    return _ordered(groups, documents[0].id) if documents else []


def _ordered(groups: list[Group], lead_id: str) -> list[Group]:
    """Reading order of the first document; a group without a member of it comes after the
    group holding the clause just before its own first member."""
    keyed: list[tuple[float, int, Group]] = []
    for number, group in enumerate(groups):
        first = group.members[0]
        if first.document.id == lead_id:
            keyed.append((float(first.position), number, group))
            continue
        anchor = -0.5
        for other in groups:
            if other.members[0].document.id != lead_id:
                continue
            if any(
                m.document.id == first.document.id and m.position < first.position
                for m in other.members[1:]
            ):
                anchor = max(anchor, other.members[0].position + 0.5)
        keyed.append((anchor, number, group))
    return [group for *_, group in sorted(keyed, key=lambda item: item[:2])]


def align(
    library: ClauseLibrary, document_id: str, with_ids: Sequence[str] | None = None
) -> Alignment:
    """Align ``document_id`` with ``with_ids`` (default: every other resolution in the library)."""
    lead = library.document(document_id)
    if with_ids:
        ids = [i for i in dict.fromkeys(with_ids) if i != document_id]
    else:
        ids = [
            d["document"]
            for d in library.documents()
            if d["document"] != document_id and d.get("kind", "resolution") == "resolution"
        ]
    if not ids:
        raise BadRequestError(
            f"nothing to align {document_id} with: name other documents with --with"
        )
    if len(ids) > MAX_DOCUMENTS:
        raise BadRequestError(
            f"{len(ids)} documents to align {document_id} with; name at most "
            f"{MAX_DOCUMENTS} of them with --with"
        )
    return align_documents([lead, *[library.document(i) for i in ids]], library)
