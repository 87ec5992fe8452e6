"""The KPI cells (sync/server/kpi_cells.py) stay exact and fresh: the KPI page shows a new figure right
after an ingest or a case action, two writers on one cell lose nothing, and migration 0011 fills the cells
of a database that already holds data with what ingest and the case actions keep."""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta

import pytest
from alembic import command
from sqlalchemy import select, text
from sqlalchemy.orm import Session

from sync.server import cases, ingest, kpi_cells
from sync.server.console import kpi_views
from sync.server.db import alembic_config, make_engine, make_session_factory, upgrade
from sync.server.kpis import compute_kpis
from sync.server.rollup_models import KpiCell
from sync.server.tokens import issue_station_token
from sync.wire.events import EventBatch
from sync.wire.incidents import CaseStatus
from tests.central import factory as f
from tests.central.kpi_reference import python_kpis

DAY = date(2025, 9, 8)
NOW = datetime(2025, 9, 8, 18, 0, tzinfo=UTC)
STATION = "ST-K1"


@pytest.fixture
def sessions(db_url: str) -> Iterator[object]:
    engine = make_engine(db_url)
    upgrade(engine)
    factory = make_session_factory(engine)
    with factory() as s:
        issue_station_token(s, STATION, site="SITE-K")
        issue_station_token(s, "ST-K2", site="SITE-K")
        s.commit()
    yield factory
    engine.dispose()


def _ingest(s: Session, station: str, *events: dict[str, object], at: datetime = NOW) -> None:
    result = ingest.ingest_batch(s, station, EventBatch(station_id=station, events=list(events)), at)
    assert result.rejected == []


def _opened(hour: int, station: str = STATION, order: str = "SO-1", kind: str = "wrong_item") -> dict[str, object]:
    detected = datetime(DAY.year, DAY.month, DAY.day, hour, 15, 30, 250_000, tzinfo=UTC)
    return f.incident_opened(order_id=order, kind=kind, detected_at=detected, station_id=station)


def _cells(s: Session) -> list[tuple[object, ...]]:
    rows = s.scalars(select(KpiCell).order_by(KpiCell.day, KpiCell.station_id))
    columns = ("day", "station_id", *kpi_cells._COUNTS, "spans", "causes")
    return [tuple(getattr(r, c) for c in columns) for r in rows]


def test_the_kpi_page_shows_an_ingest_and_a_case_action_at_once(sessions: object) -> None:
    with sessions() as s:  # type: ignore[operator]
        first = _opened(9)
        _ingest(
            s, STATION, first, f.pack_sealed("SO-1", lines=3, sealed_at=NOW - timedelta(hours=8), station_id=STATION)
        )
        s.commit()
        tables = kpi_views.kpi_tables(s, DAY, NOW)
        today = dict(tables[0].rows)[DAY.isoformat()]
        assert (today.incidents, today.order_lines, today.detection_to_notified.n) == (1, 3, 0)
        assert dict(tables[2].rows)[STATION].incidents == 1
        # another station's day: the next read merges its new cell with the one already cached
        _ingest(s, "ST-K2", _opened(7, station="ST-K2", order="SO-9"))
        s.commit()
        assert compute_kpis(s, DAY, NOW, site="SITE-K").incidents == 2

        _ingest(s, STATION, _opened(11, order="SO-2", kind="short"))  # a second incident, the same cell
        s.commit()
        causes = {c.name: dict(c.rows) for c in kpi_views.root_causes(s, DAY)}
        assert causes["kind"] == {"wrong_item": 2, "short": 1} and causes["hour"]["11:00"] == 1
        assert compute_kpis(s, DAY, NOW).incidents == 3

        incident = uuid.UUID(str(first["payload"]["incident_id"]))  # type: ignore[index]
        cases.transition(s, incident, CaseStatus.CUSTOMER_NOTIFIED, note="", actor="cs", now=NOW)
        s.commit()
        after = compute_kpis(s, DAY, NOW)
        assert after.detection_to_notified.n == 1
        assert after.detection_to_notified.p50_s == round(
            (NOW - datetime(2025, 9, 8, 9, 15, 30, 250_000, tzinfo=UTC)).total_seconds(), 3
        )
        assert after.cases_breaching_targets == 3  # notified late (09:15 + 2 h), the 07:15 and 11:15 overdue
        for day in (DAY, DAY + timedelta(days=1)):
            assert compute_kpis(s, day, NOW) == python_kpis(s, day, NOW)
            assert compute_kpis(s, day, NOW, site="SITE-K") == python_kpis(s, day, NOW, site="SITE-K")


def test_rebuilding_the_cells_gives_what_ingest_and_the_case_actions_kept(sessions: object) -> None:
    with sessions() as s:  # type: ignore[operator]
        opened = [_opened(h, station=st, order=f"SO-{h}") for h in (1, 5, 23) for st in (STATION, "ST-K2")]
        _ingest(s, STATION, *[e for e in opened if e["station_id"] == STATION])
        _ingest(s, "ST-K2", *[e for e in opened if e["station_id"] == "ST-K2"])
        _ingest(s, STATION, f.pack_sealed("SO-5", lines=2, sealed_at=NOW - timedelta(hours=20), station_id=STATION))
        _ingest(s, STATION, f.pack_cancelled("SO-9", cancelled_at=NOW, station_id=STATION))
        for e in opened[:3]:
            cases.transition(
                s, uuid.UUID(str(e["payload"]["incident_id"])), CaseStatus.RESOLVED, note="ok", actor="a", now=NOW
            )  # type: ignore[index]
        s.commit()
        kept = _cells(s)
        assert sum(r[2 + kpi_cells._COUNTS.index("incidents")] for r in kept) == 6  # type: ignore[misc]
        kpi_cells.rebuild(s)
        s.flush()
        s.expire_all()
        assert _cells(s) == kept


@pytest.mark.postgres
def test_a_case_action_and_an_ingest_on_one_cell_at_once_lose_nothing(
    fresh_postgres_db: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A case action is paused inside its cell refresh (cell locked, its inputs read, not yet written) while
    an ingest of the same station's day comes in: the ingest must wait for the cell and recompute it after
    the action committed. Without the lock it would write and commit first, then the action's stale view
    (without the new incident) would overwrite the cell."""
    engine = make_engine(fresh_postgres_db)
    upgrade(engine)
    factory = make_session_factory(engine)
    first = _opened(8)
    with factory() as s:
        issue_station_token(s, STATION, site="SITE-K")
        _ingest(s, STATION, first)
        s.commit()
    paused, resume = threading.Event(), threading.Event()
    real = kpi_cells._add_orders

    def pausing(cells: object, rows: object) -> None:
        if threading.current_thread().name == "case-action":
            paused.set()
            assert resume.wait(30)
        real(cells, rows)  # type: ignore[arg-type]

    monkeypatch.setattr(kpi_cells, "_add_orders", pausing)
    incident = uuid.UUID(str(first["payload"]["incident_id"]))  # type: ignore[index]

    def act() -> None:
        with factory() as s:
            cases.transition(s, incident, CaseStatus.CUSTOMER_NOTIFIED, note="", actor="cs", now=NOW)
            s.commit()

    def ingest_second() -> None:
        with factory() as s:
            _ingest(s, STATION, _opened(10, order="SO-2"))
            s.commit()

    actor = threading.Thread(target=act, name="case-action")
    actor.start()
    assert paused.wait(30)
    racer = threading.Thread(target=ingest_second, name="ingest")
    racer.start()
    with factory() as watch:  # until the ingest waits for a lock (or, without one, has finished)
        deadline = time.monotonic() + 20
        waiting = (
            "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database()"
        )
        while racer.is_alive() and not watch.scalar(text(waiting)):
            assert time.monotonic() < deadline
            time.sleep(0.02)
            watch.rollback()
    resume.set()
    actor.join(30)
    racer.join(30)
    with factory() as s:
        figures = compute_kpis(s, DAY, NOW)
        assert (figures.incidents, figures.detection_to_notified.n) == (2, 1)
        assert figures == python_kpis(s, DAY, NOW)
    engine.dispose()


def test_migration_0011_fills_the_cells_of_a_database_that_already_holds_data(db_url: str) -> None:
    engine = make_engine(db_url)
    upgrade(engine)
    with make_session_factory(engine)() as s:
        issue_station_token(s, STATION, site="SITE-K")
        events = [_opened(h, order=f"SO-{h}") for h in (2, 14)]
        _ingest(s, STATION, *events, f.pack_sealed("SO-2", lines=4, sealed_at=NOW, station_id=STATION))
        cases.transition(
            s,
            uuid.UUID(str(events[0]["payload"]["incident_id"])),
            CaseStatus.CUSTOMER_NOTIFIED,
            note="",
            actor="a",
            now=NOW,
        )  # type: ignore[index]
        s.commit()
        kept = _cells(s)
    assert len(kept) == 1 and kept[0][2:4] == (1, 1)  # attempted, sealed
    command.downgrade(alembic_config(engine), "0006")  # the data as 0006 left it: no cells
    upgrade(engine)
    with make_session_factory(engine)() as s:
        assert _cells(s) == kept
        assert compute_kpis(s, DAY, NOW) == python_kpis(s, DAY, NOW)
    engine.dispose()
