"""Clause alignment against the curated links: precision, recall, F1 (and a lexical baseline)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from itertools import combinations
from typing import Any

from assistant.index.model import ClauseLibrary
from evals.context import EvalContext, FamilyResult, optional_function
from evals.datasets import AlignmentLink, AnnexRow, load_alignment, load_annex_rows
from evals.metrics import Pair, pairs_from_groups, precision_recall_f1


def document_of(clause_id: str) -> str:
    return clause_id.split("/", 1)[0]


def gold_pairs(links: Sequence[AlignmentLink]) -> tuple[str, list[str], set[tuple[str, str]]]:
    """The lead document, the others (in order of appearance) and the gold pairs."""
    lead = document_of(links[0].a)
    others = list(dict.fromkeys(document_of(link.b) for link in links))
    return lead, others, {(link.a, link.b) for link in links}


def section_of(clause_id: str) -> str:
    """``doc/section`` of a clause id (the unit of the rows of the seed's annex)."""
    return "/".join(clause_id.split("/")[:2])


def score(predicted: set[tuple[str, str]], links: Sequence[AlignmentLink]) -> dict[str, float]:
    """Clause-level P/R/F1, recall on non-partial links, and F1 of the implied section rows."""
    gold = {(link.a, link.b) for link in links}
    strong = {(link.a, link.b) for link in links if not link.partial}
    scores = precision_recall_f1(predicted, gold)
    scores["recall_strong"] = precision_recall_f1(predicted, strong)["recall"]
    rows = {(section_of(a), section_of(b)) for a, b in gold}
    found = {(section_of(a), section_of(b)) for a, b in predicted}
    scores["section_f1"] = precision_recall_f1(found, rows)["f1"]
    return scores


def annex_pairs(rows: Iterable[AnnexRow]) -> set[Pair]:
    """Every pair of sections in different columns of one row (each pair sorted)."""
    pairs: set[Pair] = set()
    for row in rows:
        for left, right in combinations(row.cells.values(), 2):
            pairs.update(_pair(a, b) for a in left for b in right)
    return pairs


def section_pairs(groups: Iterable[Iterable[str]], documents: Iterable[str]) -> set[Pair]:
    """Pairs of sections of different documents (among ``documents``) with clauses in one group."""
    wanted = set(documents)
    pairs: set[Pair] = set()
    for group in groups:
        sections = {section_of(c) for c in group if document_of(c) in wanted}
        pairs.update(
            _pair(a, b) for a, b in combinations(sections, 2) if document_of(a) != document_of(b)
        )
    return pairs


def annex_scores(groups: Iterable[Iterable[str]], rows: Sequence[AnnexRow]) -> dict[str, float]:
    """``annex_rows_precision/recall/f1`` of the section pairs of ``groups`` against the annex."""
    documents = {d for row in rows for d in row.cells}
    scores = precision_recall_f1(section_pairs(groups, documents), annex_pairs(rows))
    return {f"annex_rows_{name}": value for name, value in scores.items()}


def _pair(a: str, b: str) -> Pair:
    return (a, b) if a <= b else (b, a)


def lexical_groups(context: EvalContext, lead: str, others: list[str]) -> list[list[str]]:
    """Each lead clause with its best BM25 match in each other document (section-blind)."""
    from evals.baselines import BM25Baseline

    lead_clauses = [c for c in context.corpus.clauses if c["document"] == lead]
    groups = {c["id"]: [c["id"]] for c in lead_clauses}
    for other in others:
        pool = [c for c in context.corpus.clauses if c["document"] == other]
        if not pool:
            continue
        bm25 = BM25Baseline(pool)
        for clause in lead_clauses:
            ranked = bm25.rank(clause["text"], 1)
            groups[clause["id"]] += [cid for position in ranked for cid in position]
    return list(groups.values())


def lexical_baseline(context: EvalContext, lead: str, others: list[str]) -> set[tuple[str, str]]:
    """Each lead clause linked to its best BM25 match in each other document (section-blind)."""
    return {(g[0], cid) for g in lexical_groups(context, lead, others) for cid in g[1:]}


def run(context: EvalContext) -> FamilyResult:
    links = load_alignment(context.data("alignment.jsonl"))
    lead, others, _ = gold_pairs(links)
    result = FamilyResult("alignment")
    result.metrics["bm25_best_match"] = dict(score(lexical_baseline(context, lead, others), links))
    align = optional_function("assistant.align.alignment", "align")
    library = context.need_library()
    groups = align(library, lead, others).to_json()["groups"]
    predicted = pairs_from_groups(
        ([str(c["id"]) for c in g["clauses"]] for g in groups), lead + "/"
    )
    predicted = {(a, b) for a, b in predicted if document_of(b) in others}
    result.metrics["assistant"] = dict(score(predicted, links))
    gold = {(link.a, link.b) for link in links}
    result.details = _details(predicted, gold)
    result.breakdown = {"gold links": len(gold), "predicted links": len(predicted)}
    if (context.data_dir / "annex_rows.jsonl").is_file():
        _annex(context, result, align, library, (lead, others, groups))
    return result


def _annex(
    context: EvalContext,
    result: FamilyResult,
    align: Any,
    library: ClauseLibrary,
    computed: tuple[str, list[str], list[dict[str, Any]]],
) -> None:
    """Section pairs against the rows of the seed's annex, for the assistant and BM25.

    The annex's columns name its documents (the first leads); the alignment already computed is
    reused when it covers the same documents, else the same ``align`` is run on the annex's.
    """
    rows = load_annex_rows(context.data("annex_rows.jsonl"))
    columns = list(dict.fromkeys(d for row in rows for d in row.cells))
    lead, others = columns[0], columns[1:]
    computed_lead, computed_others, groups = computed
    if {lead, *others} != {computed_lead, *computed_others}:
        groups = align(library, lead, others).to_json()["groups"]
    clause_groups = [[str(c["id"]) for c in g["clauses"]] for g in groups]
    result.metrics["assistant"].update(annex_scores(clause_groups, rows))
    result.metrics["bm25_best_match"].update(
        annex_scores(lexical_groups(context, lead, others), rows)
    )
    gold = annex_pairs(rows)
    found = section_pairs(clause_groups, columns)
    result.breakdown["annex alignment"] = f"{lead} with {', '.join(others)}"
    result.breakdown["annex row pairs"] = len(gold)
    result.breakdown["predicted section pairs"] = len(found)
    result.details += [{"a": a, "b": b, "outcome": "annex missed"} for a, b in sorted(gold - found)]
    result.details += [{"a": a, "b": b, "outcome": "annex extra"} for a, b in sorted(found - gold)]


def _details(predicted: set[tuple[str, str]], gold: set[tuple[str, str]]) -> list[dict[str, Any]]:
    rows = [{"a": a, "b": b, "outcome": "missed"} for a, b in sorted(gold - predicted)]
    rows += [{"a": a, "b": b, "outcome": "extra"} for a, b in sorted(predicted - gold)]
    return rows
