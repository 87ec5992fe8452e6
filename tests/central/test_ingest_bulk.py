"""The ingest is set-based: a batch costs a fixed number of statements whatever its size, and the set-based
form keeps the per-event answers (repeats inside one batch, conflicts, the incident projection)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import Engine, event, func, select
from sqlalchemy.engine.interfaces import CacheStats

from sync.server import ingest, webhooks
from sync.server.db import make_engine, make_session_factory, upgrade
from sync.server.models import Event, Incident, IncidentHistory, WebhookDelivery
from sync.server.tokens import issue_station_token
from sync.wire.events import EventBatch, validate_event
from tests.central import factory as f


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    engine = make_engine(db_url)
    upgrade(engine)
    with make_session_factory(engine)() as session:
        issue_station_token(session, "ST-1", site="SITE-A")
        session.commit()
    yield engine
    engine.dispose()


def _ingest(engine: Engine, events: list[dict[str, Any]]) -> tuple[dict[str, Any], int]:
    """Ingest one batch; its answer and how many SQL statements it cost."""
    statements = [0]

    def count(*_args: object) -> None:
        statements[0] += 1

    event.listen(engine, "before_cursor_execute", count)
    try:
        with make_session_factory(engine)() as session:
            result = ingest.ingest_batch(
                session, "ST-1", EventBatch(station_id="ST-1", events=events), datetime.now(UTC)
            )
            session.commit()
    finally:
        event.remove(engine, "before_cursor_execute", count)
    return result.model_dump(mode="json"), statements[0]


def _mixed(n: int) -> list[dict[str, Any]]:
    events = []
    for i in range(n):
        if i % 10 == 0:
            opened = f.incident_opened(order_id=f"SO-{i}")
            events += [opened, f.incident_cleared(opened["payload"]["incident_id"], order_id=f"SO-{i}")]
        elif i % 3 == 0:
            events.append(f.pack_sealed(f"SO-{i}", lines=3))
        else:
            events.append(f.audit("scan"))
    return events


def test_a_batch_costs_the_same_few_statements_whatever_its_size(engine: Engine) -> None:
    """It was three to four statements per event (about 150 for a batch of 100: 1,751 events/s)."""
    small, cost_small = _ingest(engine, _mixed(10))
    large, cost_large = _ingest(engine, _mixed(300))
    assert len(small["accepted"]) == 11 and len(large["accepted"]) == 330
    # 12 for the events, incidents and roll-ups, 4 for the station's KPI cell (lock, incidents, orders, write)
    assert cost_large == cost_small <= 16
    again, cost_again = _ingest(engine, [])  # an empty batch: no event statements at all
    assert again == {"accepted": [], "duplicates": [], "rejected": []} and cost_again <= 2


def test_after_the_first_batch_no_statement_is_compiled_again(engine: Engine) -> None:
    """A statement built per batch (the KPI roll-up's VALUES list) was compiled anew for every batch: 10 of the
    29 ms of CPU a batch of 100 cost on PostgreSQL (docs/changes/2026-12-02-ingest-drain.md)."""
    _ingest(engine, _mixed(25))  # warm the compiled cache (several incidents: the upsert runs as executemany)
    compiled: list[str] = []

    def note(_conn: object, _cursor: object, statement: str, _params: object, context: Any, _many: bool) -> None:
        if context.cache_hit is not CacheStats.CACHE_HIT and not statement.lstrip().upper().startswith(
            ("SAVEPOINT", "RELEASE", "ROLLBACK", "BEGIN", "COMMIT")
        ):
            compiled.append(statement.split("(")[0][:80])

    event.listen(engine, "before_cursor_execute", note)
    try:
        answer, _ = _ingest(engine, _mixed(37))  # another size, other orders and incidents
    finally:
        event.remove(engine, "before_cursor_execute", note)
    assert len(answer["accepted"]) == 41 and not answer["rejected"]
    assert compiled == []


def test_bad_events_among_good_ones_get_the_reasons_each_gets_alone(engine: Engine) -> None:
    """The batch is validated in one call when it is all valid; one bad event sends every event through
    ``validate_event`` on its own again, so the reasons are exactly those of an event checked alone."""
    good = [f.audit("scan"), f.pack_sealed("SO-1", lines=2)]
    opened = f.incident_opened()
    bad: list[Any] = [
        "not an object",
        {**f.audit("scan"), "type": "pack.exploded"},
        {**opened, "payload": {**opened["payload"], "kind": "sabotage", "code": "A\x00B"}},
        {**f.audit("scan"), "seq": 0, "extra": 1},
        {**f.audit("scan"), "occurred_at": "2026-12-02T10:00:00"},  # no offset
    ]
    answer, _ = _ingest(engine, [good[0], *bad, good[1]])
    assert set(answer["accepted"]) == {e["event_id"] for e in good}
    assert [r["index"] for r in answer["rejected"]] == [1, 2, 3, 4, 5]
    for raw, rejection in zip(bad, answer["rejected"], strict=True):
        reasons = validate_event(raw)[1]
        assert reasons and rejection["errors"] == reasons, raw
    assert any("sabotage" in e or "kind" in e for e in answer["rejected"][2]["errors"])
    assert any("NUL" in e for e in answer["rejected"][2]["errors"])


def test_the_ingest_says_when_a_batch_queued_webhook_deliveries(engine: Engine) -> None:
    """The service wakes its webhook dispatcher only for a batch that queued a delivery (each wake is three
    SELECTs); a batch of audit rows and seals, or one no endpoint subscribes to, queues nothing."""

    def queued(events: list[dict[str, Any]]) -> bool:
        with make_session_factory(engine)() as session:
            ingest.ingest_batch(session, "ST-1", EventBatch(station_id="ST-1", events=events), datetime.now(UTC))
            session.commit()
            return bool(session.info.pop(ingest.DELIVERIES_QUEUED, False))

    assert not queued([f.audit("scan"), f.pack_sealed("SO-1", lines=1), f.incident_opened()])  # no endpoint yet
    with make_session_factory(engine)() as session:
        webhooks.add_webhook(session, "https://hooks.example.com/in", [webhooks.INCIDENT_OPENED])
        session.commit()
    assert not queued([f.audit("scan"), f.pack_sealed("SO-2", lines=1)])
    assert queued([f.audit("scan"), f.incident_opened()])
    with make_session_factory(engine)() as session:
        assert session.scalar(select(func.count()).select_from(WebhookDelivery)) == 1


def test_the_same_event_twice_in_one_batch_is_stored_once_and_a_rewrite_of_it_is_a_conflict(engine: Engine) -> None:
    opened = f.incident_opened()
    rewritten = {**opened, "payload": {**opened["payload"], "code": "other"}}
    answer, _ = _ingest(engine, [opened, opened, rewritten])
    assert answer["accepted"] == [opened["event_id"]] and answer["duplicates"] == [opened["event_id"]]
    assert [(r["index"], r["status"]) for r in answer["rejected"]] == [(2, 409)]
    assert "differs in payload" in answer["rejected"][0]["errors"][0]
    with make_session_factory(engine)() as session:
        assert session.scalar(select(func.count()).select_from(Event)) == 1
        assert session.scalar(select(func.count()).select_from(IncidentHistory)) == 1
        incident = session.get(Incident, uuid.UUID(opened["payload"]["incident_id"]))
        assert incident is not None and incident.code == opened["payload"]["code"]


def test_two_opened_of_one_incident_in_one_batch_the_first_stored_sets_the_case_clock(engine: Engine) -> None:
    incident_id = str(uuid.uuid4())
    early = f.incident_opened(incident_id, detected_at=f.hours_ago(3), event_id=str(uuid.UUID(int=1)))
    late = f.incident_opened(incident_id, detected_at=f.hours_ago(1), kind="short", event_id=str(uuid.UUID(int=2)))
    cleared = f.incident_cleared(incident_id, cleared_at=f.hours_ago(0.5))
    answer, _ = _ingest(engine, [cleared, late, early])
    assert sorted(answer["accepted"]) == sorted(e["event_id"] for e in (cleared, late, early))
    with make_session_factory(engine)() as session:
        incident = session.get(Incident, uuid.UUID(incident_id))
        assert incident is not None
        assert incident.opened_event_id == uuid.UUID(int=1) and incident.kind == "wrong_item"
        assert incident.detected_at == datetime.fromisoformat(early["payload"]["detected_at"])
        assert incident.cleared_at is not None and incident.resolution == "item_swapped"
        assert incident.expected == early["payload"]["expected"] and incident.missing == []
