"""The status enums store exactly the strings the database and the wire always held, and the named queries
the UI reads through (station.queries) return views, not ORM rows."""

from __future__ import annotations

import sqlite3
from dataclasses import FrozenInstanceError

import pytest

from station import queries
from station.outbox import Outbox
from station.service import StationService
from station.statuses import IncidentStatus, OutboxState
from station.users import UserDirectory
from sync.wire.incidents import BenchStatus

from .conftest import GADGET_EAN, OTHER_UPC, WIDGET_EAN


def raw(service: StationService, sql: str) -> list[tuple]:
    con = sqlite3.connect(service.db.path)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def test_incident_statuses_are_the_wire_vocabulary() -> None:
    assert {s.value for s in IncidentStatus} == {s.value for s in BenchStatus} == {"open", "cleared", "escalated"}
    assert {s.value for s in OutboxState} == {"pending", "sent", "parked", "dropped"}
    assert f"{IncidentStatus.OPEN}" == "open" and IncidentStatus("escalated") is IncidentStatus.ESCALATED


def test_stored_status_columns_hold_the_plain_strings(service: StationService) -> None:
    service.handle_scan("ORD-10001")
    first = service.handle_scan(OTHER_UPC).incident_id
    assert raw(service, "select status from incidents") == [("open",)]
    service.clear(first, "SUP", "wrong item taken out", "item_swapped")
    second = service.handle_scan(OTHER_UPC).incident_id
    service.escalate(second, "SUP", "needs the shift lead")
    assert dict(raw(service, "select id, status from incidents")) == {first: "cleared", second: "escalated"}
    statuses = {s for (s,) in raw(service, "select distinct status from outbox")}
    assert statuses == {"pending"} and Outbox(service.db.sessions).counts().pending > 0


def test_named_queries_answer_with_views(service: StationService) -> None:
    service.handle_scan("ORD-10001")
    service.handle_scan(WIDGET_EAN)
    incident_id = service.handle_scan(OTHER_UPC).incident_id

    found = queries.find_incident(service.db, incident_id)
    assert (found.order_id, found.status, found.code) == ("10001", IncidentStatus.OPEN, OTHER_UPC)
    assert queries.find_incident(service.db, "no-such-incident") is None

    gadget = queries.line_of_order(service.db, GADGET_EAN.zfill(14), "10001")
    assert (gadget.sku, gadget.description) == ("G-6", "Gadget")
    assert queries.line_of_order(service.db, GADGET_EAN.zfill(14), "20002") is None  # not a line of that order

    (row,) = queries.incident_rows(service.db, only_open=True)
    assert (row.id, row.status, row.created_at.utcoffset().total_seconds()) == (incident_id, "open", 0)
    service.clear(incident_id, "SUP", "wrong item taken out", "item_swapped")
    assert queries.incident_rows(service.db, only_open=True) == []
    (done,) = queries.incident_rows(service.db)
    assert (done.status, done.resolved_by, done.resolution) == ("cleared", "SUP", "item_swapped")
    with pytest.raises(FrozenInstanceError):
        done.status = "open"  # type: ignore[misc]


def test_enabled_users_leave_out_the_disabled(service: StationService, tmp_path) -> None:
    directory = UserDirectory(service.db, service.clock, "S1", key_file=tmp_path / "key")
    directory.add("zed", "packer", display_name="Zed Packer")
    directory.add("amy", "packer", badge="B-7", display_name="Amy Packer")
    directory.add("old", "packer", display_name="Old Packer")
    directory.disable("old")
    users = queries.enabled_users(service.db)
    assert [(u.name, u.display_name, u.role, u.badge) for u in users] == [
        ("amy", "Amy Packer", "packer", "B-7"),
        ("zed", "Zed Packer", "packer", None),
    ]
