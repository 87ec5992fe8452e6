"""More than one central process over one PostgreSQL: real ``packgate-central serve`` processes on two
ports (and ``serve --workers 2``), real HTTP on 127.0.0.1.

Identical batches race through both processes; each event must be stored once, each incident projected
once, and the incidents (their case clocks) and the KPIs must be what one process alone makes of the
same events.
"""

from __future__ import annotations

import concurrent.futures
import random
import re
import subprocess
import sys
import threading
import uuid
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select, text

from sync.server.db import make_engine, make_session_factory, upgrade
from sync.server.models import Event, Incident, IncidentHistory
from sync.server.tokens import issue_admin_token, issue_station_token
from tests.central import factory as f
from tests.central.pg import create_database, drop_database
from tests.central.processes import serve

EVENTS = "/api/v1/events"
SITE = "SITE-1"
STATIONS = ("ST-A", "ST-B")
# Five days ago: every due time (at most 72 h) has passed, so "breaching" does not depend on when the test runs.
DAY = (datetime.now(UTC) - timedelta(days=5)).date()


def _workload(station: str, rng: random.Random) -> list[dict[str, Any]]:
    """A station's day: incidents (some cleared, some escalated, one cleared before its opened is sent),
    seals, a cancel and audit rows, in a shuffled order."""
    start = datetime.combine(DAY, time(8), tzinfo=UTC)
    events: list[dict[str, Any]] = []
    for i in range(12):
        detected = start + timedelta(minutes=7 * i)
        incident_id = str(uuid.uuid4())
        order = f"{station}-SO-{i}"
        kind = "short" if i % 4 == 0 else "wrong_item"
        events.append(
            f.incident_opened(incident_id, order_id=order, kind=kind, detected_at=detected, station_id=station)
        )
        if i % 2 == 0:
            events.append(
                f.incident_cleared(
                    incident_id, order_id=order, cleared_at=detected + timedelta(minutes=3), station_id=station
                )
            )
        if i % 3 == 0:
            events.append(
                f.incident_escalated(
                    incident_id, order_id=order, escalated_at=detected + timedelta(minutes=2), station_id=station
                )
            )
        if i % 5 != 0:
            events.append(f.pack_sealed(order, lines=3, sealed_at=detected + timedelta(minutes=5), station_id=station))
    events.append(f.pack_cancelled(f"{station}-SO-X", cancelled_at=start, station_id=station))
    events += [f.audit("scan", station_id=station, at=start + timedelta(seconds=s)) for s in range(10)]
    rng.shuffle(events)
    return events


def _setup(db_url: str) -> tuple[dict[str, str], str]:
    engine = make_engine(db_url)
    upgrade(engine)
    with make_session_factory(engine)() as session:
        tokens = {s: issue_station_token(session, s, site=SITE).secret for s in STATIONS}
        admin = issue_admin_token(session, "ops").secret
        session.commit()
    engine.dispose()
    return tokens, admin


def _post(base_url: str, token: str, station: str, batch: list[dict[str, Any]]) -> dict[str, Any]:
    response = httpx.post(
        base_url + EVENTS,
        json={"station_id": station, "events": batch},
        headers={"Authorization": f"Bearer {token}"},
        timeout=60,
    )
    assert response.status_code == 200, response.text
    answer: dict[str, Any] = response.json()
    return answer


def _incidents(db_url: str) -> list[dict[str, Any]]:
    """Every incident as stored, without logged_at (the arrival time, which differs from run to run)."""
    engine = make_engine(db_url)
    try:
        with make_session_factory(engine)() as session:
            rows = session.scalars(select(Incident).order_by(Incident.incident_id)).all()
            return [
                {c.name: getattr(i, c.key) for c in Incident.__table__.columns if c.name != "logged_at"} for i in rows
            ]
    finally:
        engine.dispose()


def _counts(db_url: str) -> tuple[int, int, int]:
    engine = make_engine(db_url)
    try:
        with engine.connect() as conn:
            events = conn.scalar(select(func.count()).select_from(Event))
            distinct = conn.scalar(select(func.count(func.distinct(Event.event_id))))
            history = conn.scalar(select(func.count()).select_from(IncidentHistory))
            return int(events or 0), int(distinct or 0), int(history or 0)
    finally:
        engine.dispose()


def _kpis(base_url: str, admin: str) -> list[dict[str, Any]]:
    """The day's KPIs for the site and each station, without the detection-to-logged times (arrival)."""
    figures = []
    for scope in [{"site": SITE}] + [{"station": s} for s in STATIONS]:
        response = httpx.get(
            base_url + "/api/v1/kpis",
            params={"day": DAY.isoformat(), **scope},
            headers={"Authorization": f"Bearer {admin}"},
            timeout=30,
        )
        assert response.status_code == 200, response.text
        body = response.json()
        assert body.pop("detection_to_logged")["n"] == body["incidents"]
        figures.append(body)
    return figures


@pytest.mark.postgres
def test_identical_batches_racing_through_two_processes_are_stored_once(
    fresh_postgres_db: str, postgres_server: str, tmp_path: Path
) -> None:
    rng = random.Random(15)
    work = {s: _workload(s, rng) for s in STATIONS}
    batches = [(s, work[s][i : i + 9]) for s in STATIONS for i in range(0, len(work[s]), 9)]
    total = sum(len(w) for w in work.values())
    incident_events = sum(1 for w in work.values() for e in w if e["type"].startswith("incident."))

    tokens, admin = _setup(fresh_postgres_db)
    with serve(fresh_postgres_db, tmp_path) as one, serve(fresh_postgres_db, tmp_path) as two:
        # Each station's home process is a different one, and every batch also goes through the other
        # process at the same moment (a load balancer retrying on the other node), twice over.
        homes = {STATIONS[0]: (one, two), STATIONS[1]: (two, one)}
        # The four copies of a batch are next to each other in the list, so they are in flight together.
        sends = [(p.base_url, s, b) for s, b in batches for p in homes[s] for _ in range(2)]

        def send(job: tuple[str, str, list[dict[str, Any]]]) -> tuple[list[dict[str, Any]], dict[str, Any]]:
            base_url, station, batch = job
            return batch, _post(base_url, tokens[station], station, batch)

        with concurrent.futures.ThreadPoolExecutor(8) as pool:
            answers = list(pool.map(send, sends))
        kpis_one, kpis_two = _kpis(one.base_url, admin), _kpis(two.base_url, admin)

    accepted = [e for _, a in answers for e in a["accepted"]]
    assert sorted(accepted) == sorted(e["event_id"] for w in work.values() for e in w)  # each accepted once
    for batch, answer in answers:
        assert answer["rejected"] == []
        assert sorted(answer["accepted"] + answer["duplicates"]) == sorted(e["event_id"] for e in batch)
    assert _counts(fresh_postgres_db) == (total, total, incident_events)

    # The same events through one process, each batch once, one after the other.
    baseline = create_database(postgres_server)
    try:
        base_tokens, base_admin = _setup(baseline)
        with serve(baseline, tmp_path) as single:
            for station, batch in batches:
                assert len(_post(single.base_url, base_tokens[station], station, batch)["accepted"]) == len(batch)
            kpis_single = _kpis(single.base_url, base_admin)
        assert _incidents(fresh_postgres_db) == _incidents(baseline)  # due times, statuses, clears: all equal
        assert kpis_one == kpis_two == kpis_single
        assert kpis_single[0]["incidents"] == 24 and kpis_single[0]["cases_breaching_targets"] == 24
    finally:
        drop_database(postgres_server, baseline)


@pytest.mark.postgres
def test_a_case_moved_through_two_processes_at_once_moves_once(fresh_postgres_db: str, tmp_path: Path) -> None:
    tokens, admin = _setup(fresh_postgres_db)
    opened = f.incident_opened(station_id="ST-A", detected_at=f.hours_ago(1))
    incident_id = opened["payload"]["incident_id"]
    with serve(fresh_postgres_db, tmp_path) as one, serve(fresh_postgres_db, tmp_path) as two:
        assert _post(one.base_url, tokens["ST-A"], "ST-A", [opened])["accepted"] == [opened["event_id"]]
        before = _incidents(fresh_postgres_db)
        barrier = threading.Barrier(2)

        def notify(base_url: str) -> int:
            barrier.wait(30)
            return httpx.post(
                f"{base_url}/api/v1/incidents/{incident_id}/case",
                json={"status": "customer_notified", "note": "called"},
                headers={"Authorization": f"Bearer {admin}"},
                timeout=30,
            ).status_code

        with concurrent.futures.ThreadPoolExecutor(2) as pool:
            codes = sorted(pool.map(notify, [one.base_url, two.base_url]))
    assert codes == [200, 409]
    after = _incidents(fresh_postgres_db)
    assert after[0]["case_status"] == "customer_notified" and after[0]["version"] == 1
    assert (after[0]["notify_due_at"], after[0]["remedy_due_at"]) == (
        before[0]["notify_due_at"],
        before[0]["remedy_due_at"],
    )


@pytest.mark.postgres
def test_processes_starting_together_on_an_empty_database_migrate_it_once(fresh_postgres_db: str) -> None:
    """Without the advisory lock, two of them ran CREATE TABLE at once and one failed to start."""
    command = [sys.executable, "-m", "sync.server.cli", "db", "upgrade", "--db", fresh_postgres_db]
    upgrades = [subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT) for _ in range(4)]
    outputs = [p.communicate(timeout=120)[0].decode() for p in upgrades]
    assert [p.returncode for p in upgrades] == [0, 0, 0, 0], outputs
    engine = make_engine(fresh_postgres_db)
    try:
        with engine.connect() as conn:
            assert conn.scalar(text("SELECT count(*) FROM alembic_version")) == 1
    finally:
        engine.dispose()


def _worker_pids(log: str) -> set[int]:
    """The worker processes uvicorn says it started ("Started server process [PID]")."""
    return {int(m) for m in re.findall(r"Started server process \[(\d+)\]", log)}


@pytest.mark.postgres
def test_serve_with_two_workers_answers_from_both(fresh_postgres_db: str, tmp_path: Path) -> None:
    tokens, _ = _setup(fresh_postgres_db)
    with serve(fresh_postgres_db, tmp_path, "--workers", "2") as central:
        events = [f.audit(station_id="ST-A") for _ in range(40)]
        with concurrent.futures.ThreadPoolExecutor(4) as pool:
            answers = list(
                pool.map(lambda b: _post(central.base_url, tokens["ST-A"], "ST-A", b), [events[i::4] for i in range(4)])
            )
        assert sorted(e for a in answers for e in a["accepted"]) == sorted(e["event_id"] for e in events)
        workers = _worker_pids(central.log_text())
        assert len(workers) == 2 and all(Path(f"/proc/{pid}").exists() for pid in workers), central.log_text()
    assert _counts(fresh_postgres_db)[0] == 40


def test_serve_with_workers_on_sqlite_is_refused_with_the_reason(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "sync.server.cli", "serve", "--db", f"sqlite:///{tmp_path / 'c.db'}", "--workers", "2"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 1
    assert "--workers needs PostgreSQL" in done.stderr and "SQLite allows one writer" in done.stderr
