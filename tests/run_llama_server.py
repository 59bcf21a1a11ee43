"""``python -m llama_cpp.server`` with weight repacking off, for the tests' real SmolLM2 server.

llama.cpp repacks Q4 weights into CPU-specific layouts ("extra buffer types"). On some x86 CPUs
with AVX-512 (seen on this project's Intel Xeon machines with llama-cpp-python 0.3.36) decoding a
batch of 4 or more tokens with the repacked weights crashes the process (SIGSEGV in
``llama_decode``), so every chat completion killed the server. Turning repacking off gives the
same model and the same output, a little slower. Arguments are those of ``llama_cpp.server``.
"""

from __future__ import annotations

import runpy

from llama_cpp import llama_cpp

_default_params = llama_cpp.llama_model_default_params


def _without_repacking() -> llama_cpp.llama_model_params:
    params = _default_params()
    params.use_extra_bufts = False
    return params


llama_cpp.llama_model_default_params = _without_repacking

if __name__ == "__main__":
    runpy.run_module("llama_cpp.server", run_name="__main__", alter_sys=True)
