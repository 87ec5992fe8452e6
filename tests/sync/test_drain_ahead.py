"""The drain reads the next batch while this one is posted (sync/drain_ahead.py): nothing is sent ahead of its
turn, so the order and exactly-once are those of the plain loop, against the real central service."""

from __future__ import annotations

from collections.abc import Sequence

from station.outbox import Outbox, OutboxEvent
from sync.client import SyncClient
from sync.drain_answer import BatchAnswer
from tests.central.server import CentralServer
from tests.sync.conftest import STATION_ID
from tests.sync.helpers import central_event_ids, fill_outbox
from ui.bootstrap import Station


class RecordingClient(SyncClient):
    """The real client, noting the seq numbers of every batch it posts; ``after_first_post`` runs once the
    first batch's answer is in (a person acting while the drain runs)."""

    def __init__(self, *args: object, after_first_post: object = None, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.posted: list[list[int]] = []
        self._after_first_post = after_first_post

    def post_batch(self, batch: Sequence[OutboxEvent]) -> BatchAnswer:
        answer = super().post_batch(batch)
        self.posted.append([e.seq for e in batch])
        if len(self.posted) == 1 and callable(self._after_first_post):
            self._after_first_post()
        return answer


def test_batches_go_out_in_seq_order_each_event_once(
    central_sqlite: CentralServer, station: Station, outbox: Outbox
) -> None:
    ids = fill_outbox(station.db, 23)
    token = central_sqlite.issue_station_token(STATION_ID)
    with RecordingClient(outbox, STATION_ID, central_sqlite.base_url, token, batch_size=5) as client:
        result = client.drain_once(force=False)
    assert result.sent == 23 and result.error is None
    sent = [seq for batch in client.posted for seq in batch]
    assert sent == sorted(sent) and len(set(sent)) == 23
    assert [len(b) for b in client.posted] == [5, 5, 5, 5, 3]
    assert sorted(central_event_ids(central_sqlite.db_url)) == sorted(ids)


def test_an_older_event_put_back_while_a_batch_is_posted_goes_before_the_rows_read_ahead(
    central_sqlite: CentralServer, station: Station, outbox: Outbox
) -> None:
    ids = fill_outbox(station.db, 12)
    oldest = outbox.pending(1)[0]
    outbox.park(oldest.event_id, "rejected by the central service: test")  # parked before the drain
    token = central_sqlite.issue_station_token(STATION_ID)
    with RecordingClient(
        outbox,
        STATION_ID,
        central_sqlite.base_url,
        token,
        batch_size=4,
        after_first_post=lambda: outbox.requeue([oldest.event_id]),  # `packgate sync retry-parked`, meanwhile
    ) as client:
        result = client.drain_once()
    assert result.error is None and outbox.counts().pending == 0
    # The first batch was seq 2-5 and the next was read ahead as 6-9; the event put back (seq 1) is the head of
    # the queue once the first answer is filed, so the next batch is read again and starts with it.
    assert client.posted[0] == [2, 3, 4, 5]
    assert client.posted[1] == [1, 6, 7, 8]
    assert sorted(central_event_ids(central_sqlite.db_url)) == sorted(ids)
