"""A batch that keeps failing with a server error is split to find the poison event: the rest is sent,
the poison event is parked with the server's answer; an outage parks nothing. Real central service,
real HTTP on 127.0.0.1, a real proxy that fails on one event as PostgreSQL did on a NUL."""

from __future__ import annotations

from pathlib import Path

import pytest

from station.outbox import Outbox
from sync.client import POISON_AFTER, SyncClient
from tests.central.server import CentralServer, run_central
from tests.sync.conftest import STATION_ID
from tests.sync.helpers import FAIL_500, FORWARD, central_event_ids, enqueue_raw, faulty_proxy, fill_outbox
from ui.bootstrap import Station
from ui.cli import main


def client_for(outbox: Outbox, url: str, token: str, batch_size: int = 200) -> SyncClient:
    return SyncClient(outbox, STATION_ID, url, token, batch_size=batch_size, timeout=10)


def test_one_poison_event_in_the_middle_is_parked_and_the_rest_drains(
    central: CentralServer, station: Station, outbox: Outbox
) -> None:
    ids = fill_outbox(station.db, 40)
    poison = ids[17]
    with (
        faulty_proxy(central.base_url, lambda n: FORWARD, fail_if=lambda body: poison.encode() in body) as proxy,
        client_for(outbox, proxy.url, central.issue_station_token(STATION_ID), batch_size=40) as client,
    ):
        results = [client.drain_once(force=True) for _ in range(POISON_AFTER)]
    # The first tries fail whole (it could be a passing hiccup); the last one splits the batch.
    assert [r.sent for r in results[:-1]] == [0] * (POISON_AFTER - 1)
    last = results[-1]
    assert (last.sent, last.parked, last.error) == (39, 1, None)
    assert sorted(central_event_ids(central.db_url)) == sorted(i for i in ids if i != poison)
    parked = outbox.parked()
    assert [e.event_id for e in parked] == [poison]
    assert parked[0].last_error is not None
    assert parked[0].last_error.startswith(
        "the central service fails on this event alone while others go through (HTTP 500: injected failure)"
    )
    posts = [r for r in proxy.requests if r[0] == "POST"]
    assert len(posts) <= POISON_AFTER + 2 * 6, posts  # about 2·log2(40) requests to find it, not 40
    assert outbox.counts().pending == 0


def test_a_server_that_fails_everything_is_an_outage_and_nothing_is_parked(
    central: CentralServer, station: Station, outbox: Outbox
) -> None:
    ids = fill_outbox(station.db, 10)
    with (
        faulty_proxy(central.base_url, lambda n: FAIL_500) as proxy,
        client_for(outbox, proxy.url, central.issue_station_token(STATION_ID)) as client,
    ):
        results = [client.drain_once(force=True) for _ in range(POISON_AFTER + 2)]
    assert all(r.sent == 0 and r.parked == 0 and r.error for r in results)
    assert outbox.counts().parked == 0 and outbox.counts().pending == 10
    with client_for(outbox, central.base_url, central.issue_station_token(STATION_ID)) as client:
        assert client.drain_once(force=True).sent == 10
    assert sorted(central_event_ids(central.db_url)) == sorted(ids)


def test_a_batch_over_the_body_limit_is_split_and_an_event_too_big_alone_is_parked(
    tmp_path: Path, station: Station, outbox: Outbox
) -> None:
    ids = fill_outbox(station.db, 30)
    big = enqueue_raw(
        station.db,
        "pack.cancelled",
        {"order_id": "SO-BIG", "packer_id": "P-1", "reason": "x" * 3900, "cancelled_at": "2026-01-01T00:00:00+00:00"},
    )
    with (
        run_central(f"sqlite:///{tmp_path / 'c.db'}", app_options={"max_body_bytes": 4000}) as central,
        client_for(outbox, central.base_url, central.issue_station_token(STATION_ID)) as client,
    ):
        result = client.drain_once(force=True)
        assert (result.sent, result.parked, result.error) == (30, 1, None)
        assert sorted(central_event_ids(central.db_url)) == sorted(ids)
    (parked,) = outbox.parked()
    assert parked.event_id == big and "too large" in (parked.last_error or "") and "HTTP 413" in parked.last_error


def test_a_poison_parked_event_can_be_shown_and_queued_again_once_the_cause_is_fixed(
    central: CentralServer, station: Station, outbox: Outbox, capsys: pytest.CaptureFixture[str]
) -> None:
    ids = fill_outbox(station.db, 6)
    token = central.issue_station_token(STATION_ID)
    with (
        faulty_proxy(central.base_url, lambda n: FORWARD, fail_if=lambda body: ids[2].encode() in body) as proxy,
        client_for(outbox, proxy.url, token) as client,
    ):
        for _ in range(POISON_AFTER):
            client.drain_once(force=True)
    seq = outbox.parked()[0].seq
    cli = ("--data-dir", str(station.paths.root), "--station", STATION_ID)
    assert main(["sync", "parked", *cli]) == 0
    assert f"#{seq} pack.sealed {ids[2]}" in capsys.readouterr().out
    assert main(["sync", "parked", "show", str(seq), *cli]) == 0
    shown = capsys.readouterr().out
    assert "fails on this event alone" in shown and '"order_id": "SO-000000"' in shown
    assert main(["sync", "retry-parked", *cli]) == 0  # it passes the wire checks: queued again
    assert capsys.readouterr().out.strip() == "1 parked event(s) queued again"
    with client_for(outbox, central.base_url, token) as client:  # the server was fixed
        assert client.drain_once(force=True).sent == 1
    assert sorted(central_event_ids(central.db_url)) == sorted(ids)


def test_sync_status_shows_the_last_failure_after_a_refused_token(
    central_sqlite: CentralServer, station: Station, capsys: pytest.CaptureFixture[str]
) -> None:
    fill_outbox(station.db, 2)
    cli = ("--data-dir", str(station.paths.root), "--station", STATION_ID)
    assert main(["sync", "run", "--url", central_sqlite.base_url, "--token", "pgt_wrong", *cli]) == 4
    capsys.readouterr()
    assert main(["sync", "status", *cli]) == 0
    out = capsys.readouterr().out
    assert "last failure (0 attempt(s)): unauthorized: check the station token" in out


def test_an_unstorable_event_is_parked_by_the_server_and_retry_parked_says_why(
    central: CentralServer, station: Station, outbox: Outbox, capsys: pytest.CaptureFixture[str]
) -> None:
    """A camera QR code holding 0x00: the server rejects that one event with its reason."""
    fill_outbox(station.db, 3)
    bad = enqueue_raw(
        station.db,
        "incident.opened",
        {
            "incident_id": "6f1b6c8e-4b8f-4a5e-9f55-0c1d2e3f4a5b",
            "order_id": "SO-1",
            "kind": "invalid_code",
            "code": "QR\x00DATA",
            "packer_id": "P-1",
            "detected_at": "2026-01-01T10:00:00+00:00",
        },
    )
    with client_for(outbox, central.base_url, central.issue_station_token(STATION_ID)) as client:
        result = client.drain_once(force=True)
    assert (result.sent, result.parked) == (3, 1)
    cli = ("--data-dir", str(station.paths.root), "--station", STATION_ID)
    assert main(["sync", "retry-parked", *cli]) == 5
    err = capsys.readouterr().err
    assert f"{bad} stays parked, it cannot pass: payload.code: Value error, contains a NUL character" in err
    assert [e.event_id for e in outbox.parked()] == [bad]


def test_a_server_failing_every_event_while_healthy_parks_nothing(
    central: CentralServer, station: Station, outbox: Outbox
) -> None:
    """/health answers but every batch fails (a bug in ingest): events must not be parked one by one."""
    ids = fill_outbox(station.db, 16)
    with (
        faulty_proxy(central.base_url, lambda n: FORWARD, fail_if=lambda body: b'"events"' in body) as proxy,
        client_for(outbox, proxy.url, central.issue_station_token(STATION_ID)) as client,
    ):
        results = [client.drain_once(force=True) for _ in range(POISON_AFTER + 1)]
    assert all(r.sent == 0 and r.parked == 0 and r.error for r in results)
    assert outbox.counts().parked == 0 and outbox.counts().pending == 16
    posts = [r for r in proxy.requests if r[0] == "POST"]
    assert len(posts) <= 2 * POISON_AFTER + 2 * 5, len(posts)  # gives up after two lone failures, not 2n
    with client_for(outbox, central.base_url, central.issue_station_token(STATION_ID)) as client:
        assert client.drain_once(force=True).sent == 16
    assert sorted(central_event_ids(central.db_url)) == sorted(ids)
