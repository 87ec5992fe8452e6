"""Fixtures of the central-service tests: every service test runs on SQLite and on PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.central.pg import fresh_postgres_db, postgres_server  # noqa: F401  (fixtures re-exported)
from tests.central.server import CentralServer, run_central

BACKENDS = [
    pytest.param("sqlite", id="sqlite"),
    pytest.param("postgres", id="postgres", marks=pytest.mark.postgres),
]


@pytest.fixture(params=BACKENDS)
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """An empty database of each backend."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'central.db'}"
    return request.getfixturevalue("fresh_postgres_db")


@pytest.fixture
def central(db_url: str) -> Iterator[CentralServer]:
    with run_central(db_url) as server:
        yield server


@pytest.fixture
def admin(central: CentralServer) -> Iterator[httpx.Client]:
    """An HTTP client holding an admin token."""
    with httpx.Client(
        base_url=central.base_url, timeout=30, headers={"Authorization": f"Bearer {central.issue_admin_token('ops')}"}
    ) as client:
        yield client


@pytest.fixture
def station(central: CentralServer) -> Iterator[httpx.Client]:
    """An HTTP client holding the token of station ``ST-1`` (site ``SITE-A``)."""
    with httpx.Client(
        base_url=central.base_url,
        timeout=30,
        headers={"Authorization": f"Bearer {central.issue_station_token('ST-1', site='SITE-A')}"},
    ) as c:
        yield c
