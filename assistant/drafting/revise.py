"""A whole resolution revised with the wording of its parallel resolutions, with provenance.

For every clause of the base document, its counterparts in the other resolutions (one per
resolution, the alignment scorer, as :func:`assistant.drafting.draft.draft` finds them) are merged
into one wording by :func:`assistant.drafting.draft.compose`, the base clause first so that it stays
the base when drafting for the base's own body. Clauses of the others that no base clause took in
but that at least two of them share (each the other's best counterpart among themselves:
:func:`assistant.align.alignment.mutual_groups`) are proposed as added clauses, merged the same way,
and placed by :mod:`assistant.drafting.place` (after the base clause that took in the clause before
them, in a section whose heading has the same function, else in a new section). Base clauses without
counterparts are kept as they are, except that every cited resolution is cited in the newest
revision in force the library holds (:mod:`assistant.drafting.citation_update`; never the base
resolution itself). The result is a :class:`~ingest.model.Document`, so the comparison redline
(Markdown, Word) applies to it: see :mod:`assistant.word.revision_output`.
"""

from __future__ import annotations

import dataclasses
import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from assistant.align.alignment import (
    ClauseRef,
    Scorer,
    best_counterparts,
    clause_refs,
    heading_role,
)
from assistant.drafting.citation_update import CitationUpdate, CitationUpdater
from assistant.drafting.draft import (
    DRAFT_THRESHOLD,
    MAX_DOCUMENTS,
    SEARCH_K,
    Span,
    compose,
    spans_of,
)
from assistant.drafting.labels import relabel
from assistant.drafting.place import Out, place_added
from assistant.drafting.punctuation import punctuate
from assistant.drafting.style import word_pairs
from assistant.errors import BadRequestError
from assistant.index.model import ClauseLibrary
from assistant.text.catalog import revision_year
from assistant.text.question import catalog_for
from assistant.text.terms import detokenize, load_term_map
from ingest.model import Clause, Document, Section, slugify

# A resolution found for the user (not named with ``with``) is used only if it has counterparts
# for this share of the base's clauses (and at least MIN_PARALLEL): the Sector texts parallel to
# PP Res. 58 have them for 9-14 of its 34 clauses; the 17 UN Security Council resolutions a
# search also finds in a mixed library, for none.
PARALLEL_SHARE = 0.1
MIN_PARALLEL = 2


@dataclass(eq=False)
class Entry:
    """One clause of the proposal: what happened to it, its spans and where it comes from."""

    status: str  # kept | revised | added
    clause: Clause
    base: ClauseRef | None
    spans: list[Span]
    sources: list[str]
    section: Section | None = None  # set when the proposal document is built

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.clause.id,
            "label": self.clause.label,
            "sub": self.clause.sub,
            "section": self.section.heading if self.section else "",
            "status": self.status,
            "text": self.clause.text,
            "footnotes": self.clause.footnotes,
            "base": self.base.id if self.base else None,
            "spans": [span.to_json() for span in self.spans],
            "sources": self.sources,
        }


@dataclass
class Revision:
    """The base document, the proposed revision of it (a Document) and each clause's record."""

    base: Document
    document: Document
    entries: list[Entry]
    target_body: str
    with_documents: list[str]
    excluded: list[str] = field(default_factory=list)
    citations: dict[str, str] = field(default_factory=dict)  # each source id: how it is cited
    updated_citations: list[CitationUpdate] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        counts = dict.fromkeys(("kept", "revised", "added"), 0)
        for entry in self.entries:
            counts[entry.status] += 1
        counts["clauses"] = len(self.entries)
        return counts

    def to_json(self) -> dict[str, Any]:
        return {
            "document": self.base.id,
            "for": self.target_body,
            "with": self.with_documents,
            "excluded": self.excluded,
            "clauses": [entry.to_json() for entry in self.entries],
            "counts": self.counts(),
            "citations": self.citations,
            "updated_citations": [u.to_json() for u in self.updated_citations],
        }


def _newest(documents: list[Document]) -> list[Document]:
    """One document per resolution (body and number): its newest revision."""
    newest: dict[tuple[str, str], Document] = {}
    for doc in documents:
        key = (doc.body, doc.number or doc.id)
        if key not in newest or revision_year(doc.revision) > revision_year(newest[key].revision):
            newest[key] = doc
    return [d for d in documents if newest[(d.body, d.number or d.id)] is d]


def _others(
    library: ClauseLibrary, base: Document, named: Sequence[str] | None, excluded: set[str]
) -> list[Document]:
    """The resolutions to take wording from: those named, else every other resolution of the
    library except other versions of the base itself (in a large library, the ones whose
    clauses are most often among the nearest to the base's clauses: one batched dense query,
    :meth:`assistant.index.library.Library.nearest`); the newest version of each."""
    if named:
        ids = [i for i in dict.fromkeys(named) if i != base.id and i not in excluded]
        return _newest([library.document(i) for i in ids])
    allowed = {
        d["document"]
        for d in library.documents()
        if d.get("kind", "resolution") == "resolution"
        and d["document"] not in excluded | {base.id}
        and (not base.number or (d.get("body"), d.get("number")) != (base.body, base.number))
    }
    ids = sorted(allowed)
    if len(ids) > MAX_DOCUMENTS:
        found: Counter[str] = Counter()
        texts = [clause.full_text for _, clause in base.clauses()]
        for nearest in library.nearest(texts, SEARCH_K):
            found.update({clause_id.split("/", 1)[0] for clause_id in nearest} & allowed)
        ranked = sorted(found.items(), key=lambda item: (-item[1], item[0]))  # ties: by id
        ids = [i for i, _ in ranked[:MAX_DOCUMENTS]]
    return _newest([library.document(i) for i in ids])


def _plain(ref: ClauseRef) -> ClauseRef:
    """The clause without its footnotes (merged as wording; the notes are carried over)."""
    return dataclasses.replace(ref, clause=dataclasses.replace(ref.clause, footnotes=[]))


@dataclass
class _Merging:
    """What every merge of one revision shares: the target, terms, style and citation updates."""

    target: str
    extra: Any
    style: frozenset[tuple[str, str]]
    updater: CitationUpdater
    updated: dict[tuple[str, str], CitationUpdate] = field(default_factory=dict)

    def merged(self, refs: list[ClauseRef]) -> tuple[str, list[Span], list[str]]:
        plain = [_plain(r) for r in refs]
        result = compose(
            plain, self.target, self.extra, seed=refs[0].id, style=self.style, updater=self.updater
        )
        self.updated.update({(u.old, u.new): u for u in result.updated_citations})
        sources = list(dict.fromkeys(s for span in result.spans for s in span.sources))
        return result.text, result.spans, sources

    def kept(self, ref: ClauseRef) -> tuple[str, list[Span]]:
        """A clause without counterparts: as it is, its citations of resolutions updated."""
        updates = self.updater.updates(ref.clause.text, ref.document.body)
        if not updates:
            return ref.clause.text, [Span(ref.clause.text, [ref.id])]
        self.updated.update({(u.old, u.new): u for u in updates})
        edits = [u.edit for u in updates]
        tokens = load_term_map(self.extra).generalize(ref.clause.text, ref.document.body, "", edits)
        return detokenize(tokens), spans_of(tokens, [ref.id])


def _revised(ref: ClauseRef, found: list[ClauseRef], merging: _Merging) -> Entry:
    """A base clause merged with its counterparts (kept as it is when it has none)."""
    clause = dataclasses.replace(ref.clause, footnotes=list(ref.clause.footnotes), changes=[])
    if found:
        text, spans, sources = merging.merged([ref, *found])
    else:
        (text, spans), sources = merging.kept(ref), [ref.id]
    status = "kept" if text == ref.clause.text else "revised"
    return Entry(status, dataclasses.replace(clause, text=text), ref, spans, sources)


def _added(members: list[ClauseRef], number: int, base: Document, merging: _Merging) -> Entry:
    text, spans, sources = merging.merged(members)
    notes = next((m.clause.footnotes for m in members if m.clause.footnotes), [])
    clause = Clause(f"{base.id}/added-{number}", "", "", text, footnotes=list(notes))
    return Entry("added", clause, None, spans, sources)


def revise(
    library: ClauseLibrary,
    document_id: str,
    *,
    for_body: str | None = None,
    with_documents: Sequence[str] | None = None,
    exclude_documents: Sequence[str] | None = None,
) -> Revision:
    """Revise ``document_id`` clause by clause with the wording of the other resolutions, for
    the resolution of ``for_body`` (default: the base's own body)."""
    excluded = set(exclude_documents or ())
    if document_id in excluded:
        raise BadRequestError(f"{document_id} is the document to revise: it cannot be excluded")
    base = library.document(document_id)
    if base.kind != "resolution" or not base.sections:
        raise BadRequestError(f"{document_id} is not a resolution with clauses; nothing to revise")
    target = (for_body or base.body).upper()
    others = _others(library, base, with_documents, excluded)
    if not others:
        raise BadRequestError(
            f"no other resolution to revise {document_id} with: name some with --with"
        )
    if len(others) > MAX_DOCUMENTS:
        raise BadRequestError(
            f"{len(others)} resolutions: name at most {MAX_DOCUMENTS} with --with"
        )
    extra = getattr(getattr(library, "settings", None), "terms_file", None)
    base_refs = clause_refs(base)
    pools, best = _counterparts(library, base_refs, others)
    if not with_documents:  # chosen for the user: only texts parallel to the base
        parallel = _parallel(best, len(others))
        if not parallel:
            need = _needed(len(base_refs))
            raise BadRequestError(
                f"no resolution in the library shares enough clauses with {document_id} (at "
                f"least {need} of its {len(base_refs)}) to revise it with; name some with --with"
            )
        if len(parallel) < len(others):  # scored again among themselves, in the order of ids:
            others = sorted((others[k] for k in parallel), key=lambda d: d.id)  # as if alone
            pools, best = _counterparts(library, base_refs, others)
    style = word_pairs(d for d in [base, *others] if d.body.upper() == target)
    in_library = [d for d in catalog_for(library).documents if d.id not in excluded]
    updater = CitationUpdater(in_library, keep=[(base.body, base.number)])
    merging = _Merging(target, extra, style, updater)
    outs = [Out(s.heading, s.kind, s.keyword, [], heading_role(s)) for s in base.sections]
    out_of = {id(s): out for s, out in zip(base.sections, outs, strict=True)}
    used: set[str] = set()
    for ref, row in zip(base_refs, best, strict=True):
        found = [match for match in row if match is not None]
        entry = _revised(ref, found, merging)
        used.update(entry.sources)
        out_of[id(ref.section)].entries.append(entry)
    place_added(
        library,
        others,
        outs,
        base,
        lambda members, number: _added(members, number, base, merging),
        used,
        lambda member: _heading(member, target, extra),
    )
    revision = _build(base, outs, target, [d.id for d in others], sorted(excluded))
    revision.updated_citations = list(merging.updated.values())
    cited = {ref.id: ref for ref in [*base_refs, *(r for pool in pools for r in pool)]}
    sources = {s for entry in revision.entries for s in entry.sources}
    revision.citations = {
        i: str(cited[i].citation()["citation"]) for i in sorted(sources & set(cited))
    }
    return revision


def _counterparts(
    library: ClauseLibrary, base_refs: list[ClauseRef], others: list[Document]
) -> tuple[list[list[ClauseRef]], list[list[ClauseRef | None]]]:
    """The clauses of each other document, and each base clause's counterpart in each."""
    pools = [clause_refs(doc) for doc in others]
    scorer = Scorer([*base_refs, *(r for pool in pools for r in pool)], library)
    best = [
        [b[0][0] if (b := best_counterparts(scorer, ref, pool, DRAFT_THRESHOLD)) else None
         for pool in pools]
        for ref in base_refs
    ]  # fmt: skip
    return pools, best


def _needed(clauses: int) -> int:
    """How many of the base's clauses a resolution must have counterparts for to be used."""
    return max(MIN_PARALLEL, math.ceil(PARALLEL_SHARE * clauses))


def _parallel(best: list[list[ClauseRef | None]], documents: int) -> list[int]:
    """The documents (indices) with counterparts for enough of the base's clauses: the parallel
    texts, not those a search found for a few shared phrases."""
    need = _needed(len(best))
    return [k for k in range(documents) if sum(row[k] is not None for row in best) >= need]


def _heading(member: ClauseRef, target: str, extra: Any) -> str:
    """The heading of a new section: the member's, generalized for the target body."""
    heading = member.section.heading
    tokens = load_term_map(extra).generalize(heading, member.document.body, target)
    return "".join(t.space + t.text for t in tokens).strip() or heading


def _build(
    base: Document, outs: list[Out], target: str, others: list[str], excluded: list[str]
) -> Revision:
    sections: list[Section] = []
    entries: list[Entry] = []
    punctuate([(out.kind, out.entries) for out in outs], base)
    for out in outs:
        relabel(out.entries, out.kind, new=out.new)
        section = Section(out.heading, out.kind, out.keyword, slugify(out.heading, 8))
        for entry in out.entries:
            section.clauses.append(entry.clause)
            entry.section = section
            entries.append(entry)
        if section.clauses:
            sections.append(section)
    document = dataclasses.replace(base, id=f"{base.id}-revised", status="draft", sections=sections)
    return Revision(base, document, entries, target, others, excluded)
