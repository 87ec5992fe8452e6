"""The shared wire models on their own, and the migrations matching the models on both backends."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from pydantic import ValidationError

from station.outbox import OutboxEvent
from sync.outbound import check, wire_problems
from sync.server.db import DatabaseUrlError, make_engine, normalise_url, upgrade
from sync.server.models import Base
from sync.wire.events import EventBatch, IncidentOpenedEvent, validate_event
from tests.central import factory as f


def test_an_outbox_row_becomes_an_envelope_and_unknown_fields_are_refused() -> None:
    row = OutboxEvent(
        seq=7,
        event_id=str(uuid.uuid4()),
        type="incident.opened",
        occurred_at=datetime(2025, 1, 2, 3, 4, tzinfo=timezone(timedelta(hours=1))),
        payload=f.incident_opened()["payload"],
        attempts=0,
        last_error=None,
    )
    built, problems = check(row, "ST-1")  # the drain client's check
    assert problems == [] and isinstance(built, IncidentOpenedEvent)
    posted = built.model_dump(mode="json")  # what the station posts
    assert posted["occurred_at"] == "2025-01-02T02:04:00Z" and posted["type"] == "incident.opened"
    event, errors = validate_event(posted)  # what central runs on it
    assert errors == [] and event == built
    # An unknown field was stored verbatim before (a 300 MB one too): now it is named and refused.
    posted["payload"]["scale_weight_g"] = 412
    assert validate_event(posted) == (None, ["payload.scale_weight_g: Extra inputs are not permitted"])
    bad = replace(row, event_id="x", seq=0, type="audit.recorded", payload={"action": "login"})
    assert check(bad, "ST-1") == (
        None,
        [
            "event_id: Input should be a valid UUID, invalid character: found `x` at 0",
            "seq: Input should be greater than or equal to 1",
        ],
    )
    unknown = replace(row, type="pack.teleported")
    assert wire_problems(unknown, "ST-1") == [
        "type: unknown event type 'pack.teleported'; known types: incident.opened, incident.cleared, "
        "incident.escalated, pack.sealed, pack.cancelled, audit.recorded"
    ]


def test_times_are_normalised_to_utc_and_naive_times_refused() -> None:
    raw = f.audit()
    raw["occurred_at"] = datetime(2025, 6, 1, 12, 0, tzinfo=timezone(timedelta(hours=2))).isoformat()
    event, _ = validate_event(raw)
    assert event is not None and event.occurred_at == datetime(2025, 6, 1, 10, 0, tzinfo=UTC)
    raw["occurred_at"] = "2025-06-01T12:00:00"
    assert validate_event(raw)[1] == ["occurred_at: Input should have timezone info"]


def test_every_error_of_an_event_is_listed_with_its_path() -> None:
    raw = f.incident_opened()
    raw["seq"] = 0
    raw["payload"]["kind"] = "nope"
    raw["payload"]["expected"][0]["ordered"] = -1
    errors = validate_event(raw)[1]
    assert [e.split(":")[0] for e in errors] == ["seq", "payload.kind", "payload.expected.0.ordered"]


def test_batch_limit_is_500_events() -> None:
    EventBatch(station_id="ST-1", events=[{}] * 500)
    with pytest.raises(ValidationError):
        EventBatch(station_id="ST-1", events=[{}] * 501)


def test_database_urls_people_type_are_accepted() -> None:
    assert normalise_url("postgresql://u:p@db/central") == "postgresql+psycopg://u:p@db/central"
    assert normalise_url("postgres://db/central") == "postgresql+psycopg://db/central"
    with pytest.raises(DatabaseUrlError, match="not a database URL"):
        normalise_url("central.db")


# SQLAlchemy cannot reflect SQLite's expression index (the queue's, ix_incidents_queue) and says so; alembic
# then leaves that one index out of the comparison on SQLite (PostgreSQL compares it).
# The test then checks by name that the migration made it there.
@pytest.mark.filterwarnings("ignore:Skipped unsupported reflection of expression-based index:sqlalchemy.exc.SAWarning")
@pytest.mark.filterwarnings("ignore:autogenerate skipping metadata-specified expression-based index:UserWarning")
def test_migrations_create_exactly_the_models_schema(db_url: str) -> None:
    engine = make_engine(db_url)
    try:
        upgrade(engine)
        upgrade(engine)  # idempotent: serve and `db upgrade` both run it
        with engine.connect() as conn:
            diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), Base.metadata)
            if engine.dialect.name == "sqlite":
                found = conn.exec_driver_sql("SELECT sql FROM sqlite_master WHERE name = 'ix_incidents_queue'").scalar()
                assert found is not None and "WHEN case_status = 'open' THEN notify_due_at" in found
        assert diff == []
    finally:
        engine.dispose()


def test_migration_0002_keeps_existing_events_history_and_orders(db_url: str) -> None:
    """Events' key becomes (station_id, event_id) and orders get a site: rows written under 0001 survive."""
    from sqlalchemy import text

    engine = make_engine(db_url)
    event_id, incident_id = uuid.uuid4(), uuid.uuid4()
    try:
        upgrade(engine, "0001")
        with engine.begin() as conn:
            conn.execute(
                text(
                    "INSERT INTO events (event_id, station_id, seq, type, order_id, occurred_at, received_at, "
                    "payload) VALUES (:e, 'ST-1', 1, 'pack.sealed', 'SO-1', :t, :t, '{}')"
                ),
                {
                    "e": event_id.hex if engine.dialect.name == "sqlite" else event_id,
                    "t": datetime(2026, 1, 1, tzinfo=UTC),
                },
            )
            conn.execute(
                text(
                    "INSERT INTO incident_history (incident_id, at, kind, note, event_id) "
                    "VALUES (:i, :t, 'incident.opened', '', :e)"
                ),
                {
                    "i": incident_id.hex if engine.dialect.name == "sqlite" else incident_id,
                    "e": event_id.hex if engine.dialect.name == "sqlite" else event_id,
                    "t": datetime(2026, 1, 1, tzinfo=UTC),
                },
            )
            conn.execute(
                text("INSERT INTO orders (order_id, revision, body, updated_at) VALUES ('SO-1', 1, '{}', :t)"),
                {"t": datetime(2026, 1, 1, tzinfo=UTC)},
            )
        upgrade(engine)
        with engine.connect() as conn:
            assert conn.execute(text("SELECT station_id, seq FROM events")).all() == [("ST-1", 1)]
            assert conn.scalar(text("SELECT count(*) FROM incident_history")) == 1
            assert conn.execute(text("SELECT order_id, site FROM orders")).all() == [("SO-1", None)]
    finally:
        engine.dispose()
