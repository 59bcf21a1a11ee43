"""Whole-resolution revision against a human revision (the gold: a draft of a new version).

For every draft resolution of the corpus whose in-force version is also there (PP-58 Busan 2014 ->
the Doha 2026 draft), ``assistant.drafting.revise`` revises the in-force version for the draft's
body, with the draft and the seed contribution excluded (they hold the answer). Measured the same
way for the proposal and for the baseline "in-force version unchanged":

- ``chrf``: chrF of the whole text (section headings and clause texts, in order) against the
  whole text of the draft;
- ``clauses_matched`` / ``clauses_unchanged``: the share of the draft's clauses that the
  comparison (``assistant.align.compare``, proposal -> draft) pairs with a clause of the proposal,
  and that it finds word for word; ``proposed_clauses_matched``: the share of the proposal's clauses
  paired with one of the draft (so that proposing more clauses is not free);
- ``provenance_coverage`` (assistant only): the share of the proposal's text whose spans name a
  clause of an allowed document.
"""

from __future__ import annotations

from statistics import mean
from typing import Any

from evals.context import EvalContext, FamilyResult, NotAvailable, optional_function
from evals.corpus import SEED_FILE
from evals.metrics import Span, chrf, provenance_coverage, ratio
from ingest.model import Document


def whole_text(document: Document) -> str:
    """Section headings and clause texts in reading order, one per line."""
    lines: list[str] = []
    for section in document.sections:
        lines.append(section.heading)
        lines.extend(clause.full_text for clause in section.clauses)
    return "\n".join(lines)


def pairs(context: EvalContext) -> list[tuple[Document, Document]]:
    """(in-force version, draft version) of each resolution that has both in the corpus."""
    documents = context.corpus.documents
    found = []
    for gold in documents:
        if gold.kind != "resolution" or gold.status != "draft" or not gold.number:
            continue
        bases = [
            d
            for d in documents
            if d.kind == "resolution"
            and d.status != "draft"
            and (d.body, d.number) == (gold.body, gold.number)
        ]
        if bases:
            found.append((bases[-1], gold))
    return found


def matched(comparison: Any, total_proposed: int) -> dict[str, Any]:
    """How the gold's clauses pair with the proposal's (``comparison``: proposal -> gold)."""
    statuses = [c.status for c in comparison.changes if c.new is not None]
    paired = sum(1 for s in statuses if s != "added")
    removed = sum(1 for c in comparison.changes if c.new is None)
    return {
        "clauses_matched": ratio(paired, len(statuses)),
        "clauses_unchanged": ratio(statuses.count("unchanged"), len(statuses)),
        "proposed_clauses_matched": ratio(total_proposed - removed, total_proposed),
        "gold_clauses": len(statuses),
        "matched": paired,
        "unchanged": statuses.count("unchanged"),
        "proposed_clauses": total_proposed,
    }


def run(context: EvalContext) -> FamilyResult:
    revise = optional_function("assistant.drafting.revise", "revise")
    compare_documents = optional_function("assistant.align.compare", "compare_documents")
    cases = pairs(context)
    if not cases:
        raise NotAvailable("no draft resolution with its in-force version in the corpus")
    library = context.need_library()
    seed_docs = {
        d for d, path in context.corpus.files.items() if path.resolve() == SEED_FILE.resolve()
    }
    result = FamilyResult("revision")
    rows: list[dict[str, Any]] = []
    for base, gold in cases:
        excluded = sorted({gold.id} | seed_docs)
        allowed = {i for i in context.corpus.ids if i.split("/", 1)[0] not in excluded}
        revision = revise(library, base.id, for_body=gold.body, exclude_documents=excluded)
        gold_text = whole_text(gold)
        spans = [Span(s.text, list(s.sources)) for e in revision.entries for s in e.spans]
        used = {i.split("/", 1)[0] for e in revision.entries for i in e.sources}
        row: dict[str, Any] = {"id": base.id, "gold": gold.id, "excluded": excluded}
        for name, document in (("assistant", revision.document), ("base_unchanged", base)):
            comparison = compare_documents(document, gold, library)
            row[name] = {
                "chrf": chrf(whole_text(document), gold_text),
                **matched(comparison, len(document.clauses())),
            }
            if name == "assistant":
                added = {e.clause.id for e in revision.entries if e.status == "added"}
                kept = [c for c in comparison.changes if c.old and c.old.id in added and c.new]
                row[name]["added"] = len(added)
                row[name]["added_matched"] = len(kept)
        row["assistant"]["provenance_coverage"] = provenance_coverage(spans, allowed)
        row["counts"] = revision.counts()
        row["leaks"] = sorted(used & set(excluded))
        rows.append(row)
    metric_names = (
        "chrf",
        "clauses_matched",
        "clauses_unchanged",
        "proposed_clauses_matched",
        "provenance_coverage",
    )
    for system in ("assistant", "base_unchanged"):
        result.metrics[system] = {
            name: mean(row[system][name] for row in rows)
            for name in metric_names
            if all(row[system].get(name) is not None for row in rows)
        }
    result.details = rows
    leaks = sum(1 for row in rows if row["leaks"])
    result.breakdown = {"revisions": len(rows), "revisions citing an excluded document": leaks}
    if leaks:
        result.notes.append(f"{leaks} revisions cite an excluded document: the answer leaked")
    return result
