"""all-MiniLM-L6-v2 on ONNX Runtime: the session, and the export of the packaged weights.

:class:`OnnxEmbedder` gives the vectors of sentence-transformers (max difference 2e-7,
bench/RESULTS.md, issue 17) with ONNX Runtime and the Rust ``tokenizers``, no torch in the process
(a query command starts in about a second instead of five). The ONNX graph is exported from the
packaged weights once, at first use (torch and ``onnx``, locally, nothing downloaded), into the
model cache (``RESOLUTIONS_MODEL_CACHE``), and checked by sha256 at every load.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import logging
import os
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

from assistant.index.embedder import (
    MAX_TOKENS,
    MODEL_NAME,
    WEIGHTS_SHA256,
    file_sha256,
    quiet_transformers,
    verify_model_dir,
)
from assistant.index.query_batcher import DEFAULT_QUERY_BATCH, DEFAULT_QUERY_WAIT_MS, QueryBatcher
from assistant.settings import forbid_hub_downloads

ONNX_EXPORT_VERSION = "1"  # bump when the export below changes (a new file name, a new export)
INT8_VERSION = "1"  # bump when the quantization in _quantize changes
INT8_SUFFIX = "-int8"  # the int8 embedder's name: MODEL_NAME + INT8_SUFFIX
GROUP_TOKENS = 2048  # tokens (texts x longest) of one ONNX run; measured in bench/RESULTS.md
log = logging.getLogger(__name__)


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
        name: str = MODEL_NAME,
    ) -> None:
        import numpy as np
        import onnxruntime
        from tokenizers import Tokenizer

        self._np = np
        self.name = name  # MODEL_NAME, or MODEL_NAME + INT8_SUFFIX for the int8 graph
        self.version = WEIGHTS_SHA256
        self.dimension = 384
        self.batch_size = batch_size
        tokenizer = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
        tokenizer.enable_truncation(MAX_TOKENS)
        tokenizer.no_padding()  # groups of similar length are padded in _encode
        self._tokenizer = tokenizer
        options = onnxruntime.SessionOptions()
        options.log_severity_level = 3
        # Idle pool threads sleep instead of spinning: on a shared 2-core server the spinning
        # took a third of a search's CPU from the requests around it (bench/RESULTS.md, issue 17).
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
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


def onnx_model_path(cache_dir: Path, *, int8: bool = False) -> Path:
    """Where the ONNX export of the packaged weights lives (named by their sha256); ``int8``:
    its copy with int8 MatMul weights (:func:`ensure_onnx_model`)."""
    stem = f"{MODEL_NAME}-{WEIGHTS_SHA256[:16]}-v{ONNX_EXPORT_VERSION}"
    return cache_dir / (f"{stem}-int8-v{INT8_VERSION}.onnx" if int8 else f"{stem}.onnx")


def ensure_onnx_model(cache_dir: Path, model_dir: Path, *, int8: bool = False) -> Path:
    """The ONNX graph of the packaged MiniLM, exported once (torch and ``onnx``, offline) and
    checked by sha256 at each load against the sidecar written with it; an altered or half-written
    file is made again. Several processes starting together make it once (a file lock).

    ``int8``: the export with its MatMul weights quantized to int8, per output channel (ONNX
    Runtime's ``quantize_dynamic``; activations quantized at run time). 2.4x faster a query on
    a CPU with VNNI, vectors within cosine ~0.98 of the float ones (bench/RESULTS.md, issue 17):
    another embedder for the index (:data:`INT8_SUFFIX` in its name)."""
    if int8:  # the float export is needed (and checked) only to make the int8 copy

        def quantize(partial: Path) -> None:
            _quantize(ensure_onnx_model(cache_dir, model_dir), partial)

        return _ensure_file(onnx_model_path(cache_dir, int8=True), quantize)

    def export(partial: Path) -> None:
        verify_model_dir(model_dir)
        _export_onnx(model_dir, partial)

    return _ensure_file(onnx_model_path(cache_dir), export)


def _ensure_file(target: Path, make: Callable[[Path], None]) -> Path:
    """``target``, made by ``make(partial)`` unless a complete copy is there (its sha256 in a
    sidecar); made under a file lock, then moved into place."""
    sidecar = target.with_suffix(".json")
    if _onnx_file_ok(target, sidecar):
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    with _file_lock(target.parent / f".{target.name}.lock"):
        if _onnx_file_ok(target, sidecar):
            return target
        started = time.monotonic()
        partial = target.with_name(f".{target.name}.{os.getpid()}.tmp")
        try:
            make(partial)
            digest = file_sha256(partial)
            os.replace(partial, target)
        finally:
            partial.unlink(missing_ok=True)
        sidecar.write_text(
            json.dumps({"weights_sha256": WEIGHTS_SHA256, "onnx_sha256": digest}), "utf-8"
        )
        log.info("made %s in %.1f s", target, time.monotonic() - started)
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


def _quantize(source: Path, target: Path) -> None:
    """int8 weights for the MatMuls of ``source`` (per output channel, signed), nothing else: the
    variant that kept the vectors closest among those measured (bench/RESULTS.md, issue 17)."""
    from onnxruntime.quantization import QuantType, quantize_dynamic

    with _root_logger_muted():  # its advice to pre-process goes to the root logger (stderr)
        quantize_dynamic(
            str(source),
            str(target),
            op_types_to_quantize=["MatMul"],
            per_channel=True,
            weight_type=QuantType.QInt8,
        )


@contextlib.contextmanager
def _root_logger_muted() -> Iterator[None]:
    """Records logged on the root logger itself are dropped meanwhile, and ``logging.warning``
    finds a handler, so it does not install ``basicConfig``'s for the rest of the process."""
    root = logging.getLogger()
    guard = logging.NullHandler()

    def drop(record: logging.LogRecord) -> bool:
        return False

    root.addHandler(guard)
    root.addFilter(drop)
    try:
        yield
    finally:
        root.removeFilter(drop)
        root.removeHandler(guard)


def _export_onnx(model_dir: Path, target: Path) -> None:
    """Export the packaged weights (BERT, last hidden state) to ONNX with torch, offline."""
    forbid_hub_downloads()
    quiet_transformers()
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
