"""The "what went wrong" part of report.md: the cases each family got wrong, briefly."""

from __future__ import annotations

from typing import Any

from evals.context import FamilyResult

LIMIT = 30


def _fmt(value: Any) -> str:
    return "-" if value is None else f"{value:.1f}"


def retrieval(family: FamilyResult) -> list[str]:
    rows = [d for d in family.details if "rank.assistant" in d]
    missed = [d for d in rows if d["rank.assistant"] is None or d["rank.assistant"] > 3]
    return [f"- {d['id']} ({d['kind']}): rank {d['rank.assistant'] or '> 10'}" for d in missed]


def answers(family: FamilyResult) -> list[str]:
    out = []
    for d in family.details:
        if d["kind"] == "unanswerable" and d["status"] != "not_found":
            out.append(f"- {d['id']}: answered an unanswerable question (cited {d['cited'][:2]})")
        elif d["kind"] != "unanswerable" and not d.get("fact"):
            out.append(f"- {d['id']} ({d['kind']}): {d['status']}, fact missing")
    return out


def alignment(family: FamilyResult) -> list[str]:
    return [f"- {d['outcome']}: {d['a']} ~ {d['b']}" for d in family.details]


def drafting(family: FamilyResult) -> list[str]:
    out = [
        "| case | assistant | base unchanged | medoid source | best single source |",
        "|---|---|---|---|---|",
    ]
    for d in family.details:
        out.append(
            f"| {d['id']} | {_fmt(d.get('assistant'))} | {_fmt(d['base_unchanged'])} | "
            f"{_fmt(d['medoid_source'])} | {_fmt(d['best_single_source'])} |"
        )
    return out if len(out) > 2 else []


def chat(family: FamilyResult) -> list[str]:
    return [
        f"- {d.get('id')}: wrong {d.get('wrong')} (intent {d.get('intent')}, "
        f"clauses {d.get('clause_ids')})"
        for d in family.details
    ]


def layout(family: FamilyResult) -> list[str]:
    return [f"- {d['layout']}: {d['miss']}" for d in family.details]


SECTIONS = {
    "retrieval": ("Questions the assistant did not find in the top 3", retrieval),
    "answers": ("Answers that missed", answers),
    "alignment": ("Links missed and extra", alignment),
    "drafting": ("chrF per case", drafting),
    "chat": ("Messages routed wrong", chat),
    "layout": ("Clauses and boundaries read differently", layout),
}


def details(family: FamilyResult) -> list[str]:
    """Markdown lines listing the family's failures (at most LIMIT, the rest in report.json)."""
    if family.name not in SECTIONS or not family.details:
        return []
    title, function = SECTIONS[family.name]
    lines = function(family)
    if not lines:
        return []
    extra = len(lines) - LIMIT if family.name != "drafting" else 0
    shown = lines if family.name == "drafting" else lines[:LIMIT]
    more = [f"- ... and {extra} more (see report.json)"] if extra > 0 else []
    return ["", f"{title}:", "", *shown, *more]
