"""Rotating a webhook's signing secret (command line and console) against a real receiver on 127.0.0.1, on
SQLite and PostgreSQL: during the overlap every delivery carries the new and the old signature, so the
receiver is fine with either secret; after it, the new one only."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest
from sqlalchemy import update

from sync.server.blobs import FileBlobStore
from sync.server.cli import main
from sync.server.db import make_engine
from sync.server.dispatch import RetryPolicy
from sync.server.models import Webhook
from sync.server.webhooks import sign, verify_signature
from tests.central.console_helpers import Browser, add_staff
from tests.central.receiver import Receiver
from tests.central.server import CentralServer, run_central
from tests.central.test_webhooks import SECRET, add_webhook, post_incidents, wait_until

QUICK = RetryPolicy(first_delay_s=0.05, factor=2.0, max_delay_s=0.2, max_attempts=50, timeout_s=1.0)


@pytest.fixture
def central(db_url: str, tmp_path: Path) -> Iterator[CentralServer]:
    options = {"webhook_policy": QUICK, "blobs": FileBlobStore(tmp_path / "b")}
    with run_central(db_url, app_options=options) as server:
        add_staff(server, "lee", "lead")
        add_staff(server, "sam", "service")
        yield server


def end_overlap(db_url: str, webhook_id: str) -> None:
    """The overlap window is over (what 24 hours would do)."""
    engine = make_engine(db_url)
    try:
        with engine.begin() as conn:
            conn.execute(
                update(Webhook)
                .where(Webhook.id == webhook_id)
                .values(previous_secret_until=datetime.now(UTC) - timedelta(seconds=1))
            )
    finally:
        engine.dispose()


def signatures(header: str) -> list[str]:
    return [p.split("=", 1)[1] for p in header.split(",") if p.startswith("v1=")]


def test_verify_accepts_any_v1_that_matches() -> None:
    body, now = b'{"id": "x"}', int(time.time())
    both = sign(["whsec_new-secret-123456", "whsec_old-secret-123456"], now, body)
    assert both.startswith(f"t={now},v1=") and len(signatures(both)) == 2
    assert verify_signature("whsec_new-secret-123456", both, body)
    assert verify_signature("whsec_old-secret-123456", both, body)
    assert not verify_signature("whsec_third-secret-12345", both, body)
    assert not verify_signature("whsec_old-secret-123456", both, body + b" ")


def test_rotating_on_the_command_line_keeps_deliveries_flowing_through_the_switch(
    central: CentralServer, station: httpx.Client, capsys: pytest.CaptureFixture[str]
) -> None:
    with Receiver(SECRET) as receiver:
        hook = add_webhook(central.db_url, receiver.url, "incident.opened", capsys)
        first = post_incidents(station, 1, order="SO-R1")
        wait_until(lambda: receiver.delivered() == set(first), 30, "the delivery before the rotation")
        assert len(signatures(receiver.all()[0].signature)) == 1

        assert main(["webhook", "rotate-secret", hook, "--db", central.db_url]) == 0
        out = capsys.readouterr().out
        new = out.split("secret: ")[1].split()[0]
        assert new.startswith("whsec_") and "carry the new and the old signature until" in out

        # The receiver still holds the old secret: accepted. Then it switches: accepted too.
        second = post_incidents(station, 1, order="SO-R2")
        wait_until(lambda: set(second) <= receiver.delivered(), 30, "the delivery with the old secret")
        receiver.secret = new
        third = post_incidents(station, 1, order="SO-R3")
        wait_until(lambda: set(third) <= receiver.delivered(), 30, "the delivery with the new secret")
        for got in receiver.all()[1:]:
            assert len(signatures(got.signature)) == 2
            assert verify_signature(new, got.signature, got.raw) and verify_signature(SECRET, got.signature, got.raw)

        end_overlap(central.db_url, hook)
        fourth = post_incidents(station, 1, order="SO-R4")
        wait_until(lambda: set(fourth) <= receiver.delivered(), 30, "the delivery after the overlap")
        last = [r for r in receiver.all() if r.event_id == fourth[0]][-1]
        assert signatures(last.signature) and len(signatures(last.signature)) == 1
        assert not verify_signature(SECRET, last.signature, last.raw)  # the old secret no longer signs
    assert all(r.signature_ok for r in receiver.all())  # never a delivery the receiver had to refuse

    # Bad input: words, exit 2, nothing changed.
    assert main(["webhook", "rotate-secret", hook, "--secret", "short", "--db", central.db_url]) == 1
    assert "16-256 printable characters" in capsys.readouterr().err
    assert main(["webhook", "rotate-secret", hook, "--overlap-hours", "-1", "--db", central.db_url]) == 1
    assert "0 to 720 hours" in capsys.readouterr().err
    assert main(["webhook", "rotate-secret", hook, "--secret", new, "--db", central.db_url]) == 1
    assert "is the current one" in capsys.readouterr().err


def test_a_lead_rotates_the_secret_from_the_console(
    central: CentralServer, station: httpx.Client, capsys: pytest.CaptureFixture[str]
) -> None:
    with Receiver(SECRET) as receiver:
        hook = add_webhook(central.db_url, receiver.url, "incident.opened", capsys)
        with Browser(central) as sam:
            sam.sign_in("sam")
            refused = sam.post(f"/console/webhooks/{hook}/rotate-secret", data={"csrf": sam.csrf})
            assert refused.status_code == 403
        with Browser(central) as lee:
            lee.sign_in("lee")
            page = lee.get(f"/console/webhooks/{hook}").text
            assert "Rotate secret</button>" in page
            assert lee.post(f"/console/webhooks/{hook}/rotate-secret", data={}).status_code == 403  # no CSRF
            bad = lee.post(f"/console/webhooks/{hook}/rotate-secret", data={"csrf": lee.csrf, "overlap_hours": "x"})
            assert bad.status_code == 422 and "0 to 720 hours" in bad.text
            done = lee.post(f"/console/webhooks/{hook}/rotate-secret", data={"csrf": lee.csrf, "overlap_hours": "24"})
            assert done.status_code == 200 and "Secret rotated." in done.text
            new = done.text.split('<code class="secret">')[1].split("<")[0]
            assert new.startswith("whsec_") and new != SECRET
            assert new not in lee.get(f"/console/webhooks/{hook}").text  # shown once
            assert "still signed with until" in lee.get(f"/console/webhooks/{hook}").text
        receiver.secret = new
        sent = post_incidents(station, 1, order="SO-C1")
        wait_until(lambda: set(sent) <= receiver.delivered(), 30, "the delivery checked with the new secret")
        assert len(signatures(receiver.all()[-1].signature)) == 2
