"""The whole evaluation on the real corpus with a fake embedder: every family runs or says why."""

from __future__ import annotations

from pathlib import Path

from assistant.settings import Settings
from evals import report, runner
from evals.check import check, make_baseline
from tests.fakes import FakeEmbedder


def test_run_with_a_fake_embedder_writes_a_full_report(tmp_path: Path) -> None:
    run = runner.run(Settings(home=tmp_path / "unused"), embedder=FakeEmbedder())
    by_name = {family.name: family for family in run.families}
    assert set(by_name) == {
        "retrieval",
        "answers",
        "alignment",
        "drafting",
        "revision",
        "chat",
        "layout",
    }
    for family in run.families:  # a family may be missing, never broken
        assert family.status in ("ok", "not available"), (family.name, family.reason)
    retrieval = by_name["retrieval"]
    assert retrieval.status == "ok", retrieval.reason
    assert {"bm25", "dense", "naive_rag"} <= set(retrieval.metrics)
    assert 0.0 <= retrieval.metrics["bm25"]["hit@3"] <= 1.0  # type: ignore[operator]
    assert by_name["drafting"].metrics["medoid_source"]["chrf"] is not None
    if by_name["drafting"].status == "ok":
        assert by_name["drafting"].breakdown["drafts citing an excluded document"] == 0
    summary = run.summary()
    assert "retrieval.bm25.mrr" in summary
    path = report.write(run, tmp_path / "report")
    text = path.read_text(encoding="utf-8")
    assert "## Summary" in text and "## retrieval" in text and "naive_rag" in text
    assert (tmp_path / "report" / "charts" / "retrieval.png").stat().st_size > 1000
    assert check(summary, make_baseline(summary)) == []


def test_a_missing_module_is_reported_not_available(tmp_path: Path) -> None:
    from evals.context import EvalContext, optional_function, run_family
    from evals.corpus import parse_corpus

    def family(context: EvalContext) -> runner.FamilyResult:
        optional_function("assistant.no_such_module", "answer")
        raise AssertionError("not reached")

    def broken(context: EvalContext) -> runner.FamilyResult:
        raise RuntimeError("boom")

    context = EvalContext(corpus=parse_corpus([]))
    missing = run_family("x", family, context)
    assert missing.status == "not available"
    assert "assistant.no_such_module does not exist yet" in missing.reason
    assert run_family("y", broken, context).status == "error"


def test_with_a_chat_model_answers_and_drafts_are_also_scored_with_it(tmp_path: Path) -> None:
    from tests.chat_fakes import ScriptedChatModel

    model = ScriptedChatModel(*["NOT FOUND"] * 1000)  # refuses everything: never invents
    run = runner.run(
        Settings(home=tmp_path / "unused"),
        embedder=FakeEmbedder(),
        only=["answers", "drafting"],
        chat_model=model,
    )
    by_name = {family.name: family for family in run.families}
    answers, drafting = by_name["answers"].metrics, by_name["drafting"].metrics
    assert "assistant_llm_heldout" in answers
    # a refusal falls back to the offline answer: the same figures as without the model
    for metric in ("fact_accuracy", "false_answer_rate", "missed_answer_rate"):
        assert answers["assistant_llm"][metric] == answers["assistant"][metric], metric
    smoothed = drafting["assistant_smoothed"]
    assert smoothed["applied"] == 0.0 and smoothed["chrf"] == drafting["assistant"]["chrf"]
    assert 0 < len(model.prompts) < 1000  # the model was asked


def test_with_llm_needs_a_configured_model(tmp_path: Path, monkeypatch) -> None:
    from click.testing import CliRunner

    from assistant.cli import main

    monkeypatch.setenv("RESOLUTIONS_HOME", str(tmp_path))
    monkeypatch.delenv("RESOLUTIONS_LLM_PROVIDER", raising=False)
    result = CliRunner().invoke(main, ["eval", "--only", "chat", "--with-llm"])
    assert result.exit_code == 2
    assert "--with-llm needs a language model" in result.output
