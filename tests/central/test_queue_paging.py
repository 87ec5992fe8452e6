"""The case queue's pages against a plain Python sort of the same cases, on SQLite and PostgreSQL: the order
(next due first, cases without a clock last, then detection, then id), every case on exactly one page, the
counts of the filter (total, overdue) and the filters, with the index-friendly SQL of console/queue.py."""

from __future__ import annotations

import random
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from sync.server import cases, ingest
from sync.server.console import queue
from sync.server.db import make_engine, make_session_factory, upgrade
from sync.server.models import Incident, Station
from sync.server.tokens import issue_station_token
from sync.wire.events import EventBatch
from sync.wire.incidents import CaseStatus
from tests.central import factory as f

NOW = datetime(2025, 6, 2, 12, 0, tzinfo=UTC)
STATIONS = {"Q-A1": "SITE-A", "Q-A2": "SITE-A", "Q-B1": "SITE-B"}


@pytest.fixture
def session(db_url: str) -> Iterator[Session]:
    engine = make_engine(db_url)
    upgrade(engine)
    rng = random.Random(5)
    with make_session_factory(engine)() as s:
        for station, site in STATIONS.items():
            issue_station_token(s, station, site=site)
        ids: list[str] = []
        for station in STATIONS:
            events = []
            for i in range(45):
                # Whole minutes, so equal detection times (and equal due times) happen: the id must break ties.
                detected = NOW - timedelta(minutes=rng.randrange(0, 5 * 24 * 60, 7))
                kind = rng.choice(["wrong_item", "short", "over_scan"])
                ev = f.incident_opened(order_id=f"{station}-{i}", kind=kind, detected_at=detected, station_id=station)
                events.append(ev)
                ids.append(ev["payload"]["incident_id"])
            ingest.ingest_batch(s, station, EventBatch(station_id=station, events=events), NOW)
        s.commit()
        for incident_id in ids:
            r = rng.random()
            if r < 0.45:
                continue
            cases.transition(s, uuid.UUID(incident_id), CaseStatus.CUSTOMER_NOTIFIED, note="", actor="t", now=NOW)
            if r < 0.65:
                continue
            if r < 0.8:
                cases.transition(s, uuid.UUID(incident_id), CaseStatus.REFUND_ISSUED, note="", actor="t", now=NOW)
            if r > 0.9:
                cases.transition(s, uuid.UUID(incident_id), CaseStatus.RESOLVED, note="done", actor="t", now=NOW)
        s.commit()
        yield s
    engine.dispose()


def _reference(s: Session, keep: object = None) -> list[Incident]:
    site_of = dict(s.execute(select(Station.station_id, Station.site)).all())
    rows = [i for i in s.scalars(select(Incident)) if keep is None or keep(i, site_of.get(i.station_id))]  # type: ignore[operator]
    far = datetime.max.replace(tzinfo=UTC)

    def key(i: Incident) -> tuple[int, datetime, datetime, str]:
        due, _ = queue.due_of(i)
        assert i.detected_at is not None
        return (due is None, due or far, i.detected_at, str(i.incident_id))

    return sorted(rows, key=key)


def _all_pages(s: Session, **filters: object) -> tuple[list[Incident], queue.QueuePage]:
    first = queue.load(s, queue.Filters(**filters), NOW)  # type: ignore[arg-type]
    seen = [r.incident for r in first.rows]
    for page in range(2, first.pages + 1):
        seen += [r.incident for r in queue.load(s, queue.Filters(**filters, page=page), NOW).rows]  # type: ignore[arg-type]
    return seen, first


def _is_open(i: Incident) -> bool:
    return i.case_status != CaseStatus.RESOLVED.value


def _overdue(i: Incident) -> bool:
    due, _ = queue.due_of(i)
    return due is not None and due < NOW


def test_the_pages_hold_every_open_case_once_in_due_order_with_the_counts(session: Session) -> None:
    seen, first = _all_pages(session)
    expected = [i for i in _reference(session) if _is_open(i)]
    assert first.pages == 3 and len(first.rows) == queue.PAGE_SIZE
    assert [i.incident_id for i in seen] == [i.incident_id for i in expected]
    assert first.total == len(expected)
    assert first.overdue == sum(1 for i in expected if _overdue(i)) > 0
    # the remedied cases (no clock) come after every case with a due time
    clocks = [queue.due_of(i)[0] is not None for i in seen]
    assert clocks == sorted(clocks, reverse=True) and not all(clocks)


def test_filters_keep_the_order_and_count_only_their_cases(session: Session) -> None:
    seen, first = _all_pages(session, site="SITE-A", kind="short")
    expected = [i for i in _reference(session, lambda i, site: site == "SITE-A" and i.kind == "short") if _is_open(i)]
    assert [i.incident_id for i in seen] == [i.incident_id for i in expected] and expected
    assert first.total == len(expected)

    seen, first = _all_pages(session, overdue=True)
    expected = [i for i in _reference(session) if _is_open(i) and _overdue(i)]
    assert [i.incident_id for i in seen] == [i.incident_id for i in expected]
    assert first.total == first.overdue == len(expected)

    seen, _ = _all_pages(session, station="Q-B1", status="customer_notified")
    expected = _reference(session, lambda i, _s: i.station_id == "Q-B1" and i.case_status == "customer_notified")
    assert [i.incident_id for i in seen] == [i.incident_id for i in expected] and expected


@pytest.mark.parametrize("status", ["resolved", "refund_issued"])
def test_a_status_without_a_clock_is_listed_oldest_detection_first(session: Session, status: str) -> None:
    seen, first = _all_pages(session, status=status)
    expected = _reference(session, lambda i, _s: i.case_status == status)
    assert expected and [i.incident_id for i in seen] == [i.incident_id for i in expected]
    assert first.overdue == 0 and first.total == len(expected)


def test_past_the_count_cap_the_total_says_so_and_every_case_stays_reachable(
    session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Resolved cases are counted only up to COUNT_CAP (a million of them cost ~0.5 s to count): the queue
    says "N+" and pages on past the cap until the last case."""
    expected = _reference(session, lambda i, _s: i.case_status == "resolved")
    assert len(expected) > 8
    monkeypatch.setattr(queue, "PAGE_SIZE", 3)
    monkeypatch.setattr(queue, "COUNT_CAP", 5)
    first = queue.load(session, queue.Filters(status="resolved"), NOW)
    assert first.more and first.total == 5 and first.total_shown == "5+" and first.pages_shown == "2+"
    seen, page = [r.incident for r in first.rows], first
    while page.has_next:
        page = queue.load(session, queue.Filters(status="resolved", page=page.page + 1), NOW)
        seen += [r.incident for r in page.rows]
    assert [i.incident_id for i in seen] == [i.incident_id for i in expected]
    assert not page.has_next and page.page == -(-len(expected) // 3)
    # under the cap the count is exact, as before
    monkeypatch.setattr(queue, "COUNT_CAP", len(expected))
    exact = queue.load(session, queue.Filters(status="resolved"), NOW)
    assert not exact.more and exact.total == len(expected) and exact.total_shown == str(len(expected))
