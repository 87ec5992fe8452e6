"""Station core figures (issue 3): verdict latency with the durable commit, order load with 1,000,000
orders stored, and the import rate of a 100,000-order file.

Each latency is also printed as a ratio to the floor (issue 15, `bench.floor`): a bare SQLite commit with
`synchronous=FULL` in WAL mode, in the same directory as the database measured, sampled just before each
timed operation of the same run (p50 to the floor's p50, p99 to the floor's p99).

    python -m bench.bench_station [--scans 10000] [--orders 1000000] [--import-orders 100000] [--quick]

Runs on a temporary data dir (the 1M-order database is cached in bench/results/cache/ between runs).
"""

from __future__ import annotations

import argparse
import csv
import random
import shutil
import tempfile
import time
from datetime import date
from pathlib import Path
from typing import Any

from bench.common import RESULTS, print_table, summary_ms, write_results
from bench.floor import Floor, with_ratios
from station.barcodes import gtin_check_digit, parse_scan
from station.bench_reads import DbFacts
from station.clock import SystemClock
from station.commands import Command
from station.db import Database
from station.order_files import OrderLineSpec, OrderSpec, PackBarcode, read_order_file
from station.orders import import_orders
from station.service import StationService

HEADER = ["order_id", "order_barcode", "ship_to", "carrier", "sku", "description", "quantity", "barcodes"]


def ean(n: int) -> str:
    body = f"590{n:09d}"
    return body + str(gtin_check_digit(body))


def synthetic_orders(count: int, start: int = 1_000_000, lines: int = 3) -> list[OrderSpec]:
    return [
        OrderSpec(
            str(start + i),
            f"ORD-{start + i}",
            f"Customer {i}",
            "DHL",
            tuple(
                OrderLineSpec(
                    f"SKU-{(i * lines + j) % 5000}",
                    f"Item {(i * lines + j) % 5000}",
                    1 + (i + j) % 4,
                    (PackBarcode(ean((i * lines + j) % 5000)),),
                )
                for j in range(lines)
            ),
        )
        for i in range(count)
    ]


def bench_verdicts(scans: int, tmp: Path) -> dict[str, object]:
    db = Database.open(tmp / "verdicts.sqlite3")
    orders = synthetic_orders(scans // 4 + 10, start=10)
    import_orders(db, orders, "BENCH", SystemClock())
    service = StationService(db, "BENCH", evidence_dir=tmp / "evidence")
    service.set_packer("P1")
    floor = Floor(tmp)
    item: list[float] = []
    seal: list[float] = []
    load: list[float] = []
    floor_item: list[float] = []
    floor_seal: list[float] = []
    floor_load: list[float] = []
    done = 0
    for spec in orders:
        floor.sample(floor_load)
        t = time.perf_counter()
        service.handle_scan(spec.order_barcode)
        load.append(time.perf_counter() - t)
        for line in spec.lines:
            for _ in range(line.quantity):
                if done < scans:
                    floor.sample(floor_item)
                t = time.perf_counter()
                v = service.handle_scan(line.barcodes[0].code, source="bench")
                item.append(time.perf_counter() - t)
                assert v.is_ok, v
                done += 1
        floor.sample(floor_seal)
        t = time.perf_counter()
        service.handle_scan(Command.SEAL.barcode)
        seal.append(time.perf_counter() - t)
        if done >= scans:
            break
    db.close()
    floor.close()
    return {
        "item_scan": with_ratios(item[:scans], floor_item),
        "seal": with_ratios(seal, floor_seal),
        "order_load": with_ratios(load, floor_load),
    }


def bench_big_store(order_count: int, probes: int) -> dict[str, object]:
    cache = RESULTS / "cache"
    cache.mkdir(parents=True, exist_ok=True)
    path = cache / f"orders-{order_count}.sqlite3"
    build_s = None
    if not path.exists():
        tmp_path = path.with_suffix(".building")
        for suffix in ("", "-wal", "-shm"):
            Path(str(tmp_path) + suffix).unlink(missing_ok=True)
        db = Database.open(tmp_path)
        t = time.perf_counter()
        chunk = 50_000
        for start in range(0, order_count, chunk):
            import_orders(db, synthetic_orders(min(chunk, order_count - start), start=2_000_000 + start), "BENCH")
        build_s = time.perf_counter() - t
        db.close()
        tmp_path.rename(path)
    db = Database.open(path)
    service = StationService(db, "BENCH")
    rng = random.Random(7)
    floor = Floor(cache)  # beside the 1M-order database: the same filesystem
    lookup: list[float] = []
    load: list[float] = []
    floor_load: list[float] = []
    for _ in range(probes):
        barcode = f"ORD-{2_000_000 + rng.randrange(order_count)}"
        t = time.perf_counter()
        found = DbFacts(db.sessions, date.today()).order_named(parse_scan(barcode))  # the indexed look-up alone
        lookup.append(time.perf_counter() - t)
        assert found is not None
        floor.sample(floor_load)
        t = time.perf_counter()
        v = service.handle_scan(barcode)  # look-up + read lines + durable bench-state commit
        load.append(time.perf_counter() - t)
        assert v.kind.value == "order_loaded", v
    db.close()
    floor.close()
    for suffix in ("", "-wal", "-shm"):
        Path(str(floor.path) + suffix).unlink(missing_ok=True)
    return {
        "orders_stored": order_count,
        "build_s": build_s,
        "lookup": summary_ms(lookup),
        "load_by_barcode": with_ratios(load, floor_load),
    }


def bench_import(count: int, tmp: Path) -> dict[str, object]:
    path = tmp / "orders-100k.csv"
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(HEADER)
        for spec in synthetic_orders(count, start=5_000_000):
            for line in spec.lines:
                w.writerow(
                    [
                        spec.order_id,
                        spec.order_barcode,
                        spec.ship_to,
                        spec.carrier,
                        line.sku,
                        line.description,
                        line.quantity,
                        ";".join(b.code for b in line.barcodes),
                    ]
                )
    db = Database.open(tmp / "import.sqlite3")
    t = time.perf_counter()
    specs = read_order_file(path)
    parse_s = time.perf_counter() - t
    t = time.perf_counter()
    result = import_orders(db, specs, "BENCH")
    store_s = time.perf_counter() - t
    db.close()
    assert result.imported == count
    return {
        "orders": count,
        "file_mb": round(path.stat().st_size / 1e6, 1),
        "parse_s": round(parse_s, 2),
        "store_s": round(store_s, 2),
        "orders_per_s": round(count / (parse_s + store_s)),
    }


def _print_verdicts(verdicts: dict[str, Any]) -> None:
    floor = verdicts["item_scan"]["floor"]
    rows = [
        ["floor", floor["p50_ms"], floor["p99_ms"], floor["max_ms"], 1.0, 1.0],
        *(_row(name, verdicts[name])[:6] for name in ("item_scan", "seal", "order_load")),
    ]
    print_table("Station verdicts (not written)", rows, ["what", "p50 ms", "p99 ms", "max ms", "p50 x", "p99 x"])


def _row(what: str, fig: dict[str, Any], target: str = "") -> list[Any]:
    return [what, fig["p50_ms"], fig["p99_ms"], fig["max_ms"], fig["p50_x_floor"], fig["p99_x_floor"], target]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--scans", type=int, default=10_000)
    ap.add_argument("--orders", type=int, default=1_000_000)
    ap.add_argument("--import-orders", type=int, default=100_000)
    ap.add_argument("--quick", action="store_true", help="small sizes, for a smoke run")
    ap.add_argument("--verdicts-only", action="store_true", help="only the scan, seal and load figures")
    args = ap.parse_args(argv)
    if args.quick:
        args.scans, args.orders, args.import_orders = 500, 20_000, 5_000
    tmp = Path(tempfile.mkdtemp(prefix="packgate-bench-"))
    try:
        verdicts = bench_verdicts(args.scans, tmp)
        if args.verdicts_only:
            _print_verdicts(verdicts)
            return 0
        store = bench_big_store(args.orders, probes=500)
        imported = bench_import(args.import_orders, tmp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    floor = verdicts["item_scan"]["floor"]
    rows = [
        [
            "floor: bare SQLite commit, WAL + synchronous=FULL, same dir",
            floor["p50_ms"],
            floor["p99_ms"],
            floor["max_ms"],
            1.0,
            1.0,
            "",
        ],
        _row(
            f"item scan -> verdict (durable), {verdicts['item_scan']['n']} scans",
            verdicts["item_scan"],
            "p99 <= 4x floor",
        ),
        _row("seal (durable + outbox)", verdicts["seal"]),
        _row("order load by barcode (durable)", verdicts["order_load"]),
        [
            f"order look-up by barcode, {store['orders_stored']:,} stored",
            store["lookup"]["p50_ms"],
            store["lookup"]["p99_ms"],
            store["lookup"]["max_ms"],
            "",
            "",
            "< 2 ms",
        ],
        _row(
            f"order load by barcode (incl. durable commit), {store['orders_stored']:,} stored", store["load_by_barcode"]
        ),
    ]
    print_table("Station core", rows, ["what", "p50 ms", "p99 ms", "max ms", "p50 x floor", "p99 x floor", "target"])
    print_table(
        "Order import",
        [
            [
                f"{imported['orders']:,} orders ({imported['file_mb']} MB CSV)",
                imported["parse_s"],
                imported["store_s"],
                imported["orders_per_s"],
            ]
        ],
        ["file", "parse s", "store s", "orders/s"],
    )
    write_results("station", {"verdicts": verdicts, "store": store, "import": imported, "args": vars(args)})
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
