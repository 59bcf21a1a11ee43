"""The resolver of clause references, in a person's words and inside the texts.

``resolve(text, catalog)`` turns "considering h) of the Doha draft", "WTSA 43 resolves to
instruct 1", "the second indent of instructs the Secretary-General 3" or "Res. 31 (Rev. Baku,
2025)" into document and clause ids. ``document_references(document, catalog)`` links the
cross-references inside a document's clauses ("as referred to in resolves 2 above",
"Resolution 25 (Rev. Bucharest, 2022)") and flags references to a revision older than the one
the corpus holds.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field, replace
from typing import Any

from assistant.text.catalog import Catalog, Cited, revision_year
from assistant.text.clause_refs import ClauseHit, match_clauses, paraphrase_hits, position_hits
from assistant.text.glossary import load_glossary
from assistant.text.mentions import Mention, all_mentions, explicit_mentions
from ingest.layout import OPERATIVE_KEYWORDS, PREAMBLE_KEYWORDS
from ingest.model import Document

_LINK_AFTER = re.compile(
    r"^['\"’”]?\s*,?\s*(?:of|in|from|under)\s+(?:the\s+)?(?:texts?\s+of\s+)?", re.IGNORECASE
)
_LINK_BEFORE = re.compile(r"^(?:\s*[’']s)?[\s,:'\"‘“]*$")
_AND = re.compile(r"^\s*(?:,|and|or|&|,\s*and)\s*(?:the\s+)?$", re.IGNORECASE)
_KEYWORDS = "|".join(
    sorted((re.escape(k) for k in PREAMBLE_KEYWORDS + OPERATIVE_KEYWORDS), key=len, reverse=True)
)
_EXTERNAL_CLAUSE = re.compile(
    rf"\b(?:{_KEYWORDS})\b[\w\s,'’-]{{0,80}}?\s\(?(?:\d{{1,3}}|[a-z]\))\s+of\s+$", re.IGNORECASE
)


@dataclass
class Reference:
    """A reference as written, and what it points to."""

    text: str
    start: int
    end: int
    kind: str  # "clause" | "section" | "document"
    status: str  # "resolved" | "ambiguous" | "external" | "not_found"
    document: str = ""  # the document pointed to, when resolved
    clause_ids: list[str] = field(default_factory=list)
    candidates: list[str] = field(default_factory=list)  # document ids when ambiguous
    cited: str = ""  # the resolution as cited: "Resolution 58 (Rev. Busan, 2014)"
    body: str = ""
    number: str = ""
    newer: str = ""  # id of a newer version the corpus holds
    source: str = ""  # clause id the reference was found in
    section: str = ""
    label: str = ""
    sub: str = ""

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


def resolve_mention(
    mention: Mention, catalog: Catalog, until: int = 0
) -> tuple[list[Document], str, str]:
    """(documents, status, newer id) for one mention; a bare series means its newest version.
    ``until``: the year of the citing text (a text cannot cite a later resolution)."""
    cited = mention.cited
    docs = catalog.matching(cited)
    if until:
        docs = [d for d in docs if not revision_year(d.revision) > until]
    newer = catalog.newer_than(cited.body or _series_body(cited, catalog), cited.number, cited.year)
    newer_id = newer.id if newer is not None and newer not in docs else ""
    if not docs:
        return [], ("external" if cited.number else "not_found"), newer_id
    if not (cited.place or cited.year):
        docs = catalog.newest(docs)
    if len(docs) > 1:
        return docs, "ambiguous", newer_id
    return docs, "resolved", newer_id


def _series_body(cited: Cited, catalog: Catalog) -> str:
    bodies = {d.body for d in catalog.documents if d.number == cited.number}
    return bodies.pop() if cited.number and len(bodies) == 1 else ""


def mention_reference(
    mention: Mention, catalog: Catalog, source: str = "", until: int = 0
) -> Reference:
    docs, status, newer = resolve_mention(mention, catalog, until)
    return Reference(
        text=mention.text,
        start=mention.start,
        end=mention.end,
        kind="document",
        status=status,
        document=docs[0].id if status == "resolved" else "",
        candidates=[d.id for d in docs] if status == "ambiguous" else [],
        cited=mention.text,
        body=mention.cited.body,
        number=mention.cited.number,
        newer=newer,
        source=source,
    )


def _bound_mentions(text: str, hit: ClauseHit, mentions: list[Mention]) -> list[Mention]:
    """Mentions tied to a clause reference: '<clause> of X (and Y)' or 'X <clause>'."""
    after = _LINK_AFTER.match(text[hit.end :])
    if after:
        position = hit.end + after.end()
        chain = [m for m in mentions if m.start == position]
        while chain:
            last = chain[-1]
            following = [
                m for m in mentions if m.start > last.end and _AND.match(text[last.end : m.start])
            ]
            if not following:
                break
            chain.append(following[0])
        if chain:
            return chain
    before = [
        m for m in mentions if m.end <= hit.start and _LINK_BEFORE.match(text[m.end : hit.start])
    ]
    while before:
        earlier = [
            m
            for m in mentions
            if m.end <= before[0].start and _AND.match(text[m.end : before[0].start])
        ]
        if not earlier:
            break
        before.insert(0, earlier[-1])
    return before


def resolve(
    text: str,
    catalog: Catalog,
    *,
    context: list[str] | None = None,
    exclude: list[str] | None = None,
    default_all: bool = True,
) -> list[Reference]:
    """Every reference in a person's message, clause references bound to the documents named.

    A clause reference not tied to a mention uses, in order: every document the message names
    (minus ``exclude``), the ``context`` documents (the conversation), then every document with
    that clause (newest version of each series) when ``default_all``.
    """
    mentions = all_mentions(text, catalog)
    resolved = {id(m): resolve_mention(m, catalog) for m in mentions}
    hits = _clause_hits(text, catalog, mentions)
    references: list[Reference] = []
    used: set[int] = set()
    free = [m for m in mentions if not any(h[0].start <= m.start < h[0].end for h in hits)]
    for group in hits:
        bound = _bound_mentions(text, group[0], free)
        used.update(id(m) for m in bound)
        start = min([group[0].start, *(m.start for m in bound if m.end <= group[0].start)])
        end = max([group[0].end, *(m.end for m in bound if m.start >= group[0].end)])
        wanted = _documents_for(bound, free, resolved, catalog, context, exclude, group)
        references.append(
            _clause_reference(text, group, wanted, start, end, catalog, default_all, exclude or [])
        )
    for mention in mentions:
        if id(mention) not in used:
            references.append(mention_reference(mention, catalog))
    return sorted(references, key=lambda r: r.start)


def _clause_hits(text: str, catalog: Catalog, mentions: list[Mention]) -> list[list[ClauseHit]]:
    """Clause hits over every document, grouped by the span they cover; paraphrases ("the BDT
    Director's instruction 6") only where no heading as printed names a clause."""
    exact = [
        hit
        for document in catalog.documents
        for hit in match_clauses(text, document, require_label=False)
    ]
    # "paragraph 3 of resolution 705", "its first paragraph": in the resolutions named only
    exact += position_hits(text, [(m.start, m.end, catalog.matching(m.cited)) for m in mentions])
    taken = [(h.start, h.end) for h in exact] + [(m.start, m.end) for m in mentions]
    loose = [
        hit
        for document in catalog.documents
        for hit in paraphrase_hits(text, document, _expansions(), taken)
    ]
    groups: list[list[ClauseHit]] = []
    for hit in exact + loose:
        for group in groups:
            if hit.start < group[0].end and group[0].start < hit.end:
                group.append(hit)
                break
        else:
            groups.append([hit])
    for group in groups:
        group.sort(key=lambda h: (-h.score[0], -(h.end - h.start)))
    return sorted(groups, key=lambda g: g[0].start)


def _expansions() -> dict[str, str]:
    """Acronym -> the words it stands for (all expansions), from the glossary."""
    return {e.term.upper(): " ".join(e.expansions) for e in load_glossary().entries}


def _documents_for(
    bound: list[Mention],
    free: list[Mention],
    resolved: dict[int, tuple[list[Document], str, str]],
    catalog: Catalog,
    context: list[str] | None,
    exclude: list[str] | None,
    group: list[ClauseHit],
) -> list[str] | None:
    if bound:
        return [d.id for m in bound for d in resolved[id(m)][0]]
    others = [d.id for m in free for d in resolved[id(m)][0] if d.id not in (exclude or [])]
    having = {h.document for h in group}
    if any(doc in having for doc in others):
        return others
    if context:
        return list(context)
    return None


def _clause_reference(
    text: str,
    group: list[ClauseHit],
    wanted: list[str] | None,
    start: int,
    end: int,
    catalog: Catalog,
    default_all: bool,
    exclude: list[str],
) -> Reference:
    if wanted is not None:
        hits = [h for h in group if h.document in wanted]
        best_of = {h.document: max(g.score for g in hits if g.document == h.document) for h in hits}
        hits = [h for h in hits if h.score == best_of[h.document]]
        status = "resolved" if hits else "not_found"
    else:
        newest = {d.id for d in catalog.newest([catalog.by_id[h.document] for h in group])}
        hits = (
            [h for h in group if h.document in newest and h.document not in exclude]
            if default_all
            else []
        )
        best = max((h.score for h in hits), default=(0, 0, 0))
        hits = [h for h in hits if h.score == best]
        status = "resolved" if len(hits) == 1 else ("ambiguous" if hits else "not_found")
    first = hits[0] if hits else group[0]
    return Reference(
        text=text[start:end],
        start=start,
        end=end,
        kind=first.kind,
        status=status,
        document=hits[0].document if len(hits) == 1 else "",
        clause_ids=[i for h in hits for i in h.clause_ids],
        candidates=[h.document for h in hits] if len(hits) > 1 else [],
        section=first.section,
        label=first.label,
        sub=first.sub,
    )


def document_references(document: Document, catalog: Catalog) -> list[Reference]:
    """Cross-references inside every clause of ``document``, in reading order (memoized on the
    catalog when the document is one of its own)."""
    key = ("references", document.id)
    if catalog.by_id.get(document.id) is document:
        if key not in catalog.memo:
            catalog.memo[key] = _document_references(document, catalog)
        return [replace(r, clause_ids=list(r.clause_ids)) for r in catalog.memo[key]]
    return _document_references(document, catalog)


def _document_references(document: Document, catalog: Catalog) -> list[Reference]:
    references: list[Reference] = []
    bodies: dict[tuple[str, str, int], str] = {}
    year = revision_year(document.revision)
    for _, clause in document.clauses():
        text = clause.full_text
        mentions = []
        for mention in explicit_mentions(text, catalog, own_body=document.body, in_text=True):
            key = (mention.cited.number, mention.cited.place, mention.cited.year)
            if not mention.cited.body:
                guess = {d.body for d in catalog.matching(mention.cited)}
                body = guess.pop() if len(guess) == 1 else bodies.get(key, "")
                if body:
                    mention = Mention(mention.start, mention.end, mention.text, Cited(body, *key))
            bodies.setdefault(key, mention.cited.body)
            mentions.append(mention)
        taken: list[tuple[int, int]] = []
        for mention in mentions:
            reference = mention_reference(mention, catalog, source=clause.id, until=year)
            external = _EXTERNAL_CLAUSE.search(text[: mention.start])
            if external:
                reference = _external_clause(text, external, mention, reference, catalog)
            taken.append((reference.start, reference.end))
            references.append(reference)
        for hit in match_clauses(text, document, require_label=True):
            if any(s < hit.end and hit.start < e for s, e in taken) or clause.id in hit.clause_ids:
                continue
            references.append(
                Reference(
                    text=text[hit.start : hit.end],
                    start=hit.start,
                    end=hit.end,
                    kind=hit.kind,
                    status="resolved",
                    document=document.id,
                    clause_ids=hit.clause_ids,
                    source=clause.id,
                    section=hit.section,
                    label=hit.label,
                    sub=hit.sub,
                )
            )
    return sorted(references, key=lambda r: (_order(document, r.source), r.start))


def _external_clause(
    text: str, match: re.Match[str], mention: Mention, reference: Reference, catalog: Catalog
) -> Reference:
    """'resolves 2 of Resolution 80 (...)': a clause of another resolution."""
    start = match.start()
    reference.kind, reference.start = "clause", start
    reference.text = text[start : reference.end]
    if reference.document:
        target = catalog.by_id[reference.document]
        hits = match_clauses(text[start : mention.start], target, require_label=True)
        if hits:
            reference.clause_ids = hits[0].clause_ids
            reference.section, reference.label = hits[0].section, hits[0].label
        else:
            reference.status = "not_found"
    return reference


def _order(document: Document, clause_id: str) -> int:
    for index, (_, clause) in enumerate(document.clauses()):
        if clause.id == clause_id:
            return index
    return 0
