"""Harmonized drafting: one merged wording from the counterparts of a clause, with provenance.

Deterministic, no model: find the clause's counterparts in the parallel resolutions (one per
resolution, see :mod:`assistant.align.alignment`), generalize body-specific terms for the target
body (the term map), merge the variants word by word around a base (the target body's own clause,
else the medoid) and keep, where they differ, the readings with the most support, phrase by phrase
(see :mod:`assistant.drafting.merge`; the opening words of the target body's own clause are kept, as
they fit the lead-in of its list). Every span lists the clauses it comes from; words that only the
term map supplies are marked with what they replace. With a ``chat_model``, the merged text is then
smoothed and checked against the sources (see :mod:`assistant.drafting.smooth`); ``smoothing`` in
the JSON says whether that was applied.
"""

from __future__ import annotations

from collections.abc import Sequence
from difflib import SequenceMatcher
from typing import Any

from assistant.align.alignment import (
    ClauseRef,
    Scorer,
    best_counterparts,
    clause_ref,
    clause_refs,
    counterparts,
)
from assistant.drafting.citation_update import CitationUpdater
from assistant.drafting.merge import Piece, Variant, merge
from assistant.drafting.model import Draft, Span
from assistant.drafting.smooth import smooth
from assistant.drafting.style import body_style
from assistant.errors import BadRequestError, NotFoundError
from assistant.index.model import ClauseLibrary
from assistant.text.catalog import revision_year
from assistant.text.question import catalog_for
from assistant.text.redline import diff_words, to_html, to_markdown
from assistant.text.terms import Token, load_term_map, name_words
from ingest.model import Clause, Section

BASE_WEIGHT = 2.0  # the target body's own clause counts for more than one other source
DRAFT_THRESHOLD = 0.6  # counterparts weaker than this are not merged in
MAX_DOCUMENTS = 20  # beyond this many resolutions, candidates come from a search
SEARCH_K = 50


def _newest_versions(refs: list[ClauseRef]) -> list[ClauseRef]:
    """One document per resolution (body and number): the newest revision."""
    newest: dict[tuple[str, str], ClauseRef] = {}
    for ref in refs:
        key = (ref.document.body, ref.document.number or ref.document.id)
        year = revision_year(ref.document.revision)
        if key not in newest or year > revision_year(newest[key].document.revision):
            newest[key] = ref
    kept = {id(ref) for ref in newest.values()}
    return [ref for ref in refs if id(ref) in kept]


def _seed(
    library: ClauseLibrary, clause_id: str | None, topic: str | None, excluded: set[str]
) -> ClauseRef:
    if clause_id:
        cited = library.clause(clause_id)
    elif topic:
        hits = [h for h in library.search(topic, k=10) if h.citation["document"] not in excluded]
        if not hits:
            raise NotFoundError(f"no clause matches the topic {topic!r}; try other words")
        cited = hits[0].citation
    else:
        raise BadRequestError("name a clause (--clause ID) or a topic (--topic TEXT) to draft from")
    return clause_ref(library, str(cited["id"]))


def _candidates(library: ClauseLibrary, seed: ClauseRef) -> list[str]:
    """Documents to look for counterparts in: every resolution of a small library; in a large
    one, the resolutions that the search finds for the clause's text."""
    resolutions = [
        d["document"] for d in library.documents() if d.get("kind", "resolution") == "resolution"
    ]
    if len(resolutions) <= MAX_DOCUMENTS:
        return resolutions
    hits = library.search(seed.clause.full_text, k=SEARCH_K)
    found = [h.citation["document"] for h in hits]
    return [d for d in dict.fromkeys(found) if d in set(resolutions)][:MAX_DOCUMENTS]


def draft(
    library: ClauseLibrary,
    *,
    clause_id: str | None = None,
    topic: str | None = None,
    for_body: str | None = None,
    with_documents: Sequence[str] | None = None,
    exclude_documents: Sequence[str] | None = None,
    chat_model: Any = None,
    against: str | None = None,
) -> Draft:
    """Propose one merged wording for the clause (or topic), for the resolution of ``for_body``;
    smoothed by ``chat_model`` when one is given and its wording passes the checks. The result
    carries its redline against its base, or against ``against`` (a clause id, or a document:
    its clause that corresponds best to the proposal)."""
    excluded = set(exclude_documents or ())
    seed = _seed(library, clause_id, topic, excluded)
    target = (for_body or seed.document.body).upper()
    candidates = _candidates(library, seed)
    names = list(with_documents) if with_documents else candidates
    names = [n for n in dict.fromkeys(names) if n not in excluded]
    found = counterparts(library, seed, names, DRAFT_THRESHOLD)
    refs = [ref for ref, _ in found]
    if seed.document.id not in excluded:
        refs.insert(0, seed)
    refs = _newest_versions(refs)
    if not refs:
        raise NotFoundError(f"no counterpart of {seed.id} outside the excluded documents")
    extra = getattr(getattr(library, "settings", None), "terms_file", None)
    # the target body's own texts (wording sources or not) break ties between the sources
    shown = [*candidates, *names, *(r.document.id for r in refs)]
    style = body_style(library, [d for d in shown if d not in excluded], target)
    own = [(r.document.body, r.document.number) for r in refs if r.document.body.upper() == target]
    in_library = [d for d in catalog_for(library).documents if d.id not in excluded]
    updater = CitationUpdater(in_library, keep=own)
    result = compose(refs, target, extra, seed=seed.id, style=style, updater=updater)
    if chat_model is not None:
        result = smooth(result, chat_model, extra_terms=extra)
    result.redline = redline(library, result, against)
    return result


def redline(
    library: ClauseLibrary, result: Draft, against: str | None = None
) -> dict[str, Any] | None:
    """The proposal against ``against`` (see :func:`base_for`), else against its base; ``None``
    when it has neither."""
    base = base_for(library, result, against) if against else result.base
    if base is None:
        return None
    edits = diff_words(str(base["text"]), result.text)
    return {
        "against": base,
        "markdown": to_markdown(edits),
        "html": to_html(edits),
        "changes": [edit.to_json() for edit in edits],
    }


def compose(
    refs: list[ClauseRef],
    target: str,
    extra_terms: Any = None,
    *,
    seed: str = "",
    style: frozenset[tuple[str, str]] = frozenset(),
    updater: CitationUpdater | None = None,
) -> Draft:
    """Merge the clauses ``refs`` into one wording for ``target`` (a body such as ``PP``);
    ties go to the wording of ``style`` (:func:`assistant.drafting.style.body_style`); with an
    ``updater``, cited resolutions are cited in their newest revision."""
    terms = load_term_map(extra_terms)
    updates = [
        updater.updates(r.clause.full_text, r.document.body) if updater else [] for r in refs
    ]
    tokens = [
        terms.generalize(r.clause.full_text, r.document.body, target, [u.edit for u in ups])
        for r, ups in zip(refs, updates, strict=True)
    ]
    base = _base_index(refs, tokens, target)
    own = refs[base].document.body.upper() == target
    variants = [
        Variant(r.id, t, BASE_WEIGHT if k == base and own else 1.0)
        for k, (r, t) in enumerate(zip(refs, tokens, strict=True))
    ]
    pieces = merge(
        variants,
        base,
        keep_opening=own,
        specific=terms.specific_to_one_sector(target),
        style=style,
        named=name_words(target),
    )
    spans = _spans(pieces)
    text = "".join(span.text for span in spans).strip()
    used = {(o, span.text.strip()) for span in spans if span.updated for o in span.generalized}
    applied = {(u.old, u.new): u for ups in updates for u in ups if (u.old, u.new) in used}
    return Draft(
        text,
        spans,
        [r.citation() for r in refs],
        refs[base].citation(),
        target,
        seed or refs[0].id,
        updated_citations=list(applied.values()),
    )


def spans_of(tokens: list[Token], sources: list[str]) -> list[Span]:
    """The spans of one source's tokens (a clause kept as it is, or with updated citations)."""
    return _spans([Piece(tokens, sources, True)])


def _base_index(refs: list[ClauseRef], tokens: list[list[Token]], target: str) -> int:
    """The clause of the target body if there is one, else the medoid of the variants (the
    first, i.e. the clause asked about, among equally central ones)."""
    for k, ref in enumerate(refs):
        if ref.document.body.upper() == target:
            return k
    keys = [[t.key.lower() for t in ts] for ts in tokens]

    def rank(k: int) -> tuple[float, int]:
        centrality = sum(
            SequenceMatcher(None, keys[k], other, autojunk=False).ratio()
            for j, other in enumerate(keys)
            if j != k
        )
        return (round(centrality, 3), -k)

    return max(range(len(refs)), key=rank)


def _spans(pieces: list[Piece]) -> list[Span]:
    """Runs of tokens with the same sources and the same term-map origin."""
    spans: list[Span] = []
    owners: list[int] = []  # the piece each span began in
    first = True
    for number, piece in enumerate(pieces):
        if not piece.tokens:  # nothing chosen where another source has words: an empty span
            spans.append(Span("", list(piece.sources), [], piece.alternatives))
            owners.append(number)
            continue
        for token in piece.tokens:
            origin = [token.origin] if token.origin else []
            text = ("" if first else token.space) + token.text
            first = False
            last = spans[-1] if spans else None
            # a piece with other readings is a span of its own (its alternatives are its own)
            alone = bool(piece.alternatives or (last and last.alternatives))
            if (
                last
                and (owners[-1] == number or not alone)
                and last.sources == piece.sources
                and bool(last.generalized) == bool(origin)
                and (not origin or last.generalized[-1] == origin[0])
                and last.updated == token.updated
            ):
                last.text += text
            else:
                mine = [] if owners and owners[-1] == number else piece.alternatives
                spans.append(Span(text, list(piece.sources), origin, mine, token.updated))
                owners.append(number)
    return spans


def base_for(library: ClauseLibrary, result: Draft, against: str) -> dict[str, Any]:
    """The citation of the text to redline ``result`` against: a clause id, or a document (id
    or name), in which case its clause that corresponds best to the proposal."""
    if "/" in against:
        return dict(library.clause(against))
    document = library.document(library.resolve_document(against))
    refs = clause_refs(document)
    if not refs:
        raise NotFoundError(f"{document.id} has no clauses to redline against")
    proposal = ClauseRef(document, Section("", "passages", "", ""), _as_clause(result), -1)
    scorer = Scorer([proposal, *refs], library)
    best = best_counterparts(scorer, proposal, refs, threshold=0.0)
    if not best:
        raise NotFoundError(f"no clause of {document.id} corresponds to the proposal")
    return best[0][0].citation()


def _as_clause(result: Draft) -> Clause:
    return Clause(id="proposal", label="", sub="", text=result.text)
