"""The query micro-batcher: concurrent queries share one forward pass of an embedding model.

Used by every embedder of :mod:`assistant.index.embedding`; knows nothing of models (it is given
the function that turns a list of texts into vectors)."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from concurrent.futures import Future

DEFAULT_QUERY_BATCH = 16
DEFAULT_QUERY_WAIT_MS = 2.0


class QueryBatcher:
    """Concurrent queries share one forward pass of the model (a micro-batcher).

    Server threads that ask for a vector while another pass runs queue up; when the pass ends, one
    of them computes what is queued (up to ``max_batch`` texts) in one batch, far cheaper per text
    than one pass each, and hands over. Under concurrency (the previous batch held more than one
    text) the thread about to compute first waits up to ``wait_ms`` for more texts to join, so a
    burst of requests is not split into a batch of one and a batch of the rest; a lone caller (the
    CLI) never waits. A caller computes at most one batch beyond waiting for its own, so nobody
    starves under steady load.
    """

    def __init__(
        self,
        encode: Callable[[list[str]], list[list[float]]],
        max_batch: int = DEFAULT_QUERY_BATCH,
        wait_ms: float = DEFAULT_QUERY_WAIT_MS,
    ):
        self._encode = encode
        self._max_batch = max(1, int(max_batch))
        self._wait = max(0.0, float(wait_ms)) / 1000.0
        self._turn = threading.Condition()
        self._pending: list[tuple[str, Future[list[float]]]] = []
        self._running = False
        self._last_batch = 0

    def embed(self, text: str) -> list[float]:
        """The vector of ``text``, computed alone or with the queries queued beside it."""
        return self.embed_many([text])[0]

    def embed_many(self, texts: list[str]) -> list[list[float]]:
        """The vectors of ``texts`` (a few: a question and some clauses), batched likewise."""
        if not texts:
            return []
        futures: list[Future[list[float]]] = [Future() for _ in texts]
        with self._turn:
            self._pending.extend(zip(texts, futures, strict=True))
            self._turn.notify_all()
        last = futures[-1]
        while True:
            with self._turn:
                while self._running and not last.done():
                    self._turn.wait()
                if last.done():
                    return [future.result() for future in futures]
                self._running = True
                if self._wait and self._last_batch > 1:
                    deadline = time.monotonic() + self._wait
                    while len(self._pending) < self._max_batch:
                        left = deadline - time.monotonic()
                        if left <= 0:
                            break
                        self._turn.wait(left)
                batch = self._pending[: self._max_batch]
                self._pending = self._pending[self._max_batch :]
                self._last_batch = len(batch)
            try:
                self._compute(batch)
            finally:
                with self._turn:
                    self._running = False
                    self._turn.notify_all()

    def _compute(self, batch: list[tuple[str, Future[list[float]]]]) -> None:
        try:
            vectors = self._encode([text for text, _ in batch])
        except BaseException as error:
            for _, future in batch:
                future.set_exception(error)
            return
        for (_, future), vector in zip(batch, vectors, strict=True):
            future.set_result(vector)
