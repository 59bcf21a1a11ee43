"""Write a run: report.md, report.json, baseline.json (a candidate) and PNG charts."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from evals import report_details
from evals.check import make_baseline
from evals.context import FamilyResult
from evals.layout_eval import layout_table
from evals.runner import EvalRun

PERCENT_SCALE = {"chrf"}  # metrics already on 0-100


def fmt(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:.3f}" if abs(value) <= 1.0 else f"{value:.1f}"
    return str(value)


def family_table(family: FamilyResult) -> list[str]:
    """One row per system, one column per metric; the assistant first."""
    systems = sorted(family.metrics, key=lambda s: (s != "assistant", s))
    metrics = list(dict.fromkeys(m for s in systems for m in family.metrics[s]))
    lines = ["| system | " + " | ".join(metrics) + " |", "|---|" + "---|" * len(metrics)]
    for system in systems:
        row = [fmt(family.metrics[system].get(m)) for m in metrics]
        lines.append(f"| {system} | " + " | ".join(row) + " |")
    return lines


HEADLINE = {
    "retrieval": ["hit@1", "hit@3", "hit@5", "mrr"],
    "answers": [
        "fact_accuracy",
        "citation_precision",
        "citation_recall",
        "not_found_precision",
        "not_found_recall",
    ],
    "alignment": [
        "precision",
        "recall",
        "f1",
        "annex_rows_precision",
        "annex_rows_recall",
        "annex_rows_f1",
    ],
    "drafting": [
        "chrf",
        "beats_best_source",
        "matches_or_beats_best_source",
        "provenance_coverage",
    ],
    "chat": ["intent_accuracy", "reference_accuracy"],
    "layout": [
        f"{layout}_{measure}"
        for layout in ("spaced", "glued", "wrapped", "docx", "pdf")
        for measure in ("clause_agreement", "split_recall")
    ],
}


def summary_table(families: list[dict[str, Any]]) -> list[str]:
    """The headline figures: each metric of the assistant beside every baseline of its family
    (the table of the README). ``families`` as in report.json."""
    lines = ["| family | metric | assistant | baselines |", "|---|---|---|---|"]
    for family in families:
        metrics = family.get("metrics", {})
        mine = metrics.get("assistant", {})
        for metric in HEADLINE.get(family["name"], []):
            others = ", ".join(
                f"{s} {fmt(m[metric])}"
                for s, m in sorted(metrics.items())
                if s != "assistant" and m.get(metric) is not None
            )
            shown = fmt(mine.get(metric)) if family["status"] == "ok" else family["status"]
            lines.append(f"| {family['name']} | {metric} | {shown} | {others or '-'} |")
    return lines


def markdown(run: EvalRun, charts: dict[str, str]) -> str:
    lines = [
        f"# Evaluation report ({run.started})",
        "",
        f"Run time: {run.seconds:.0f} s. Corpus: {len(run.corpus)} files. "
        f"Setup: {json.dumps(run.setup, ensure_ascii=False)}",
        "",
        "## Summary",
        "",
        *summary_table([f.to_json() for f in run.families]),
        "",
    ]
    for family in run.families:
        lines += [f"## {family.name}", ""]
        if family.status != "ok":
            lines += [f"**{family.status}**: {family.reason}", ""]
        if family.name == "layout" and family.breakdown.get("layouts"):
            lines += ["Per layout:", "", *layout_table(family.to_json()), ""]
        elif family.metrics:
            lines += [*family_table(family), ""]
        for key, value in family.breakdown.items():
            if family.name == "layout" and key == "layouts":
                continue
            if (
                isinstance(value, dict)
                and value
                and all(isinstance(v, dict) for v in value.values())
            ):
                lines += [f"{key}:", "", *_nested_table(value), ""]
            else:
                shown = json.dumps(value) if isinstance(value, (dict, list)) else fmt(value)
                lines.append(f"- {key}: {shown}")
        lines += [f"- note: {note}" for note in family.notes]
        if family.name in charts:
            lines += ["", f"![{family.name}]({charts[family.name]})"]
        lines += report_details.details(family)
        lines.append("")
    return "\n".join(lines)


def _nested_table(value: dict[str, dict[str, Any]]) -> list[str]:
    columns = list(dict.fromkeys(c for row in value.values() for c in row))
    out = ["| | " + " | ".join(columns) + " |", "|---|" + "---|" * len(columns)]
    for name, row in value.items():
        out.append(f"| {name} | " + " | ".join(fmt(row.get(c)) for c in columns) + " |")
    return out


def charts(run: EvalRun, folder: Path) -> dict[str, str]:
    """One grouped bar chart per family: each metric, the assistant beside the baselines."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    folder.mkdir(parents=True, exist_ok=True)
    made: dict[str, str] = {}
    for family in run.families:
        systems = sorted(family.metrics, key=lambda s: (s != "assistant", s))
        metrics = [
            m
            for m in dict.fromkeys(m for s in systems for m in family.metrics[s])
            if not m.startswith("latency")
        ]
        if not systems or not metrics:
            continue
        figure, axis = plt.subplots(figsize=(max(6.0, 1.4 * len(metrics) + 2), 4))
        width = 0.8 / len(systems)
        for k, system in enumerate(systems):
            values = [_scaled(m, family.metrics[system].get(m)) for m in metrics]
            positions = [i + k * width for i in range(len(metrics))]
            axis.bar(positions, [v if v is not None else 0 for v in values], width, label=system)
        axis.set_xticks([i + width * (len(systems) - 1) / 2 for i in range(len(metrics))])
        axis.set_xticklabels(metrics, rotation=20, ha="right")
        axis.set_ylim(0, 1.05)
        axis.set_ylabel("score (chrF / 100)" if "chrf" in metrics else "score")
        axis.set_title(f"{family.name}: assistant vs baselines")
        axis.legend(fontsize="small")
        figure.tight_layout()
        name = f"{family.name}.png"
        figure.savefig(folder / name, dpi=100)
        plt.close(figure)
        made[family.name] = f"charts/{name}"
    return made


def _scaled(metric: str, value: float | None) -> float | None:
    if value is None:
        return None
    return value / 100 if metric in PERCENT_SCALE else value


def write(run: EvalRun, folder: Path) -> Path:
    """Write the report files into ``folder``; return the path of report.md."""
    folder.mkdir(parents=True, exist_ok=True)
    made = charts(run, folder / "charts")
    (folder / "report.json").write_text(
        json.dumps(run.to_json(), ensure_ascii=False, indent=2), encoding="utf-8"
    )
    (folder / "baseline.json").write_text(
        json.dumps(make_baseline(run.summary()), indent=2) + "\n", encoding="utf-8"
    )
    path = folder / "report.md"
    path.write_text(markdown(run, made), encoding="utf-8")
    return path
