"""Deterministic fakes for fast tests: an embedder that needs no model."""

from __future__ import annotations

import hashlib
import math
import re
from collections.abc import Sequence

_WORD = re.compile(r"[a-z0-9]+")


class FakeEmbedder:
    """Hashed bag of words (and word stems of 5 letters), normalized: similar words, near vectors.

    Deterministic across processes (sha1, not ``hash()``), so indexes built in subprocesses match.
    """

    name = "fake-hashed-bow"

    def __init__(self, dimension: int = 64) -> None:
        self.dimension = dimension
        self.calls = 0
        self.texts_embedded = 0

    def _vector(self, text: str) -> list[float]:
        vector = [0.0] * self.dimension
        for word in _WORD.findall(text.lower()):
            for token in {word, word[:5]}:
                digest = hashlib.sha1(token.encode()).digest()
                index = int.from_bytes(digest[:4], "big") % self.dimension
                vector[index] += 1.0 if digest[4] % 2 else -1.0
        norm = math.sqrt(sum(v * v for v in vector)) or 1.0
        if norm == 1.0 and not any(vector):
            vector[0] = 1.0
        return [v / norm for v in vector]

    def embed_documents(self, texts: Sequence[str]) -> list[list[float]]:
        self.calls += 1
        self.texts_embedded += len(texts)
        return [self._vector(text) for text in texts]

    def embed_query(self, text: str) -> list[float]:
        return self._vector(text)
