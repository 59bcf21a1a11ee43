"""The whole evaluation on the real corpus with a fake embedder: every family runs or says why."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.settings import Settings
from evals import report, runner
from evals.check import check, make_baseline
from evals.corpus import SEED_FILE
from tests.fakes import FakeEmbedder


@pytest.mark.skipif(not SEED_FILE.is_file(), reason="no seed beside the project")
def test_run_with_a_fake_embedder_writes_a_full_report(tmp_path: Path) -> None:
    run = runner.run(
        Settings(home=tmp_path / "unused"),
        embedder=FakeEmbedder(),
        only=["retrieval", "alignment", "chat"],
    )
    by_name = {family.name: family for family in run.families}
    assert set(by_name) == {"retrieval", "alignment", "chat"}
    retrieval = by_name["retrieval"]
    assert retrieval.status == "ok", retrieval.reason
    assert {"bm25", "dense", "naive_rag"} <= set(retrieval.metrics)
    assert 0.0 <= retrieval.metrics["bm25"]["hit@3"] <= 1.0  # type: ignore[operator]
    summary = run.summary()
    assert "retrieval.bm25.mrr" in summary
    path = report.write(run, tmp_path / "report")
    text = path.read_text(encoding="utf-8")
    assert "## retrieval" in text and "naive_rag" in text
    assert (tmp_path / "report" / "charts" / "retrieval.png").stat().st_size > 1000
    assert check(summary, make_baseline(summary)) == []
