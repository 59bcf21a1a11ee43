"""Support learned, not hand-set: two logistic models over the signals of a retrieved clause.

``answers``: the probability that the clause states the answer to the question; ``topic``: the
probability that it addresses the question's subject (it answers, or it is on the subject but
lacks the detail asked). Both are fitted on the train split of the question sets
(``evals/data/questions_train.jsonl``) by ``python -m evals.fit_support``; the thresholds that
turn them into ``answered`` / ``partial`` / ``not_found`` are chosen on the dev split. The fitted
parameters are data (``assistant/data/support_model.json``), loaded once; a caller (a test, the
evaluation) may pass its own :class:`SupportConfig` instead.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import Any

MODEL_FILE = Path(__file__).resolve().parent.parent / "data" / "support_model.json"

# The signals a clause is judged by (see :func:`assistant.answering.evidence.features`).
FEATURES: tuple[str, ...] = (
    "coverage",  # IDF-weighted share of the question's ideas in the clause (soft matches too)
    "similarity",  # cosine of the question with the clause
    "segment_similarity",  # ... with its closest segment
    "named",  # the question names the clause
    "agreed",  # BM25 first and the embedder among its first ranks
    "dense",  # the search's dense cosine
    "bm25_share",  # BM25 score over the best BM25 score among the candidates
    "dense_rank_inv",  # 1 / dense rank (0: not among the dense candidates)
    "bm25_rank_inv",  # 1 / BM25 rank
    "position_inv",  # 1 / position in the fused ranking (before the typed boost of search)
    "type_asked",  # the question asks for a kind of answer (a count, a date, a body...)
    "type_stated",  # ... and the clause states one of that kind
    "type_missing",  # ... and the clause states none
    "passage",  # not a resolution's clause (a contribution's passage)
    "uncovered",  # the rarest idea of the question the clause lacks (its IDF, over the top one)
    "coverage_best_gap",  # coverage minus the best coverage among the candidates
    "similarity_best_gap",  # similarity minus the best similarity among the candidates
    "type_new",  # the clause states an answer of the kind asked that the question lacks
    "type_near",  # ... within a few words of the word asked about ("represented", "won")
    "named_document",  # the question names one or two resolutions and the clause is in one
    "other_document",  # ... and the clause is in another
    "focus",  # share of the question's focus words in the clause
    "names_absent",  # share of the question's names ("Afghanistan") the clause's text never uses
    "operative",  # the clause is in an operative section, not the preamble
    "dated_document",  # the question names the month the clause's text was adopted ("June 1990")
    "dated_other",  # ... it names the month of other texts
    "after_event_other",  # it asks what came after a dated event; the text is from another time
)


@dataclass(frozen=True)
class LogisticModel:
    """``p = sigmoid(bias + sum w_i * (x_i - mean_i) / scale_i)``."""

    weights: Mapping[str, float]
    bias: float = 0.0
    mean: Mapping[str, float] = field(default_factory=dict)
    scale: Mapping[str, float] = field(default_factory=dict)

    def probability(self, features: Mapping[str, float]) -> float:
        z = self.bias
        for name, weight in self.weights.items():
            value = (features.get(name, 0.0) - self.mean.get(name, 0.0)) / (
                self.scale.get(name, 1.0) or 1.0
            )
            z += weight * value
        return 1.0 / (1.0 + math.exp(-max(-40.0, min(40.0, z))))

    def to_json(self) -> dict[str, Any]:
        return {
            "weights": dict(self.weights),
            "bias": self.bias,
            "mean": dict(self.mean),
            "scale": dict(self.scale),
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> LogisticModel:
        return cls(
            {str(k): float(v) for k, v in data.get("weights", {}).items()},
            float(data.get("bias", 0.0)),
            {str(k): float(v) for k, v in data.get("mean", {}).items()},
            {str(k): float(v) for k, v in data.get("scale", {}).items()},
        )


@dataclass(frozen=True)
class SupportConfig:
    """The models and the thresholds that decide ``answered`` / ``partial`` / ``not_found``.

    - ``answered``: a clause whose ``answers`` probability reaches it supports an answer;
    - ``partial``: with no supporting clause, a clause whose ``topic`` probability reaches it is
      cited as the closest provision, and the reply says which detail is missing;
    - ``consult``: with no supporting clause, a configured chat model is asked to judge when a
      clause's ``answers`` probability reaches it (it may answer with checked quotes);
    - ``silent``: a question that names resolutions by number is not answered when their whole
      text uses less than this share of its ideas: they are silent on it;
    - ``overrule``: ... unless one of their clauses states the kind asked and its ``answers``
      probability reaches this (a paraphrase's words the text does not use: "right after",
      "officials"); above 1: never.
    """

    answers: LogisticModel
    topic: LogisticModel
    answered: float = 0.5
    partial: float = 0.5
    consult: float = 0.3
    silent: float = 0.0
    overrule: float = 2.0

    def with_thresholds(
        self,
        answered: float | None = None,
        partial: float | None = None,
        consult: float | None = None,
        silent: float | None = None,
        overrule: float | None = None,
    ) -> SupportConfig:
        """A copy with some thresholds changed."""
        return replace(
            self,
            answered=self.answered if answered is None else answered,
            partial=self.partial if partial is None else partial,
            consult=self.consult if consult is None else consult,
            silent=self.silent if silent is None else silent,
            overrule=self.overrule if overrule is None else overrule,
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "features": list(FEATURES),
            "answers": self.answers.to_json(),
            "topic": self.topic.to_json(),
            "thresholds": {
                "answered": self.answered,
                "partial": self.partial,
                "consult": self.consult,
                "silent": self.silent,
                "overrule": self.overrule,
            },
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> SupportConfig:
        thresholds = data.get("thresholds", {})
        return cls(
            LogisticModel.from_json(data["answers"]),
            LogisticModel.from_json(data["topic"]),
            float(thresholds.get("answered", 0.5)),
            float(thresholds.get("partial", 0.5)),
            float(thresholds.get("consult", 0.3)),
            float(thresholds.get("silent", 0.0)),
            float(thresholds.get("overrule", 2.0)),
        )

    @classmethod
    def load(cls, path: Path = MODEL_FILE) -> SupportConfig:
        return cls.from_json(json.loads(path.read_text(encoding="utf-8")))


@lru_cache(maxsize=1)
def default_config() -> SupportConfig:
    """The shipped, fitted configuration (``assistant/data/support_model.json``)."""
    return SupportConfig.load()
