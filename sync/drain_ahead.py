"""Reading the next batch while the current one is posted (``sync.drain``): the outbox read and the wire check
of the next rows overlap the POST of this one, instead of following it.

Nothing is *sent* ahead: one batch is in flight at a time, and the next is posted only after this one's
answer is filed, so exactly-once (the server's idempotency on ``event_id``) and the ``seq`` order are those of
the plain loop. The rows read ahead are those after the batch in flight (``seq`` greater than its last); they
are used only if, once the answer is filed, the oldest pending row of the whole queue is the first of them.
Anything older still pending at that point (an event the answer did not acknowledge and that now backs off,
a parked event a person put back) means the read-ahead is thrown away and the batch read afresh, exactly as
without it. Only the reading and checking happen in the helper thread; parking a row that fails the checks,
and every other write, stays in the drain's thread.
"""

from __future__ import annotations

import logging
from concurrent.futures import Future, ThreadPoolExecutor
from types import TracebackType

from station.outbox import Outbox, OutboxEvent
from sync.outbound import Outgoing, prepare

logger = logging.getLogger("sync.client")

Prepared = tuple[list[Outgoing], list[tuple[OutboxEvent, list[str]]]]


class ReadAhead:
    """One read-ahead at a time, for one ``drain_once``; use it as a context manager."""

    def __init__(self, outbox: Outbox, station_id: str, batch_size: int) -> None:
        self._outbox = outbox
        self._station_id = station_id
        self._batch_size = batch_size
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="drain-read-ahead")
        self._future: Future[tuple[list[OutboxEvent], Prepared]] | None = None

    def __enter__(self) -> ReadAhead:
        return self

    def __exit__(self, *_exc: tuple[type[BaseException] | None, BaseException | None, TracebackType | None]) -> None:
        self._future = None
        self._pool.shutdown(wait=True, cancel_futures=True)

    def start(self, after_seq: int, due_only: bool) -> None:
        """Read and check the batch after ``after_seq`` in the helper thread."""
        self._future = self._pool.submit(self._read, after_seq, due_only)

    def _read(self, after_seq: int, due_only: bool) -> tuple[list[OutboxEvent], Prepared]:
        rows = self._outbox.pending(self._batch_size, due_only=due_only, after_seq=after_seq)
        return rows, prepare(rows, self._station_id)

    def take(self) -> tuple[list[OutboxEvent], Prepared] | None:
        """The batch read ahead, if it is still the head of the queue; None: read it afresh."""
        future, self._future = self._future, None
        if future is None:
            return None
        try:
            rows, prepared = future.result()
        except Exception as exc:  # a storage error: the fresh read reports it, if it persists
            logger.info("reading the next batch ahead failed (%s); reading it again", exc)
            return None
        if not rows:
            return None
        head = self._outbox.pending(1)
        if not head or head[0].seq != rows[0].seq:
            return None  # something older is pending again: it goes first, as it would without read-ahead
        return rows, prepared
