"""The wording habits of a body's texts: the pairs of words they use.

When the sources of a draft are evenly split (one source per reading), the merge follows the source
whose word pairs the target body's own resolutions use most
(:data:`assistant.drafting.merge.STYLE_WEIGHT`), the way a drafter matches the style of the text
being revised.
"""

from __future__ import annotations

from collections.abc import Iterable
from itertools import pairwise

from assistant.index.model import ClauseLibrary
from assistant.text.terms import tokenize
from ingest.model import Document


def word_pairs(documents: Iterable[Document]) -> frozenset[tuple[str, str]]:
    """Adjacent word pairs (lower case, hyphens folded) of every clause of ``documents``."""
    pairs: set[tuple[str, str]] = set()
    for document in documents:
        for _, clause in document.clauses():
            keys = [token.key.lower() for token in tokenize(clause.full_text)]
            pairs.update(pairwise(keys))
    return frozenset(pairs)


def body_style(
    library: ClauseLibrary, document_ids: Iterable[str], body: str
) -> frozenset[tuple[str, str]]:
    """The word pairs of those of ``document_ids`` that are resolutions of ``body``."""
    documents = [library.document(d) for d in dict.fromkeys(document_ids)]
    return word_pairs(
        d for d in documents if d.kind == "resolution" and d.body.upper() == body.upper()
    )
