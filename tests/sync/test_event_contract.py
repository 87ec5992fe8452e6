"""The event contract between the station and the central service, checked with real parts.

The real `StationService` packs a shift (an incident, a clearance, seals, a cancel, an escalation, the
largest order a station can load, a shift hand-over and an audited action); every outbox row it wrote is
fed through the wire schema the central service validates with, then posted to a real central service on
127.0.0.1: everything is accepted and central stores the very payload the station stored.

And the other way round: a row that fails the wire checks (left by an older version, edited on disk) is
parked on the station with a readable reason and never sent, while the valid rows around it are delivered.
"""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select, update

from rules.events import EventType
from rules.orders import MAX_QUANTITY, gtin_check_digit
from station.clock import as_utc
from station.handover import create_handover
from station.model import BenchState, VerdictKind
from station.order_files import OrderLineSpec, OrderSpec, PackBarcode
from station.orders import import_orders
from station.orm import OutboxRecord
from station.outbox import Outbox
from station.shift import shift_window
from station.users import UserDirectory
from sync.client import SyncClient
from sync.server.db import make_engine
from sync.server.models import Event
from sync.wire.events import validate_event
from tests.central.server import CentralServer
from tests.station.conftest import GADGET_CASE6, ORDERS, OTHER_UPC, PILLS_GTIN, UNKNOWN_EAN, WIDGET_EAN
from tests.sync.conftest import STATION_ID
from tests.sync.helpers import central_event_ids, enqueue_raw, faulty_proxy, fill_outbox, outbox_statuses
from ui.bootstrap import Station

BOLT_EAN = "400638133394" + str(gtin_check_digit("400638133394"))
BULK_CASE = "1" + BOLT_EAN[:-1] + str(gtin_check_digit("1" + BOLT_EAN[:-1]))  # GTIN-14: a case of MAX_QUANTITY

CONTRACT_ORDERS = [
    *ORDERS,
    OrderSpec(
        "30003",
        "ORD-30003",
        "Pallet Yard, Dock 4",
        "DHL",
        (OrderLineSpec("B-1", "Bolts, case", MAX_QUANTITY, (PackBarcode(BULK_CASE, MAX_QUANTITY),)),),
    ),
    OrderSpec("40004", "ORD-40004", "Cy Short", "UPS", (OrderLineSpec("C-1", "Bolt", 3, (PackBarcode(BOLT_EAN),)),)),
]


def _pack_a_shift(station: Station) -> None:
    """The real service, as a bench uses it, through every kind of event it writes."""
    import_orders(station.db, CONTRACT_ORDERS, STATION_ID, station.clock)
    users = UserDirectory(station.db, station.clock, STATION_ID)
    users.add("S1", "supervisor", password="sup3r-secret-pw")
    service = station.service
    service.reload()
    service.set_packer("P1")

    assert service.handle_scan("ORD-10001").kind is VerdictKind.ORDER_LOADED
    wrong = service.handle_scan(OTHER_UPC)  # an item of another order: incident.opened
    assert wrong.kind is VerdictKind.WRONG_ITEM and service.state is BenchState.BLOCKED
    assert wrong.incident_id is not None
    service.clear(wrong.incident_id, "S1", "put the other thing back", "item_swapped")  # incident.cleared
    for code in (WIDGET_EAN, WIDGET_EAN, GADGET_CASE6, GADGET_CASE6, PILLS_GTIN, PILLS_GTIN):
        assert service.handle_scan(code).kind is VerdictKind.OK, code
    assert service.seal().kind is VerdictKind.SEALED  # pack.sealed

    # The largest order a station loads: MAX_QUANTITY units on one line, one case scan.
    assert service.handle_scan("ORD-30003").kind is VerdictKind.ORDER_LOADED
    assert service.handle_scan(BULK_CASE).kind is VerdictKind.OK
    assert service.seal().kind is VerdictKind.SEALED

    assert service.handle_scan("ORD-20002").kind is VerdictKind.ORDER_LOADED
    assert service.cancel("customer called").kind is VerdictKind.CANCELLED  # pack.cancelled

    assert service.handle_scan("ORD-40004").kind is VerdictKind.ORDER_LOADED
    assert service.handle_scan(UNKNOWN_EAN).kind is VerdictKind.UNKNOWN_CODE  # incident.opened
    (unknown,) = service.open_incidents()
    service.clear(unknown.id, "S1", "a label from the floor", "false_alarm")
    assert service.handle_scan(BOLT_EAN).kind is VerdictKind.OK
    short = service.seal()  # one of three: incident.opened (short, with the missing lines)
    assert short.kind is VerdictKind.SHORT and short.incident_id is not None
    assert service.escalate(short.incident_id, "S1", "two bolts missing").kind is VerdictKind.ESCALATED

    supervisor = users.authenticate_password("S1", "sup3r-secret-pw")
    now = station.clock.now()
    create_handover(station.db, station.clock, STATION_ID, supervisor, shift_window(now), note="dock 4 quiet")
    users.record_event("report.exported", "S1", format="pdf")  # audit.recorded


def _rows(station: Station) -> list[OutboxRecord]:
    with station.db.sessions() as s:
        return list(s.scalars(select(OutboxRecord).order_by(OutboxRecord.seq)))


def test_every_row_the_real_service_writes_passes_central_validation_and_is_stored_as_written(
    central: CentralServer, station: Station
) -> None:
    _pack_a_shift(station)
    rows = _rows(station)
    assert {r.type for r in rows} == {t.value for t in EventType}, "the shift covers every event type"
    for row in rows:
        envelope = {
            "event_id": row.event_id,
            "station_id": STATION_ID,
            "seq": row.seq,
            "type": row.type,
            "occurred_at": as_utc(row.occurred_at).isoformat(),
            "payload": json.loads(json.dumps(row.payload)),  # as it travels
        }
        event, errors = validate_event(envelope)  # what the central service runs on every posted event
        assert errors == [], (row.type, errors)
        # The station stored the payload exactly as the wire model writes it: nothing is added,
        # dropped or re-spelled on the way.
        assert event is not None and event.payload.model_dump(mode="json") == row.payload, row.type
    short = [r.payload for r in rows if r.type == "incident.opened" and r.payload["kind"] == "short"]
    assert short and short[0]["missing"] == [{"sku": "C-1", "description": "Bolt", "missing": 2}]
    bulk = [r.payload for r in rows if r.type == "pack.sealed" and r.payload["order_id"] == "30003"]
    assert bulk[0]["lines"] == [{"sku": "B-1", "ordered": MAX_QUANTITY, "scanned": MAX_QUANTITY}]

    outbox = Outbox(station.db.sessions, station.clock)
    with SyncClient(outbox, STATION_ID, central.base_url, central.issue_station_token(STATION_ID)) as client:
        result = client.drain_once()
    assert (result.sent, result.parked, result.failed, result.error) == (len(rows), 0, 0, None)
    assert set(outbox_statuses(station.db).values()) == {"sent"}
    engine = make_engine(central.db_url)
    try:
        with engine.connect() as conn:
            stored = {str(e): p for e, p in conn.execute(select(Event.event_id, Event.payload))}
    finally:
        engine.dispose()
    assert stored == {r.event_id: r.payload for r in rows}, "central stores what the station wrote"


@pytest.mark.parametrize("how", ["older version", "edited on disk"])
def test_a_row_failing_the_wire_checks_is_parked_with_the_reason_and_never_sent(
    central_sqlite: CentralServer, station: Station, how: str
) -> None:
    central = central_sqlite
    before = fill_outbox(station.db, 3)
    if how == "older version":
        # A station of 2026-11 could count 100000 on a line (its wire allowed 10^9) and sent a weight.
        bad = enqueue_raw(
            station.db,
            "pack.sealed",
            {
                "order_id": "SO-OLD",
                "packer_id": "P-1",
                "sealed_at": "2026-11-20T10:00:00+00:00",
                "lines": [{"sku": "SKU-1", "ordered": 100_000, "scanned": 100_000}],
                "scale_weight_g": 412,
            },
        )
        expected = [
            "payload.lines.0.ordered: Input should be less than or equal to 9999",
            "payload.lines.0.scanned: Input should be less than or equal to 9999",
            "payload.scale_weight_g: Extra inputs are not permitted",
        ]
    else:
        (bad,) = fill_outbox(station.db, 1)  # an incident.opened, valid as written ...
        with station.db.session() as s:  # ... then someone "fixed" it in the database file
            payload = dict(s.scalars(select(OutboxRecord).where(OutboxRecord.event_id == bad)).one().payload)
            payload.update(kind="mislabelled", code="4006381333931\x00")
            s.execute(update(OutboxRecord).where(OutboxRecord.event_id == bad).values(payload=payload))
        expected = [
            "payload.kind: Input should be 'wrong_item', 'over_scan', 'invalid_code', 'unknown_code', "
            "'expired', 'duplicate_serial', 'recalled', 'serial_shipped', 'short' or 'weight_mismatch'",
            "payload.code: Value error, contains a NUL character (U+0000) at position 13, which cannot be stored",
        ]
    after = fill_outbox(station.db, 3)
    outbox = Outbox(station.db.sessions, station.clock)
    posted: list[bytes] = []

    def watch(body: bytes) -> bool:
        posted.append(body)
        return False  # forward everything

    token = central.issue_station_token(STATION_ID)
    with faulty_proxy(central.base_url, lambda n: "forward", fail_if=watch) as proxy:
        with SyncClient(outbox, STATION_ID, proxy.url, token) as client:
            result = client.drain_once()
            assert (result.sent, result.parked, result.failed, result.error) == (6, 1, 0, None)
            assert client.drain_once().batches == 0, "a parked row is not tried again by the drain"
    assert posted and not any(bad.encode() in body for body in posted), "the failing row never left the station"
    assert sorted(central_event_ids(central.db_url)) == sorted(before + after)
    (parked,) = outbox.parked()
    assert parked.event_id == bad
    assert parked.last_error == "not sent: it fails the wire checks: " + "; ".join(expected)
