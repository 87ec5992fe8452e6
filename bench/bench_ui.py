"""Packer-screen figures: `python -m bench.bench_ui [--scans 2000] [--soak 20000]`.

* scan -> verdict painted: in the running window (offscreen), a code enters through the ManualScanner
  (the same queued ScannerBridge hop as a device thread), the service commits it durably, the verdict
  panel paints; timed from `submit()` to the panel's paint event. p50/p99 over `--scans` scans
  (alternating an item and CMD:UNDO on a loaded order, so every scan is a real durable commit).
* the floor (issue 15, `bench.floor`): a bare SQLite commit with `synchronous=FULL` in WAL mode in the same
  data dir, sampled before each timed scan (outside the timing); scan -> verdict painted is printed as a
  ratio to it (p50 to its p50, p99 to its p99).
* cold start: a fresh process from launch to the first paint of the verdict panel (imports, database
  bootstrap with migrations, demo import, window build).
* RSS: resident memory after 100 scans and after `--soak` scans in the same window (leaks show here).

Prints a table and writes `bench/results/ui.json`.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

logger = logging.getLogger(__name__)

RESULTS = Path(__file__).resolve().parent / "results" / "ui.json"
ITEM = "5901230412357"  # OFF-2001 on order 10023 (10 units)

_COLD_CHILD = """
import os, sys, time
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
from pathlib import Path
from ui.app import build_window, ensure_app
from ui.demo import open_demo_station
app = ensure_app()
station, _ = open_demo_station(Path(sys.argv[1]), "COLD")
window = build_window(station, [], packer="P1", muted=True)
window.resize(1280, 800)
window.show()
while window.verdict_panel.paint_count == 0:
    app.processEvents()
sys.stdout.write("READY\\n"); sys.stdout.flush()
window.close(); station.close()
"""


def cold_start(runs: int = 3) -> list[float]:
    times = []
    for _ in range(runs):
        with tempfile.TemporaryDirectory(prefix="packgate-cold-") as tmp:
            env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
            t0 = time.perf_counter()
            proc = subprocess.Popen(
                [sys.executable, "-c", _COLD_CHILD, tmp],
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
                env=env,
                cwd=Path(__file__).resolve().parent.parent,
            )
            assert proc.stdout is not None
            line = proc.stdout.readline()
            elapsed = (time.perf_counter() - t0) * 1000
            proc.wait(timeout=30)
            if line.strip() != b"READY":
                raise RuntimeError("cold-start child did not reach a painted window")
            times.append(elapsed)
    return times


def scan_latencies(scans: int, soak: int) -> dict[str, object]:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    import psutil

    from bench.common import percentile, summary_ms
    from bench.floor import Floor, ratios
    from ui.app import build_window, ensure_app
    from ui.demo import open_demo_station

    app = ensure_app()
    proc = psutil.Process()
    with tempfile.TemporaryDirectory(prefix="packgate-bench-") as tmp:
        station, _ = open_demo_station(Path(tmp), "BENCH")
        window = build_window(station, [], packer="P1", muted=True)
        window.resize(1280, 800)
        window.show()
        app.processEvents()
        panel = window.verdict_panel
        floor = Floor(Path(tmp))
        floor_s: list[float] = []
        try:
            window.handle_code("ORD-10023")

            def one(code: str) -> float:
                before = panel.paint_count
                t0 = time.perf_counter()
                window.sources.manual.submit(code)
                while panel.paint_count == before:
                    app.processEvents()
                return (time.perf_counter() - t0) * 1000

            latencies: list[float] = []
            rss_100 = None
            total = max(scans, soak)
            for i in range(total):
                if i < scans:
                    floor.sample(floor_s)
                ms = one(ITEM if i % 2 == 0 else "CMD:UNDO")
                if i < scans:
                    latencies.append(ms)
                if i + 1 == 100:
                    rss_100 = proc.memory_info().rss
            rss_end = proc.memory_info().rss
            kinds = window.last_style.headline if window.last_style else ""
        finally:
            floor.close()
            window.close()
            station.close()
    floor_ratios = ratios([ms / 1000 for ms in latencies], floor_s)
    return {
        "scans": scans,
        "p50_ms": round(percentile(latencies, 50), 2),
        "p99_ms": round(percentile(latencies, 99), 2),
        "max_ms": round(max(latencies), 2),
        "p50_x_floor": floor_ratios["p50_x_floor"],
        "p99_x_floor": floor_ratios["p99_x_floor"],
        "floor": summary_ms(floor_s),
        "soak_scans": total,
        "rss_after_100_mb": round((rss_100 or 0) / 2**20, 1),
        "rss_after_soak_mb": round(rss_end / 2**20, 1),
        "last_headline": kinds,
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scans", type=int, default=2000)
    parser.add_argument("--soak", type=int, default=20000)
    parser.add_argument("--out", type=Path, default=RESULTS)
    parser.add_argument("--quick", action="store_true", help="200 scans, 1,000-scan soak: a smoke run")
    args = parser.parse_args(argv)
    if args.quick:
        args.scans, args.soak = 200, 1000
    if args.scans < 100 or args.soak < 100:
        parser.error("--scans and --soak must be at least 100")
    logging.basicConfig(level=logging.WARNING)
    cold = cold_start()
    figures = scan_latencies(args.scans, args.soak)
    result = {
        "machine": {"python": platform.python_version(), "platform": platform.platform(), "cpus": os.cpu_count()},
        "scan_to_verdict_painted": figures,
        "cold_start_ms": {"runs": [round(t) for t in cold], "median": round(statistics.median(cold))},
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    rows = [
        (
            "floor: bare SQLite commit (WAL, FULL)",
            f"p50 {figures['floor']['p50_ms']} ms, p99 {figures['floor']['p99_ms']} ms  (same data dir)",
        ),
        (
            "scan -> verdict painted p50",
            f"{figures['p50_ms']} ms  = {figures['p50_x_floor']}x floor p50  ({figures['scans']} scans)",
        ),
        (
            "scan -> verdict painted p99",
            f"{figures['p99_ms']} ms  = {figures['p99_x_floor']}x floor p99  (max {figures['max_ms']} ms; "
            "target < 16 ms)",
        ),
        ("cold start -> painted window", f"{result['cold_start_ms']['median']} ms  (median of {len(cold)})"),
        ("RSS after 100 scans", f"{figures['rss_after_100_mb']} MB"),
        (f"RSS after {figures['soak_scans']} scans", f"{figures['rss_after_soak_mb']} MB"),
    ]
    width = max(len(r[0]) for r in rows)
    sys.stdout.write("\n".join(f"{name:<{width}}  {value}" for name, value in rows) + f"\n(written to {args.out})\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
