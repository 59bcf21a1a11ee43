"""MiniLM's ONNX graph variants side by side: the plain export, ONNX Runtime's transformer
optimizations (``optimize_model``, fp32: fused attention, LayerNorm, GELU) and dynamic int8
quantization, on batches of short questions, in one process, interleaved over ``--rounds``.

Reports, per variant and batch size, the CPU ms per query (``time.process_time``, the session's
pool threads included) and the vectors' agreement with the plain export (max abs difference and
lowest cosine).

    .venv/bin/python bench/onnx_graph.py --rounds 3
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench" / "load"))

os.environ.setdefault("HF_HUB_OFFLINE", "1")

from run import Perturbed, questions  # noqa: E402

from assistant.index.embedder import bundled_model_dir  # noqa: E402
from assistant.index.embedding_onnx import OnnxEmbedder, _export_onnx  # noqa: E402


def optimize(source: Path, target: Path) -> None:
    """ONNX Runtime's transformer fusions of the export (fp32, offline): attention, LayerNorm,
    GELU and bias fusions of BERT with 12 heads of a 384-wide hidden state."""
    from onnxruntime.transformers.optimizer import optimize_model

    model = optimize_model(str(source), model_type="bert", num_heads=12, hidden_size=384)
    model.save_model_to_file(str(target))


def with_threads(path: Path, model_dir: Path, threads: int) -> OnnxEmbedder:
    """An embedder of ``path`` whose session has ``threads`` intra-op threads (0: default)."""
    import onnxruntime

    embedder = OnnxEmbedder(path, model_dir)
    options = onnxruntime.SessionOptions()
    options.add_session_config_entry("session.intra_op.allow_spinning", "0")
    if threads:
        options.intra_op_num_threads = threads
    embedder._session = onnxruntime.InferenceSession(
        str(path), options, providers=["CPUExecutionProvider"]
    )
    return embedder


def cpu_ms_per_query(embedder: OnnxEmbedder, texts: list[str], batch: int) -> float:
    started = time.process_time()
    for start in range(0, len(texts), batch):
        embedder._encode(texts[start : start + batch])
    return (time.process_time() - started) * 1000 / len(texts)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=320, help="questions per measurement")
    parser.add_argument("--batches", default="1,8,16")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument(
        "--threads", default="0,1", help="intra-op threads to compare (0: ONNX Runtime's default)"
    )
    args = parser.parse_args()

    import numpy as np
    import onnx
    import onnxruntime
    from onnxruntime.quantization import QuantType, quantize_dynamic

    model_dir = bundled_model_dir()
    work = Path(tempfile.mkdtemp(prefix="onnx-graph-"))
    plain = work / "plain.onnx"
    _export_onnx(model_dir, plain)
    optimized = work / "optimized.onnx"
    optimize(plain, optimized)
    int8 = work / "int8.onnx"
    quantize_dynamic(str(plain), str(int8), weight_type=QuantType.QInt8)
    int8_optimized = work / "int8-optimized.onnx"
    quantize_dynamic(
        str(optimized),
        str(int8_optimized),
        weight_type=QuantType.QInt8,
        extra_options={"DefaultTensorType": onnx.TensorProto.FLOAT},
    )
    paths = {
        "plain export": plain,
        "optimized fp32": optimized,
        "int8 (dynamic)": int8,
        "optimized + int8": int8_optimized,
    }
    thread_counts = [int(t) for t in args.threads.split(",")]
    embedders = {
        (name, threads): with_threads(path, model_dir, threads)
        for name, path in paths.items()
        for threads in thread_counts
    }
    print(f"onnxruntime {onnxruntime.__version__}, {os.cpu_count()} cores, load {os.getloadavg()}")
    for name, path in paths.items():
        print(f"  {name}: {path.stat().st_size / 2**20:.1f} MiB")

    perturbed = Perturbed(questions(), 7)
    texts = [perturbed.next() for _ in range(args.count)]
    reference = np.array(embedders[("plain export", thread_counts[0])]._encode(texts))
    for (name, threads), embedder in embedders.items():
        vectors = np.array(embedder._encode(texts))
        cosine = (vectors * reference).sum(axis=1) / (
            np.linalg.norm(vectors, axis=1) * np.linalg.norm(reference, axis=1)
        )
        print(
            f"  {name}, {threads} threads: max abs diff {np.abs(vectors - reference).max():.2e}"
            f", lowest cosine {cosine.min():.6f}, mean cosine {cosine.mean():.6f}"
        )

    batches = [int(b) for b in args.batches.split(",")]
    results: dict[tuple[str, int, int], list[float]] = {}
    for _ in range(args.rounds):
        for batch in batches:
            for (name, threads), embedder in embedders.items():
                embedder._encode(texts[:batch])  # warm
                results.setdefault((name, threads, batch), []).append(
                    cpu_ms_per_query(embedder, texts, batch)
                )
    print(f"\nCPU ms per query (median of {args.rounds} rounds), load {os.getloadavg()}")
    print("| variant | threads | " + " | ".join(f"batch {b}" for b in batches) + " |")
    print("|---|---|" + "---|" * len(batches))
    for threads in thread_counts:
        for name in paths:
            cells = [f"{statistics.median(results[(name, threads, b)]):.2f}" for b in batches]
            print(f"| {name} | {threads or 'default'} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
