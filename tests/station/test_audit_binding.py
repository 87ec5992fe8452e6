"""Scans, incidents, outbox events and sealed orders are bound to the audit chain: editing one of them in
the database file (as an attacker with sqlite3 would) is caught by `audit.verify_chain`, which names the
row and says what changed. A clean day's work verifies."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from rules.events import PackCancelled
from station import audit
from station.chain_check import ProblemKind
from station.db import Database
from station.orm import IncidentRecord, OutboxRecord, ScanRecord
from station.service import StationService
from tests.station import tamper
from tests.station.conftest import GADGET_EAN, OTHER_UPC, UNKNOWN_EAN, WIDGET_EAN


def day_of_work(service: StationService) -> dict[str, object]:
    """Counted scans, a wrong item (incident), its clearance, an undo, a seal, and a cancelled pack."""
    assert service.load_order("ORD-10001").kind.value == "order_loaded"
    assert service.handle_scan(WIDGET_EAN).is_ok
    ok_scan = service.handle_scan(WIDGET_EAN)
    assert ok_scan.is_ok
    wrong = service.handle_scan(OTHER_UPC)
    assert wrong.blocking and wrong.incident_id
    service.clear(wrong.incident_id, "S9", "took the wrong item out", "item_swapped")
    for _ in range(12):
        assert service.handle_scan(GADGET_EAN).is_ok
    assert service.handle_scan("]d20105901230412708").is_ok
    assert service.handle_scan("]d20105901230412708").is_ok
    assert service.undo().kind.value == "undone"
    assert service.handle_scan("]d20105901230412708").is_ok
    assert service.seal().kind.value == "sealed"
    assert service.load_order("ORD-20002").kind.value == "order_loaded"
    assert service.handle_scan(OTHER_UPC).is_ok
    assert service.cancel().kind.value == "cancelled"
    service.handle_scan(UNKNOWN_EAN)  # no order on the bench: recorded only
    return {"incident": wrong.incident_id}


def verify(db: Database) -> audit.ChainReport:
    with db.sessions() as s:
        return audit.verify_chain(s)


def only(report: audit.ChainReport, kind: ProblemKind, table: str):
    assert report.first_broken_id is None, report.problem  # the chain itself still checks
    matching = [p for p in report.bound_rows if p.kind is kind and p.table == table]
    assert matching, report.bound_rows
    return matching[0]


def test_a_clean_day_verifies_and_every_kind_of_row_is_bound(service: StationService, db: Database) -> None:
    day_of_work(service)
    report = verify(db)
    assert report.ok, report.bound_rows
    with db.sessions() as s:
        tables = {
            entry[0]
            for (detail,) in s.execute(select(audit.AuditRecord.detail))
            for entry in json.loads(detail).get("bind", [])
        }
    assert tables == {"scans", "incidents", "outbox", "orders"}


def test_an_edited_scan_code_is_named_with_old_and_new_code(service: StationService, db: Database) -> None:
    day_of_work(service)
    with db.sessions() as s:
        scan_id = s.scalar(select(ScanRecord.id).where(ScanRecord.code == WIDGET_EAN).limit(1))
    tamper.execute(db.path, "UPDATE scans SET code = ? WHERE id = ?", GADGET_EAN, scan_id)
    problem = only(verify(db), ProblemKind.CHANGED, "scans")
    assert problem.key == str(scan_id) and ("code", GADGET_EAN, WIDGET_EAN) in problem.fields


def test_an_edited_incident_kind_status_or_reason_is_named(service: StationService, db: Database) -> None:
    incident = day_of_work(service)["incident"]
    for field, now, was in [
        ("kind", "over_scan", "wrong_item"),
        ("reason", "nothing happened", "took the wrong item out"),
        ("status", "open", "cleared"),
    ]:
        tamper.execute(db.path, f"UPDATE incidents SET {field} = ? WHERE id = ?", now, incident)
        problem = only(verify(db), ProblemKind.CHANGED, "incidents")
        assert problem.key == incident and (field, now, was) in problem.fields
        tamper.execute(db.path, f"UPDATE incidents SET {field} = ? WHERE id = ?", was, incident)  # put it back
        assert verify(db).ok


def test_an_edited_outbox_payload_is_caught(service: StationService, db: Database) -> None:
    day_of_work(service)
    with db.sessions() as s:
        event = s.scalars(select(OutboxRecord).where(OutboxRecord.type == "incident.opened")).one()
    payload = dict(event.payload, kind="short", code=None)
    tamper.execute(db.path, "UPDATE outbox SET payload = ? WHERE seq = ?", json.dumps(payload), event.seq)
    problem = only(verify(db), ProblemKind.CHANGED, "outbox")
    assert problem.key == str(event.seq)


def test_changing_a_sealed_orders_counts_is_caught(service: StationService, db: Database) -> None:
    day_of_work(service)
    tamper.execute(db.path, "UPDATE order_lines SET scanned = 1 WHERE order_id = '10001' AND sku = 'W-1'")
    problem = only(verify(db), ProblemKind.CHANGED, "orders")
    assert problem.key == "10001" and ("line W-1 scanned", 1, 2) in problem.fields


def test_a_scan_flagged_undone_behind_the_trails_back_is_caught(service: StationService, db: Database) -> None:
    day_of_work(service)
    with db.sessions() as s:
        scan_id = s.scalar(select(ScanRecord.id).where(ScanRecord.code == GADGET_EAN).limit(1))
    tamper.execute(db.path, "UPDATE scans SET undone = 1 WHERE id = ?", scan_id)
    assert only(verify(db), ProblemKind.UNDONE, "scans").key == str(scan_id)


def test_a_deleted_scan_is_caught(service: StationService, db: Database) -> None:
    day_of_work(service)
    tamper.execute(db.path, "DELETE FROM scans WHERE id = 3")
    assert only(verify(db), ProblemKind.MISSING, "scans").key == "3"


def test_inserted_scans_and_deleted_incidents_are_caught(service: StationService, db: Database) -> None:
    day_of_work(service)
    tamper.execute(
        db.path,
        "INSERT INTO scans (station_id, code, source, verdict, units, undone, created_at) "
        "VALUES ('S1', 'FAKE', 'manual', 'ok', 1, 0, '2026-11-23 09:00:00.000000')",
    )
    assert only(verify(db), ProblemKind.UNBOUND, "scans")
    tamper.execute(db.path, "DELETE FROM incidents")
    assert only(verify(db), ProblemKind.MISSING, "incidents")


def test_a_forged_appended_row_that_chains_correctly_is_caught(service: StationService, db: Database) -> None:
    """The chain only grew, so no anchor can object: the binding must. A forged clearance names an incident
    whose row does not match it; a forged scan names a scan no audit row recorded."""
    incident = day_of_work(service)["incident"]
    service.handle_scan("ORD-10001")  # nothing; the order is sealed
    conn = tamper.connect(db.path)
    with db.sessions() as s:
        binds = json.loads(
            s.scalar(select(audit.AuditRecord.detail).where(audit.AuditRecord.action == "incident.cleared"))
        )["bind"]
    digest = [entry for entry in binds if entry[0] == "incidents"]  # the cleared incident's own hash
    tamper.append_forged(
        conn, "incident.escalated", {"incident": incident, "reason": "forged", "bind": digest}, order_id="10001"
    )
    conn.close()
    report = verify(db)
    assert report.first_broken_id is None
    assert ("status", "cleared", "escalated") in only(report, ProblemKind.CLAIM, "incidents").fields
    conn = tamper.connect(db.path)
    tamper.rehash_from(conn)  # no-op for the chain, keeps the forged row
    tamper.append_forged(conn, "scan", {"scan_id": 9999, "code": WIDGET_EAN, "verdict": "ok"})
    conn.close()
    assert only(verify(db), ProblemKind.CLAIM, "scans").key == "9999"


def test_editing_an_audit_row_after_dropping_the_trigger_is_caught_without_rehash(
    service: StationService, db: Database
) -> None:
    day_of_work(service)
    tamper.execute(db.path, "UPDATE audit_log SET actor = 'nobody' WHERE id = 5")
    report = verify(db)
    assert report.first_broken_id == 5 and not report.ok


def _cancelled() -> PackCancelled:
    from station.clock import SystemClock

    return PackCancelled(order_id="X", packer_id="P1", reason="test", cancelled_at=SystemClock().now())


def test_rows_tracked_after_the_last_audit_row_are_still_bound(db: Database) -> None:
    """The commit-time safety net: an event enqueued with no audit row after it gets a "bind" row."""
    from station import outbox
    from station.clock import SystemClock

    with db.session() as s:
        outbox.enqueue(s, _cancelled(), SystemClock().now())
    report = verify(db)
    assert report.ok and report.rows == 1
    with db.sessions() as s:
        row = s.scalars(select(audit.AuditRecord)).one()
    assert row.action == "bind" and json.loads(row.detail)["bind"][0][0] == "outbox"


@pytest.mark.parametrize("rollback", [True])
def test_a_rolled_back_transaction_binds_nothing_later(db: Database, rollback: bool) -> None:
    from station import outbox
    from station.clock import SystemClock

    s = db.sessions()
    outbox.enqueue(s, _cancelled(), SystemClock().now())
    s.rollback()
    audit.append(s, at=SystemClock().now(), station_id="S1", actor=None, action="noop")
    s.commit()
    s.close()
    assert verify(db).ok
    with db.sessions() as s2:
        assert "bind" not in json.loads(s2.scalars(select(audit.AuditRecord)).one().detail)
        assert s2.scalar(select(IncidentRecord.id)) is None
