"""A throw-away PostgreSQL cluster for tests (and the central benchmark).

Reuse from another test directory's conftest::

    from tests.central.pg import fresh_postgres_db, postgres_server  # noqa: F401  (fixtures)

``postgres_server`` (session) starts one cluster; ``fresh_postgres_db`` (function) yields the URL of a new,
empty database on it and drops it afterwards. Without PostgreSQL binaries the tests are skipped, except
when ``$CI`` is set: CI must really test PostgreSQL, so there it is a failure.

PostgreSQL refuses to run as root; when we are root the cluster directory is given to the ``postgres``
user and every binary runs through ``runuser -u postgres --``.
"""

from __future__ import annotations

import contextlib
import glob
import logging
import os
import shutil
import socket
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

logger = logging.getLogger(__name__)


def find_pg_bin() -> Path | None:
    """The newest ``/usr/lib/postgresql/<version>/bin`` holding ``initdb`` (Debian's layout), or PATH."""
    candidates = sorted(
        glob.glob("/usr/lib/postgresql/*/bin/initdb"),
        key=lambda p: int(Path(p).parts[-3]) if Path(p).parts[-3].isdigit() else 0,
    )
    if candidates:
        return Path(candidates[-1]).parent
    on_path = shutil.which("initdb")
    return Path(on_path).parent if on_path else None


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _run(cmd: list[str], *, as_postgres: bool) -> None:
    full = (["runuser", "-u", "postgres", "--"] if as_postgres else []) + cmd
    done = subprocess.run(full, capture_output=True, text=True, timeout=120, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(full)} failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")


@contextlib.contextmanager
def temporary_postgres(bin_dir: Path) -> Iterator[str]:
    """Start a cluster on 127.0.0.1:<free port>; yield the admin URL (database ``postgres``); stop it."""
    as_root = os.geteuid() == 0
    # Not under pytest's tmp dir: that is 0700 root and the postgres user could not reach its data dir.
    base = Path(tempfile.mkdtemp(prefix="packgate-pg-"))
    data, sock = base / "data", base / "sock"
    sock.mkdir()
    if as_root:
        for path in (base, sock):
            shutil.chown(path, user="postgres", group="postgres")
    port = free_port()
    try:
        _run(
            [
                str(bin_dir / "initdb"),
                "-D",
                str(data),
                "-U",
                "postgres",
                "-A",
                "trust",
                "-E",
                "UTF8",
                "--no-sync",
                "--no-instructions",
            ],
            as_postgres=as_root,
        )
        options = (
            f"-k {sock} -p {port} -c listen_addresses=127.0.0.1 -c fsync=off "
            "-c synchronous_commit=off -c full_page_writes=off -c max_connections=200"
        )
        _run(
            [
                str(bin_dir / "pg_ctl"),
                "-D",
                str(data),
                "-l",
                str(base / "server.log"),
                "-w",
                "-t",
                "60",
                "-o",
                options,
                "start",
            ],
            as_postgres=as_root,
        )
        try:
            yield f"postgresql+psycopg://postgres@127.0.0.1:{port}/postgres"
        finally:
            _run([str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "fast", "-w", "stop"], as_postgres=as_root)
    finally:
        shutil.rmtree(base, ignore_errors=True)


def create_database(admin_url: str, name: str | None = None) -> str:
    """Create an empty database on the cluster of ``admin_url``; return its URL."""
    import psycopg

    name = name or f"t_{uuid.uuid4().hex[:16]}"
    with psycopg.connect(admin_url.replace("+psycopg", ""), autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return admin_url.rsplit("/", 1)[0] + f"/{name}"


def drop_database(admin_url: str, url: str) -> None:
    import psycopg

    name = url.rsplit("/", 1)[1]
    with psycopg.connect(admin_url.replace("+psycopg", ""), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[str]:
    """Admin URL of a session-wide PostgreSQL cluster (see the module docstring)."""
    bin_dir = find_pg_bin()
    if bin_dir is None:
        message = "PostgreSQL binaries not found (looked in /usr/lib/postgresql/*/bin and PATH)"
        if os.environ.get("CI"):
            pytest.fail(f"{message}; CI must test PostgreSQL: install Debian's 'postgresql' package")
        pytest.skip(f"{message}; install 'postgresql' to run the postgres tests")
    with temporary_postgres(bin_dir) as admin_url:
        yield admin_url


@pytest.fixture
def fresh_postgres_db(postgres_server: str) -> Iterator[str]:
    """URL of a new empty database, dropped after the test."""
    url = create_database(postgres_server)
    try:
        yield url
    finally:
        drop_database(postgres_server, url)
