"""SQLAlchemy 2 models of the central service (typed declarative).

Tables: ``tokens`` (hashed credentials), ``stations``, ``events`` (every accepted event, once — the
primary key on ``(station_id, event_id)`` is what makes ingestion idempotent; event ids are scoped to
their station, so one station's id tells another nothing), ``incidents`` (a projection of the
incident events plus the remediation case), ``incident_history`` (everything that happened to an
incident, for customer-facing status pages), ``orders`` and ``counters`` (the order revision counter),
``anchors``, the console's ``staff`` and ``staff_sessions``, and ``kpi_orders`` (the KPI roll-up of the pack
events, see sync/server/rollups.py).
"""

from __future__ import annotations

import logging
import uuid
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    DateTime,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
    Uuid,
    text,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

logger = logging.getLogger(__name__)

#: The case statuses with a clock or a step left (not resolved), as SQL: the queue index's condition.
OPEN_CASES_SQL = (
    "case_status IN ('open', 'customer_notified', 'replacement_shipped', 'refund_issued', 'credit_issued') "
    "AND detected_at IS NOT NULL"
)

#: The queue's next-due expression (console/queue.py ``next_due``), laid out as PostgreSQL prints it back, so
#: the schema comparison (tests/central/test_wire_and_schema.py) sees the migration's index as this one.
NEXT_DUE_SQL = (
    "(\nCASE\n    WHEN case_status = 'open' THEN notify_due_at\n"
    "    WHEN case_status = 'customer_notified' THEN remedy_due_at\n    ELSE NULL\nEND)"
)

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "pk": "pk_%(table_name)s",
}


class UtcDateTime(TypeDecorator[datetime]):
    """Aware UTC datetimes on every backend: SQLite has no time zone type and would hand back naive values."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map = {datetime: UtcDateTime(), dict[str, Any]: JSON(), list[Any]: JSON()}


class Token(Base):
    __tablename__ = "tokens"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    kind: Mapped[str] = mapped_column(String(16))  # "station" | "admin"
    subject: Mapped[str] = mapped_column(String(128))  # station id or admin name
    created_at: Mapped[datetime]
    revoked_at: Mapped[datetime | None]


class Station(Base):
    __tablename__ = "stations"

    station_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    site: Mapped[str | None] = mapped_column(String(64), index=True)
    created_at: Mapped[datetime]
    last_seen_at: Mapped[datetime | None]


class Event(Base):
    __tablename__ = "events"
    __table_args__ = (
        Index("ix_events_station_seq", "station_id", "seq"),
        Index("ix_events_type_occurred", "type", "occurred_at"),
        Index("ix_events_station_order", "station_id", "order_id"),
        # "Blocked before sealing" asks, per incident, whether its order was sealed at its station before the
        # detection: answered from this index alone (sync/server/kpi_sql.py).
        Index(
            "ix_events_seals",
            "station_id",
            "order_id",
            "occurred_at",
            postgresql_where=text("type = 'pack.sealed'"),
            sqlite_where=text("type = 'pack.sealed'"),
        ),
    )

    station_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    event_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    seq: Mapped[int] = mapped_column(BigInteger)
    type: Mapped[str] = mapped_column(String(32))
    # Copied out of the payload (when it has one) so KPIs can find an order's seal without JSON queries.
    order_id: Mapped[str | None] = mapped_column(String(128))
    occurred_at: Mapped[datetime]
    received_at: Mapped[datetime]
    payload: Mapped[dict[str, Any]]


class Incident(Base):
    __tablename__ = "incidents"
    # Both serve the console at a million incidents (docs/changes/2026-12-02-kpi-scale.md): the KPIs of a range of days
    # read ``ix_incidents_kpi`` alone on PostgreSQL (an index-only scan: the columns ride along with INCLUDE);
    # the case queue walks ``ix_incidents_queue`` (open cases only) in its display order, so a page and the
    # overdue count never sort or visit the resolved bulk. The CASE is the queue's next-due expression
    # (console/queue.py ``next_due``), written with literals so the planner matches it.
    __table_args__ = (
        Index(
            "ix_incidents_kpi",
            "detected_at",
            "station_id",
            postgresql_include=[
                "order_id",
                "kind",
                "code",
                "packer_id",
                "logged_at",
                "notified_at",
                "remedied_at",
                "resolved_at",
                "notify_due_at",
                "remedy_due_at",
            ],
        ),
        Index(
            "ix_incidents_queue",
            text(NEXT_DUE_SQL),
            "detected_at",
            "incident_id",
            # with these, the counts (total, overdue) are index-only scans of the open cases
            postgresql_include=["case_status", "notify_due_at", "remedy_due_at", "station_id", "kind"],
            postgresql_where=text(OPEN_CASES_SQL),
            sqlite_where=text(OPEN_CASES_SQL),
        ),
        # The site's flagged list (sync/server/site.py): blocked and escalated packages are a few per cent.
        Index(
            "ix_incidents_bench_open",
            "station_id",
            "detected_at",
            postgresql_where=text("cleared_at IS NULL"),
            sqlite_where=text("cleared_at IS NULL"),
        ),
        Index(
            "ix_incidents_bench_escalated",
            "station_id",
            "detected_at",
            postgresql_where=text("escalated_at IS NOT NULL"),
            sqlite_where=text("escalated_at IS NOT NULL"),
        ),
    )

    incident_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    station_id: Mapped[str] = mapped_column(String(64), index=True)
    order_id: Mapped[str | None] = mapped_column(String(128))
    kind: Mapped[str | None] = mapped_column(String(32), index=True)
    code: Mapped[str | None] = mapped_column(String(512))
    packer_id: Mapped[str | None] = mapped_column(String(128))
    detected_at: Mapped[datetime | None] = mapped_column(index=True)
    logged_at: Mapped[datetime | None]  # when the central service received incident.opened
    opened_event_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    expected: Mapped[list[Any] | None]
    missing: Mapped[list[Any] | None]
    weight: Mapped[dict[str, Any] | None]  # weight_mismatch: the weighing's facts (rules.events.WeightFacts)
    suggested_remediation: Mapped[str | None] = mapped_column(Text)
    evidence_file: Mapped[str | None] = mapped_column(String(1024))
    escalated_at: Mapped[datetime | None]
    cleared_at: Mapped[datetime | None]
    resolution: Mapped[str | None] = mapped_column(String(32))
    case_status: Mapped[str] = mapped_column(String(32), index=True)
    remedy: Mapped[str] = mapped_column(String(16))
    notify_due_at: Mapped[datetime | None]
    remedy_due_at: Mapped[datetime | None]
    notified_at: Mapped[datetime | None]
    remedied_at: Mapped[datetime | None]
    resolved_at: Mapped[datetime | None]
    # Bumped by every case transition and checked in its UPDATE: a console form carries the version it
    # was drawn from, so of two staff acting on one case at once exactly one wins (optimistic locking).
    version: Mapped[int] = mapped_column(Integer, default=0, server_default="0")


class KpiOrder(Base):
    """The KPI roll-up of the pack events: one row per (UTC day, station, order) that was sealed or cancelled
    that day, holding the day's last seal (its lines and whether it was short-shipped; none: only cancelled).
    Written by sync/server/rollups.py at ingest; the KPIs sum it instead of parsing every seal's JSON."""

    __tablename__ = "kpi_orders"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    station_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    order_id: Mapped[str] = mapped_column(String(128), primary_key=True)
    sealed_at: Mapped[datetime | None]
    seal_event_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    lines: Mapped[int | None] = mapped_column(Integer)
    short_shipped: Mapped[bool | None] = mapped_column(Boolean)
    weighed: Mapped[bool | None] = mapped_column(Boolean)  # the last seal carried a stable scale reading


class KpiIncident(Base):
    """The KPI roll-up of "blocked before sealing": per opened incident, whether its order had not been sealed
    at its station before the detection. Kept by sync/server/rollups.py at ingest (recomputed when the
    incident is opened and when a seal of its order arrives), so the KPIs count flags instead of probing
    the events once per incident."""

    __tablename__ = "kpi_incidents"
    __table_args__ = (
        Index(
            "ix_kpi_incidents_blocked",
            "detected_at",
            "station_id",
            postgresql_where=text("blocked"),
            sqlite_where=text("blocked = 1"),
        ),
        Index("ix_kpi_incidents_station_order", "station_id", "order_id"),
    )

    incident_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    station_id: Mapped[str] = mapped_column(String(64))
    order_id: Mapped[str | None] = mapped_column(String(128))
    detected_at: Mapped[datetime]
    blocked: Mapped[bool] = mapped_column(Boolean)


class IncidentHistory(Base):
    __tablename__ = "incident_history"
    # An incident belongs to one station, so (incident, event) identifies the event that wrote the row;
    # event_id alone is not unique any more (ids are per station).
    __table_args__ = (UniqueConstraint("incident_id", "event_id", name="uq_incident_history_incident_event"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    incident_id: Mapped[uuid.UUID] = mapped_column(Uuid, index=True)
    at: Mapped[datetime]
    kind: Mapped[str] = mapped_column(String(32))
    actor: Mapped[str | None] = mapped_column(String(128))
    from_status: Mapped[str | None] = mapped_column(String(32))
    to_status: Mapped[str | None] = mapped_column(String(32))
    note: Mapped[str] = mapped_column(Text)
    event_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    # What a case action recorded besides the note: channel and message, carrier and tracking number,
    # amount and currency (sync.wire.incidents.CaseDetails, from the console's form or the JSON API).
    details: Mapped[dict[str, Any] | None]


class Order(Base):
    __tablename__ = "orders"

    order_id: Mapped[str] = mapped_column(String(128), primary_key=True)
    revision: Mapped[int] = mapped_column(BigInteger, unique=True)
    # The site whose stations may pull the order (None: stations registered without a site).
    site: Mapped[str | None] = mapped_column(String(64), index=True)
    body: Mapped[dict[str, Any]]
    updated_at: Mapped[datetime]


class Counter(Base):
    """Named monotonic counters. The order revision lives here, not in a DB sequence: the row lock held
    until commit makes revisions become visible in order, so a cursor never skips a slower writer."""

    __tablename__ = "counters"

    name: Mapped[str] = mapped_column(String(32), primary_key=True)
    value: Mapped[int] = mapped_column(BigInteger)


class Anchor(Base):
    """One audit-chain head a station posted (see sync/server/anchors.py): ``accepted`` heads form the
    station's anchor history; ``refused`` ones are the flags (a head that did not extend the last accepted
    one; an identical repeat only bumps ``times`` and ``last_seen_at``); a ``reset`` row (admin) makes the
    next head a fresh start, e.g. after a station was rebuilt."""

    __tablename__ = "anchors"
    __table_args__ = (Index("ix_anchors_station_status_id", "station_id", "status", "id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    station_id: Mapped[str] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(16), index=True)  # accepted / refused / reset
    seq: Mapped[int | None] = mapped_column(BigInteger)
    hash: Mapped[str | None] = mapped_column(String(64))
    proof_seq: Mapped[int | None] = mapped_column(BigInteger)
    proof_hash: Mapped[str | None] = mapped_column(String(64))
    reason: Mapped[str | None] = mapped_column(Text)
    received_at: Mapped[datetime]
    last_seen_at: Mapped[datetime]
    times: Mapped[int] = mapped_column(Integer, default=1)


class Staff(Base):
    """A person who signs in to the console (``packgate-central staff add``); see sync/server/console/."""

    __tablename__ = "staff"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String(128), unique=True)
    role: Mapped[str] = mapped_column(String(16))  # service / lead / admin
    password_hash: Mapped[str] = mapped_column(String(256))
    created_at: Mapped[datetime]
    disabled_at: Mapped[datetime | None]
    # Sign-in attempts since the last success; an attempt is counted *before* the password is checked,
    # in one conditional UPDATE, so parallel guesses cannot get past the limit.
    failed_logins: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    locked_until: Mapped[datetime | None]
    last_login_at: Mapped[datetime | None]


class StaffSession(Base):
    """A signed-in browser: the cookie holds a random secret, the row its SHA-256 (sign-out, disabling the
    person or the idle timeout end it here, whatever the browser keeps)."""

    __tablename__ = "staff_sessions"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)  # sha256 hex of the cookie secret
    staff_id: Mapped[int] = mapped_column(Integer, index=True)
    csrf_token: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime]
    last_seen_at: Mapped[datetime]
    ended_at: Mapped[datetime | None]


class EvidenceBlob(Base):
    """One stored evidence image, content-addressed: the bytes live in the blob store (sync/server/blobs.py)
    under their SHA-256; this row says they are there, complete and checked (written after the blob)."""

    __tablename__ = "evidence_blobs"

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    size: Mapped[int] = mapped_column(BigInteger)
    content_type: Mapped[str] = mapped_column(String(32))  # image/jpeg | image/png, judged from the bytes
    width: Mapped[int] = mapped_column(Integer)
    height: Mapped[int] = mapped_column(Integer)
    station_id: Mapped[str] = mapped_column(String(64))  # the first uploader
    stored_at: Mapped[datetime]


class IncidentEvidence(Base):
    """Which blob is an incident's evidence. Written by the upload (which names the incident), so an
    incident only ever points at a blob that is stored; the upload may come before its incident.opened
    (``station_id`` is the uploader's, checked against the incident's when both are there)."""

    __tablename__ = "incident_evidence"

    incident_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    station_id: Mapped[str] = mapped_column(String(64))
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    linked_at: Mapped[datetime]


class Webhook(Base):
    """An endpoint of a customer-facing system (see sync/server/webhooks.py). The secret is kept in clear:
    central must sign with it (unlike a token, which it only has to recognise)."""

    __tablename__ = "webhooks"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    url: Mapped[str] = mapped_column(String(2048))
    events: Mapped[list[Any]]  # event types, e.g. ["incident.opened", "case.changed"]
    secret: Mapped[str] = mapped_column(String(256))
    created_at: Mapped[datetime]
    removed_at: Mapped[datetime | None]
    # Set when a delivery failed: nothing goes to the endpoint before this time (its backoff; see dispatch.py).
    held_until: Mapped[datetime | None]
    # A rotated-out secret, still signed with beside ``secret`` until ``previous_secret_until`` (the overlap
    # in which the receiver switches over; sync/server/webhook_secrets.py).
    previous_secret: Mapped[str | None] = mapped_column(String(256))
    previous_secret_until: Mapped[datetime | None]


class WebhookDelivery(Base):
    """One event for one webhook: the durable queue of the dispatcher (sync/server/dispatch.py), written in
    the transaction of the change that caused it, and afterwards its delivery log."""

    __tablename__ = "webhook_deliveries"
    __table_args__ = (
        UniqueConstraint("webhook_id", "event_id", name="uq_webhook_deliveries_webhook_event"),
        Index("ix_webhook_deliveries_status_next", "status", "next_attempt_at"),
        Index("ix_webhook_deliveries_webhook_id", "webhook_id", "id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    webhook_id: Mapped[str] = mapped_column(String(32))
    event_id: Mapped[uuid.UUID] = mapped_column(Uuid)  # the idempotency key the receiver sees
    event_type: Mapped[str] = mapped_column(String(32))
    body: Mapped[str] = mapped_column(Text)  # the exact JSON sent (and signed) on every attempt
    status: Mapped[str] = mapped_column(String(16))  # pending / delivered / failed (gave up) / cancelled
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime]
    next_attempt_at: Mapped[datetime | None]
    last_attempt_at: Mapped[datetime | None]
    last_status: Mapped[int | None] = mapped_column(Integer)  # HTTP status of the last answer
    last_error: Mapped[str | None] = mapped_column(Text)
    delivered_at: Mapped[datetime | None]


import sync.server.rollup_models  # noqa: E402, F401  (the KPI cells: their own module, same metadata)
