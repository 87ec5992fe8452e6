"""`packgate --demo` (offscreen) while a scanner floods it: SIGTERM ends the app within 2 s, exit status 0.

Before, 100 000 queued lines stood between the signal and the event loop: the app kept judging them and
ignored SIGTERM for 20 s and more."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
import tty
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LINE = b"5901230412357\r"


def _wait_for(condition: Callable[[], bool], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.05)


def _start(tmp_path: Path, scanner: str) -> tuple[subprocess.Popen, Path]:
    data = tmp_path / "data"
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    stderr = open(tmp_path / "stderr.txt", "wb")
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "ui.cli",
            "--demo",
            "--data-dir",
            str(data),
            "--mute",
            "--packer",
            "P1",
            "--scanner",
            scanner,
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=stderr,
    )
    stderr.close()
    return proc, data / "logs" / "packgate.log"


def _log_has(log: Path, text: str) -> bool:
    return log.is_file() and text in log.read_text(encoding="utf-8", errors="replace")


def _flooded(log: Path) -> bool:
    """The app noticed the flood, or (without flood control) has judged a few hundred of its lines."""
    if not log.is_file():
        return False
    text = log.read_text(encoding="utf-8", errors="replace")
    return "is flooding" in text or text.count('"msg": "scan"') >= 300


def _terminate_within(proc: subprocess.Popen, seconds: float) -> tuple[int | None, float]:
    t0 = time.monotonic()
    proc.send_signal(signal.SIGTERM)
    try:
        rc = proc.wait(seconds)
    except subprocess.TimeoutExpired:
        rc = None
    return rc, time.monotonic() - t0


def test_sigterm_during_a_serial_flood_ends_the_app_within_2_s(tmp_path: Path) -> None:
    master, slave = os.openpty()
    tty.setraw(slave)
    stop = threading.Event()

    def flood() -> None:
        chunk = LINE * 500
        while not stop.is_set():
            try:
                os.write(master, chunk)
            except OSError:
                return

    proc, log = _start(tmp_path, f"serial:{os.ttyname(slave)}")
    writer = threading.Thread(target=flood, name="test-flood-writer", daemon=True)
    try:
        _wait_for(lambda: _log_has(log, "packer screen up") or proc.poll() is not None, 60, "the window")
        assert proc.poll() is None, (tmp_path / "stderr.txt").read_text()
        writer.start()
        _wait_for(lambda: _flooded(log), 30, "the flood to reach the app")
        rc, took = _terminate_within(proc, 2.0)
        assert rc == 0 and took < 2.0, f"exit {rc} after {took:.2f} s"
        assert _log_has(log, "signal received, closing") and _log_has(log, "packer screen closed")
    finally:
        stop.set()
        if proc.poll() is None:
            proc.kill()
            proc.wait(10)
        os.close(master)
        os.close(slave)


def test_sigterm_during_a_scripted_flood_ends_the_app_within_2_s(tmp_path: Path) -> None:
    script = tmp_path / "flood.txt"
    script.write_text("@delay 0\n" + "5901230412357\n" * 100_000, encoding="utf-8")
    proc, log = _start(tmp_path, f"file:{script}")
    try:
        _wait_for(lambda: _flooded(log) or proc.poll() is not None, 60, "the flood to reach the app")
        assert proc.poll() is None, (tmp_path / "stderr.txt").read_text()
        rc, took = _terminate_within(proc, 2.0)
        assert rc == 0 and took < 2.0, f"exit {rc} after {took:.2f} s"
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(10)
