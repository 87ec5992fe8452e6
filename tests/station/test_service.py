"""The pack session as a packer lives it: every verdict, the blocked state, seal, undo, cancel, clear."""

from __future__ import annotations

import sqlite3
from datetime import UTC
from pathlib import Path

import pytest
from sqlalchemy import select

from station import audit
from station.model import BenchState, OrderStatus, VerdictKind
from station.orm import AuditRecord, IncidentRecord, OutboxRecord, ScanRecord
from station.service import NotAllowed, Refusal, StationService, StorageError, StorageReason

from .conftest import (
    GADGET_CASE6,
    GADGET_EAN,
    OTHER_UPC,
    PILLS_GTIN,
    UNKNOWN_EAN,
    WIDGET_EAN,
    gs1,
)


def scan_all(service: StationService, *codes: str):
    return [service.handle_scan(code) for code in codes]


def outbox_types(service: StationService) -> list[str]:
    with service.db.sessions() as s:
        return list(s.scalars(select(OutboxRecord.type).order_by(OutboxRecord.seq)))


def complete_order_10001(service: StationService) -> None:
    verdicts = scan_all(
        service,
        "ORD-10001",
        WIDGET_EAN,
        "0" + WIDGET_EAN,
        GADGET_CASE6,
        GADGET_EAN,
        GADGET_EAN,
        GADGET_EAN,
        GADGET_EAN,
        GADGET_EAN,
        GADGET_EAN,
        gs1(PILLS_GTIN, expiry="271231", lot="GOODLOT"),
        gs1(PILLS_GTIN, expiry="271231", lot="GOODLOT"),
    )
    assert [v.kind for v in verdicts[1:]] == [VerdictKind.OK] * 11, [(v.kind, v.detail) for v in verdicts]


def test_complete_pack_counts_every_form_of_a_gtin_and_case_packs_then_seals(service: StationService) -> None:
    loaded = service.handle_scan("ORD-10001")
    assert loaded.kind is VerdictKind.ORDER_LOADED and service.state is BenchState.ORDER_LOADED
    assert loaded.order.order_id == "10001" and loaded.order.carrier == "DHL"

    first = service.handle_scan(WIDGET_EAN)
    assert first.kind is VerdictKind.OK and first.line.sku == "W-1" and first.line.scanned == 1
    assert service.state is BenchState.SCANNING
    # The GTIN-14 form of the same EAN-13 is the same item.
    assert service.handle_scan("0" + WIDGET_EAN).line.scanned == 2
    case = service.handle_scan(GADGET_CASE6)
    assert case.kind is VerdictKind.OK and case.units == 6 and case.line.scanned == 6
    for _ in range(6):
        assert service.handle_scan(GADGET_EAN).kind is VerdictKind.OK
    for _ in range(2):
        assert service.handle_scan(gs1(PILLS_GTIN, expiry="271231", lot="GOODLOT")).kind is VerdictKind.OK
    assert service.state is BenchState.COMPLETE

    sealed = service.handle_scan("CMD:SEAL")
    assert sealed.kind is VerdictKind.SEALED and service.state is BenchState.SEALED
    assert outbox_types(service) == ["pack.sealed"]
    with service.db.sessions() as s:
        payload = s.scalar(select(OutboxRecord.payload))
    assert payload["order_id"] == "10001" and payload["short_shipped"] is False
    assert {ln["sku"]: ln["scanned"] for ln in payload["lines"]} == {"W-1": 2, "G-6": 12, "P-1": 2}
    # The next order can be loaded straight after sealing.
    assert service.handle_scan("ORD-20002").kind is VerdictKind.ORDER_LOADED


@pytest.mark.parametrize(
    ("code", "kind", "detail"),
    [
        (OTHER_UPC, VerdictKind.WRONG_ITEM, ""),
        (UNKNOWN_EAN, VerdictKind.UNKNOWN_CODE, ""),
        ("4006381333932", VerdictKind.INVALID_CODE, "check digit"),
        (gs1(PILLS_GTIN, expiry="251031", lot="OLDLOT"), VerdictKind.EXPIRED, "2025-10-31"),
        (gs1(PILLS_GTIN, expiry="271231", lot="BADLOT"), VerdictKind.RECALLED, "supplier recall 17"),
    ],
)
def test_each_bad_scan_blocks_the_package_and_opens_an_incident(service, code, kind, detail) -> None:
    service.handle_scan("ORD-10001")
    service.handle_scan(WIDGET_EAN)
    verdict = service.handle_scan(code)
    assert verdict.kind is kind and verdict.blocking
    assert detail in verdict.detail
    assert service.state is BenchState.BLOCKED
    incident_id = verdict.incident_id
    with service.db.sessions() as s:
        incident = s.get(IncidentRecord, incident_id)
        assert incident.kind == kind.value and incident.status == "open"
        assert incident.packer_id == "P1" and incident.station_id == "S1" and incident.order_id == "10001"
        assert incident.code == code
        assert {line["sku"] for line in incident.expected} == {"W-1", "G-6", "P-1"}
        assert incident.suggested_remediation
    assert outbox_types(service) == ["incident.opened"]

    # Blocked: nothing counts, the packer can neither seal, undo nor cancel.
    still = service.handle_scan(WIDGET_EAN)
    assert still.kind is VerdictKind.STILL_BLOCKED and still.open_incidents[0].id == incident_id
    assert service.order.lines[0].scanned == 1
    assert service.handle_scan("CMD:SEAL").kind is VerdictKind.STILL_BLOCKED
    assert service.handle_scan("CMD:UNDO").kind is VerdictKind.STILL_BLOCKED
    assert service.handle_scan("CMD:CANCEL").kind is VerdictKind.STILL_BLOCKED
    assert service.state is BenchState.BLOCKED


def test_over_scan_of_a_case_pack_blocks_and_counts_nothing(service: StationService) -> None:
    scan_all(service, "ORD-10001", GADGET_CASE6, GADGET_CASE6)
    verdict = service.handle_scan(GADGET_EAN)
    assert verdict.kind is VerdictKind.OVER_SCAN and verdict.line.sku == "G-6"
    assert service.order.lines[1].scanned == 12


def test_the_same_serial_twice_in_one_order_blocks(service: StationService) -> None:
    service.handle_scan("ORD-10001")
    assert service.handle_scan(gs1(PILLS_GTIN, serial="SN1", lot="L1", expiry="271231")).kind is VerdictKind.OK
    again = service.handle_scan(gs1(PILLS_GTIN, serial="SN1", lot="L1", expiry="271231"))
    assert again.kind is VerdictKind.DUPLICATE_SERIAL and again.serial == "SN1"


def test_an_undone_serial_can_be_scanned_again(service: StationService) -> None:
    service.handle_scan("ORD-10001")
    service.handle_scan(gs1(PILLS_GTIN, serial="SN1", expiry="271231"))
    assert service.handle_scan("CMD:UNDO").kind is VerdictKind.UNDONE
    assert service.handle_scan(gs1(PILLS_GTIN, serial="SN1", expiry="271231")).kind is VerdictKind.OK


def test_seal_with_missing_lines_is_short_and_lists_them(service: StationService) -> None:
    scan_all(service, "ORD-10001", WIDGET_EAN, WIDGET_EAN, GADGET_CASE6)
    verdict = service.handle_scan("CMD:SEAL")
    assert verdict.kind is VerdictKind.SHORT and service.state is BenchState.BLOCKED
    assert {(ln.sku, ln.missing) for ln in verdict.missing} == {("G-6", 6), ("P-1", 2)}
    with service.db.sessions() as s:
        incident = s.get(IncidentRecord, verdict.incident_id)
    assert incident.kind == "short"
    assert {m["sku"]: m["missing"] for m in incident.missing} == {"G-6": 6, "P-1": 2}
    assert "credit" in incident.suggested_remediation


def test_undo_takes_back_only_the_last_counted_scan_and_is_audited(service: StationService) -> None:
    service.handle_scan("ORD-10001")
    assert service.handle_scan("CMD:UNDO").kind is VerdictKind.NOTHING_TO_UNDO
    scan_all(service, WIDGET_EAN, GADGET_CASE6)
    undone = service.handle_scan("CMD:UNDO")
    assert undone.kind is VerdictKind.UNDONE and undone.line.sku == "G-6" and undone.units == 6
    assert [ln.scanned for ln in service.order.lines] == [1, 0, 0]
    assert service.handle_scan("CMD:UNDO").line.sku == "W-1"
    assert service.state is BenchState.ORDER_LOADED
    with service.db.sessions() as s:
        assert s.scalars(select(AuditRecord.action).where(AuditRecord.action == "undo")).all() == ["undo", "undo"]


def test_cancel_resets_the_counts_and_tells_central(service: StationService) -> None:
    scan_all(service, "ORD-10001", WIDGET_EAN)
    verdict = service.handle_scan("CMD:CANCEL")
    assert verdict.kind is VerdictKind.CANCELLED and service.state is BenchState.NO_ORDER
    assert outbox_types(service) == ["pack.cancelled"]
    reloaded = service.handle_scan("ORD-10001")
    assert reloaded.kind is VerdictKind.ORDER_LOADED and all(ln.scanned == 0 for ln in reloaded.order.lines)


def test_blocked_package_stays_blocked_across_a_restart(service: StationService, db, clock, tmp_path) -> None:
    scan_all(service, "ORD-10001", WIDGET_EAN, OTHER_UPC)
    restarted = StationService(db, "S1", clock=clock, evidence_dir=tmp_path)
    assert restarted.state is BenchState.BLOCKED
    assert restarted.order.order_id == "10001" and restarted.order.lines[0].scanned == 1
    assert restarted.packer_id == "P1"
    assert restarted.handle_scan(WIDGET_EAN).kind is VerdictKind.STILL_BLOCKED


def test_supervisor_clears_with_reason_and_the_package_continues(service: StationService, clock) -> None:
    scan_all(service, "ORD-10001", WIDGET_EAN)
    incident_id = service.handle_scan(OTHER_UPC).incident_id
    with pytest.raises(NotAllowed) as four_eyes:
        service.clear(incident_id, "P1", "I put it back")
    assert four_eyes.value.reason is Refusal.FOUR_EYES
    with pytest.raises(NotAllowed) as no_reason:
        service.clear(incident_id, "SUP", "  ")
    assert no_reason.value.reason is Refusal.REASON_REQUIRED
    clock.advance(minutes=4)
    cleared = service.clear(incident_id, "SUP", "wrong item taken out", "item_swapped")
    assert cleared.kind is VerdictKind.CLEARED and service.state is BenchState.SCANNING
    assert service.handle_scan(WIDGET_EAN).kind is VerdictKind.OK
    with service.db.sessions() as s:
        incident = s.get(IncidentRecord, incident_id)
        assert (incident.status, incident.resolved_by, incident.resolution) == ("cleared", "SUP", "item_swapped")
        assert (incident.resolved_at - incident.detected_at).total_seconds() == 240
    assert outbox_types(service) == ["incident.opened", "incident.cleared"]
    with pytest.raises(NotAllowed) as again:
        service.clear(incident_id, "SUP", "again")
    assert (again.value.reason, again.value.status) == (Refusal.ALREADY_RESOLVED, "cleared")


def test_short_shipped_resolution_seals_as_a_partial_shipment(service: StationService) -> None:
    scan_all(service, "ORD-10001", WIDGET_EAN, WIDGET_EAN)
    incident_id = service.handle_scan("CMD:SEAL").incident_id
    verdict = service.clear(incident_id, "SUP", "customer accepts partial, backorder G-6 and P-1", "short_shipped")
    assert verdict.kind is VerdictKind.CLEARED and service.state is BenchState.SEALED
    with service.db.sessions() as s:
        sealed = s.scalars(select(OutboxRecord).where(OutboxRecord.type == "pack.sealed")).one()
    assert sealed.payload["short_shipped"] is True


def test_pulled_for_repick_cancels_the_pack(service: StationService) -> None:
    scan_all(service, "ORD-10001", WIDGET_EAN)
    incident_id = service.handle_scan(UNKNOWN_EAN).incident_id
    verdict = service.escalate(incident_id, "SUP", "label missing on whole bin, central to check")
    assert verdict.kind is VerdictKind.ESCALATED and service.state is BenchState.NO_ORDER
    assert outbox_types(service) == ["incident.opened", "incident.escalated", "pack.cancelled"]


def test_another_order_barcode_switches_only_before_the_first_item(service: StationService) -> None:
    service.handle_scan("ORD-10001")
    assert service.handle_scan("ORD-20002").kind is VerdictKind.ORDER_LOADED
    assert service.order.order_id == "20002"
    service.handle_scan(OTHER_UPC)
    verdict = service.handle_scan("ORD-10001")
    assert verdict.kind is VerdictKind.ORDER_IN_PROGRESS and not verdict.blocking
    assert service.order.order_id == "20002"


def test_items_before_an_order_and_unknown_orders_are_said_not_blocked(service: StationService) -> None:
    assert service.handle_scan(WIDGET_EAN).kind is VerdictKind.NO_ORDER
    assert service.handle_scan("ORD-99999").kind is VerdictKind.ORDER_NOT_FOUND
    assert service.handle_scan("CMD:SEAL").kind is VerdictKind.NO_ORDER
    assert service.handle_scan("CMD:DANCE").kind is VerdictKind.UNKNOWN_COMMAND
    assert service.state is BenchState.NO_ORDER


def test_a_sealed_order_cannot_be_packed_again(service: StationService) -> None:
    complete_order_10001(service)
    service.handle_scan("CMD:SEAL")
    service.handle_scan("ORD-20002")
    service.handle_scan("CMD:CANCEL")
    assert service.handle_scan("ORD-10001").kind is VerdictKind.ORDER_CLOSED


def test_evidence_frame_is_stored_and_linked(service: StationService) -> None:
    service.handle_scan("ORD-10001")
    verdict = service.handle_scan(OTHER_UPC, evidence_jpeg=b"\xff\xd8fake-jpeg\xff\xd9")
    with service.db.sessions() as s:
        incident = s.get(IncidentRecord, verdict.incident_id)
    assert incident.evidence_file
    assert Path(incident.evidence_file).read_bytes().startswith(b"\xff\xd8")


def test_a_full_disk_loses_nothing_shown_and_counts_nothing(service: StationService, db) -> None:
    service.handle_scan("ORD-10001")
    assert service.handle_scan(WIDGET_EAN).kind is VerdictKind.OK
    # SQLite's own "database or disk is full" path: cap the file at its current size.
    with db.engine.connect() as conn:
        pages = conn.exec_driver_sql("PRAGMA page_count").scalar()
        conn.exec_driver_sql(f"PRAGMA max_page_count={pages}")
        conn.commit()
    failures = 0
    for _ in range(200):  # enough new rows to need a new page
        try:
            service.handle_scan(WIDGET_EAN if failures else GADGET_EAN)
        except StorageError as exc:
            assert exc.reason is StorageReason.DISK_FULL
            failures += 1
            break
    assert failures == 1
    # Memory was re-read from disk: what the screen shows is what was saved.
    with db.sessions() as s:
        saved = s.scalars(select(ScanRecord.verdict).where(ScanRecord.verdict == "ok")).all()
    assert service.order.units_scanned == len(saved) or service.state is BenchState.BLOCKED


def test_every_step_is_in_an_intact_hash_chain(service: StationService) -> None:
    complete_order_10001(service)
    service.handle_scan("CMD:SEAL")
    with service.db.sessions() as s:
        report = audit.verify_chain(s)
        actions = s.scalars(select(AuditRecord.action).order_by(AuditRecord.id)).all()
    assert report.ok and report.rows == len(actions)
    assert actions.count("scan") == 11 and "seal" in actions and "order.loaded" in actions


def _tamper(db, sql: str) -> None:
    raw = sqlite3.connect(db.path)
    raw.execute("DROP TRIGGER audit_log_no_update")
    raw.execute("DROP TRIGGER audit_log_no_delete")
    raw.execute(sql)
    raw.commit()
    raw.close()


def test_audit_rows_cannot_be_changed_through_sql(service: StationService, db) -> None:
    service.handle_scan("ORD-10001")
    raw = sqlite3.connect(db.path)
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        raw.execute("UPDATE audit_log SET actor='someone else'")
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        raw.execute("DELETE FROM audit_log")
    raw.close()


@pytest.mark.parametrize(
    ("sql", "problem", "broken_id"),
    [
        # rows 1-3: orders imported, recalls imported, packer changed; 4: order loaded; 5: first scan
        ("UPDATE audit_log SET detail = replace(detail, '\"ok\"', '\"wrong_item\"') WHERE id = 5", "content", 5),
        ("DELETE FROM audit_log WHERE id = 3", "missing", 4),
    ],
)
def test_tampering_is_found_and_the_first_broken_row_named(service, db, sql, problem, broken_id) -> None:
    complete_order_10001(service)
    _tamper(db, sql)
    with db.sessions() as s:
        report = audit.verify_chain(s)
    assert not report.ok and problem in report.problem
    assert report.first_broken_id == broken_id


def test_order_status_follows_the_bench(service: StationService) -> None:
    from station.orders import list_orders

    def status() -> str:
        return {o["order_id"]: o["status"] for o in list_orders(service.db)}["10001"]

    service.handle_scan("ORD-10001")
    assert status() == OrderStatus.NEW.value
    service.handle_scan(WIDGET_EAN)
    assert status() == "packing"
    service.handle_scan(OTHER_UPC)
    assert status() == "blocked"


def test_evidence_is_only_encoded_when_a_scan_opens_an_incident(service: StationService) -> None:
    calls: list[str] = []

    def encode() -> bytes:
        calls.append("encoded")
        return b"\xff\xd8frame\xff\xd9"

    service.handle_scan("ORD-10001")
    assert service.handle_scan(WIDGET_EAN, evidence_jpeg=encode).is_ok
    assert calls == []
    blocked = service.handle_scan(OTHER_UPC, evidence_jpeg=encode)
    assert calls == ["encoded"]
    with service.db.sessions() as s:
        assert Path(s.get(IncidentRecord, blocked.incident_id).evidence_file).read_bytes() == b"\xff\xd8frame\xff\xd9"


def test_a_frame_that_cannot_be_encoded_still_logs_the_incident(service: StationService) -> None:
    def broken() -> bytes:
        raise ValueError("encoder exploded")

    service.handle_scan("ORD-10001")
    blocked = service.handle_scan(OTHER_UPC, evidence_jpeg=broken)
    with service.db.sessions() as s:
        incident = s.get(IncidentRecord, blocked.incident_id)
    assert incident.kind == "wrong_item" and incident.evidence_file is None


def test_load_order_never_moves_away_from_a_blocked_or_started_package(service: StationService) -> None:
    scan_all(service, "ORD-10001", WIDGET_EAN)
    assert service.load_order("ORD-20002").kind is VerdictKind.ORDER_IN_PROGRESS
    assert service.load_order("10001").kind is VerdictKind.ORDER_LOADED
    service.handle_scan(OTHER_UPC)
    assert service.load_order("ORD-20002").kind is VerdictKind.STILL_BLOCKED
    assert service.order.order_id == "10001" and service.state is BenchState.BLOCKED


def test_clearing_another_benchs_incident_leaves_this_benchs_order_intact(
    service: StationService, db, clock, tmp_path
) -> None:
    # Two benches share a data dir (the flagged queue lists both): the supervisor at S1 clears S2's incident.
    side = StationService(db, "S2", clock=clock, evidence_dir=tmp_path)
    side.set_packer("P2")
    scan_all(side, "ORD-20002")
    incident_id = side.handle_scan(WIDGET_EAN).incident_id
    scan_all(service, "ORD-10001", WIDGET_EAN)
    assert service.clear(incident_id, "SUP", "wrong item taken out", "item_swapped").kind is VerdictKind.CLEARED
    # S1 still judges its own order by its own barcodes: no false block, no crash on the other order's item.
    assert service.handle_scan(WIDGET_EAN).kind is VerdictKind.OK
    assert service.handle_scan(OTHER_UPC).kind is VerdictKind.WRONG_ITEM


@pytest.mark.parametrize("resolution", ["short_shipped", "pulled_for_repick"])
def test_shipping_short_or_pulling_happens_only_at_the_packages_own_bench(
    service, db, clock, tmp_path, resolution
) -> None:
    side = StationService(db, "S2", clock=clock, evidence_dir=tmp_path)
    side.set_packer("P2")
    scan_all(side, "ORD-20002")
    incident_id = side.handle_scan(WIDGET_EAN).incident_id
    with pytest.raises(NotAllowed) as cleared_elsewhere:
        service.clear(incident_id, "SUP", "decided at the desk", resolution)
    assert cleared_elsewhere.value.reason is Refusal.NOT_ON_THIS_BENCH
    assert cleared_elsewhere.value.order_id == "20002"
    with pytest.raises(NotAllowed) as escalated_elsewhere:
        service.escalate(incident_id, "SUP", "central to check")
    assert escalated_elsewhere.value.reason is Refusal.NOT_ON_THIS_BENCH
    # At its own bench it works, and central hears the matching pack event.
    side.clear(incident_id, "SUP", "decided at the bench", resolution)
    assert outbox_types(service)[-1] == ("pack.sealed" if resolution == "short_shipped" else "pack.cancelled")


def test_expiry_is_judged_on_the_stations_local_date(service, clock, monkeypatch) -> None:
    import time
    from datetime import datetime

    monkeypatch.setenv("TZ", "Asia/Tokyo")  # UTC+9: 2026-11-23 20:00 UTC is already the 24th there
    time.tzset()
    try:
        clock.set(datetime(2026, 11, 23, 20, 0, tzinfo=UTC))
        service.handle_scan("ORD-10001")
        verdict = service.handle_scan(gs1(PILLS_GTIN, expiry="261123", lot="L1"))
        assert verdict.kind is VerdictKind.EXPIRED
    finally:
        monkeypatch.delenv("TZ")
        time.tzset()
