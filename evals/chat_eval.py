"""Chat routing (issue 7): intent accuracy and clause-reference resolution accuracy; and the
chat as a person uses it (issue 19): topic leaks, follow-ups, summaries, comparisons and the
version a look-up shows (:mod:`evals.chat_scenarios`, asked through the agent).

Routing is scored by the router's own scorer (``evals.routing_eval.score``) over the labelled
messages, with a catalog of the parsed corpus; a majority-intent baseline is given beside it.
The scenarios need the assistant's library (skipped, with a note, when it is not available).
"""

from __future__ import annotations

from collections import Counter

from evals import chat_scenarios
from evals.context import (
    EvalContext,
    FamilyResult,
    NotAvailable,
    optional_function,
    optional_module,
)
from evals.datasets import load_chat_messages, read_jsonl

KEYS = (
    "intent_accuracy",
    "reference_accuracy",
    "reference_message_accuracy",
    "document_accuracy",
    "body_accuracy",
)


def run(context: EvalContext) -> FamilyResult:
    path = context.data("chat_messages.jsonl")
    messages = load_chat_messages(path)  # validates the format
    result = FamilyResult("chat")
    majority = Counter(m.intent for m in messages).most_common(1)[0][1] / len(messages)
    result.metrics["majority_intent"] = {"intent_accuracy": majority}
    score = optional_function("evals.routing_eval", "score")
    catalog_module = optional_module("assistant.text.catalog")
    rows = [{k: v for k, v in row.items() if k != "_line"} for row in read_jsonl(path)]
    scored = score(rows, catalog_module.Catalog(context.corpus.documents))
    result.metrics["assistant"] = {k: scored[k] for k in KEYS if k in scored}
    result.details = list(scored.get("misses", []))
    result.breakdown = {
        "messages": len(messages),
        "labelled references": scored.get("labelled_references"),
    }
    try:
        scenarios, details = chat_scenarios.score(context)
    except NotAvailable as error:
        result.notes.append(f"scenarios not run: {error}")
        return result
    result.metrics["assistant"].update(scenarios)
    result.details += [{**d, "scenario": True} for d in details]
    result.breakdown["scenarios"] = {
        kind: sum(1 for d in details if d["kind"] == kind) for kind in chat_scenarios.KINDS
    }
    result.breakdown["scenarios failed"] = [d["id"] for d in details if not d["ok"]]
    return result
