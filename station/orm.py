"""The station's tables as SQLAlchemy 2 typed declarative models.

Alembic owns the schema (see `station/migrations/`); these classes describe it for queries. The tables:

- `orders`, `order_lines`, `line_barcodes`: what should go in each package. `line_barcodes.match_key`
  is the normalized form of a barcode (GTIN-14 for GTINs, else the text), so a UPC-A scan matches an
  EAN-13 or GTIN-14 listed in the order.
- `bench_state`: which order is on the bench and who is packing it, so a restart resumes (and a blocked
  package stays blocked).
- `scans`: every scan with its verdict, counted or not.
- `incidents`: every non-ok verdict, with evidence and its clearance.
- `audit_log`: append-only, hash-chained record of everything that happened (see `station.audit`).
- `outbox`: events waiting to be sent to the central service (see `station.outbox`).
- `recalls`: recalled or quarantined lots/serials.
- `items`: the item master (unit weights for the weight check, see `station.items`).
- `users`: packers, supervisors and admins with hashed secrets (see `station.users`).
- `order_labels`: the shipping label that came with an order; `print_jobs`: the paperwork of each seal
  (see `station.printing`).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Date, DateTime, Float, ForeignKey, Index, Integer, LargeBinary, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from station.statuses import IncidentStatus, OutboxState


class Base(DeclarativeBase):
    type_annotation_map = {datetime: DateTime(timezone=True), dict[str, Any]: JSON, list[Any]: JSON}


class Order(Base):
    __tablename__ = "orders"

    order_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    order_barcode: Mapped[str | None] = mapped_column(String(128), unique=True)
    # match_key(order_barcode): GTIN-14 or upper-cased text, so a scan matches it whatever its letter case
    barcode_key: Mapped[str | None] = mapped_column(String(128), index=True)
    tote: Mapped[str | None] = mapped_column(String(128))  # the tote it was picked into, as imported
    # match_key(tote) while the order holds its tote; NULL once sealed (the tote is free for the next order)
    tote_key: Mapped[str | None] = mapped_column(String(128), unique=True, index=True)
    ship_to: Mapped[str] = mapped_column(String(200))
    carrier: Mapped[str] = mapped_column(String(100))
    # new / packing / blocked / sealed / cancelled (see station.session.OrderStatus)
    status: Mapped[str] = mapped_column(String(16), default="new", index=True)
    packer_id: Mapped[str | None] = mapped_column(String(64))
    imported_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    sealed_at: Mapped[datetime | None]
    short_shipped: Mapped[bool] = mapped_column(Boolean, default=False)
    # The weight check (station.weighing): the carton scanned at the bench and its tare, and what the
    # sealed parcel weighed on a stable reading.
    carton_code: Mapped[str | None] = mapped_column(String(128))
    tare_g: Mapped[float | None] = mapped_column(Float)
    measured_weight_g: Mapped[float | None] = mapped_column(Float)

    lines: Mapped[list[OrderLine]] = relationship(
        back_populates="order", order_by="OrderLine.line_no", cascade="all, delete-orphan"
    )


class OrderLine(Base):
    __tablename__ = "order_lines"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    order_id: Mapped[str] = mapped_column(ForeignKey("orders.order_id", ondelete="CASCADE"), index=True)
    line_no: Mapped[int]
    sku: Mapped[str] = mapped_column(String(64))
    description: Mapped[str] = mapped_column(String(300))
    quantity: Mapped[int]
    scanned: Mapped[int] = mapped_column(default=0)
    # What every counted scan of this line must carry (see station.tracking): AI 10, AI 17, AI 21.
    lot_tracked: Mapped[bool] = mapped_column(Boolean, default=False)
    expiry_tracked: Mapped[bool] = mapped_column(Boolean, default=False)
    serial_tracked: Mapped[bool] = mapped_column(Boolean, default=False)
    unit_weight_g: Mapped[float | None] = mapped_column(Float)  # as the order file gave it (else the item master)

    order: Mapped[Order] = relationship(back_populates="lines")
    barcodes: Mapped[list[LineBarcode]] = relationship(back_populates="line", cascade="all, delete-orphan")


class LineBarcode(Base):
    __tablename__ = "line_barcodes"
    __table_args__ = (Index("ix_line_barcodes_order_key", "order_id", "match_key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    line_id: Mapped[int] = mapped_column(ForeignKey("order_lines.id", ondelete="CASCADE"), index=True)
    order_id: Mapped[str] = mapped_column(String(64))
    code: Mapped[str] = mapped_column(String(128))
    match_key: Mapped[str] = mapped_column(String(128), index=True)
    units: Mapped[int] = mapped_column(default=1)

    line: Mapped[OrderLine] = relationship(back_populates="barcodes")


class BenchState(Base):
    __tablename__ = "bench_state"

    station_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    order_id: Mapped[str | None] = mapped_column(String(64))
    packer_id: Mapped[str | None] = mapped_column(String(64))
    updated_at: Mapped[datetime]


class ScanRecord(Base):
    __tablename__ = "scans"
    __table_args__ = (
        Index("ix_scans_order_serial", "order_id", "gtin", "serial"),
        Index("ix_scans_gtin_serial", "gtin", "serial"),  # a serial already packed in a sealed order
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    station_id: Mapped[str] = mapped_column(String(64))
    packer_id: Mapped[str | None] = mapped_column(String(64))
    order_id: Mapped[str | None] = mapped_column(String(64), index=True)
    code: Mapped[str] = mapped_column(Text)
    symbology: Mapped[str | None] = mapped_column(String(8))
    source: Mapped[str] = mapped_column(String(200))
    verdict: Mapped[str] = mapped_column(String(32))
    line_id: Mapped[int | None] = mapped_column(Integer)
    units: Mapped[int] = mapped_column(default=0)  # units counted towards the line (0 when not counted)
    gtin: Mapped[str | None] = mapped_column(String(14))
    lot: Mapped[str | None] = mapped_column(String(40))
    serial: Mapped[str | None] = mapped_column(String(40))
    expiry: Mapped[date | None] = mapped_column(Date)
    undone: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime]


class IncidentRecord(Base):
    __tablename__ = "incidents"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    station_id: Mapped[str] = mapped_column(String(64))
    packer_id: Mapped[str | None] = mapped_column(String(64), index=True)
    order_id: Mapped[str] = mapped_column(String(64), index=True)
    kind: Mapped[str] = mapped_column(String(32), index=True)
    code: Mapped[str | None] = mapped_column(Text)
    scan_id: Mapped[int | None] = mapped_column(Integer)
    expected: Mapped[list[Any]] = mapped_column(JSON, default=list)
    missing: Mapped[list[Any]] = mapped_column(JSON, default=list)
    detail: Mapped[str] = mapped_column(Text, default="")
    suggested_remediation: Mapped[str] = mapped_column(Text, default="")
    evidence_file: Mapped[str | None] = mapped_column(String(500))
    detected_at: Mapped[datetime] = mapped_column(index=True)
    status: Mapped[str] = mapped_column(String(16), default=IncidentStatus.OPEN.value, index=True)
    resolved_by: Mapped[str | None] = mapped_column(String(64))
    resolved_at: Mapped[datetime | None]
    resolution: Mapped[str | None] = mapped_column(String(32))
    reason: Mapped[str | None] = mapped_column(Text)
    # weight_mismatch: expected, measured, tolerance, tare and the lines without a known weight
    weight: Mapped[dict[str, Any] | None] = mapped_column(JSON)


class ItemRecord(Base):
    """The item master: what one unit of a product weighs (`packgate items import`, or a suggestion a
    person accepted, see `station.items`)."""

    __tablename__ = "items"

    sku: Mapped[str] = mapped_column(String(64), primary_key=True)
    description: Mapped[str] = mapped_column(String(300), default="")
    unit_weight_g: Mapped[float | None] = mapped_column(Float)
    source: Mapped[str] = mapped_column(String(200))  # the file it came from, or "suggestion accepted by X"
    updated_at: Mapped[datetime]


class AuditRecord(Base):
    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime]
    station_id: Mapped[str] = mapped_column(String(64))
    actor: Mapped[str | None] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(40), index=True)
    order_id: Mapped[str | None] = mapped_column(String(64), index=True)
    detail: Mapped[str] = mapped_column(Text)  # canonical JSON, exactly the bytes that were hashed
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))


class OutboxRecord(Base):
    __tablename__ = "outbox"

    seq: Mapped[int] = mapped_column(Integer, primary_key=True)  # the per-station sequence number
    event_id: Mapped[str] = mapped_column(String(36), unique=True)
    type: Mapped[str] = mapped_column(String(40))
    occurred_at: Mapped[datetime]
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(String(16), default=OutboxState.PENDING.value, index=True)
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    next_attempt_at: Mapped[datetime | None]
    sent_at: Mapped[datetime | None]


class OrderLabel(Base):
    """The shipping label that came with an order (ZPL text or a PDF, as received; see `rules.labels`)."""

    __tablename__ = "order_labels"

    order_id: Mapped[str] = mapped_column(ForeignKey("orders.order_id", ondelete="CASCADE"), primary_key=True)
    format: Mapped[str] = mapped_column(String(8))  # zpl / pdf
    content: Mapped[bytes] = mapped_column(LargeBinary)
    sha256: Mapped[str] = mapped_column(String(64))
    received_at: Mapped[datetime]


class PrintJobRecord(Base):
    """One document to print (see `station.printing.jobs`): written with the seal, marked printed only once
    the printer or its queue accepted it."""

    __tablename__ = "print_jobs"
    __table_args__ = (Index("ix_print_jobs_station_status", "station_id", "status"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    station_id: Mapped[str] = mapped_column(String(64))
    order_id: Mapped[str] = mapped_column(String(64), index=True)
    document: Mapped[str] = mapped_column(String(16))  # packing_slip / shipping_label
    reason: Mapped[str] = mapped_column(String(16))  # seal / reprint
    status: Mapped[str] = mapped_column(String(16))  # queued / printing / printed / retrying / given_up
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime | None]
    failure: Mapped[str | None] = mapped_column(String(32))  # the typed reason of the last failure
    last_error: Mapped[str | None] = mapped_column(Text)
    printer: Mapped[str | None] = mapped_column(String(200))  # where it went (or was tried)
    printer_job: Mapped[str | None] = mapped_column(String(100))  # the queue's job id, when it gives one
    requested_by: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime]
    printed_at: Mapped[datetime | None]


class RecallRecord(Base):
    __tablename__ = "recalls"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    gtin: Mapped[str | None] = mapped_column(String(14), index=True)
    lot: Mapped[str | None] = mapped_column(String(40), index=True)
    serial: Mapped[str | None] = mapped_column(String(40), index=True)
    reason: Mapped[str] = mapped_column(Text)
    imported_at: Mapped[datetime]


class UserRecord(Base):
    __tablename__ = "users"

    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    display_name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(16))  # packer / supervisor / admin
    badge: Mapped[str | None] = mapped_column(String(128), unique=True)
    pin_hash: Mapped[str | None] = mapped_column(String(200))
    password_hash: Mapped[str | None] = mapped_column(String(200))
    disabled: Mapped[bool] = mapped_column(Boolean, default=False)
    failed_attempts: Mapped[int] = mapped_column(default=0)
    lockouts: Mapped[int] = mapped_column(default=0)
    locked_until: Mapped[datetime | None]
    created_at: Mapped[datetime]


class EvidenceUploadRecord(Base):
    """Where an incident's evidence image stands on its way to central (see `station.evidence_uploads`):
    no row yet = not tried; `pending` = failed, retried at `next_attempt_at`; `uploaded`; `refused` =
    central (or the file) refused it for good, with the reason."""

    __tablename__ = "evidence_uploads"

    incident_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    status: Mapped[str] = mapped_column(String(16), index=True)
    sha256: Mapped[str | None] = mapped_column(String(64))
    size: Mapped[int | None]
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    next_attempt_at: Mapped[datetime | None]
    uploaded_at: Mapped[datetime | None]
    # the incident's detection time, copied: the newest one is where the search for new incidents starts
    detected_at: Mapped[datetime | None] = mapped_column(index=True)
