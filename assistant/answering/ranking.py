"""The clauses found for a question, in the order the answerer weighs them.

Search ranks clauses by how well their words and meaning match the question; the answerer then
asks of each whether it answers (the ``answers`` support model, fitted on the training splits,
``evals/fit_support.py``). Ordering by that probability, with a small prior for the search's own
order, puts the clause that answers among the first three more often than search alone: on the
training splits, each scored by models fitted on the others, hit@3 0.881 (search) -> 0.901 (the
probability) -> 0.907 (with the prior), MRR 0.833 -> 0.852 (evals/README.md, the nineteenth round).
"""

from __future__ import annotations

from assistant.answering.evidence import SEARCH_K, Evidence, retrieve
from assistant.answering.support import SupportConfig
from assistant.index.model import ClauseLibrary

# Weight of 1 / (search rank) beside the support probability: 0 -> 0.02 -> 0.05 -> 0.1 -> 0.2
# gave hit@3 0.901, 0.904, 0.907, 0.906, 0.897 out of fold on the training splits.
SEARCH_PRIOR = 0.05


def ranked_evidence(
    library: ClauseLibrary, question: str, k: int = SEARCH_K, config: SupportConfig | None = None
) -> list[Evidence]:
    """The evidence :func:`retrieve` finds for ``question`` (at least ``k`` clauses searched),
    best first: by support plus :data:`SEARCH_PRIOR` / search rank (clauses the question names
    but search did not find get no prior)."""
    evidence = retrieve(library, question, k=max(k, SEARCH_K), config=config).evidence
    searched = sorted((e for e in evidence if e.score > 0), key=lambda e: -e.score)
    rank = {e.id: position for position, e in enumerate(searched, start=1)}
    return sorted(
        evidence,
        key=lambda e: -(e.support + (SEARCH_PRIOR / rank[e.id] if e.id in rank else 0.0)),
    )
