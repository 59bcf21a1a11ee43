"""The support thresholds on the real model, measured on evals/data/questions.jsonl.

The thresholds were hand-set on these questions until issue 16; they are now learned on the
train split and chosen on dev (evals/fit_support.py), so these questions are no longer in-sample
and the old "no false answer" cannot be asked of them. The test guards against a regression:
it prints the false-answer rate on unanswerable questions, the missed-answer rate on answerable
ones, citation accuracy and the warm latency of the offline path (run with ``-s``).
"""

from __future__ import annotations

import json
import statistics
import time
from pathlib import Path

import pytest

from assistant.answering.answer import answer
from assistant.chat.conversations import resolve_follow_up
from assistant.text.question import catalog_for

pytestmark = pytest.mark.slow
QUESTIONS = Path(__file__).resolve().parent.parent / "evals" / "data" / "questions.jsonl"
MAX_MISSED = 0.20  # measured 0.09 (5/55, corpus without the seed); a guard, not the target
# measured 0.31 (4/13) since the learned support; 0.38 (5/13) whenever a refit chooses `answered`
# below 0.20 ("How are the contributory units of Sector Members calculated?" is answered at 0.19:
# the fifteenth round, 0.18, and the sixteenth, 0.19, once its name rule removed false answers on
# the training splits); 0.15 (2/13) since the seventeenth round's refit (evals/ROUNDS.md): a guard
# against a large drift, not the target; the gate (evals/baseline.json) holds the measured figures
MAX_FALSE = 0.40


def test_not_found_threshold_on_the_question_set(real_library) -> None:
    if not QUESTIONS.is_file():
        pytest.skip(f"no question set at {QUESTIONS}")
    rows = [json.loads(line) for line in QUESTIONS.read_text("utf-8").splitlines() if line.strip()]
    by_id = {row["id"]: row for row in rows}
    held = {summary["document"] for summary in real_library.documents()}
    catalog = catalog_for(real_library)
    false_answers, missed, correct, answerable, timings = [], [], 0, 0, []
    for row in rows:
        expected = row.get("expected", []) + row.get("acceptable", [])
        if expected and not any(e.split("/")[0] in held for e in expected):
            continue  # about a document this library does not hold (the seed)
        question = row["question"]
        if row.get("previous"):
            question = resolve_follow_up(question, by_id[row["previous"]]["question"], catalog)
        result = answer(real_library, question)
        started = time.perf_counter()
        answer(real_library, question)  # warm
        timings.append((time.perf_counter() - started) * 1000)
        if row["kind"] == "unanswerable":
            if result.status == "answered":
                false_answers.append(row["id"])
            continue
        answerable += 1
        if result.status == "not_found":
            missed.append(row["id"])
        elif {c["id"] for c in result.citations} & set(expected):
            correct += 1
    unanswerable = sum(1 for row in rows if row["kind"] == "unanswerable")
    p50 = statistics.median(timings)
    print(
        f"\nfalse answers {len(false_answers)}/{unanswerable} {false_answers}; "
        f"missed {len(missed)}/{answerable} ({len(missed) / answerable:.0%}) {missed}; "
        f"answered with an expected clause cited {correct}/{answerable}; "
        f"warm offline latency p50 {p50:.0f} ms, max {max(timings):.0f} ms"
    )
    assert len(false_answers) / unanswerable <= MAX_FALSE
    assert len(missed) / answerable <= MAX_MISSED
