"""/api/v1/health/live and /api/v1/health/ready over real HTTP: live whatever the database does; ready
only when the database answers with the schema this build expects, and 503 with the reason otherwise."""

from __future__ import annotations

from pathlib import Path

import httpx

from sync.server.db import make_engine, upgrade
from tests.central.server import CentralServer, run_central


def test_a_migrated_central_is_live_and_ready(central: CentralServer) -> None:
    live = httpx.get(f"{central.base_url}/api/v1/health/live", timeout=10)
    assert live.status_code == 200 and live.json() == {"status": "live"}
    ready = httpx.get(f"{central.base_url}/api/v1/health/ready", timeout=10)
    body = ready.json()
    assert ready.status_code == 200 and body["status"] == "ready", body
    assert body["schema_revision"] == body["expected_revision"] and body["reason"] is None
    assert body["database"] in ("sqlite", "postgresql")


def test_a_central_on_an_old_schema_is_live_but_not_ready(db_url: str, tmp_path: Path) -> None:
    # CentralServer migrates to head; bring the database back to 0005 before the app opens it unmigrated.
    with run_central(db_url, app_options={"migrate": False}) as central:
        from alembic import command

        from sync.server.db import alembic_config

        engine = make_engine(db_url)
        try:
            command.downgrade(alembic_config(engine), "0005")
            assert httpx.get(f"{central.base_url}/api/v1/health/live", timeout=10).status_code == 200
            ready = httpx.get(f"{central.base_url}/api/v1/health/ready", timeout=10)
            assert ready.status_code == 503
            body = ready.json()
            assert body["status"] == "not_ready" and body["schema_revision"] == "0005"
            assert "run 'packgate-central db upgrade'" in body["reason"]
            upgrade(engine)
            assert httpx.get(f"{central.base_url}/api/v1/health/ready", timeout=10).status_code == 200
        finally:
            engine.dispose()


def test_a_central_whose_database_refuses_connections_is_live_but_not_ready(
    postgres_server: str, fresh_postgres_db: str
) -> None:
    import psycopg

    name = fresh_postgres_db.rsplit("/", 1)[1]
    with run_central(fresh_postgres_db) as central:
        assert httpx.get(f"{central.base_url}/api/v1/health/ready", timeout=10).status_code == 200
        with psycopg.connect(postgres_server.replace("+psycopg", ""), autocommit=True) as admin:
            admin.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS false')
            admin.execute(f"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{name}'")
            try:
                assert httpx.get(f"{central.base_url}/api/v1/health/live", timeout=10).status_code == 200
                ready = httpx.get(f"{central.base_url}/api/v1/health/ready", timeout=10)
                assert ready.status_code == 503, ready.text
                assert ready.json()["reason"].startswith("database unreachable"), ready.text
            finally:
                admin.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true')
        # Back as soon as the database is (the pool reconnects).
        assert httpx.get(f"{central.base_url}/api/v1/health/ready", timeout=10).status_code == 200
