"""The kiosk bench, unattended, on a real X server (Xvfb): `packgate --kiosk` started at login with its serial
scanner not plugged in yet, then the screen blanks (the X screen saver: what a display going to sleep is to
X clients), the scanner is plugged in, the packer scans while the screen is dark, and the screen wakes up.
(Xvfb's blank is not visible to XGetImage, so the test cannot show the screen was dark; it shows the station
came through the blank and that the woken screen shows the scan made meanwhile.)

Nothing in the test process is Qt: the station is its own process on the X display, as at a bench; what it
did is read back from its log, its database and the X screen itself.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.central.server import stop_process
from tests.hardware.pty_pair import PtyDevice

pytestmark = pytest.mark.skipif(
    not (shutil.which("Xvfb") and shutil.which("xset")), reason="needs Xvfb and xset (./dev test installs them)"
)

PACKGATE = Path(sys.executable).with_name("packgate")
WIDTH, HEIGHT = 1280, 800
ORDER, ITEM = "ORD-10030", "5901230413194"  # sample order 10030: TOY-4003 x3
OK_GREEN = (0x1B, 0x7F, 0x3B)


def wait_until(what: str, condition: Callable[[], bool], seconds: float, proc: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert proc.poll() is None, f"packgate exited ({proc.returncode}) waiting for {what}"
        assert time.monotonic() < deadline, f"no {what} within {seconds} s"
        time.sleep(0.1)


@pytest.fixture
def display() -> Iterator[str]:
    """A fresh Xvfb; `-displayfd` lets it pick a free display number and tell us which."""
    read, write = os.pipe()
    xvfb = subprocess.Popen(
        ["Xvfb", "-displayfd", str(write), "-screen", "0", f"{WIDTH}x{HEIGHT}x24", "-nolisten", "tcp"],
        pass_fds=(write,),
        stderr=subprocess.DEVNULL,
    )
    os.close(write)
    with os.fdopen(read) as pipe:
        number = pipe.readline().strip()
    assert number, "Xvfb did not start"
    try:
        yield f":{number}"
    finally:
        stop_process(xvfb)


def log_lines(log: Path) -> list[dict[str, object]]:
    if not log.exists():
        return []
    out = []
    for line in log.read_text(encoding="utf-8", errors="replace").splitlines():
        try:
            out.append(json.loads(line))
        except ValueError:
            continue
    return out


def share_of(colour: tuple[int, int, int], display: str) -> float:
    """The part of the X screen painted in `colour` (within 8 per channel), read from the X server."""
    from PIL import ImageGrab

    shot = ImageGrab.grab(xdisplay=display).convert("RGB").resize((WIDTH // 8, HEIGHT // 8))
    raw = shot.tobytes()
    pixels = [raw[i : i + 3] for i in range(0, len(raw), 3)]
    near = sum(1 for p in pixels if all(abs(a - b) <= 8 for a, b in zip(p, colour, strict=True)))
    return near / len(pixels)


@pytest.mark.slow
def test_the_kiosk_survives_the_screen_blanking_and_a_scanner_plugged_in_after_start(
    tmp_path: Path, display: str
) -> None:
    scanner = PtyDevice(tmp_path / "ttyACM0")  # the symlink udev would make; not there yet
    data = tmp_path / "bench"
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("QT_", "PACKGATE"))},
        "DISPLAY": display,
        "QT_QPA_PLATFORM": "xcb",
        "HOME": str(tmp_path / "home"),
    }
    subprocess.run(
        [str(PACKGATE), "orders", "import", "--data-dir", str(data), "--station", "K1", sample_orders()],
        env=env,
        check=True,
        capture_output=True,
        timeout=60,
    )
    proc = subprocess.Popen(
        [str(PACKGATE), "--kiosk", "--mute", "--data-dir", str(data), "--station", "K1", "--packer", "P1"]
        + ["--scanner", f"serial:{scanner.link}", "--scale", "none"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    log = data / "logs" / "packgate.log"
    try:
        wait_until("packer screen", lambda: any(e.get("msg") == "packer screen up" for e in log_lines(log)), 60, proc)
        (up,) = [e for e in log_lines(log) if e.get("msg") == "packer screen up"]
        assert up["kiosk"] is True and up["fullscreen"] is True

        xset = ["xset", "-display", display]
        subprocess.run([*xset, "s", "activate"], check=True, timeout=10)  # the screen goes dark
        time.sleep(1.0)  # let the station run a while with its screen blanked and its scanner missing
        assert proc.poll() is None
        scanner.plug()  # plugged in after start, while the screen is dark
        wait_until(
            "scanner connected",
            lambda: any("ttyACM0: connected" in str(e.get("msg", "")) for e in log_lines(log)),
            20,
            proc,
        )
        scanner.write(f"{ORDER}\r\n{ITEM}\r\n".encode())
        wait_until("two scans", lambda: sum(e.get("msg") == "scan" for e in log_lines(log)) >= 2, 20, proc)

        subprocess.run([*xset, "s", "reset"], check=True, timeout=10)  # someone touches the bench: it wakes
        # The woken screen shows the verdict of the scan made in the dark, full screen: green, not a black or
        # stale frame.
        wait_until("the verdict on the woken screen", lambda: share_of(OK_GREEN, display) > 0.05, 20, proc)
        scans = [e for e in log_lines(log) if e.get("msg") == "scan"]
        assert [(e["code"], e["verdict"]) for e in scans[:2]] == [(ORDER, "order_loaded"), (ITEM, "ok")]
        assert proc.poll() is None

        proc.send_signal(signal.SIGTERM)
        assert proc.wait(30) == 0
        with sqlite3.connect(data / "station.sqlite3") as db:  # the item counted in the dark is durable
            rows = db.execute("select order_id, code, verdict, source from scans").fetchall()
        assert rows == [("10030", ITEM, "ok", f"serial:{scanner.link}")]
    finally:
        scanner.close()
        stop_process(proc)


def sample_orders() -> str:
    from station.samples import SAMPLES_DIR

    return str(Path(SAMPLES_DIR) / "orders.csv")
