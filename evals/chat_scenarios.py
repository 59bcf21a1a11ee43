"""Conversations as a person has them (issue 19): scenarios asked through the chat agent.

``evals/data/chat_scenarios.jsonl``: each line a conversation (``turns`` asked first, in one
conversation, then ``message``) and what its reply must show, by ``kind``:

- ``topic_leak``: a question that names its own subject after an unrelated turn; it leaks when
  the reply was searched as a rewritten question (``searched`` set). ``topic_leak_rate``.
- ``follow_up``: a true follow-up; it must be rewritten and ``searched`` must hold each of
  ``searched`` (case-insensitive). ``follow_up_accuracy``.
- ``summary``: intent ``summary`` citing exactly ``expected``; with ``says``, the answer holds
  each of them (a number the library lacks). ``summary_accuracy``.
- ``comparison``: cites a clause of ``a`` and one of ``b`` (the two texts' clauses on the
  subject) and states a difference: the first line holds one of ``differences`` (words of one
  text that the other lacks). ``comparison_quality``.
- ``in_force``: the first citation is ``first`` and the answer holds each of ``says``.
  ``in_force_accuracy``.

Asked against a private index over the corpus, the seed and ``scenarios/*.txt`` (a Resolution
300 "uploaded"), built once with the run's embedder.
"""

from __future__ import annotations

import json
import time
from typing import Any

from evals.context import EvalContext
from evals.corpus import default_paths
from evals.metrics import ratio
from evals.splits import build_split_library

FILE = "chat_scenarios.jsonl"
KINDS = ("topic_leak", "follow_up", "summary", "comparison", "in_force")


def load(path: Any) -> list[dict[str, Any]]:
    rows = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("//"):
            continue
        row = json.loads(line)
        if row.get("kind") not in KINDS or "message" not in row:
            raise ValueError(f"{path}:{number}: a scenario needs a message and a kind in {KINDS}")
        rows.append(row)
    return rows


def judge(row: dict[str, Any], reply: dict[str, Any]) -> bool:
    """Whether one reply shows what its scenario asks (see the module doc)."""
    kind = row["kind"]
    text = str(reply.get("answer", ""))
    cited = [str(c.get("id")) for c in reply.get("citations", [])]
    lowered = text.lower()
    if kind == "topic_leak":
        return not reply.get("searched")
    if kind == "follow_up":
        searched = str(reply.get("searched") or "").lower()
        return bool(searched) and all(s.lower() in searched for s in row.get("searched", []))
    if kind == "summary":
        says = all(s.lower() in lowered for s in row.get("says", []))
        return reply.get("intent") == "summary" and set(cited) == set(row["expected"]) and says
    if kind == "comparison":
        first = text.split("\n", 1)[0].lower()
        both = bool(set(cited) & set(row["a"])) and bool(set(cited) & set(row["b"]))
        return both and any(d.lower() in first for d in row["differences"])
    return (
        bool(cited)
        and cited[0] == row["first"]
        and all(s.lower() in lowered for s in row.get("says", []))
    )


def score(context: EvalContext) -> tuple[dict[str, float | None], list[dict[str, Any]]]:
    """The scenario metrics and one detail per scenario."""
    from assistant.chat.agent import respond

    rows = load(context.data(FILE))
    base = context.need_library()
    settings = getattr(base, "settings", None)
    if settings is None:
        from assistant.settings import Settings

        settings = Settings()
    paths = [*default_paths(), *sorted((context.data_dir / "scenarios").glob("*.txt"))]
    library, folder, error = build_split_library(settings, paths, context.embedder)
    if library is None:
        raise RuntimeError(f"the scenario index could not be built: {error}")
    tag = str(int(time.time()))
    passed: dict[str, list[bool]] = {k: [] for k in KINDS}
    details = []
    try:
        for row in rows:
            conversation = f"scenario-{tag}-{row['id']}"
            for turn in row.get("turns", []):
                respond(library, turn, conversation_id=conversation)
            reply = respond(library, row["message"], conversation_id=conversation).to_json()
            ok = judge(row, reply)
            passed[row["kind"]].append(ok)
            details.append(
                {
                    "id": row["id"],
                    "kind": row["kind"],
                    "ok": ok,
                    "intent": reply.get("intent"),
                    "searched": reply.get("searched", ""),
                    "cited": [c.get("id") for c in reply.get("citations", [])],
                    "answer": str(reply.get("answer", ""))[:400],
                }
            )
    finally:
        folder.cleanup()
    leaks = passed["topic_leak"]
    metrics: dict[str, float | None] = {
        "topic_leak_rate": ratio(sum(not ok for ok in leaks), len(leaks)),
        "no_topic_leak": ratio(sum(leaks), len(leaks)),
        "follow_up_accuracy": ratio(sum(passed["follow_up"]), len(passed["follow_up"])),
        "summary_accuracy": ratio(sum(passed["summary"]), len(passed["summary"])),
        "comparison_quality": ratio(sum(passed["comparison"]), len(passed["comparison"])),
        "in_force_accuracy": ratio(sum(passed["in_force"]), len(passed["in_force"])),
    }
    return metrics, details
