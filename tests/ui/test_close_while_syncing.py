"""Closing the packer screen while the sync worker waits on a slow central service: the window goes away at
once and the worker is stopped in the background (it used to join on the GUI thread, up to 30 s)."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from station.clock import SystemClock
from tests.sync.helpers import fill_outbox
from ui.app import build_window
from ui.bootstrap import bootstrap

SERVER_SLEEP_S = 4.0


class SlowCentral:
    """A real HTTP server on 127.0.0.1 that holds every request until `release` (or SERVER_SLEEP_S), then
    answers 503."""

    def __init__(self) -> None:
        self.arrived = threading.Event()
        self.release = threading.Event()
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                self.rfile.read(int(self.headers.get("Content-Length") or 0))
                outer.arrived.set()
                outer.release.wait(SERVER_SLEEP_S)
                self.send_response(503)
                self.send_header("Content-Length", "0")
                self.end_headers()

            do_GET = do_POST

            def log_message(self, format: str, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> SlowCentral:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.release.set()
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def slow_central() -> Iterator[SlowCentral]:
    with SlowCentral() as server:
        yield server


def test_close_returns_at_once_while_a_sync_request_hangs(
    qtbot: QtBot, tmp_path: Path, slow_central: SlowCentral
) -> None:
    station = bootstrap(tmp_path / "station", "ST-1", clock=SystemClock())
    try:
        fill_outbox(station.db, 3)
        station.settings.set_section(
            "sync", {"url": slow_central.url, "token": "t" * 32, "interval": 0.05, "timeout": 20}
        )
        window = build_window(station, [], packer="P1", muted=True, sync=True)
        qtbot.addWidget(window)
        window.show()
        qtbot.waitUntil(slow_central.arrived.is_set, timeout=10000)  # the worker is now mid-request
        started = time.monotonic()
        window.close()
        took = time.monotonic() - started
        assert not window.isVisible()
        assert took < 1.0, took  # before: the GUI thread joined the worker until the server answered (4 s)
        assert window.sync.worker.running  # still waiting on the server: the stop really is in the background
        slow_central.release.set()
        assert window.sync.wait_stopped(10)
        assert not window.sync.worker.running
    finally:
        station.close()
