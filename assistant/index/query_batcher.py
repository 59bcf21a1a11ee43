"""The query micro-batcher: concurrent queries share one forward pass of an embedding model.

Used by every embedder of :mod:`assistant.index.embedding`; knows nothing of models (it is given
the function that turns a list of texts into vectors)."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

DEFAULT_QUERY_BATCH = 16
DEFAULT_QUERY_WAIT_MS = 2.0


class _Ticket:
    """One caller's texts: their vectors as they are computed, and the event that wakes it."""

    __slots__ = ("error", "event", "lead", "left", "vectors")

    def __init__(self, count: int) -> None:
        self.left = count
        self.vectors: list[list[float]] = [[] for _ in range(count)]
        self.error: BaseException | None = None
        self.event = threading.Event()  # set once: its vectors are done, or it leads
        self.lead = False


class QueryBatcher:
    """Concurrent queries share one forward pass of the model (a micro-batcher).

    Server threads that ask for a vector while another pass runs queue up; the thread that
    computes (the lead) runs what is queued (up to ``max_batch`` texts, oldest first) in one
    batch, far cheaper per text than one pass each, wakes the callers whose texts are done, and
    goes on until its own texts are done; then it hands the lead to the oldest caller still
    queued. Each caller sleeps on its own event: only the threads whose vectors are ready, or whose
    turn it is, wake (a shared condition woke every waiting thread at each pass and each new
    query, bench/RESULTS.md, issue 17). Under concurrency (the previous batch held more than one
    text) the lead first waits up to ``wait_ms`` for a full batch, so a burst of requests is not
    split into a batch of one and a batch of the rest; a lone caller (the CLI) never waits. Nobody
    starves under steady load: the queue is served oldest first.
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
        self._lock = threading.Lock()
        self._full = threading.Condition(self._lock)  # only the lead waits on it
        self._pending: list[tuple[str, _Ticket, int]] = []
        self._running = False
        self._last_batch = 0

    def embed(self, text: str) -> list[float]:
        """The vector of ``text``, computed alone or with the queries queued beside it."""
        return self.embed_many([text])[0]

    def embed_many(self, texts: list[str]) -> list[list[float]]:
        """The vectors of ``texts`` (a few: a question and some clauses), batched likewise."""
        if not texts:
            return []
        mine = _Ticket(len(texts))
        with self._lock:
            self._pending.extend((text, mine, i) for i, text in enumerate(texts))
            lead = not self._running
            self._running = True
            if not lead and len(self._pending) >= self._max_batch:
                self._full.notify()  # the lead may be waiting for a full batch
        if not lead:
            mine.event.wait()
        if lead or mine.lead:
            self._lead(mine)
        if mine.error is not None:
            raise mine.error
        return mine.vectors

    def _lead(self, mine: _Ticket) -> None:
        """Compute batches, oldest texts first, until ``mine`` is done; then pass the lead on."""
        try:
            while mine.left:
                with self._lock:
                    if self._wait and self._last_batch > 1:
                        deadline = time.monotonic() + self._wait
                        while len(self._pending) < self._max_batch:
                            left = deadline - time.monotonic()
                            if left <= 0:
                                break
                            self._full.wait(left)
                    batch = self._pending[: self._max_batch]
                    del self._pending[: self._max_batch]
                    self._last_batch = len(batch)
                self._compute(batch, mine)
        finally:
            with self._lock:
                if self._pending:  # hand the lead to the oldest caller still queued
                    following = self._pending[0][1]
                    following.lead = True
                    following.event.set()
                else:
                    self._running = False

    def _compute(self, batch: list[tuple[str, _Ticket, int]], mine: _Ticket) -> None:
        try:
            vectors: list[list[float]] | None = self._encode([text for text, _, _ in batch])
            error: BaseException | None = None
            if vectors is None or len(vectors) != len(batch):
                raise RuntimeError(
                    f"the model gave vectors for {len(vectors or [])} of {len(batch)} texts"
                )
        except BaseException as failure:
            vectors, error = None, failure
        for position, (_, ticket, index) in enumerate(batch):
            if vectors is None:
                ticket.error = error
            else:
                ticket.vectors[index] = vectors[position]
            ticket.left -= 1
            if not ticket.left and ticket is not mine:
                ticket.event.set()
