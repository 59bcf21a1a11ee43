"""The ``layout`` eval family: agreement per layout, the gate, the report's table."""

from __future__ import annotations

import pytest

from evals import check, layout_eval, word_layout
from evals.context import EvalContext, FamilyResult
from evals.report import markdown
from evals.runner import EvalRun


@pytest.fixture(scope="module")
def result() -> FamilyResult:
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(word_layout, "soffice", lambda: None)  # the PDF layout: tests/test_collection
        return layout_eval.run(EvalContext(corpus=None))  # type: ignore[arg-type]


def test_text_and_word_layouts_agree(result: FamilyResult) -> None:
    metrics = result.metrics["assistant"]
    for layout in ("spaced", "glued", "wrapped", "docx"):
        assert (metrics[f"{layout}_clause_agreement"] or 0.0) >= 0.98, layout
        assert (metrics[f"{layout}_section_agreement"] or 0.0) >= 0.98, layout
        assert metrics[f"{layout}_split_precision"] == 1.0, layout
        assert metrics[f"{layout}_split_recall"] == 1.0, layout
    rows = result.breakdown["layouts"]
    assert rows["wrapped"]["documents"] == 14 and rows["wrapped"]["clauses"] > 300


def test_without_libreoffice_pdf_is_not_available_and_not_held_against(
    result: FamilyResult,
) -> None:
    assert "pdf" not in result.breakdown["layouts"]
    assert any("soffice not found" in note for note in result.notes)
    summary = EvalRun("now", 1.0, [], [result]).summary()
    baseline = {
        "metrics": {
            "layout.assistant.pdf_clause_agreement": 0.8,
            "layout.assistant.spaced_clause_agreement": 1.0,
        }
    }
    excused = result.breakdown["not_gated"]
    assert check.check(summary, baseline, ["layout"], excused) == []
    missed = check.check(summary, baseline, ["layout"])
    assert [r.metric for r in missed] == ["layout.assistant.pdf_clause_agreement"]


def test_layout_tolerance_is_small() -> None:
    assert check.tolerance_for("layout.assistant.docx_clause_agreement", check.TOLERANCES) == 0.01
    assert check.gated("layout.assistant.docx_split_recall")


def test_report_has_a_table_per_layout(result: FamilyResult) -> None:
    text = markdown(EvalRun("now", 1.0, [], [result]), {})
    assert "| layout | documents | clauses | clause agreement |" in text
    assert "| wrapped | 14 |" in text
