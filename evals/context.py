"""What every metric family gets (the library, the parsed corpus, the data) and what it returns."""

from __future__ import annotations

import importlib
import importlib.util
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

from assistant.index.model import ClauseLibrary
from evals.corpus import ParsedCorpus
from evals.datasets import DATA_DIR


class NotAvailable(Exception):
    """A metric family cannot run (its module does not exist yet, or lacks the function)."""


@dataclass
class EvalContext:
    """Shared inputs. ``library`` is ``None`` when the assistant's index could not be built."""

    corpus: ParsedCorpus
    library: ClauseLibrary | None = None
    library_error: str = ""
    embedder: Any = None
    data_dir: Path = DATA_DIR
    notes: list[str] = field(default_factory=list)
    chat_model: Any = None  # with --with-llm: answers and drafts are also scored with the model

    def data(self, name: str) -> Path:
        path = self.data_dir / name
        if not path.is_file():
            raise NotAvailable(f"no {name} in {self.data_dir}")
        return path

    def need_library(self) -> ClauseLibrary:
        if self.library is None:
            raise NotAvailable(f"the assistant's library is not available: {self.library_error}")
        return self.library


@dataclass
class FamilyResult:
    """The metrics of one family: ``metrics[system][metric]``; the assistant is ``assistant``."""

    name: str
    status: str = "ok"  # "ok" | "not available" | "error"
    reason: str = ""
    metrics: dict[str, dict[str, float | None]] = field(default_factory=dict)
    breakdown: dict[str, Any] = field(default_factory=dict)
    details: list[dict[str, Any]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "status": self.status,
            "reason": self.reason,
            "metrics": self.metrics,
            "breakdown": self.breakdown,
            "notes": self.notes,
            "seconds": round(self.seconds, 2),
            "details": self.details,
        }


def optional_function(module: str, name: str) -> Callable[..., Any]:
    """``module.name`` if that module exists and defines it; else :class:`NotAvailable`."""
    loaded = optional_module(module)
    function = getattr(loaded, name, None)
    if not callable(function):
        raise NotAvailable(f"{module} has no {name}() yet")
    return function


def optional_module(module: str) -> ModuleType:
    if importlib.util.find_spec(module) is None:
        raise NotAvailable(f"{module} does not exist yet")
    return importlib.import_module(module)


def run_family(
    name: str, function: Callable[[EvalContext], FamilyResult], context: EvalContext
) -> FamilyResult:
    """Run one family; a missing module gives "not available", a crash gives "error"."""
    started = time.perf_counter()
    try:
        result = function(context)
    except NotAvailable as missing:
        result = FamilyResult(name, status="not available", reason=str(missing))
    except Exception as error:  # a family must never stop the others
        result = FamilyResult(name, status="error", reason=f"{type(error).__name__}: {error}")
    result.seconds = time.perf_counter() - started
    return result


def percentile(values: list[float], q: float) -> float | None:
    """The q-th percentile (0-100) by nearest rank, ``None`` for no values."""
    if not values:
        return None
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))
    return ordered[index]
