"""A scanner flooding the running app: `python -m bench.bench_flood [--lines 100000] [--paced 60] [--quick]`.

The real `packgate --demo` (offscreen, a fresh data dir) with a serial scanner on a pty; order 10023 is
loaded, then `--lines` item scans are written to the pty, once as fast as the pty takes them ("burst") and
once spread over `--paced` seconds (the "100 000 lines in a minute" of the report). Measured, per run:

* RSS of the app before the flood, at its peak during it, and once idle again (growth = peak - before);
* time to idle: from the last line written until the app's CPU stays under 5 % for half a second;
* lines judged (the app's `scan` log lines) and lines dropped (its "stopped flooding: N lines dropped");
* SIGTERM sent while a flood runs: seconds until the process has exited, and its exit status.

`--root DIR` runs the app from another source tree (e.g. an older checkout) for a before/after figure.
Prints a table and writes `bench/results/flood.json`.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import threading
import time
import tty
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

from bench.common import print_table, write_results

ROOT = Path(__file__).resolve().parent.parent
LINE = b"5901230412357\r"  # OFF-2001 on order 10023
IDLE_TIMEOUT_S = 300.0


class App:
    """`packgate --demo` in a subprocess, reading a serial scanner on a pty we write to."""

    def __init__(self, root: Path, tmp: Path) -> None:
        import psutil

        self.master, slave = os.openpty()
        tty.setraw(slave)
        self._slave = slave
        self.log = tmp / "data" / "logs" / "packgate.log"
        env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
        self.proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "ui.cli",
                "--demo",
                "--data-dir",
                str(tmp / "data"),
                "--mute",
                "--packer",
                "P1",
                "--scanner",
                f"serial:{os.ttyname(slave)}",
            ],
            cwd=root,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        self.ps = psutil.Process(self.proc.pid)
        self._wait(lambda: "packer screen up" in self.log_text(), 60, "the window")
        self.write(b"ORD-10023\r")
        self._wait(lambda: '"verdict": "order_loaded"' in self.log_text(), 10, "the order")
        self.wait_idle()

    def log_text(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace") if self.log.is_file() else ""

    @staticmethod
    def _wait(condition, timeout: float, what: str) -> None:
        deadline = time.monotonic() + timeout
        while not condition():
            if time.monotonic() > deadline:
                raise RuntimeError(f"timed out waiting for {what}")
            time.sleep(0.05)

    def write(self, data: bytes) -> None:
        os.write(self.master, data)

    def rss_mb(self) -> float:
        return self.ps.memory_info().rss / 2**20

    def wait_idle(self, timeout: float = 600.0) -> float | None:
        """Seconds until the app is idle: its CPU under 5 % and no line judged, for a whole second (a starved
        process also shows little CPU, hence both). None when it was still busy after `timeout`."""
        t0 = time.monotonic()
        while time.monotonic() - t0 < timeout:
            judged = self.log_text().count('"msg": "scan"')
            if self.ps.cpu_percent(1.0) < 5.0 and self.log_text().count('"msg": "scan"') == judged:
                return max(0.0, time.monotonic() - t0 - 1.0)
        return None

    def close(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(10)
        os.close(self.master)
        os.close(self._slave)


def flood(app: App, lines: int, seconds: float) -> dict[str, object]:
    rss_before = app.rss_mb()
    peak = rss_before
    scans_before = app.log_text().count('"msg": "scan"')
    done = threading.Event()

    def writer() -> None:
        chunk_lines = 500
        chunks = lines // chunk_lines
        t0 = time.monotonic()
        for i in range(chunks):
            app.write(LINE * chunk_lines)
            if seconds:
                delay = t0 + (i + 1) * seconds / chunks - time.monotonic()
                if delay > 0:
                    time.sleep(delay)
        done.set()

    t0 = time.monotonic()
    threading.Thread(target=writer, daemon=True).start()
    while not done.is_set():
        peak = max(peak, app.rss_mb())
        time.sleep(0.1)
    written_s = time.monotonic() - t0
    idle_s = app.wait_idle(IDLE_TIMEOUT_S)
    peak = max(peak, app.rss_mb())
    time.sleep(1.5)  # the flood's end is logged after a second of quiet
    text = app.log_text()
    dropped = sum(int(n) for n in re.findall(r"stopped flooding: (\d+) lines dropped", text))
    return {
        "lines": lines,
        "written_s": round(written_s, 2),
        "time_to_idle_s": round(idle_s, 2) if idle_s is not None else f"> {IDLE_TIMEOUT_S:.0f}",
        "rss_before_mb": round(rss_before, 1),
        "rss_peak_mb": round(peak, 1),
        "rss_growth_mb": round(peak - rss_before, 1),
        "rss_after_mb": round(app.rss_mb(), 1),
        "judged": text.count('"msg": "scan"') - scans_before,
        "dropped": dropped,
    }


def sigterm_during_flood(app: App) -> dict[str, object]:
    stop = threading.Event()

    def writer() -> None:
        while not stop.is_set():
            try:
                app.write(LINE * 500)
            except OSError:
                return

    threading.Thread(target=writer, daemon=True).start()
    time.sleep(2.0)
    sent_at = datetime.now(UTC)
    t0 = time.monotonic()
    app.proc.send_signal(signal.SIGTERM)
    try:
        rc: int | None = app.proc.wait(60)
    except subprocess.TimeoutExpired:
        rc = None
    took = time.monotonic() - t0
    stop.set()
    # Where the time went: until the handler ran, until the window had closed, the rest is interpreter exit.
    marks = {}
    for line in app.log_text().splitlines():
        entry = json.loads(line)
        if entry["msg"] in ("signal received, closing", "packer screen closed"):
            marks[entry["msg"]] = (datetime.fromisoformat(entry["at"]) - sent_at).total_seconds()
    return {
        "sigterm_to_exit_s": round(took, 2),
        "exit_status": rc,
        "sigterm_to_handler_s": round(marks.get("signal received, closing", float("nan")), 3),
        "sigterm_to_window_closed_s": round(marks.get("packer screen closed", float("nan")), 3),
        "load_average": os.getloadavg()[0],
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=100_000)
    parser.add_argument("--paced", type=float, default=60.0, help="seconds to spread the paced flood over")
    parser.add_argument("--root", type=Path, default=ROOT, help="source tree to run the app from")
    parser.add_argument("--runs", default="burst,paced", help="which floods to run (comma-separated)")
    parser.add_argument("--quick", action="store_true", help="10 000 lines, paced over 6 s")
    args = parser.parse_args(argv)
    lines, paced = (10_000, 6.0) if args.quick else (args.lines, args.paced)
    results: dict[str, object] = {"root": str(args.root), "runs": {}}
    rows = []
    wanted = {name.strip() for name in args.runs.split(",")}
    for name, seconds in (("burst", 0.0), ("paced", paced)):
        if name not in wanted:
            continue
        with tempfile.TemporaryDirectory(prefix="packgate-flood-") as tmp:
            app = App(args.root, Path(tmp))
            try:
                run = flood(app, lines, seconds)
                run.update(sigterm_during_flood(app))
            finally:
                app.close()
        results["runs"][name] = run  # type: ignore[index]
        rows.append(
            [
                name,
                run["lines"],
                run["written_s"],
                run["time_to_idle_s"],
                run["rss_before_mb"],
                run["rss_peak_mb"],
                run["rss_growth_mb"],
                run["judged"],
                run["dropped"],
                run["sigterm_to_handler_s"],
                run["sigterm_to_window_closed_s"],
                run["sigterm_to_exit_s"],
                run["exit_status"],
                run["load_average"],
            ]
        )
    print_table(
        f"Scanner flood into the running app ({args.root})",
        rows,
        [
            "flood",
            "lines",
            "written s",
            "to idle s",
            "RSS before MB",
            "RSS peak MB",
            "growth MB",
            "judged",
            "dropped",
            "SIGTERM->handler s",
            "->closed s",
            "->exit s",
            "exit",
            "load",
        ],
    )
    write_results("flood" if args.root == ROOT else "flood-other-tree", results)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
