"""Webhooks against real receivers on 127.0.0.1: signed, retried with backoff, at least once across a central
restart, one slow endpoint never holding up a healthy one; the CLI and the JSON delivery log."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy import select

from sync.server.cli import main
from sync.server.db import make_engine
from sync.server.dispatch import RetryPolicy
from sync.server.models import WebhookDelivery
from sync.server.webhooks import verify_signature
from tests.central import factory as f
from tests.central.receiver import FAIL, HANG, OK, TRICKLE, Receiver
from tests.central.server import CentralServer, run_central

SECRET = "whsec_test_0123456789abcdef"
FAST = RetryPolicy(first_delay_s=0.05, factor=2.0, max_delay_s=0.4, max_attempts=28, timeout_s=1.0)
# The bounds below compare with what a held worker would cost (a whole hang or trickle), with room for a busy
# CI machine: they tell "held" from "not held", they do not measure speed.
PATIENT = RetryPolicy(first_delay_s=0.05, factor=2.0, max_delay_s=0.4, max_attempts=28, timeout_s=8.0)


def wait_until(condition: Callable[[], bool], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {what}")
        time.sleep(0.02)


@pytest.fixture
def policy() -> RetryPolicy:
    return FAST


@pytest.fixture
def central(db_url: str, tmp_path: Path, policy: RetryPolicy) -> Iterator[CentralServer]:
    from sync.server.blobs import FileBlobStore

    with run_central(db_url, app_options={"webhook_policy": policy, "blobs": FileBlobStore(tmp_path / "b")}) as server:
        yield server


def add_webhook(db_url: str, url: str, events: str, capsys: pytest.CaptureFixture[str], secret: str = SECRET) -> str:
    assert main(["webhook", "add", url, "--events", events, "--secret", secret, "--db", db_url]) == 0
    out = capsys.readouterr().out
    return out.split("webhook id: ")[1].split()[0]


def deliveries(db_url: str) -> list[WebhookDelivery]:
    engine = make_engine(db_url)
    try:
        with engine.connect() as conn:
            return list(conn.execute(select(WebhookDelivery).order_by(WebhookDelivery.id)))  # type: ignore[arg-type]
    finally:
        engine.dispose()


def post_incidents(station: httpx.Client, n: int, order: str = "SO-W") -> list[str]:
    events = [f.incident_opened(order_id=f"{order}-{i}") for i in range(n)]
    answer = station.post("/api/v1/events", json={"station_id": "ST-1", "events": events})
    assert answer.status_code == 200 and len(answer.json()["accepted"]) == n
    return [e["event_id"] for e in events]


def test_every_event_is_delivered_signed_despite_failures_timeouts_and_a_central_restart(
    central: CentralServer, station: httpx.Client, admin: httpx.Client, capsys: pytest.CaptureFixture[str]
) -> None:
    # Each event: a 500, then a hang past the sender's 1 s timeout, then 200.
    behave = {1: FAIL, 2: HANG}
    with Receiver(SECRET, lambda _e, n: behave.get(n, OK), hang_s=2.5) as receiver:
        add_webhook(central.db_url, receiver.url, "incident.opened,case.changed", capsys)
        opened = post_incidents(station, 6)
        case_incident = f.incident_opened(order_id="SO-C-0")
        station.post("/api/v1/events", json={"station_id": "ST-1", "events": [case_incident]})
        incident_id = case_incident["payload"]["incident_id"]
        moved = admin.post(f"/api/v1/incidents/{incident_id}/case", json={"status": "customer_notified"})
        assert moved.status_code == 200
        wait_until(lambda: len(receiver.all()) >= 3, 10, "the first attempts")
        central.stop()  # deliveries pending: some failed once, some not tried yet
        pending = [d for d in deliveries(central.db_url) if d.status == "pending"]
        assert pending, "the restart must happen while deliveries are pending"
        central.start()
        wait_until(lambda: len(receiver.delivered()) == 8, 60, "every event delivered")
        got = receiver.all()
    stored = deliveries(central.db_url)
    assert len(stored) == 8 and {d.status for d in stored} == {"delivered"}
    case_changed = {str(d.event_id) for d in stored if d.event_type == "case.changed"}
    assert receiver.delivered() == set(map(str, [d.event_id for d in stored]))
    assert set(opened) <= {r.event_id for r in got if r.event_type == "incident.opened"}
    assert len(case_changed) == 1
    assert all(r.signature_ok for r in got) and all(r.idempotency_key == r.event_id for r in got)
    assert all(d.attempts >= 3 for d in stored)  # 500, timeout, 200 at least
    changed = next(r.body for r in got if r.event_type == "case.changed" and r.answered == OK)
    assert changed["data"]["from_status"] == "open" and changed["data"]["to_status"] == "customer_notified"
    assert changed["data"]["case"]["notified_at"] is not None


@pytest.mark.parametrize("policy", [PATIENT])
def test_a_slow_endpoint_does_not_delay_a_healthy_one(
    central: CentralServer, station: httpx.Client, capsys: pytest.CaptureFixture[str], policy: RetryPolicy
) -> None:
    with (
        Receiver(SECRET, lambda _e, _n: HANG, hang_s=20.0) as slow,
        Receiver(SECRET) as healthy,
    ):
        add_webhook(central.db_url, slow.url, "incident.opened", capsys)
        add_webhook(central.db_url, healthy.url, "incident.opened", capsys)
        started = time.monotonic()
        ids = post_incidents(station, 5)
        wait_until(lambda: healthy.delivered() == set(ids), 2 * policy.timeout_s, "the healthy endpoint")
        took = time.monotonic() - started
        assert slow.delivered() == set()
        # The slow endpoint holds one worker until its 8 s timeout, then backs off; the healthy one got all
        # five meanwhile, sooner than a single one of the slow endpoint's timeouts (one queue for both
        # would have made it wait at least that long, five times over without the hold).
        assert took < policy.timeout_s, f"the healthy endpoint waited {took:.2f} s"


def test_an_endpoint_trickling_an_endless_answer_does_not_hold_its_worker(
    central: CentralServer, station: httpx.Client, capsys: pytest.CaptureFixture[str]
) -> None:
    """200 at once, then one byte every 0.1 s for 30 s: httpx's read timeout never fires (each byte is in
    time), so without a bound on the answer the worker would be held for the whole 30 s per event."""
    trickle_s = 30.0
    with Receiver(SECRET, lambda _e, _n: TRICKLE, hang_s=trickle_s) as receiver:
        hook_id = add_webhook(central.db_url, receiver.url, "incident.opened", capsys)
        started = time.monotonic()
        ids = post_incidents(station, 2)
        wait_until(
            lambda: {str(d.event_id) for d in deliveries(central.db_url) if d.status == "delivered"} == set(ids),
            trickle_s * 2 / 3,
            "both deliveries recorded",
        )
        took = time.monotonic() - started
    # Held, the first delivery alone would take the whole trickle; both done in a third of it is not held.
    assert took < trickle_s / 3, f"{took:.1f} s for two deliveries"
    assert all(d.webhook_id == hook_id and d.attempts == 1 for d in deliveries(central.db_url))


def test_the_signature_check_of_the_protocol_refuses_tampering_and_old_timestamps() -> None:
    from sync.server.webhooks import sign

    body = b'{"id":"1","type":"case.changed"}'
    now = int(time.time())
    header = sign(SECRET, now, body)
    assert verify_signature(SECRET, header, body)
    assert not verify_signature(SECRET, header, body + b" ")
    assert not verify_signature("another-secret-of-16", header, body)
    assert not verify_signature(SECRET, sign(SECRET, now - 301, body), body)  # a replay
    assert not verify_signature(SECRET, "v1=" + header.split("v1=")[1], body)  # no timestamp


def test_cli_adds_lists_shows_deliveries_and_removes(
    central: CentralServer, station: httpx.Client, admin: httpx.Client, capsys: pytest.CaptureFixture[str]
) -> None:
    db = central.db_url
    with Receiver(SECRET, lambda _e, n: FAIL if n == 1 else OK) as receiver:
        hook_id = add_webhook(db, receiver.url, "incident.opened", capsys)
        (event_id,) = post_incidents(station, 1)
        wait_until(lambda: receiver.delivered() == {event_id}, 20, "the delivery")
    assert main(["webhook", "list", "--db", db]) == 0
    listed = capsys.readouterr().out
    assert hook_id in listed and "delivered=1" in listed and SECRET not in listed
    assert main(["webhook", "deliveries", hook_id, "--db", db]) == 0
    log = capsys.readouterr().out
    assert event_id in log and "\tdelivered\t2\t" in log

    api = admin.get("/api/v1/webhooks").json()
    assert [w["id"] for w in api["webhooks"]] == [hook_id] and SECRET not in str(api)
    (row,) = admin.get(f"/api/v1/webhooks/{hook_id}/deliveries").json()["deliveries"]
    assert (row["event_id"], row["status"], row["attempts"], row["last_status"]) == (event_id, "delivered", 2, 200)
    assert admin.get("/api/v1/webhooks/wh_nope/deliveries").status_code == 404
    for hostile in ("%00", "x" * 5000, "wh_0123456789ab"):
        answer = admin.get(f"/api/v1/webhooks/{hostile}/deliveries")
        assert answer.status_code == 404 and len(answer.text) < 300
    assert station.get("/api/v1/webhooks").status_code == 403

    assert main(["webhook", "remove", hook_id, "--db", db]) == 0
    assert "removed" in capsys.readouterr().out
    assert main(["webhook", "list", "--db", db]) == 0 and hook_id not in capsys.readouterr().out


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["ftp://x/y", "--events", "incident.opened"], "not a webhook URL"),
        (["https://shop.example/h", "--events", "order.eaten"], "unknown event type(s) order.eaten"),
        (["https://shop.example/h", "--events", "case.changed", "--secret", "short"], "the secret must be"),
    ],
)
def test_cli_refuses_bad_webhooks_with_a_message(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str], words: str
) -> None:
    db = f"sqlite:///{tmp_path / 'c.db'}"
    assert main(["webhook", "add", *args, "--db", db]) == 1
    assert words in capsys.readouterr().err
    assert main(["webhook", "deliveries", "wh_missing", "--db", db]) == 1
    assert "no webhook with id 'wh_missing'" in capsys.readouterr().err
