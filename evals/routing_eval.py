"""Scores of the router on labelled chat messages (``evals/data/chat_messages.jsonl``).

Each line: ``{"id", "message", "intent", "bodies", "documents", "references": [{"text", "ids",
"match"?}], "previous"?}``. ``previous`` names the message whose turn comes just before (its
state is replayed). A reference is right when the clause ids resolved for it are exactly its
``ids`` (``"match": "any"``: a non-empty subset of them). A message's references are right when
each labelled one is right and no other clause is named. Run:
``python -m evals.routing_eval [FILE]``.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from assistant.chat.router import Route, State, route
from assistant.settings import PROJECT_ROOT
from assistant.text.catalog import Catalog

MESSAGES = PROJECT_ROOT / "evals" / "data" / "chat_messages.jsonl"


def load_messages(path: Path = MESSAGES) -> list[dict[str, Any]]:
    return [
        json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()
    ]


def state_after(found: Route) -> State:
    """The state a routed turn leaves (what the agent stores, without running the tools)."""
    return State(
        intent=found.intent,
        question=found.message,
        documents=found.documents,
        clause_ids=found.clause_ids,
    )


def _route_with_history(
    item: dict[str, Any], by_id: dict[str, dict[str, Any]], catalog: Catalog, depth: int = 0
) -> Route:
    state = None
    previous = item.get("previous")
    if previous and previous in by_id and depth < 5:
        state = state_after(_route_with_history(by_id[previous], by_id, catalog, depth + 1))
    return route(item["message"], catalog, state)


def _reference_right(label: dict[str, Any], found: Route) -> bool:
    wanted = set(label["ids"])
    for reference in found.references:
        got = set(reference.clause_ids)
        if not got:
            continue
        if got == wanted or (label.get("match") == "any" and got <= wanted):
            return True
    return False


def score(messages: list[dict[str, Any]], catalog: Catalog) -> dict[str, Any]:
    """Intent accuracy, reference accuracy (per labelled reference and per message), entities."""
    by_id = {m["id"]: m for m in messages}
    counts = {"intent": 0, "references": 0, "reference_messages": 0, "documents": 0, "bodies": 0}
    labelled = 0
    misses: list[dict[str, Any]] = []
    for item in messages:
        found = _route_with_history(item, by_id, catalog)
        right = [_reference_right(label, found) for label in item["references"]]
        labelled += len(right)
        counts["references"] += sum(right)
        wanted_ids = {i for label in item["references"] for i in label["ids"]}
        extra = [i for i in found.clause_ids if i not in wanted_ids]
        ok = {
            "intent": found.intent == item["intent"],
            "reference_messages": all(right) and not extra,
            "documents": set(found.documents) == set(item.get("documents", [])),
            "bodies": set(found.bodies) == set(item.get("bodies", [])),
        }
        for key, value in ok.items():
            counts[key] += int(value)
        if not all(ok.values()) or not all(right):
            misses.append(
                {
                    "id": item["id"],
                    "message": item["message"],
                    "wrong": [k for k, v in ok.items() if not v],
                    "intent": found.intent,
                    "clause_ids": found.clause_ids,
                    "documents": found.documents,
                    "bodies": found.bodies,
                }
            )
    total = len(messages)
    return {
        "messages": total,
        "intent_accuracy": counts["intent"] / total if total else 0.0,
        "reference_accuracy": counts["references"] / labelled if labelled else 1.0,
        "labelled_references": labelled,
        "reference_message_accuracy": counts["reference_messages"] / total if total else 0.0,
        "document_accuracy": counts["documents"] / total if total else 0.0,
        "body_accuracy": counts["bodies"] / total if total else 0.0,
        "misses": misses,
    }


def corpus_catalog(folder: Path | None = None) -> Catalog:
    """A catalog of the parsed files of a folder (default: the shipped corpus), no index."""
    from ingest.loader import load_file

    folder = folder or PROJECT_ROOT / "corpus"
    files = sorted(p for p in folder.iterdir() if p.suffix in (".txt", ".md", ".docx"))
    return Catalog([d for path in files for d in load_file(path, 20 * 1024 * 1024).documents])


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    path = Path(args[0]) if args else MESSAGES
    result = score(load_messages(path), corpus_catalog())
    print(json.dumps(result, indent=2, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
