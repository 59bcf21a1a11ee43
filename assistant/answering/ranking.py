"""The clauses found for a question, in the order the answerer weighs them.

Search ranks clauses by how well their words and meaning match the question; the answerer then
asks of each whether it answers (the ``answers`` support model, fitted on the training splits,
``evals/fit_support.py``). Ordering by that probability, with a small prior for the search's own
order, puts the clause that answers among the first three more often than search alone: on the
training splits, each scored by models fitted on the others, hit@3 0.881 (search) -> 0.901 (the
probability) -> 0.907 (with the prior), MRR 0.833 -> 0.852 (evals/ROUNDS.md, the nineteenth round).
"""

from __future__ import annotations

from typing import Any, Literal, get_args

from assistant.answering.evidence import SEARCH_K, Evidence, retrieve
from assistant.answering.support import SupportConfig
from assistant.index.model import ClauseLibrary

# Weight of 1 / (search rank) beside the support probability: 0 -> 0.02 -> 0.05 -> 0.1 -> 0.2
# gave hit@3 0.901, 0.904, 0.907, 0.906, 0.897 out of fold on the training splits.
SEARCH_PRIOR = 0.05
# The orders ``resolutions search --order`` and ``GET /search?order=`` offer.
Order = Literal["search", "answerer"]
ORDERS: tuple[Order, ...] = get_args(Order)


def ranked_evidence(
    library: ClauseLibrary,
    question: str,
    k: int = SEARCH_K,
    config: SupportConfig | None = None,
    filters: dict[str, str | list[str]] | None = None,
) -> list[Evidence]:
    """The evidence :func:`retrieve` finds for ``question`` (at least ``k`` clauses searched),
    best first: by support plus :data:`SEARCH_PRIOR` / search rank (clauses the question names
    but search did not find get no prior; with ``filters``, only the clauses search found
    within them are kept)."""
    found = retrieve(library, question, max(k, SEARCH_K), config, filters).evidence
    evidence = [e for e in found if e.score > 0] if filters else found
    searched = sorted((e for e in evidence if e.score > 0), key=lambda e: -e.score)
    rank = {e.id: position for position, e in enumerate(searched, start=1)}
    return sorted(
        evidence,
        key=lambda e: -(e.support + (SEARCH_PRIOR / rank[e.id] if e.id in rank else 0.0)),
    )


def search_ordered(
    library: ClauseLibrary,
    query: str,
    k: int,
    filters: dict[str, str | list[str]] | None = None,
    order: Order = "search",
) -> list[dict[str, Any]]:
    """The ``k`` best clauses for ``query`` as citation objects with ``score`` (the search's),
    in search's order or the answerer's (:func:`ranked_evidence`; each then carries the
    ``support`` probability it was ordered by)."""
    if order == "search":
        return [hit.to_json() for hit in library.search(query, k, filters)]
    ranked = ranked_evidence(library, query, k, filters=filters)[:k]
    return [
        {**e.citation, "score": round(e.score, 6), "support": round(e.support, 4)} for e in ranked
    ]
