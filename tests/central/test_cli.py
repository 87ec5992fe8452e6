"""``packgate-central``: tokens issued and revoked at the command line work against the running service."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from sync.server.cli import main
from tests.central import factory as f
from tests.central.pg import free_port
from tests.central.server import CentralServer, stop_process, wait_for_health


def cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_issue_use_and_revoke_a_station_token(central: CentralServer, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = cli(capsys, "token", "issue", "BENCH-3", "--site", "SITE-A", "--db", central.db_url)
    assert code == 0
    token_id = re.search(r"token id: (tok_[0-9a-f]{12})", out).group(1)  # type: ignore[union-attr]
    secret = re.search(r"^token: (\S+)$", out, re.M).group(1)  # type: ignore[union-attr]
    body = {"station_id": "BENCH-3", "events": [f.audit(station_id="BENCH-3")]}
    with httpx.Client(base_url=central.base_url, headers={"Authorization": f"Bearer {secret}"}) as client:
        assert client.post("/api/v1/events", json=body).status_code == 200
        code, out, _ = cli(capsys, "token", "list", "--db", central.db_url)
        assert f"{token_id}\tstation\tBENCH-3\tactive" in out and secret not in out
        assert cli(capsys, "token", "revoke", token_id, "--db", central.db_url)[0] == 0
        assert client.post("/api/v1/events", json=body).status_code == 401


def test_admin_token_from_the_environment_database(
    central: CentralServer, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PACKGATE_CENTRAL_DB", central.db_url)
    code, out, _ = cli(capsys, "token", "issue", "--admin", "customer-service")
    assert code == 0
    secret = re.search(r"^token: (\S+)$", out, re.M).group(1)  # type: ignore[union-attr]
    response = httpx.get(central.base_url + "/api/v1/incidents", headers={"Authorization": f"Bearer {secret}"})
    assert response.status_code == 200 and response.json() == {"incidents": []}


def test_bad_input_gets_a_message_not_a_traceback(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = f"sqlite:///{tmp_path / 'c.db'}"
    code, _, err = cli(capsys, "token", "revoke", "tok_000000000000", "--db", db)
    assert code == 1 and "no token with id 'tok_000000000000'" in err
    code, _, err = cli(capsys, "token", "issue", "has spaces", "--db", db)
    assert code == 1 and "invalid station id" in err
    with pytest.raises(SystemExit) as exited:
        main(["token", "issue", "--db", "mysql://nope/x", "S1"])
    assert exited.value.code == 2 and "unsupported database 'mysql'" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["token", "issue", "--db", db])  # neither a station nor --admin
    assert "either STATION_ID or --admin" in capsys.readouterr().err
    assert cli(capsys, "db", "upgrade", "--db", db)[0] == 0


def test_serve_runs_the_service_in_its_own_process(tmp_path: Path) -> None:
    port = free_port()
    env = {**os.environ, "PACKGATE_CENTRAL_DB": f"sqlite:///{tmp_path / 'c.db'}"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "sync.server.cli", "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        health = wait_for_health(proc, f"http://127.0.0.1:{port}")
        assert health.json() == {"status": "ok", "wire_version": 1, "database": "sqlite"}
        assert httpx.get(f"http://127.0.0.1:{port}/openapi.json").status_code == 200  # public by default
    finally:
        stop_process(proc)


def test_serve_takes_a_body_limit_and_can_hide_the_docs(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = f"sqlite:///{tmp_path / 'c.db'}"
    assert main(["serve", "--db", db, "--max-body-mb", "0"]) == 1
    assert "--max-body-mb must be more than 0" in capsys.readouterr().err
    code, out, _ = cli(capsys, "token", "issue", "ST-1", "--db", db)
    secret = re.search(r"^token: (\S+)$", out, re.M).group(1)  # type: ignore[union-attr]
    port = free_port()
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "sync.server.cli",
            "serve",
            "--db",
            db,
            "--port",
            str(port),
            "--max-body-mb",
            "0.01",
            "--no-docs",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        wait_for_health(proc, f"http://127.0.0.1:{port}")
        assert httpx.get(f"http://127.0.0.1:{port}/openapi.json").status_code == 401
        events = [f.pack_sealed(f"SO-{i}") for i in range(40)]  # ~14 KB, over 0.01 MB
        big = httpx.post(
            f"http://127.0.0.1:{port}/api/v1/events",
            json={"station_id": "ST-1", "events": events},
            headers={"Authorization": f"Bearer {secret}"},
        )
        assert big.status_code == 413 and "the limit is 10485 bytes" in big.json()["detail"]
    finally:
        stop_process(proc)


def test_issued_tokens_never_start_with_a_dash() -> None:
    """`packgate sync run --token -abc…` would read as a missing argument: every token has a fixed prefix."""
    from sqlalchemy.orm import Session

    from sync.server.db import make_engine, upgrade
    from sync.server.tokens import TOKEN_PREFIX, issue_station_token

    engine = make_engine("sqlite://")
    upgrade(engine)
    with Session(engine) as s:
        secrets_ = [issue_station_token(s, f"ST-{i}").secret for i in range(300)]
    assert all(t.startswith(TOKEN_PREFIX) and not t.startswith("-") for t in secrets_)
    engine.dispose()
