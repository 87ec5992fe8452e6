"""A failing endpoint's backoff kept in the database, and "send again" once the receiver is fixed: over real
HTTP to a real receiver on 127.0.0.1, on SQLite and PostgreSQL, from the console and the command line; the
delivery log paged back by delivery id; no webhook to a private address unless the site allows it."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy import select

from sync.server.blobs import FileBlobStore
from sync.server.cli import main
from sync.server.db import make_engine
from sync.server.dispatch import RetryPolicy
from sync.server.models import Webhook
from tests.central.console_helpers import Browser, add_staff
from tests.central.receiver import FAIL, OK, Receiver
from tests.central.server import CentralServer, run_central
from tests.central.test_webhooks import SECRET, add_webhook, deliveries, post_incidents, wait_until

# Gives up after 2 attempts, 0.05 s apart: "failed" within a second.
GIVES_UP = RetryPolicy(first_delay_s=0.05, factor=2.0, max_delay_s=0.1, max_attempts=2, timeout_s=1.0)
# After a failure the endpoint waits an hour: whatever is sent before that was released by hand.
LONG_BACKOFF = RetryPolicy(first_delay_s=3600.0, factor=2.0, max_delay_s=4 * 3600.0, max_attempts=28, timeout_s=1.0)


class Switch:
    """The receiver's behaviour, flipped by the test: failing until the receiver is 'fixed'."""

    def __init__(self) -> None:
        self.answer = FAIL

    def __call__(self, _event_id: str, _attempt: int) -> str:
        return self.answer


def held_until(db_url: str, webhook_id: str) -> object:
    engine = make_engine(db_url)
    try:
        with engine.connect() as conn:
            return conn.execute(select(Webhook.held_until).where(Webhook.id == webhook_id)).scalar_one()
    finally:
        engine.dispose()


@pytest.fixture
def policy() -> RetryPolicy:
    return GIVES_UP


@pytest.fixture
def central(db_url: str, tmp_path: Path, policy: RetryPolicy) -> Iterator[CentralServer]:
    options = {"webhook_policy": policy, "blobs": FileBlobStore(tmp_path / "b")}
    with run_central(db_url, app_options=options) as server:
        add_staff(server, "lee", "lead")
        yield server


def test_failed_deliveries_sent_again_from_the_console_arrive_once_each(
    central: CentralServer, station: httpx.Client, capsys: pytest.CaptureFixture[str]
) -> None:
    switch = Switch()
    with Receiver(SECRET, switch) as receiver:
        hook = add_webhook(central.db_url, receiver.url, "incident.opened", capsys)
        sent = post_incidents(station, 3)
        wait_until(lambda: {d.status for d in deliveries(central.db_url)} == {"failed"}, 30, "every delivery failed")
        with Browser(central) as lee:
            lee.sign_in("lee")
            log = lee.get(f"/console/webhooks/{hook}").text
            assert "Send all 3 failed again" in log and log.count(">Send again</button>") == 3
            one = deliveries(central.db_url)[0].id
            switch.answer = OK  # the receiver is fixed
            again = lee.post(f"/console/webhooks/{hook}/send-again", data={"csrf": lee.csrf, "delivery_id": str(one)})
            assert again.status_code == 303
            shown = lee.get(again.headers["location"]).text
            assert "1 failed delivery queued to be sent again" in shown
            wait_until(lambda: len(receiver.delivered()) == 1, 30, "the one delivery sent again")
            rest = lee.post(f"/console/webhooks/{hook}/send-again", data={"csrf": lee.csrf})
            assert "2 failed deliveries queued" in lee.get(rest.headers["location"]).text
            wait_until(lambda: len(receiver.delivered()) == 3, 30, "the other two")
            # Nothing failed is left to send again; a delivered one is not sent twice.
            assert "failed again" not in lee.get(f"/console/webhooks/{hook}").text
            twice = lee.post(f"/console/webhooks/{hook}/send-again", data={"csrf": lee.csrf, "delivery_id": str(one)})
            assert twice.status_code == 422 and "is delivered, not failed" in twice.text
            no_csrf = lee.post(f"/console/webhooks/{hook}/send-again", data={"delivery_id": str(one)})
            assert no_csrf.status_code == 403
        got = receiver.all()
    assert receiver.delivered() == set(sent)
    assert sorted(r.event_id for r in got if r.answered == OK) == sorted(sent)  # once each after the fix
    assert all(r.signature_ok for r in got)
    stored = deliveries(central.db_url)
    assert {d.status for d in stored} == {"delivered"} and all(d.attempts == 1 for d in stored)
    assert all("sent again by lee" in (d.last_error or "") or d.last_error is None for d in stored)


@pytest.mark.parametrize("policy", [LONG_BACKOFF])
def test_a_failing_endpoint_stays_held_across_a_restart_until_a_lead_sends_again(
    central: CentralServer, station: httpx.Client, capsys: pytest.CaptureFixture[str]
) -> None:
    switch = Switch()
    with Receiver(SECRET, switch) as receiver:
        hook = add_webhook(central.db_url, receiver.url, "incident.opened", capsys)
        post_incidents(station, 1, order="SO-H1")
        wait_until(lambda: len(receiver.all()) == 1, 30, "the first attempt")
        wait_until(lambda: held_until(central.db_url, hook) is not None, 10, "the hold stored")
        central.stop()  # the hold was kept only in memory before: a restart retried at once
        central.start()
        post_incidents(station, 1, order="SO-H2")  # queued while the endpoint is held
        time.sleep(2.5)  # two and a half polls of the dispatcher: a held endpoint gets nothing
        assert len(receiver.all()) == 1, "a held endpoint was sent to before its backoff ended"
        switch.answer = OK
        assert main(["webhook", "send-again", hook, "--db", central.db_url]) == 0
        assert "0 failed deliveries" in capsys.readouterr().out  # none failed for good yet: both were pending
        # The hold is released and the waiting retry pulled forward: both go within a poll or two.
        wait_until(lambda: len(receiver.delivered()) == 2, 30, "both deliveries after the release")
    assert held_until(central.db_url, hook) is None


def test_the_delivery_log_pages_back_by_delivery_id(
    central: CentralServer, station: httpx.Client, admin: httpx.Client, capsys: pytest.CaptureFixture[str]
) -> None:
    with Receiver(SECRET) as receiver:
        hook = add_webhook(central.db_url, receiver.url, "incident.opened", capsys)
        post_incidents(station, 105, order="SO-P")
        wait_until(lambda: len(receiver.delivered()) == 105, 60, "every delivery")
    ids = [d.id for d in deliveries(central.db_url)]
    with Browser(central) as lee:
        lee.sign_in("lee")
        first = lee.get(f"/console/webhooks/{hook}").text
        older = re.search(r'href="(/console/webhooks/[^"]+before=(\d+))" rel="next"', first)
        assert older is not None and int(older.group(2)) == ids[-100]
        assert first.count('<td class="n-delivered">') == 100
        second = lee.get(older.group(1).replace("&amp;", "&")).text
        assert second.count('<td class="n-delivered">') == 5 and 'rel="next"' not in second
        assert f"<td>{ids[0]}</td>" in second and f"<td>{ids[-1]}</td>" not in second
        assert lee.get(f"/console/webhooks/{hook}?before=x' or 1=1").status_code == 200  # ignored, not a 500
    page = admin.get(f"/api/v1/webhooks/{hook}/deliveries", params={"before": ids[-100], "limit": 1000})
    assert [d["id"] for d in page.json()["deliveries"]] == sorted(ids[:5], reverse=True)
    assert main(["webhook", "deliveries", hook, "--before", str(ids[-100]), "--db", central.db_url]) == 0
    out = capsys.readouterr().out.strip().splitlines()[1:]
    assert [int(line.split("\t")[0]) for line in out] == sorted(ids[:5], reverse=True)


@pytest.mark.parametrize(
    ("url", "refused"),
    [
        ("http://127.0.0.1:8080/hook", True),
        ("http://localhost/hook", True),
        ("http://10.1.2.3/hook", True),
        ("http://192.168.0.10/hook", True),
        ("http://169.254.169.254/latest/meta-data/", True),  # a cloud's metadata service
        ("http://[::1]/hook", True),
        ("http://[::ffff:127.0.0.1]/hook", True),
        ("http://0.0.0.0/hook", True),
        ("https://93.184.216.34/hook", False),  # a public address (given as such: no DNS needed)
        ("https://no-such-host.invalid/hook", True),  # does not resolve
    ],
)
def test_webhooks_go_to_public_addresses_only(url: str, refused: bool) -> None:
    from sync.server.webhook_targets import refusal

    assert (refusal(url) is not None) == refused, refusal(url)


def test_a_central_without_the_private_targets_flag_sends_nothing_to_loopback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db_url = f"sqlite:///{tmp_path / 'c.db'}"
    options = {"webhook_policy": GIVES_UP, "webhook_private_targets": False, "blobs": FileBlobStore(tmp_path / "b")}
    with run_central(db_url, app_options=options) as central, Receiver(SECRET) as receiver:
        add_webhook(db_url, receiver.url, "incident.opened", capsys)
        token = central.issue_station_token("ST-1")
        with httpx.Client(base_url=central.base_url, headers={"Authorization": f"Bearer {token}"}) as station:
            post_incidents(station, 1, order="SO-SSRF")
        wait_until(lambda: {d.status for d in deliveries(db_url)} == {"failed"}, 30, "the delivery given up")
        assert receiver.all() == []
    (failed,) = deliveries(db_url)
    assert "refused: 127.0.0.1 resolves to 127.0.0.1, not a public address" in (failed.last_error or "")
