"""The section rows of the seed's annex: the data file, its validation and the annex-row metric."""

from __future__ import annotations

import pytest

from evals.alignment_eval import annex_pairs, annex_scores, section_of, section_pairs
from evals.corpus import SEED_FILE, parse_corpus
from evals.datasets import AnnexRow, load_annex_rows, validate_annex_rows

COLUMNS = [
    "pp-58-rev-busan-2014",
    "wtsa-43-rev-new-delhi-2024",
    "wtdc-31-rev-baku-2025",
    "wrc-72-rev-wrc-19",
]


@pytest.fixture(scope="module")
def corpus():  # type: ignore[no-untyped-def]
    if not SEED_FILE.is_file():
        pytest.skip(f"the seed contribution is not at {SEED_FILE}")
    return parse_corpus()


def gold_groups(rows: list[AnnexRow]) -> list[list[str]]:
    """One group per row, one (made-up) clause per section: the annex as an alignment."""
    return [[f"{s}/a" for ids in row.cells.values() for s in ids] for row in rows]


def test_the_file_loads_in_table_order_with_the_four_columns() -> None:
    rows = load_annex_rows()
    assert [row.row for row in rows] == list(range(1, len(rows) + 1))
    assert all(list(row.cells) == COLUMNS for row in rows)
    assert all(row.note for row in rows)
    assert len(annex_pairs(rows)) >= 40


def test_every_section_exists_in_the_parsed_corpus(corpus) -> None:  # type: ignore[no-untyped-def]
    rows = load_annex_rows()
    assert validate_annex_rows(rows, corpus.ids) == []
    sections = {section_of(i) for i in corpus.ids}
    listed = {s for row in rows for ids in row.cells.values() for s in ids}
    # every section of the four resolutions is on some row of the annex
    assert {s for s in sections if s.split("/")[0] in COLUMNS} == listed


def test_validation_reports_bad_rows() -> None:
    ids = {"d/s/a", "e/t/a"}
    rows = [
        AnnexRow(2, {"d": ["d/s"], "e": ["e/nope"]}),
        AnnexRow(1, {"d": ["e/t"], "e": []}),
        AnnexRow(3, {"e": [], "d": []}),
    ]
    problems = validate_annex_rows(rows, ids)
    assert any("e/nope" in p for p in problems)
    assert any("increasing order" in p for p in problems)
    assert any("not in column 'd'" in p for p in problems)
    assert any("differ from the first row" in p for p in problems)


def test_metric_is_one_on_the_gold_and_less_when_perturbed() -> None:
    rows = load_annex_rows()
    groups = gold_groups(rows)
    assert annex_scores(groups, rows) == {
        "annex_rows_precision": 1.0,
        "annex_rows_recall": 1.0,
        "annex_rows_f1": 1.0,
    }
    dropped = groups[:-1]  # the last row missed
    merged = [groups[1] + groups[3], *groups[2:]]  # two rows run together
    for perturbed in (dropped, merged):
        scores = annex_scores(perturbed, rows)
        assert scores["annex_rows_f1"] < 1.0
    assert annex_scores(dropped, rows)["annex_rows_precision"] == 1.0
    assert annex_scores(merged, rows)["annex_rows_precision"] < 1.0


def test_section_pairs_ignore_same_document_and_other_documents() -> None:
    groups = [["d/s/a", "d/t/b", "e/u/1", "x/v/1"]]
    assert section_pairs(groups, ["d", "e"]) == {("d/s", "e/u"), ("d/t", "e/u")}
    rows = [AnnexRow(1, {"d": ["d/s", "d/t"], "e": ["e/u"]})]
    assert annex_pairs(rows) == {("d/s", "e/u"), ("d/t", "e/u")}
