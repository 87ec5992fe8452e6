"""Fixtures of the sync tests: a real central service (SQLite and PostgreSQL) and a real station."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from station.clock import SystemClock
from station.outbox import Outbox
from tests.central.pg import fresh_postgres_db, postgres_server  # noqa: F401  (fixtures re-exported)
from tests.central.server import CentralServer, run_central
from ui.bootstrap import Station, bootstrap

BACKENDS = [
    pytest.param("sqlite", id="sqlite"),
    pytest.param("postgres", id="postgres", marks=pytest.mark.postgres),
]

STATION_ID = "ST-1"


@pytest.fixture(params=BACKENDS)
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """An empty central database of each backend."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'central.db'}"
    return str(request.getfixturevalue("fresh_postgres_db"))


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    """For tests whose point is not the central backend (auth, CLI words, Qt)."""
    return f"sqlite:///{tmp_path / 'central.db'}"


@pytest.fixture
def central(db_url: str) -> Iterator[CentralServer]:
    with run_central(db_url) as server:
        yield server


@pytest.fixture
def central_sqlite(sqlite_url: str) -> Iterator[CentralServer]:
    with run_central(sqlite_url) as server:
        yield server


@pytest.fixture
def station(tmp_path: Path) -> Iterator[Station]:
    st = bootstrap(tmp_path / "station", STATION_ID, clock=SystemClock())
    try:
        yield st
    finally:
        st.close()


@pytest.fixture
def outbox(station: Station) -> Outbox:
    return Outbox(station.db.sessions, station.clock)
