"""Peak memory of `packgate orders import` on a ~40 MB CSV file (issue 10): the file is streamed.

    python -m bench.bench_import_memory [--orders 190000] [--quick]

Writes a CSV of synthetic orders (3 lines each, ~73 bytes a row, as in bench_station) into a temp dir, then imports it in a fresh
subprocess per case and reads that process's peak RSS (``VmHWM``). Cases:

- *streamed*: what the CLI does, ``import_orders(db, iter_order_file(path))``;
- *streamed, bad last row*: the same file plus one bad row at its end: rejected, nothing stored;
- *rows shuffled*: every order's last line moved to the end of the file (the worst case for streaming:
  every order stays open until the end);
- *whole list*: ``read_order_file`` (all orders in memory) then ``import_orders``, for comparison.
"""

from __future__ import annotations

import argparse
import csv
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.bench_station import HEADER, ean
from bench.common import print_table, write_results

LIMIT_MB = 300

_CHILD = r"""
import json, sys, time
from pathlib import Path
from sqlalchemy import func, select
from station.db import Database
from station.order_files import OrderFileError, iter_order_file, read_order_file
from station.orders import import_orders
from station.orm import Order

path, db_path, mode = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3]
db = Database.open(db_path)
t = time.perf_counter()
error = None
try:
    specs = read_order_file(path) if mode == "list" else iter_order_file(path)
    imported = import_orders(db, specs, "BENCH").imported
except OrderFileError as exc:
    imported, error = 0, str(exc.problems[0])
seconds = time.perf_counter() - t
with db.sessions() as s:
    stored = s.scalar(select(func.count()).select_from(Order))
db.close()
peak_kb = next(int(l.split()[1]) for l in open("/proc/self/status") if l.startswith("VmHWM:"))
print(json.dumps({"imported": imported, "stored": stored, "seconds": round(seconds, 2),
                  "peak_rss_mb": round(peak_kb / 1024, 1), "error": error}))
"""


def write_csv(path: Path, orders: int, *, shuffled: bool = False) -> None:
    rows: list[list[object]] = []
    tail: list[list[object]] = []
    for i in range(orders):
        oid = str(7_000_000 + i)
        for j in range(3):
            n = (i * 3 + j) % 5000
            # The shape of bench_station's 100,000-order file (22 MB): 190,000 orders make ~42 MB.
            row = [oid, f"ORD-{oid}", f"Customer {i}", "DHL", f"SKU-{n}", f"Item {n}", 1 + (i + j) % 4, ean(n)]
            (tail if shuffled and j == 2 else rows).append(row)
        if len(rows) > 30_000:
            _append(path, rows)
            rows = []
    _append(path, rows + tail)


def _append(path: Path, rows: list[list[object]]) -> None:
    new = not path.exists()
    with open(path, "a", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        if new:
            w.writerow(HEADER)
        w.writerows(rows)


def run_case(path: Path, tmp: Path, mode: str) -> dict[str, object]:
    db_path = tmp / f"import-{mode}-{path.stem}.sqlite3"
    out = subprocess.run(
        [sys.executable, "-c", _CHILD, str(path), str(db_path), mode], check=True, capture_output=True, text=True
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--orders", type=int, default=190_000)
    ap.add_argument("--quick", action="store_true", help="a small file, for a smoke run")
    args = ap.parse_args(argv)
    if args.quick:
        args.orders = 10_000
    tmp = Path(tempfile.mkdtemp(prefix="packgate-bench-import-"))
    try:
        files = {"good": tmp / "orders.csv", "bad": tmp / "orders-bad-last-row.csv", "shuffled": tmp / "shuffled.csv"}
        t = time.perf_counter()
        write_csv(files["good"], args.orders)
        shutil.copy(files["good"], files["bad"])
        _append(files["bad"], [["9", "ORD-9", "x", "DHL", "SKU-X", "Bad", "1", "4006381333932"]])  # bad check digit
        write_csv(files["shuffled"], args.orders, shuffled=True)
        generate_s = round(time.perf_counter() - t, 1)
        cases = {
            "streamed": run_case(files["good"], tmp, "stream"),
            "streamed, bad last row": run_case(files["bad"], tmp, "stream"),
            "rows shuffled (streamed)": run_case(files["shuffled"], tmp, "stream"),
            "whole list in memory": run_case(files["good"], tmp, "list"),
        }
        size_mb = round(files["good"].stat().st_size / 1e6, 1)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    rows = [
        [name, r["peak_rss_mb"], r["seconds"], r["imported"], r["stored"], (r["error"] or "")[:60]]
        for name, r in cases.items()
    ]
    print_table(
        f"Order import memory: {args.orders:,} orders, {size_mb} MB CSV (limit {LIMIT_MB} MB RSS streamed)",
        rows,
        ["case", "peak RSS MB", "s", "imported", "stored", "first problem"],
    )
    write_results(
        "import_memory",
        {"orders": args.orders, "file_mb": size_mb, "generate_s": generate_s, "limit_mb": LIMIT_MB, "cases": cases},
    )
    ok = cases["streamed"]["peak_rss_mb"] < LIMIT_MB and cases["streamed, bad last row"]["stored"] == 0
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
