"""What a case step records besides its note (channel, carrier and tracking, amount and currency): taken by the
JSON API with the same limits as the console's form, kept in the history, and passed on to customer-facing
systems -- the resolution view and the case.changed webhook -- without the message staff typed."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from sync.server.cli import main
from tests.central import factory as f
from tests.central.receiver import Receiver
from tests.central.server import CentralServer, run_central
from tests.central.test_webhooks import FAST, SECRET, add_webhook, wait_until

INTERNAL_MESSAGE = "Told her the warehouse mixed up bins again, per Anna"


@pytest.fixture
def central(db_url: str, tmp_path: Path) -> Iterator[CentralServer]:
    from sync.server.blobs import FileBlobStore

    with run_central(db_url, app_options={"webhook_policy": FAST, "blobs": FileBlobStore(tmp_path / "b")}) as server:
        yield server


def open_incident(station: httpx.Client, order_id: str, kind: str = "wrong_item") -> str:
    opened = f.incident_opened(order_id=order_id, kind=kind)
    assert len(station.post("/api/v1/events", json={"station_id": "ST-1", "events": [opened]}).json()["accepted"]) == 1
    return opened["payload"]["incident_id"]


def step(admin: httpx.Client, incident_id: str, status: str, **details: str) -> httpx.Response:
    return admin.post(f"/api/v1/incidents/{incident_id}/case", json={"status": status, "details": details})


def test_a_replacement_with_its_tracking_number_reaches_the_shop_and_the_message_does_not(
    central: CentralServer, station: httpx.Client, admin: httpx.Client, capsys: pytest.CaptureFixture[str]
) -> None:
    with Receiver(SECRET) as receiver:
        add_webhook(central.db_url, receiver.url, "case.changed", capsys)
        incident_id = open_incident(station, "SO-D1")
        notified = step(admin, incident_id, "customer_notified", channel="email", message=INTERNAL_MESSAGE)
        assert notified.status_code == 200, notified.text
        shipped = step(admin, incident_id, "replacement_shipped", carrier="DHL", tracking="JD0146 0001 2345")
        assert shipped.status_code == 200, shipped.text
        wait_until(lambda: len(receiver.delivered()) == 2, 30, "both case.changed deliveries")
        bodies = {r.body["data"]["to_status"]: r.body for r in receiver.all()}

    # The admin's history keeps everything, the message included.
    history = admin.get(f"/api/v1/incidents/{incident_id}").json()["history"]
    assert [h["details"] for h in history if h["kind"] == "case.transition"] == [
        {"channel": "email", "message": INTERNAL_MESSAGE},
        {"carrier": "DHL", "tracking": "JD0146 0001 2345"},
    ]
    # The shop sees how the customer was told and what was sent, never the message.
    assert main(["token", "issue", "--kind", "resolution", "shop", "--db", central.db_url]) == 0
    token = re.search(r"^token: (\S+)$", capsys.readouterr().out, re.M).group(1)  # type: ignore[union-attr]
    resolution = httpx.get(
        f"{central.base_url}/api/v1/orders/SO-D1/resolution", headers={"Authorization": f"Bearer {token}"}
    )
    steps = [s["details"] for s in resolution.json()["incidents"][0]["history"] if s["kind"] == "case.transition"]
    assert steps == [{"channel": "email"}, {"carrier": "DHL", "tracking": "JD0146 0001 2345"}]
    assert bodies["customer_notified"]["data"]["details"] == {"channel": "email"}
    assert bodies["replacement_shipped"]["data"]["details"] == {"carrier": "DHL", "tracking": "JD0146 0001 2345"}
    assert INTERNAL_MESSAGE not in resolution.text
    assert all(INTERNAL_MESSAGE not in str(b) for b in bodies.values())


def test_a_refund_amount_is_kept_to_the_cent_as_text(
    central: CentralServer, station: httpx.Client, admin: httpx.Client
) -> None:
    incident_id = open_incident(station, "SO-D2")
    assert step(admin, incident_id, "customer_notified", channel="phone", message="called").status_code == 200
    refunded = step(admin, incident_id, "refund_issued", amount="12.5", currency="EUR")
    assert refunded.status_code == 200, refunded.text
    (last,) = [h for h in refunded.json()["history"] if h["to_status"] == "refund_issued"]
    assert last["details"] == {"amount": "12.50", "currency": "EUR"}


@pytest.mark.parametrize(
    ("status", "details", "words"),
    [
        ("refund_issued", {"amount": "12.50", "currency": "EUR", "tracking": "X1"}, "takes details"),
        ("replacement_shipped", {"carrier": "DHL"}, "takes details"),
        ("refund_issued", {"amount": "0", "currency": "EUR"}, "greater than 0"),
        ("refund_issued", {"amount": "1.005", "currency": "EUR"}, "decimal places"),
        ("refund_issued", {"amount": "NaN", "currency": "EUR"}, "amount"),
        ("credit_issued", {"amount": "5.00", "currency": "XXX"}, "currency"),
        ("replacement_shipped", {"carrier": "DHL", "tracking": "<script>"}, "tracking"),
        ("customer_notified", {"channel": "pigeon", "message": "hi"}, "channel"),
        ("customer_notified", {"channel": "email", "message": "   "}, "message"),
    ],
)
def test_details_that_do_not_fit_are_refused_with_the_field_named_and_nothing_moves(
    central: CentralServer, station: httpx.Client, admin: httpx.Client, status: str, details: dict, words: str
) -> None:
    incident_id = open_incident(station, f"SO-D3-{status}")
    if status != "customer_notified":
        assert step(admin, incident_id, "customer_notified", channel="email", message="sent").status_code == 200
    before = admin.get(f"/api/v1/incidents/{incident_id}").json()
    refused = step(admin, incident_id, status, **details)
    assert refused.status_code == 422 and words in refused.text, refused.text
    assert admin.get(f"/api/v1/incidents/{incident_id}").json() == before
