"""Real ``packgate-central serve`` processes for tests: a subprocess on 127.0.0.1, waited for until
``/api/v1/health`` answers, stopped (SIGTERM, then SIGKILL) when the ``with`` block ends."""

from __future__ import annotations

import contextlib
import logging
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx

from tests.central.pg import free_port

logger = logging.getLogger(__name__)


@dataclass
class ServeProcess:
    process: subprocess.Popen[bytes]
    base_url: str
    log: Path

    def log_text(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")


@contextlib.contextmanager
def serve(db_url: str, log_dir: Path, *args: str, timeout: float = 60.0) -> Iterator[ServeProcess]:
    """``python -m sync.server.cli serve --db DB_URL --port <free> ARGS...``; yields once it is healthy."""
    port = free_port()
    log = log_dir / f"central-{port}.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "sync.server.cli", "serve", "--db", db_url, "--port", str(port), *args],
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    running = ServeProcess(process, f"http://127.0.0.1:{port}", log)
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                if httpx.get(running.base_url + "/api/v1/health", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if process.poll() is not None:
                raise RuntimeError(f"central process exited with {process.returncode}:\n{running.log_text()}")
            if time.monotonic() > deadline:
                raise RuntimeError(f"central process did not answer within {timeout} s:\n{running.log_text()}")
            time.sleep(0.1)
        yield running
    finally:
        process.terminate()
        try:
            process.wait(30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(10)
