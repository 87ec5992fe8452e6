"""Run the real central service (uvicorn) on 127.0.0.1 in a background thread, for tests.

    with run_central(db_url) as central:
        token = central.issue_station_token("ST-1")
        httpx.post(central.base_url + "/api/v1/events", ...)
        central.stop()    # simulate an outage: connections are refused
        central.start()   # same port, same database

    run_central(db_url, ssl_certfile=CERT, ssl_keyfile=KEY) serves HTTPS (``base_url`` is https://...).
    run_central(db_url, app_options={"max_body_bytes": ...}) passes options on to ``create_app``.

The server thread is always stopped when the ``with`` block ends.
"""

from __future__ import annotations

import contextlib
import logging
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from datetime import datetime
from typing import Any

import httpx
import uvicorn

from sync.server.app import create_app
from sync.server.db import make_engine, make_session_factory, upgrade
from sync.server.tokens import IssuedToken, issue_admin_token, issue_station_token, revoke_token
from tests.central.pg import free_port

logger = logging.getLogger(__name__)


class CentralServer:
    """One central service on a fixed port; ``start``/``stop`` may be called repeatedly."""

    def __init__(
        self,
        db_url: str,
        *,
        port: int | None = None,
        clock: Callable[[], datetime] | None = None,
        ssl_certfile: str | None = None,
        ssl_keyfile: str | None = None,
        app_options: dict[str, Any] | None = None,
    ) -> None:
        if bool(ssl_certfile) != bool(ssl_keyfile):
            raise ValueError("ssl_certfile and ssl_keyfile go together")
        self.db_url = db_url
        self.port = port or free_port()
        self._ssl = {"ssl_certfile": ssl_certfile, "ssl_keyfile": ssl_keyfile} if ssl_certfile else {}
        self.base_url = f"{'https' if self._ssl else 'http'}://127.0.0.1:{self.port}"
        self._clock = clock
        # Test receivers listen on 127.0.0.1, which a real central refuses to send webhooks to by default.
        self._app_options = {"webhook_private_targets": True, **(app_options or {})}
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None
        self._engine = make_engine(db_url)
        upgrade(self._engine)  # tokens can be issued before the first start
        self._sessions = make_session_factory(self._engine)

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def start(self, timeout: float = 20.0) -> None:
        if self.running:
            return
        app = create_app(self.db_url, **({"clock": self._clock} if self._clock else {}), **self._app_options)
        config = uvicorn.Config(
            app, host="127.0.0.1", port=self.port, log_level="warning", lifespan="on", access_log=False, **self._ssl
        )
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._server.run, name=f"central-uvicorn-{self.port}", daemon=True)
        self._thread.start()
        deadline = time.monotonic() + timeout
        while not self._server.started:
            if not self._thread.is_alive():
                raise RuntimeError(f"central service on port {self.port} failed to start (see the log)")
            if time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"central service on port {self.port} did not start within {timeout} s")
            time.sleep(0.01)

    def stop(self, timeout: float = 20.0) -> None:
        if self._server is None or self._thread is None:
            return
        self._server.should_exit = True
        self._thread.join(timeout)
        if self._thread.is_alive():
            raise RuntimeError(f"central service on port {self.port} did not stop within {timeout} s")
        self._server = self._thread = None

    def close(self) -> None:
        self.stop()
        self._engine.dispose()

    # Credentials, straight into the same database (what `packgate-central token ...` does).
    def issue_station_token(self, station_id: str, site: str | None = None) -> str:
        return self.issue_station(station_id, site).secret

    def issue_station(self, station_id: str, site: str | None = None) -> IssuedToken:
        with self._sessions() as session:
            issued = issue_station_token(session, station_id, site=site)
            session.commit()
        return issued

    def issue_admin_token(self, name: str = "ops") -> str:
        with self._sessions() as session:
            issued = issue_admin_token(session, name)
            session.commit()
        return issued.secret

    def revoke(self, token_id: str) -> None:
        with self._sessions() as session:
            revoke_token(session, token_id)
            session.commit()


@contextlib.contextmanager
def run_central(
    db_url: str,
    *,
    port: int | None = None,
    clock: Callable[[], datetime] | None = None,
    ssl_certfile: str | None = None,
    ssl_keyfile: str | None = None,
    app_options: dict[str, Any] | None = None,
) -> Iterator[CentralServer]:
    """Start the service for ``db_url`` and yield it; always stopped afterwards. With a certificate and
    key (PEM) it serves HTTPS, as ``packgate-central serve --ssl-certfile F --ssl-keyfile F`` does."""
    server = CentralServer(
        db_url, port=port, clock=clock, ssl_certfile=ssl_certfile, ssl_keyfile=ssl_keyfile, app_options=app_options
    )
    try:
        server.start()
        yield server
    finally:
        server.close()


def wait_for_health(proc: subprocess.Popen, base_url: str, seconds: float = 30) -> httpx.Response:
    """Poll ``base_url``/api/v1/health until a central started as ``proc`` answers; fail with its stderr if
    it exits first, or after ``seconds``."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            return httpx.get(f"{base_url}/api/v1/health", timeout=2)
        except httpx.TransportError:
            if proc.poll() is not None:
                said = proc.stderr.read() if proc.stderr else ""
                raise AssertionError(f"central exited ({proc.returncode}): {said!r}") from None
            if time.monotonic() > deadline:
                raise AssertionError(f"central did not come up at {base_url} in {seconds} s") from None
            time.sleep(0.1)


def stop_process(proc: subprocess.Popen, seconds: float = 30) -> None:
    """Terminate ``proc`` if it still runs (kill it after ``seconds``) and close its pipes."""
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(seconds)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(10)
    for pipe in (proc.stdout, proc.stderr):
        if pipe:
            pipe.close()
