"""The KPIs computed by the database (sync/server/kpi_sql.py) against the straightforward Python computation
(tests/central/kpi_reference.py) over a few hundred generated incidents, on SQLite and PostgreSQL.

The data goes through the real ingestion path (so the ``kpi_orders`` roll-up is the one ingest maintains),
in shuffled batches with repeats, and cases are worked with ``cases.transition``. Spans carry microseconds,
orders are sealed more than once a day, before and after detection, cancelled, short-shipped, and sealed
again on a later day, so every branch of every definition is exercised.
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from sync.server import cases, ingest, kpi_sql, rollups
from sync.server.console import kpi_views
from sync.server.db import make_engine, make_session_factory, upgrade
from sync.server.kpis import compute_kpis, percentiles
from sync.server.models import KpiIncident, KpiOrder
from sync.server.tokens import issue_station_token
from sync.wire.events import EventBatch
from sync.wire.incidents import CaseStatus
from tests.central import factory as f
from tests.central.conftest import BACKENDS
from tests.central.kpi_reference import python_kpis
from tests.central.pg import create_database, drop_database

FIRST = date(2025, 3, 3)
DAYS = 4
NOW = datetime(2025, 3, 7, 6, 30, tzinfo=UTC)  # the last day's cases are still inside their targets
STATIONS = {"ST-A1": "SITE-A", "ST-A2": "SITE-A", "ST-B1": "SITE-B", "ST-B2": "SITE-B", "ST-C1": "SITE-C"}
STATIONS_NO_SITE = ["ST-X"]


def _at(rng: random.Random) -> datetime:
    start = datetime(FIRST.year, FIRST.month, FIRST.day, tzinfo=UTC)
    return start + timedelta(seconds=rng.uniform(0, DAYS * 86400), microseconds=rng.randrange(10**6))


def _populate(session: Session, seed: int = 3, incidents: int = 260) -> None:
    rng = random.Random(seed)
    for station, site in STATIONS.items():
        issue_station_token(session, station, site=site)
    for station in STATIONS_NO_SITE:
        issue_station_token(session, station)
    session.commit()
    stations = [*STATIONS, *STATIONS_NO_SITE]
    events: dict[str, list[dict]] = {s: [] for s in stations}
    opened: list[tuple[str, datetime]] = []
    for i in range(incidents):
        station = rng.choice(stations)
        detected = _at(rng)
        order = f"SO-{i % 240}"  # some orders have two incidents
        kind = rng.choice(["wrong_item", "short", "over_scan", "unknown_code"])
        inc = f.incident_opened(order_id=order, kind=kind, detected_at=detected, station_id=station)
        events[station].append(inc)
        opened.append((inc["payload"]["incident_id"], detected))
        r = rng.random()
        if r < 0.75:  # sealed after the detection (blocked), sometimes twice the same day with other lines
            for _ in range(rng.choice([1, 1, 2])):
                at = detected + timedelta(minutes=rng.uniform(1, 300), microseconds=rng.randrange(10**6))
                seal = f.pack_sealed(
                    order, lines=rng.randint(1, 5), short=rng.random() < 0.2, sealed_at=at, station_id=station
                )
                if rng.random() < 0.4:  # weighed at a bench with a scale (orders_weighed counts the last seal)
                    seal["payload"]["measured_weight_g"] = rng.randint(100, 5000)
                events[station].append(seal)
        elif r < 0.9:  # sealed before it: detected after the seal (not blocked)
            at = detected - timedelta(minutes=rng.uniform(1, 600))
            events[station].append(f.pack_sealed(order, lines=rng.randint(1, 4), sealed_at=at, station_id=station))
        elif r < 0.95:
            events[station].append(f.pack_cancelled(order, cancelled_at=detected, station_id=station))
        # the same order at another bench (a seal there does not unblock this one)
        if rng.random() < 0.1:
            other = rng.choice(stations)
            at = detected - timedelta(minutes=5)
            events[other].append(f.pack_sealed(order, lines=2, sealed_at=at, station_id=other))
        if rng.random() < 0.6:
            clear = f.incident_cleared(inc["payload"]["incident_id"], order_id=order, station_id=station)
            clear["payload"]["cleared_at"] = f.iso(detected + timedelta(minutes=rng.uniform(1, 20)))
            events[station].append(clear)
    for _ in range(200):  # clean orders, some cancelled, some sealed and then cancelled again
        station = rng.choice(stations)
        at = _at(rng)
        order = f"SC-{rng.randrange(150)}"
        if rng.random() < 0.15:
            events[station].append(f.pack_cancelled(order, cancelled_at=at, station_id=station))
        else:
            events[station].append(
                f.pack_sealed(
                    order, lines=rng.randint(1, 6), short=rng.random() < 0.1, sealed_at=at, station_id=station
                )
            )
    for station, batch in events.items():
        rng.shuffle(batch)  # any arrival order
        for start in range(0, len(batch), 37):
            part = batch[start : start + 37]
            if rng.random() < 0.3:
                part = part + part[:5]  # a retried piece: stored once
            received = max(datetime.fromisoformat(e["occurred_at"]) for e in part) + timedelta(
                seconds=rng.uniform(0.5, 900), microseconds=rng.randrange(10**6)
            )
            result = ingest.ingest_batch(session, station, EventBatch(station_id=station, events=part), received)
            assert result.rejected == [], result.rejected[:1]
            session.commit()
    for incident_id, detected in opened:  # work the cases, some late, some never
        step = rng.random()
        at = detected + timedelta(minutes=rng.uniform(5, 200), microseconds=rng.randrange(10**6))
        if step < 0.1:
            cases.transition(
                session, uuid.UUID(incident_id), CaseStatus.RESOLVED, note="fixed at the bench", actor="a", now=at
            )
        elif step < 0.75 and at < NOW:
            cases.transition(session, uuid.UUID(incident_id), CaseStatus.CUSTOMER_NOTIFIED, note="", actor="a", now=at)
            at += timedelta(hours=rng.uniform(1, 80))
            if step < 0.55 and at < NOW:
                cases.transition(session, uuid.UUID(incident_id), CaseStatus.CREDIT_ISSUED, note="", actor="a", now=at)
                at += timedelta(hours=rng.uniform(0.1, 5))
                if step < 0.4 and at < NOW:
                    cases.transition(session, uuid.UUID(incident_id), CaseStatus.RESOLVED, note="", actor="b", now=at)
    session.commit()


@pytest.fixture(scope="module", params=BACKENDS)
def populated(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """One database per backend, filled once for the module (the tests only read, or roll back)."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('kpi') / 'central.db'}"
    else:
        url = create_database(request.getfixturevalue("postgres_server"))
    engine = make_engine(url)
    upgrade(engine)
    with make_session_factory(engine)() as s:
        _populate(s)
    engine.dispose()
    yield url
    if request.param != "sqlite":
        drop_database(request.getfixturevalue("postgres_server"), url)


@pytest.fixture
def session(populated: str) -> Iterator[Session]:
    engine = make_engine(populated)
    with make_session_factory(engine)() as s:
        yield s
        s.rollback()
    engine.dispose()


def _days() -> list[date]:
    return [FIRST + timedelta(days=d) for d in range(DAYS + 1)]  # the last one has no data


def test_sql_kpis_equal_the_python_computation_for_every_day_site_and_station(session: Session) -> None:
    scopes: list[dict[str, str | None]] = [{}, *({"site": s} for s in {*STATIONS.values(), "SITE-NONE"})]
    scopes += [{"station": s} for s in [*STATIONS, *STATIONS_NO_SITE, "ST-UNKNOWN"]]
    scopes.append({"site": "SITE-A", "station": "ST-A1"})
    scopes.append({"site": "SITE-A", "station": "ST-B1"})  # contradicting: nothing
    compared = 0
    for day in _days():
        for scope in scopes:
            expected = python_kpis(session, day, NOW, **scope)  # type: ignore[arg-type]
            assert compute_kpis(session, day, NOW, **scope) == expected, (day, scope)  # type: ignore[arg-type]
            compared += expected.incidents
    assert compared > 500  # the comparison covered real figures, not just empty days
    busy = python_kpis(session, FIRST + timedelta(days=1), NOW)
    assert busy.orders_cancelled > 0 and busy.incidents_blocked_before_sealing > 0
    assert 0 < busy.incidents_blocked_before_sealing < busy.incidents
    assert busy.detection_to_resolved.n > 1 and busy.cases_breaching_targets > 0
    assert busy.order_completion_rate is not None and busy.order_completion_rate < 1


def test_the_kpi_pages_grouped_tables_equal_one_python_computation_per_row(session: Session) -> None:
    day = FIRST + timedelta(days=2)
    days, sites, stations = kpi_views.kpi_tables(session, day, NOW)
    first = day - timedelta(days=kpi_views.DAYS_SHOWN - 1)
    assert [k for k, _ in days.rows] == [(first + timedelta(days=d)).isoformat() for d in range(kpi_views.DAYS_SHOWN)]
    for key, k in days.rows:
        assert k == python_kpis(session, date.fromisoformat(key), NOW), key
    assert [s for s, _ in sites.rows] == sorted(set(STATIONS.values()))
    for key, k in sites.rows:
        assert k == python_kpis(session, day, NOW, site=key), key
    assert [s for s, _ in stations.rows] == sorted([*STATIONS, *STATIONS_NO_SITE])
    for key, k in stations.rows:
        assert k == python_kpis(session, day, NOW, station=key), key


def test_a_later_now_breaches_more_cases_in_both_computations(session: Session) -> None:
    day = FIRST + timedelta(days=DAYS - 1)
    later = NOW + timedelta(days=5)
    assert compute_kpis(session, day, later) == python_kpis(session, day, later)
    assert (
        compute_kpis(session, day, later).cases_breaching_targets
        > compute_kpis(session, day, NOW).cases_breaching_targets
    )


def test_rebuilding_the_rollups_from_the_tables_gives_the_rows_ingest_wrote(session: Session) -> None:
    def orders() -> list[tuple[object, ...]]:
        found = session.scalars(select(KpiOrder).order_by(KpiOrder.day, KpiOrder.station_id, KpiOrder.order_id))
        return [
            (r.day, r.station_id, r.order_id, r.sealed_at, r.seal_event_id, r.lines, r.short_shipped) for r in found
        ]

    def flags() -> list[tuple[object, ...]]:
        found = session.scalars(select(KpiIncident).order_by(KpiIncident.incident_id))
        return [(r.incident_id, r.station_id, r.order_id, r.detected_at, r.blocked) for r in found]

    by_ingest, flags_by_ingest = orders(), flags()
    assert len(by_ingest) > 300 and any(r[3] is None for r in by_ingest)  # cancelled-only orders too
    assert len(flags_by_ingest) == 260 and {r[4] for r in flags_by_ingest} == {True, False}
    rollups.rebuild(session)
    session.flush()
    session.expire_all()
    assert orders() == by_ingest
    assert flags() == flags_by_ingest


def test_percentiles_from_order_statistics_are_the_same_floats_as_statistics_quantiles() -> None:
    rng = random.Random(11)
    for n in [*range(1, 40), 97, 100, 101, 1000]:
        values = sorted(rng.randrange(10**9) / 10**6 for _ in range(n))
        assert kpi_sql.percentiles_from(n, dict(enumerate(values))) == percentiles(values), n
    # halfway cases, where another rounding order would tip the third decimal
    values = [1.0, 1.001, 2.0005, 2.0015]
    assert kpi_sql.percentiles_from(4, dict(enumerate(values))) == percentiles(values)
