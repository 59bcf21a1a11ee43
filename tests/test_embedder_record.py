"""Issue 17: the embedder the index was built with is recorded and a different one refused; the
query micro-batcher; the ONNX embedder gives the vectors of sentence-transformers."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from assistant.index import embedding
from assistant.index.database import read_embedder_record
from assistant.index.embedding import QueryBatcher, record_of, same_vectors
from assistant.index.library import EmbedderMismatchError, Library
from assistant.settings import Settings
from tests.conftest import CORPUS
from tests.fakes import FakeEmbedder


class OtherEmbedder(FakeEmbedder):
    """Another model: same dimension, other vectors."""

    name = "other-model"

    def _vector(self, text: str) -> list[float]:
        return super()._vector(f"{text} salt")


def test_the_first_embedder_is_recorded_and_the_same_one_accepted(tmp_path: Path) -> None:
    settings = Settings(home=tmp_path / "home", corpus=CORPUS)
    library = Library(settings, embedder=FakeEmbedder())
    library.ingest()
    recorded = read_embedder_record(library.database)
    assert recorded is not None and recorded["name"] == "fake-hashed-bow"
    assert recorded["dimension"] == 64 and len(recorded["fingerprint"]) == 8
    again = Library(settings, embedder=FakeEmbedder())
    assert again.search("regional preparatory meetings", k=3)


def test_another_embedder_is_refused_with_what_to_do_and_rebuild_fixes_it(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    shutil.copytree(CORPUS, corpus)
    settings = Settings(home=tmp_path / "home", corpus=corpus)
    Library(settings, embedder=FakeEmbedder()).ingest()
    other = Library(settings, embedder=OtherEmbedder())
    with pytest.raises(EmbedderMismatchError, match=r"fake-hashed-bow.*other-model.*--rebuild"):
        other.search("regional preparatory meetings")
    changed = corpus / "WRC-72-Rev-WRC-19.txt"
    changed.write_text(changed.read_text("utf-8").replace("preparatory", "preliminary"), "utf-8")
    with pytest.raises(EmbedderMismatchError):
        Library(settings, embedder=OtherEmbedder()).ingest()  # nothing mixed into the index
    report = Library(settings, embedder=OtherEmbedder()).rebuild()
    assert len(report.added) == 5 and not report.failed
    rebuilt = Library(settings, embedder=OtherEmbedder())
    assert rebuilt.search("regional preparatory meetings", k=3)
    assert (rebuilt.embedder_record() or {})["name"] == "other-model"
    with pytest.raises(EmbedderMismatchError):
        Library(settings, embedder=FakeEmbedder()).search("regional preparatory meetings")


def test_an_empty_index_takes_the_embedder_it_is_given(tmp_path: Path) -> None:
    settings = Settings(home=tmp_path / "home", corpus=CORPUS)
    assert Library(settings, embedder=FakeEmbedder()).embedder is not None
    library = Library(settings, embedder=OtherEmbedder())
    library.ingest()
    assert (library.embedder_record() or {})["name"] == "other-model"


def test_records_compare_by_model_and_test_vector_not_backend() -> None:
    a = record_of(FakeEmbedder())
    assert same_vectors(a, {**a, "backend": "OnnxEmbedder"})
    nudged = {**a, "fingerprint": [x + 1e-5 for x in a["fingerprint"]]}
    assert same_vectors(a, nudged)  # two runtimes of one model differ by ~1e-7
    assert not same_vectors(a, record_of(OtherEmbedder()))
    assert not same_vectors(a, {**a, "version": "other weights"})
    assert not same_vectors(a, record_of(FakeEmbedder(dimension=32)))


def test_concurrent_queries_share_passes_and_a_lone_query_never_waits() -> None:
    passes: list[list[str]] = []
    gate = threading.Event()

    def encode(texts: list[str]) -> list[list[float]]:
        passes.append(list(texts))
        gate.wait(1)
        return [[float(len(t))] for t in texts]

    batcher = QueryBatcher(encode, max_batch=8, wait_ms=500)
    gate.set()
    started = time.monotonic()
    assert batcher.embed("abc") == [3.0]
    assert time.monotonic() - started < 0.3, "a lone caller must not wait for company"

    gate.clear()
    passes.clear()
    results: dict[int, list[float]] = {}

    def ask(i: int) -> None:
        results[i] = batcher.embed("x" * i)

    threads = [threading.Thread(target=ask, args=(i,)) for i in range(1, 21)]
    for thread in threads:
        thread.start()
    time.sleep(0.2)
    gate.set()
    for thread in threads:
        thread.join(5)
    assert results == {i: [float(i)] for i in range(1, 21)}
    assert all(len(p) <= 8 for p in passes) and len(passes) < 20
    assert batcher.embed_many(["ab", "abcd"]) == [[2.0], [4.0]]


def test_texts_of_many_threads_split_across_passes_each_get_their_own_vectors() -> None:
    """32 threads, each embedding 1-5 texts at a time through passes of at most 3: every caller
    gets the vectors of its own texts, in order, and no pass is larger than the batch."""
    passes: list[int] = []

    def encode(texts: list[str]) -> list[list[float]]:
        passes.append(len(texts))
        time.sleep(0.001)
        return [[float(len(t)), float(t.count("y"))] for t in texts]

    batcher = QueryBatcher(encode, max_batch=3, wait_ms=1)
    failures: list[str] = []

    def client(number: int) -> None:
        for round_ in range(15):
            texts = ["x" * (number + i) + "y" * round_ for i in range(1 + (number + round_) % 5)]
            got = batcher.embed_many(texts)
            if got != [[float(len(t)), float(t.count("y"))] for t in texts]:
                failures.append(f"{number}/{round_}: {got}")

    threads = [threading.Thread(target=client, args=(n,)) for n in range(32)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(20)
    assert not any(thread.is_alive() for thread in threads), "a caller hangs"
    assert not failures, failures[:3]
    assert max(passes) <= 3 and len(passes) < sum(
        1 + (n + r) % 5 for n in range(32) for r in range(15)
    )


def test_a_model_that_drops_vectors_fails_its_callers_instead_of_hanging_them() -> None:
    gate = threading.Event()

    def encode(texts: list[str]) -> list[list[float]]:
        gate.wait(1)
        return [[1.0] for _ in texts[1:]]  # one vector short

    batcher = QueryBatcher(encode, max_batch=8, wait_ms=0)
    errors: list[BaseException] = []

    def ask(text: str) -> None:
        try:
            batcher.embed(text)
        except RuntimeError as error:
            errors.append(error)

    threads = [threading.Thread(target=ask, args=(f"q{i}",)) for i in range(6)]
    for thread in threads:
        thread.start()
    time.sleep(0.1)
    gate.set()
    for thread in threads:
        thread.join(5)
    assert not any(thread.is_alive() for thread in threads), "a caller hangs"
    assert len(errors) == 6 and all("vectors for" in str(e) for e in errors)


def test_an_error_reaches_every_caller_of_the_pass() -> None:
    def encode(texts: list[str]) -> list[list[float]]:
        raise RuntimeError("model gone")

    with pytest.raises(RuntimeError, match="model gone"):
        QueryBatcher(encode).embed("q")


def test_an_unknown_backend_is_a_clear_error() -> None:
    with pytest.raises(embedding.EmbeddingModelError, match=r"onnx.*torch"):
        embedding.default_embedder(backend="tensorflow")


@pytest.mark.slow
def test_onnx_embedder_gives_the_vectors_of_sentence_transformers(tmp_path: Path) -> None:
    onnx = embedding.default_embedder(backend="onnx", cache_dir=tmp_path)
    torch_model = embedding.default_embedder(backend="torch")
    assert isinstance(onnx, embedding.OnnxEmbedder)
    texts = [
        "regional preparatory meetings",
        "instructs the Director of the Telecommunication Standardization Bureau " * 12,
        "",
    ]
    for a, b in zip(onnx.embed_documents(texts), torch_model.embed_documents(texts), strict=True):
        assert a == pytest.approx(b, abs=1e-5)
    assert same_vectors(record_of(onnx), record_of(torch_model))
    for a, b in zip(onnx.embed_few(texts[:2]), onnx.embed_documents(texts[:2]), strict=True):
        assert a == pytest.approx(b, abs=1e-6)
    assert onnx.embed_query(texts[1]) == pytest.approx(torch_model.embed_query(texts[1]), abs=1e-5)
    exported = embedding.onnx_model_path(tmp_path)
    exported.write_bytes(exported.read_bytes()[:1000])  # a half-written or altered file
    assert embedding.ensure_onnx_model(tmp_path, embedding.bundled_model_dir()) == exported
    assert exported.stat().st_size > 1_000_000  # exported again


@pytest.mark.slow
def test_the_int8_graph_is_another_embedder_close_to_the_float_one(
    tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    floats = embedding.default_embedder(backend="onnx", cache_dir=tmp_path)
    int8 = embedding.default_embedder(backend="onnx-int8", cache_dir=tmp_path)
    assert isinstance(int8, embedding.OnnxEmbedder)
    assert int8.name == "all-MiniLM-L6-v2-int8"
    assert "pre-processing" not in capfd.readouterr().err  # the quantizer's advice is not shown
    texts = ["Who chairs the regional preparatory meetings?", "decides to extend the mandate"]
    for a, b in zip(int8.embed_documents(texts), floats.embed_documents(texts), strict=True):
        cosine = sum(x * y for x, y in zip(a, b, strict=True))
        assert 0.97 < cosine < 0.99999  # close, but not the same vectors
    assert not same_vectors(record_of(int8), record_of(floats))  # an index is rebuilt for it
    alone = int8.embed_documents(texts[:1])[0]
    assert int8.embed_documents([texts[0], "a longer text " * 20])[0] == alone  # not its batch
    assert int8.embed_few([texts[0], "short"])[0] == alone
    quantized = embedding.onnx_model_path(tmp_path, int8=True)
    assert quantized.stat().st_size < embedding.onnx_model_path(tmp_path).stat().st_size
    quantized.write_bytes(b"half")  # an altered copy is made again
    assert embedding.ensure_onnx_model(tmp_path, embedding.bundled_model_dir(), int8=True)
    assert quantized.stat().st_size > 1_000_000


@pytest.mark.slow
def test_query_commands_start_without_torch(tmp_path: Path) -> None:
    from tests.test_startup_imports import _heavy_modules

    home = tmp_path / "home"
    env = {**os.environ, "RESOLUTIONS_HOME": str(home), "HF_HUB_OFFLINE": "1"}
    subprocess.run(
        [sys.executable, "-c", "from assistant.cli import main; main()", "ingest", "--no-progress"],
        env=env,
        check=True,
        capture_output=True,
        timeout=600,
    )
    for args in (("search", "regional preparatory meetings"), ("ask", "Who organizes RPMs?")):
        heavy = _heavy_modules(*args, home=home)
        assert not heavy & {"torch", "sentence_transformers", "transformers"}, (args, heavy)
