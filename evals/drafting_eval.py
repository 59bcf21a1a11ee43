"""Drafting against the harmonization gold: chrF, share beating the best source, provenance.

The Doha draft is the answer: it is excluded from what the drafter may use, and so is the seed
contribution (its main text contains the Doha wording).
"""

from __future__ import annotations

import re
from collections import Counter
from statistics import mean
from typing import Any

from assistant.index.model import ClauseLibrary
from evals.context import EvalContext, FamilyResult, optional_function
from evals.corpus import SEED_FILE
from evals.datasets import HarmonizationCase, load_harmonization
from evals.metrics import Span, chrf, medoid, provenance_coverage, ratio

TARGET_BODY = "PP"


def excluded_documents(context: EvalContext, cases: list[HarmonizationCase]) -> list[str]:
    """The gold's own document(s), and any document parsed from the seed file."""
    gold_docs = {case.id.split("/", 1)[0] for case in cases}
    seed_docs = {
        d for d, path in context.corpus.files.items() if path.resolve() == SEED_FILE.resolve()
    }
    return sorted(gold_docs | seed_docs)


def baseline_scores(case: HarmonizationCase, texts: dict[str, str]) -> dict[str, float | None]:
    """chrF of the base unchanged, of the medoid candidate and of the best candidate (oracle)."""
    candidates = [i for i in [case.base, *case.sources] if i and i in texts]
    scores = {i: chrf(texts[i], case.text) for i in candidates}
    middle = candidates[medoid([texts[i] for i in candidates])] if candidates else None
    return {
        "base_unchanged": scores.get(case.base) if case.base else None,
        "medoid_source": scores[middle] if middle else None,
        "best_single_source": max(scores.values()) if scores else None,
    }


def run(context: EvalContext) -> FamilyResult:
    cases = load_harmonization(context.data("harmonization.jsonl"))
    texts = context.corpus.texts
    result = FamilyResult("drafting")
    rows: list[dict[str, Any]] = [{"id": c.id, **baseline_scores(c, texts)} for c in cases]
    for name in ("base_unchanged", "medoid_source", "best_single_source"):
        values = [r[name] for r in rows if r[name] is not None]
        result.metrics[name] = {"chrf": mean(values) if values else None}
    result.details = rows
    result.breakdown = {"cases": len(cases), "cases with a base": sum(1 for c in cases if c.base)}
    draft = optional_function("assistant.drafting.draft", "draft")
    library = context.need_library()
    excluded = excluded_documents(context, cases)
    allowed = {i for i in context.corpus.ids if i.split("/", 1)[0] not in excluded}
    scores: list[float] = []
    coverage: list[float] = []
    beats = matches = leaks = failures = settled = 0
    places: Counter[str] = Counter()
    for case, row in zip(cases, rows, strict=True):
        start = case.base or case.sources[0]
        try:
            proposal = draft(
                library, clause_id=start, for_body=TARGET_BODY, exclude_documents=excluded
            ).to_json()
        except (LookupError, ValueError) as error:
            failures += 1
            row.update(assistant=None, error=str(error))
            scores.append(0.0)
            coverage.append(0.0)
            continue
        score = chrf(str(proposal["text"]), case.text)
        spans = [
            Span(str(s.get("text", "")), [str(i) for i in s.get("sources", [])])
            for s in proposal.get("spans", [])
        ]
        used = {i for span in spans for i in span.sources}
        leaks += bool({i.split("/", 1)[0] for i in used} & set(excluded))
        scores.append(score)
        coverage.append(provenance_coverage(spans, allowed))
        best = row["best_single_source"]
        beats += best is not None and score > best
        settled += best is not None and best >= 99.95  # a source is the drafters' text
        matches += best is not None and score >= best - 0.05  # chrF printed to 0.1
        row.update(assistant=score, proposal=proposal["text"], sources=sorted(used))
        places.update(choices(proposal.get("spans", []), case.text))
    result.metrics["assistant"] = {
        "chrf": mean(scores) if scores else None,
        "beats_best_source": ratio(beats, len(cases)),
        # when the drafters took one source word for word, equalling it is the best possible
        "matches_or_beats_best_source": ratio(matches, len(cases)),
        "provenance_coverage": mean(coverage) if coverage else None,
        # where the sources differ and the drafters took one of the readings: the one chosen
        "choice_agreement": ratio(places["chosen"], places["chosen"] + places["other"]),
    }
    result.breakdown.update(
        {
            "excluded documents": excluded,
            "drafts citing an excluded document": leaks,
            "drafts that failed": failures,
            # a source already is the drafters' text word for word: it can be equalled, not beaten
            "cases where a source is the drafters' text": settled,
            "cases beating the best source, of the others": f"{beats} of {len(cases) - settled}",
            "places where the sources differ, by the reading the drafters wrote": {
                key: places[key] for key in ("chosen", "other", "both", "neither")
            },
        }
    )
    if leaks:
        result.notes.append(
            f"{leaks} drafts cite the excluded documents {excluded}: "
            "the answer leaked into the proposal"
        )
    if context.chat_model is not None:  # --with-llm: the same drafts, smoothed by the model
        metrics, reasons = smoothed_scores(library, context, cases, excluded)
        result.metrics["assistant_smoothed"] = metrics
        result.breakdown["smoothing not applied, by reason"] = reasons
    return result


def choices(spans: list[dict[str, Any]], gold: str) -> Counter[str]:
    """For each span with ``alternatives`` (a place where the sources differ): does the gold
    have the chosen reading, another one, both or neither (each read with two words of context
    on either side)."""
    gold_words = f" {' '.join(['^', *_words(gold), '$'])} "  # the ends count as context
    found: Counter[str] = Counter()
    for k, span in enumerate(spans):
        if not span.get("alternatives"):
            continue
        before = ["^", *_words("".join(str(s.get("text", "")) for s in spans[:k]))][-2:]
        after = [*_words("".join(str(s.get("text", "")) for s in spans[k + 1 :])), "$"][:2]
        readings = [
            str(span.get("text", "")),
            *(str(a.get("text", "")) for a in span["alternatives"]),
        ]
        written = [f" {' '.join([*before, *_words(r), *after])} " in gold_words for r in readings]
        chosen, other = written[0], any(written[1:])
        found[
            "both" if chosen and other else "chosen" if chosen else "other" if other else "neither"
        ] += 1
    return found


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", text.lower())


def smoothed_scores(
    library: ClauseLibrary,
    context: EvalContext,
    cases: list[HarmonizationCase],
    excluded: list[str],
) -> tuple[dict[str, float | None], dict[str, int]]:
    """chrF of the drafts after the chat model's smoothing, the share it was applied to, and
    why it was not applied to the others."""
    draft = optional_function("assistant.drafting.draft", "draft")
    scores: list[float] = []
    applied = 0
    reasons: Counter[str] = Counter()
    for case in cases:
        start = case.base or case.sources[0]
        try:
            result = draft(
                library,
                clause_id=start,
                for_body=TARGET_BODY,
                exclude_documents=excluded,
                chat_model=context.chat_model,
            )
        except (LookupError, ValueError):
            scores.append(0.0)
            continue
        scores.append(chrf(result.text, case.text))
        record = result.smoothing or {}
        applied += bool(record.get("applied"))
        if not record.get("applied"):
            reasons[str(record.get("reason", "")).split(":")[0]] += 1
    metrics = {"chrf": mean(scores) if scores else None, "applied": ratio(applied, len(cases))}
    return metrics, dict(reasons.most_common())
