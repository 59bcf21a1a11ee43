"""From a question to evidence: retrieved clauses, how well each supports it, the decisive words.

Each retrieved clause gets signals (:func:`features`):

- *coverage*: the share of the question's ideas (IDF-weighted; an acronym counts as found when one
  of its glossary expansions is) in the clause text or its section heading; an idea not found
  word for word gets partial credit: the best cosine of its word with a word of the clause
  (the library's embedder, so "get-together" earns some credit from "meeting");
- *similarity*: cosine of the question with the clause, and with its closest segment (between
  semicolons and colons), with the library's embedder;
- a clause the question names (``considering e)``, ``the taking into account paragraph``);
- the search's own signals: dense cosine, BM25 score, the ranks of each retriever, the fused
  position, and their *agreement* (BM25 first and the embedder among its first ranks);
- *answer type*: whether the question asks for a kind of answer (a count, a date, a body, a
  place, a reference, an amount, a duration), whether the clause states one, and whether it
  states one the question does not already hold (*new*), and whether that one lies near the word
  asked about (*near*: "requests the Secretary-General to report" for "who is to report");
- *the named resolution*: whether the question names one or two resolutions and the clause is
  in one of them, or in another;
- *focus*: the share of the question's focus words (the topic of "what does X say about ...",
  else the first words asked about) that the clause holds;
- *operative*: whether the clause is in an operative section, not the preamble;
- *names absent*: the share of the question's names ("Afghanistan", "Lisbon" for Portugal) that
  the clause's whole text never uses (:mod:`assistant.text.names`).

The learned models of :mod:`assistant.answering.support` turn them into two probabilities (the
clause answers; the clause is on the subject) and its :class:`SupportConfig` thresholds into
``answered`` / ``partial`` / ``not_found``. An amount or a duration asked for must be stated
(checked, not learned), and so must a count or a date: one the question does not already hold.
A question that names resolutions by number is answered from their clauses only, and not at all
when their whole text uses less than the ``silent`` share of its ideas (:attr:`Retrieval.silent`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from assistant.answering.matching import (
    common_words,
    coverage,
    decisive_words,
    document_frequencies,
    document_theme,
    document_vocabulary,
    library_acronyms,
    partial_matches,
    similarities,
    uncovered_weight,
    uses_stem,
    with_acronyms,
    with_expansions,
    with_forms,
    with_referents,
)
from assistant.answering.support import SupportConfig, default_config
from assistant.caching import per_documents
from assistant.index.model import ClauseLibrary
from assistant.index.retrieval import adopted_on
from assistant.text.asked import Asked, any_new
from assistant.text.catalog import Catalog
from assistant.text.clause_refs import match_clauses, position_hits
from assistant.text.glossary import load_glossary
from assistant.text.names import absent_names, names_in, unknown_names
from assistant.text.question import (
    FRAME_WORDS,
    Question,
    analyse,
    catalog_for,
    content_words,
    focus_words,
    stems,
)
from assistant.text.roles import asked_role, speaks_of
from ingest.layout import heading_keyword, section_kind

AGREED_DENSE_RANK = 4  # "first" for the embedder: within its first ranks
SEARCH_K = 12
UNUSED_SHOWN = 3  # the rarest words of a question that a named resolution never uses, shown


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
    # states the checked kind asked, speaks of the role asked about, is of the resolution named
    states_answer: bool = True
    signals: dict[str, float] = field(default_factory=dict)  # search signals, answer type
    config: SupportConfig = field(default_factory=default_config, repr=False)

    @property
    def id(self) -> str:
        return str(self.citation["id"])

    @property
    def document(self) -> str:
        return str(self.citation.get("document", ""))

    @property
    def features(self) -> dict[str, float]:
        return features(self)

    @property
    def support(self) -> float:
        """The probability that the clause answers the question (the ``answers`` model): what
        evidence is ranked by and compared with ``config.answered``."""
        return self.config.answers.probability(self.features)

    @property
    def topicality(self) -> float:
        """The probability that the clause addresses the question's subject (``topic`` model)."""
        return self.config.topic.probability(self.features)

    @property
    def supports(self) -> bool:
        """Whether this clause, by itself, supports an answer to the question."""
        if not self.states_answer:
            return False
        return self.named or self.support >= self.config.answered


def features(evidence: Evidence) -> dict[str, float]:
    """The signals of :data:`assistant.answering.support.FEATURES` for one clause."""
    s = evidence.signals

    def inverse(value: float) -> float:
        return 1.0 / value if value >= 1 else 0.0

    asked = s.get("type_asked", 0.0)
    stated = s.get("type_stated", 0.0)
    return {
        "coverage": evidence.coverage,
        "similarity": evidence.similarity,
        "segment_similarity": evidence.segment_similarity,
        "named": float(evidence.named),
        "agreed": float(evidence.agreed),
        "dense": s.get("dense", 0.0),
        "bm25_share": s.get("bm25_share", 0.0),
        "dense_rank_inv": inverse(s.get("dense_rank", 0.0)),
        "bm25_rank_inv": inverse(s.get("bm25_rank", 0.0)),
        "position_inv": inverse(s.get("position", 0.0)),
        "type_asked": asked,
        "type_stated": asked * stated,
        "type_missing": asked * (1.0 - stated),
        "passage": 0.0 if evidence.citation.get("body") else 1.0,
        "uncovered": s.get("uncovered", 0.0),
        "coverage_best_gap": evidence.coverage - s.get("best_coverage", evidence.coverage),
        "similarity_best_gap": evidence.similarity - s.get("best_similarity", evidence.similarity),
        "type_new": asked * s.get("type_new", 0.0),
        "type_near": asked * s.get("type_near", 0.0),
        "named_document": s.get("named_document", 0.0),
        "other_document": s.get("other_document", 0.0),
        "focus": s.get("focus", 1.0),
        "names_absent": s.get("names_absent", 0.0),
        "operative": 1.0 if is_operative(evidence.citation) else 0.0,
        "dated_document": s.get("dated_document", 0.0),
        "dated_other": s.get("dated_other", 0.0),
        "after_event_other": s.get("after_event_other", 0.0),
    }


@dataclass
class Retrieval:
    """What retrieval found for one question, ranked by support."""

    question: Question
    evidence: list[Evidence] = field(default_factory=list)
    config: SupportConfig = field(default_factory=default_config, repr=False)
    # the share of the question's ideas, beyond the theme of the texts it names by number, that
    # those texts use anywhere (1 when it names none; unweighted: IDF over a small library of
    # like texts would let one rare word decide), and the rarest words they never use
    named_coverage: float = 1.0
    unused_words: list[str] = field(default_factory=list)
    unknown_names: list[str] = field(default_factory=list)  # names no text of the library uses

    @property
    def silent(self) -> bool:
        """The resolutions the question names by number never speak of most of what it asks
        ("What does resolution 687 say about a no-fly zone?"): no clause of theirs answers."""
        if self.named_coverage >= self.config.silent:
            return False
        return not any(  # unless a clause answers so well that the words it lacks do not matter
            e.states_answer and e.support >= self.config.overrule for e in self.evidence
        )

    @property
    def unheld(self) -> bool:
        """The question names resolutions by number, and the library holds none of them: no
        clause of another text answers for them."""
        return bool(self.question.absent) and not self.question.numbered_documents

    @property
    def supporting(self) -> list[Evidence]:
        if self.unheld or self.silent:
            return []
        return [e for e in self.evidence if e.supports]

    @property
    def on_topic(self) -> list[Evidence]:
        """With no supporting clause: those on the subject (``config.partial``), best first."""
        if self.supporting:
            return []
        if self.unheld:
            return []
        only = self.question.answering_documents
        found = [
            e
            for e in self.evidence
            if e.topicality >= self.config.partial and (not only or e.document in only)
        ]
        return sorted(found, key=lambda e: e.topicality, reverse=True)

    @property
    def uncertain(self) -> bool:
        """No clause supports the question, but the best one comes close enough for a chat
        model to judge (``config.consult``)."""
        return (
            not self.supporting
            and not self.unheld
            and not self.silent
            and any(e.support >= self.config.consult and e.states_answer for e in self.evidence)
        )

    @property
    def retrieved_ids(self) -> set[str]:
        return {e.id for e in self.evidence}


def is_operative(citation: dict[str, Any]) -> bool:
    """Whether the clause is in an operative section ("resolves", "decides", a UNSC resolution's
    numbered paragraphs), not in the preamble."""
    section = str(citation.get("section", ""))
    return section_kind(heading_keyword(section)) == "operative" or "operative" in section.lower()


def document_titles(library: ClauseLibrary) -> dict[str, str]:
    """Each document's title ("Resolution 215 (1965) of 5 November 1965"), by its id."""
    return per_documents(
        library,
        "titles",
        lambda summaries: {str(s["document"]): str(s.get("title", "")) for s in summaries},
    )


def focus_share(focus: list[set[str]], context: set[str]) -> float:
    """The share of the focus words (their stems) that ``context`` holds (1 with no focus)."""
    return sum(1 for f in focus if f <= context) / len(focus) if focus else 1.0


# A question that names more resolutions than this is not about one of them.
NAMED_AT_MOST = 2


def agreed(signals: dict[str, float]) -> bool:
    """Whether BM25 ranks the clause first and the embedder among its first ranks."""
    dense = signals.get("dense_rank", 0.0)
    return signals.get("bm25_rank", 0.0) == 1 and 1 <= dense <= AGREED_DENSE_RANK


def named_clauses(question: Question, catalog: Catalog, documents: list[str]) -> set[str]:
    """Ids of clauses the question names in ``documents``, or in the resolutions it names:
    by heading and label (``considering e)``) or by number or place (``paragraph 3``)."""
    named: set[str] = set()
    for document_id in question.documents[:8] or documents:
        document = catalog.by_id.get(document_id)
        if document is None:
            continue
        for hit in match_clauses(question.text, document, require_label=False):
            if hit.kind == "clause" or len(hit.clause_ids) == 1:
                named.update(hit.clause_ids)
    spans = [
        (m.start, m.end, [d for d in map(catalog.by_id.get, m.documents) if d])
        for m in question.mentions
    ]
    for hit in position_hits(question.text, spans):  # "paragraph 3 of resolution 705"
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
    signals: dict[str, dict[str, float]] | None = None,
    config: SupportConfig | None = None,
    unknown: list[str] | None = None,
) -> list[Evidence]:
    """Evidence for each (citation, search score), ranked by support. ``signals``: the search's
    signals by clause id (``dense``, ``bm25``, ``dense_rank``, ``bm25_rank``, ``position``);
    ``unknown``: the question's names no text uses (:func:`unknown_names`, computed if None)."""
    if not citations:
        return []
    config = config or default_config()
    # the question with its acronyms spelled out ("RPMs": regional preparatory meetings), as
    # the search's embedder saw it
    asked = load_glossary().expand(question.text)
    sims = similarities(library, asked, [c for c, _ in citations])
    acronyms = library_acronyms(library)
    # a clause's words, with the other forms of its verbs ("holding": "held") and the long
    # forms of its acronyms ("UNAVEM II": "Angola Verification Mission")
    contexts = [
        with_referents(
            str(c.get("text", "")),
            with_forms(
                with_acronyms(
                    with_expansions(stems(f"{c.get('section', '')} {c.get('text', '')}")), acronyms
                )
            ),
            library,
            str(c.get("document", "")),
        )
        for c, _ in citations
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
    searched = signals or {}
    best_bm25 = max((v.get("bm25", 0.0) for v in searched.values()), default=0.0)
    reading = Asked.read(question.text)
    kind = reading.kind
    common = common_words(library) if reading.name else frozenset()
    titles = document_titles(library)
    role = asked_role(question.text)
    unknown = unknown_names(question.text, idf) if unknown is None else unknown
    names = names_in(question.text, acronyms=True)
    only = question.answering_documents
    focus = [f for f in (stems(w) for w in focus_words(question.text)) if f]
    named_documents = set(question.documents) if len(question.documents) <= NAMED_AT_MOST else set()
    covered = [
        coverage(question.groups, context, idf, unseen, soft)
        for context, soft in zip(contexts, partial, strict=True)
    ]
    uncovered = [uncovered_weight(question.groups, context, idf, unseen) for context in contexts]
    best_coverage = max(covered)
    best_similarity = max(sim for sim, _ in sims)
    evidence = []
    for (citation, score), (sim, part), cov, gap, context in zip(
        citations, sims, covered, uncovered, contexts, strict=True
    ):
        full = str(citation.get("text", ""))
        text = decisive_words(full, question.groups)
        clause_id = str(citation["id"])
        own = dict(searched.get(clause_id, {}))
        own["bm25_share"] = own.get("bm25", 0.0) / best_bm25 if best_bm25 > 0 else 0.0
        own["type_asked"] = 1.0 if kind else 0.0
        adopted = adopted_on(titles.get(str(citation.get("document", "")), ""))
        spans = reading.spans(full, common, adopted)
        stated_new = bool(kind or reading.content) and any_new(spans, reading.stems)
        own["type_stated"] = 1.0 if spans else 0.0
        own["type_new"] = 1.0 if stated_new else 0.0
        own["type_near"] = 1.0 if stated_new and reading.near_anchor(full, spans) else 0.0
        in_named = str(citation.get("document", "")) in named_documents
        own["named_document"] = 1.0 if in_named else 0.0
        own["other_document"] = 1.0 if named_documents and not in_named else 0.0
        own["focus"] = focus_share(focus, context)
        vocabulary = document_vocabulary(library, str(citation.get("document", "")))
        absent = absent_names(names, vocabulary) if names else []
        own["names_absent"] = len(absent) / len(names) if names else 0.0
        own["uncovered"] = gap
        own["best_coverage"] = best_coverage
        own["best_similarity"] = best_similarity
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
                # the checked kinds (question.answer_type) are the asked kind, when checked; a
                # resolution named by number is answered by its own clauses only
                not unknown  # no clause speaks of a name that no text uses
                and (question.answer_type is None or stated_new)
                and (not (reading.state or reading.name or reading.content) or stated_new)
                and speaks_of(full, role)
                and (not only or str(citation.get("document", "")) in only),
                own,
                config,
            )
        )
    return sorted(evidence, key=lambda e: e.support, reverse=True)


def retrieve(
    library: ClauseLibrary,
    text: str,
    k: int = SEARCH_K,
    config: SupportConfig | None = None,
    filters: dict[str, str | list[str]] | None = None,
) -> Retrieval:
    """Search (within ``filters``: body, document), then measure how each clause found
    supports the question."""
    config = config or default_config()
    question = analyse(text, catalog_for(library))
    idf, unseen = document_frequencies(library)
    hits = library.search(text, k=k, filters=filters)
    found = [(hit.citation, hit.score) for hit in hits]
    signals: dict[str, dict[str, float]] = {}
    for position, hit in enumerate(hits, start=1):
        own = dict(getattr(hit, "signals", None) or {})
        # the rank before search's typed boost: the models weigh the stated kind themselves
        own["position"] = own.get("untyped_rank") or float(position)
        signals[hit.id] = own
    agreeing = {hit.id for hit in hits if agreed(getattr(hit, "signals", None) or {})}
    if question.comparison:
        have = {c.get("document") for c, _ in found}
        for document in question.documents:
            if document not in have:
                extra = library.search(text, k=3, filters={"document": document})
                found += [(hit.citation, hit.score) for hit in extra]
    catalog = catalog_for(library)
    documents = list(dict.fromkeys([*question.documents, *(c.get("document") for c, _ in found)]))
    named = named_clauses(question, catalog, [str(d) for d in documents][:8])
    have = {c["id"] for c, _ in found}
    for clause_id in sorted(named - have):
        found.append((library.clause(clause_id), 0.0))
    unique = list({str(c["id"]): (c, s) for c, s in reversed(found)}.values())[::-1]
    unknown = unknown_names(text, idf)
    evidence = evaluate(
        library, question, unique, idf, unseen, named, agreeing, signals, config, unknown
    )
    retrieval = Retrieval(question, evidence, config, unknown_names=unknown)
    if question.answering_documents:
        vocabulary = set().union(
            *(document_vocabulary(library, d) for d in question.answering_documents)
        )
        theme = set().union(*(document_theme(library, d) for d in question.answering_documents))
        # the ideas of the question beyond what the whole text is about and the words that ask
        ideas = [
            g
            for g in question.groups
            if g.word.lower() not in FRAME_WORDS and not any(a <= theme for a in g.alternatives)
        ]
        unused = [
            g
            for g in ideas
            if not any(all(uses_stem(s, vocabulary) for s in a) for a in g.alternatives)
        ]
        if ideas:
            retrieval.named_coverage = 1.0 - len(unused) / len(ideas)
        rarest = sorted(unused, key=lambda g: -min(idf.get(s, unseen) for s in g.alternatives[0]))
        retrieval.unused_words = [g.word for g in rarest[:UNUSED_SHOWN]]
    return retrieval
