"""Chat routing (issue 7): intent accuracy and clause-reference resolution accuracy.

Scored by the router's own scorer (``evals.routing_eval.score``) over the labelled messages,
with a catalog of the parsed corpus; a majority-intent baseline is given beside it.
"""

from __future__ import annotations

from collections import Counter

from evals.context import EvalContext, FamilyResult, optional_function, optional_module
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
    return result
