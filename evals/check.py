"""The regression gate: compare a run's summary with a stored baseline and its tolerances."""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

# Metrics kept in a baseline: the assistant's (and the chat router's) figures, never baselines',
# and no latencies (machine-dependent).
GATED_SYSTEMS = ("assistant",)
DEFAULT_TOLERANCE = 0.03  # about 2 questions in 60, 1 message in 47
# chrF is on a 0-100 scale; the layout family's shares are over hundreds of clauses; a question
# split's figures count 37-63 questions (one question: 0.016-0.027), and two runs of the same code
# differ by up to two questions at hit@1 (test4: 0.651 and 0.619); the figures over a split's
# unanswerable questions with or without a topic (``partial_*``, ``not_found_accuracy``) count 13-20
# (one question: 0.05-0.077), and one question moves between two runs of the same code (dev's
# partial accuracy, 0.75 and 0.6875, 2026-12-05: the approximate nearest neighbours of an index
# built anew)
TOLERANCES = {"chrf": 1.0, "layout": 0.01, "split": 0.05, "split_subset": 0.08}
_SUBSET = ("partial_", "not_found_")


@dataclass
class Regression:
    metric: str
    baseline: float
    tolerance: float
    measured: float | None

    def __str__(self) -> str:
        if self.measured is None:
            return f"{self.metric}: missing (baseline {self.baseline:.4g})"
        return (
            f"{self.metric}: {self.measured:.4g} < baseline {self.baseline:.4g} "
            f"- tolerance {self.tolerance:.4g}"
        )


# Rates where lower is better, or neither (a partial on an unanswerable question is right when
# the text addresses the subject): the gate only looks for drops. Their complements are gated
# ("no_false_answer", "no_missed_answer"), also per split ("test4_false_answer_rate").
UNGATED = ("latency", "false_answer", "missed_answer", "partial_rate")
_SPLIT_PREFIX = re.compile(r"^(?:train|dev|test\d*)_")


def gated(metric: str) -> bool:
    parts = metric.split(".")
    return (
        len(parts) == 3
        and parts[1] in GATED_SYSTEMS
        and not _SPLIT_PREFIX.sub("", parts[2]).startswith(UNGATED)
    )


def tolerance_for(metric: str, tolerances: dict[str, float]) -> float:
    """Exact metric name, else its last part (``chrf``), else ``split_subset`` for a question
    split's figure over its unanswerable questions (``dev_partial_accuracy``), ``split`` for its
    other figures (``test4_hit@1``), else its family (``layout``), else ``default``."""
    if metric in tolerances:
        return float(tolerances[metric])
    last = metric.rsplit(".", 1)[-1]
    if last in tolerances:
        return float(tolerances[last])
    if _SPLIT_PREFIX.match(last):
        subset = _SPLIT_PREFIX.sub("", last).startswith(_SUBSET)
        if subset and "split_subset" in tolerances:
            return float(tolerances["split_subset"])
        if "split" in tolerances:
            return float(tolerances["split"])
    family = metric.split(".", 1)[0]
    if family in tolerances:
        return float(tolerances[family])
    return float(tolerances.get("default", DEFAULT_TOLERANCE))


def make_baseline(summary: dict[str, float]) -> dict[str, Any]:
    """A baseline document from a run's summary (the gated metrics only)."""
    return {
        "metrics": {k: v for k, v in sorted(summary.items()) if gated(k)},
        "tolerances": {"default": DEFAULT_TOLERANCE, **TOLERANCES},
        "note": "resolutions eval --check compares against these; higher is better. "
        "Update deliberately from a real run (see evals/README.md).",
    }


def load_baseline(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ValueError(
            f"no baseline at {path}; create one with `resolutions eval --report "
            f"DIR` and copy DIR/baseline.json"
        ) from None
    except json.JSONDecodeError as error:
        raise ValueError(f"{path} is not valid JSON ({error.msg}, line {error.lineno})") from None
    if not isinstance(data, dict) or not isinstance(data.get("metrics"), dict):
        raise ValueError(f'{path} has no "metrics" object; see evals/README.md for the format')
    return data


def check(
    summary: dict[str, float],
    baseline: dict[str, Any],
    families: list[str] | None = None,
    excused: Sequence[str] = (),
) -> list[Regression]:
    """Every baseline metric that the run lost or fell below baseline - tolerance on
    (only the metrics of ``families`` when given: a run with ``--only``). A metric starting
    with one of ``excused`` is not held against the run when it is missing (a part that needs
    a program this machine lacks: the PDF layout without LibreOffice)."""
    tolerances = dict(baseline.get("tolerances", {}))
    regressions = []
    for metric, expected in sorted(baseline["metrics"].items()):
        if families and metric.split(".", 1)[0] not in families:
            continue
        if metric not in summary and metric.startswith(tuple(excused)):
            continue
        tolerance = tolerance_for(metric, tolerances)
        measured = summary.get(metric)
        if measured is None or measured < float(expected) - tolerance - 1e-9:
            regressions.append(Regression(metric, float(expected), tolerance, measured))
    return regressions
