"""SyncClient.drain_once against the real central service (SQLite and PostgreSQL) on 127.0.0.1."""

from __future__ import annotations

from collections import Counter

import pytest

from station.outbox import Outbox
from sync.client import ConnectionState, SyncClient, SyncConfigError, backoff_delay
from tests.central.server import CentralServer
from tests.sync.conftest import STATION_ID
from tests.sync.helpers import (
    DROP_AFTER,
    FAIL_500,
    FORWARD,
    central_event_ids,
    enqueue_raw,
    faulty_proxy,
    fill_outbox,
    outbox_statuses,
)
from ui.bootstrap import Station


def client_for(outbox: Outbox, url: str, token: str, batch_size: int = 200) -> SyncClient:
    return SyncClient(outbox, STATION_ID, url, token, batch_size=batch_size, timeout=10)


def assert_exactly_once(db_url: str, station: Station, expected: list[str]) -> None:
    stored = central_event_ids(db_url)
    repeats = [eid for eid, n in Counter(stored).items() if n > 1]
    assert repeats == [], "an event was stored twice"
    assert sorted(stored) == sorted(expected), "an event was lost (or one appeared from nowhere)"
    statuses = outbox_statuses(station.db)
    assert set(statuses.values()) == {"sent"}, Counter(statuses.values())


def test_backlog_goes_out_in_batches_and_a_second_drain_sends_nothing(
    central: CentralServer, station: Station, outbox: Outbox
) -> None:
    ids = fill_outbox(station.db, 450)
    with client_for(outbox, central.base_url, central.issue_station_token(STATION_ID), batch_size=200) as client:
        first = client.drain_once()
        assert (first.sent, first.duplicates, first.parked, first.failed, first.batches) == (450, 0, 0, 0, 3)
        assert first.error is None and first.state is ConnectionState.CONNECTED
        again = client.drain_once()
    assert again.batches == 0 and again.sent == 0
    assert_exactly_once(central.db_url, station, ids)
    assert outbox.counts().pending == 0


def test_server_down_keeps_events_with_backoff_and_they_go_out_when_it_returns(
    central: CentralServer, station: Station, outbox: Outbox
) -> None:
    ids = fill_outbox(station.db, 30)
    token = central.issue_station_token(STATION_ID)
    central.stop()
    with client_for(outbox, central.base_url, token, batch_size=20) as client:
        down = client.drain_once()
        assert down.state is ConnectionState.OFFLINE and down.failed == 20 and down.sent == 0
        assert down.retry_after is not None and 1.0 <= down.retry_after <= 2.0  # first backoff step + jitter
        head = outbox.pending(1)[0]
        assert head.attempts == 1 and "ConnectError" in (head.last_error or "")
        # The background drain respects the backoff: the head is not due, so nothing is sent past it.
        waiting = client.drain_once(force=False)
        assert waiting.waiting and waiting.batches == 0
        central.start()
        back = client.drain_once(force=True)
    assert back.sent == 30 and back.error is None
    assert_exactly_once(central.db_url, station, ids)


def test_intermittent_500s_and_lost_responses_lose_nothing_and_store_nothing_twice(
    central: CentralServer, station: Station, outbox: Outbox
) -> None:
    """Every 3rd request fails with 500 before reaching the server; every 4th reaches it, is committed,
    and the answer never arrives. Draining until empty must end with each event stored exactly once."""
    ids = fill_outbox(station.db, 600)

    def plan(n: int) -> str:
        return FAIL_500 if n % 3 == 0 else DROP_AFTER if n % 4 == 0 else FORWARD

    token = central.issue_station_token(STATION_ID)
    with faulty_proxy(central.base_url, plan) as proxy, client_for(outbox, proxy.url, token, batch_size=50) as client:
        sent = duplicates = rounds = 0
        while outbox.counts().pending and rounds < 100:
            rounds += 1
            result = client.drain_once(force=True)
            sent += result.sent
            duplicates += result.duplicates
        assert proxy.counts[FAIL_500] > 0 and proxy.counts[DROP_AFTER] > 0
    assert sent + duplicates == 600
    assert duplicates > 0, "a lost response must come back as duplicates on the retry"
    assert_exactly_once(central.db_url, station, ids)


def test_malformed_event_is_parked_with_the_servers_reason_and_the_batch_goes_through(
    central: CentralServer, station: Station, outbox: Outbox
) -> None:
    good_before = fill_outbox(station.db, 5)
    bad = enqueue_raw(
        station.db,
        "incident.opened",
        {"incident_id": "not-a-uuid", "order_id": "SO-1", "kind": "shoplifted", "packer_id": "P-1"},
    )
    good_after = fill_outbox(station.db, 5)
    with client_for(outbox, central.base_url, central.issue_station_token(STATION_ID)) as client:
        result = client.drain_once()
        assert (result.sent, result.parked, result.batches) == (10, 1, 1)
        parked = outbox.parked()
        assert [e.event_id for e in parked] == [bad]
        reason = parked[0].last_error or ""
        assert "payload.kind" in reason and "payload.incident_id" in reason and "payload.detected_at" in reason
        # A parked event is not retried by a drain; retry-parked puts it back, and it is refused again.
        assert client.drain_once().batches == 0
        assert outbox.retry_parked() == 1
        assert client.drain_once().parked == 1
    assert sorted(central_event_ids(central.db_url)) == sorted(good_before + good_after)
    assert outbox_statuses(station.db)[bad] == "parked"


def test_unknown_and_revoked_tokens_are_refused_and_events_kept_untouched(
    central_sqlite: CentralServer, station: Station, outbox: Outbox
) -> None:
    central = central_sqlite
    ids = fill_outbox(station.db, 10)
    with client_for(outbox, central.base_url, "pg_not-a-real-token") as client:
        result = client.drain_once()
    assert result.state is ConnectionState.UNAUTHORIZED and result.error is not None
    assert result.error.startswith("unauthorized: check the station token")
    issued = central.issue_station(STATION_ID)
    central.revoke(issued.token_id)
    with client_for(outbox, central.base_url, issued.secret) as client:
        revoked = client.drain_once()
    assert revoked.state is ConnectionState.UNAUTHORIZED
    # Nothing parked, nothing counted as an attempt: the events are fine, the credentials are not. The
    # reason is kept, so `packgate sync status` shows it as the last failure.
    assert [(e.attempts, (e.last_error or "").split(" (")[0]) for e in outbox.pending(100)] == [
        (0, "unauthorized: check the station token")
    ] * 10
    assert outbox.counts().parked == 0 and central_event_ids(central.db_url) == []
    with client_for(outbox, central.base_url, central.issue_station_token(STATION_ID)) as client:
        assert client.drain_once().sent == 10
    assert sorted(central_event_ids(central.db_url)) == sorted(ids)


def test_a_token_of_another_station_is_forbidden(
    central_sqlite: CentralServer, station: Station, outbox: Outbox
) -> None:
    fill_outbox(station.db, 3)
    with client_for(outbox, central_sqlite.base_url, central_sqlite.issue_station_token("ST-2")) as client:
        result = client.drain_once()
    assert result.state is ConnectionState.FORBIDDEN and "ST-2" in (result.error or "")
    assert outbox.counts().pending == 3 and outbox.counts().parked == 0


def test_whole_request_4xx_keeps_events_pending_instead_of_parking_them(
    central_sqlite: CentralServer, station: Station, outbox: Outbox
) -> None:
    """A wrong URL path is answered 404 by the real server: our misconfiguration, not the events' fault."""
    fill_outbox(station.db, 4)
    token = central_sqlite.issue_station_token(STATION_ID)
    with client_for(outbox, central_sqlite.base_url + "/wrong-prefix", token) as client:
        result = client.drain_once()
    assert result.state is ConnectionState.ERROR and "HTTP 404" in (result.error or "")
    assert result.retry_after is not None and result.retry_after >= 60  # a person must act; do not hammer
    assert outbox.counts().pending == 4 and outbox.counts().parked == 0
    assert "HTTP 404" in (outbox.pending(1)[0].last_error or "")


def test_configuration_that_cannot_work_is_refused_up_front(outbox: Outbox) -> None:
    with pytest.raises(SyncConfigError, match="http"):
        SyncClient(outbox, STATION_ID, "central.example:8000", "t")
    with pytest.raises(SyncConfigError, match="token"):
        SyncClient(outbox, STATION_ID, "http://127.0.0.1:1", "")
    with pytest.raises(SyncConfigError, match="station id"):
        SyncClient(outbox, "bench 3/left", "http://127.0.0.1:1", "t")


def test_backoff_grows_exponentially_with_jitter_and_is_capped() -> None:
    first, fourth, huge = backoff_delay(1), backoff_delay(4), backoff_delay(40)
    assert 1.0 <= first <= 2.0
    assert 8.0 <= fourth <= 9.0
    assert huge == 300.0
