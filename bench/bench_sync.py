"""Sync benchmark: drain a 10,000-event outbox backlog to a local central service, and the p50/p99 of
one batch round trip (POST of a batch until its answer is filed), on SQLite and -- when the PostgreSQL
binaries are installed -- PostgreSQL.

    python -m bench.bench_sync [--events N] [--batch-size B] [--json OUT] [--no-postgres]

Both ends are the real code: a station data dir made by ``ui.bootstrap`` (SQLite, WAL, synchronous=FULL),
events shaped exactly as ``station.service`` writes them, and the real central service under uvicorn on
127.0.0.1 (the same runner the tests use). The round trip is the POST until its answer arrived (JSON
encoding, the server's per-event validation, inserts and commit); the drain time adds the station's own
reads and ``mark_sent`` commits.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from station.outbox import Outbox
from sync.client import DEFAULT_BATCH_SIZE, SyncClient
from tests.central.pg import create_database, find_pg_bin, temporary_postgres
from tests.central.server import run_central
from tests.sync.helpers import central_event_ids, fill_outbox
from ui.bootstrap import bootstrap

logger = logging.getLogger(__name__)

REPO_ROOT = Path(__file__).resolve().parent.parent
RESULTS = REPO_ROOT / "bench" / "results" / "sync.json"
STATION_ID = "BENCH-1"


def _percentile(samples: list[float], p: float) -> float:
    """Nearest-rank percentile (no interpolation: with ~50 samples, p99 is the worst batch)."""
    ordered = sorted(samples)
    rank = max(1, min(len(ordered), round(p / 100 * len(ordered) + 0.5)))
    return ordered[rank - 1]


def run_backend(name: str, db_url: str, events: int, batch_size: int) -> dict[str, Any]:
    """Fill a fresh station with ``events`` events and drain them to a fresh central service."""
    with tempfile.TemporaryDirectory(prefix="packgate-bench-sync-") as tmp:
        station = bootstrap(Path(tmp) / "station", STATION_ID)
        try:
            fill_started = time.perf_counter()
            ids = fill_outbox(station.db, events)
            fill_s = time.perf_counter() - fill_started
            with run_central(db_url) as central:
                token = central.issue_station_token(STATION_ID)
                outbox = Outbox(station.db.sessions)
                with SyncClient(outbox, STATION_ID, central.base_url, token, batch_size=batch_size) as client:
                    started = time.perf_counter()
                    result = client.drain_once(force=True)
                    drain_s = time.perf_counter() - started
                stored = central_event_ids(central.db_url, STATION_ID)
            if result.error or sorted(stored) != sorted(ids) or outbox.counts().pending:
                raise RuntimeError(f"{name}: drain incomplete: {result}")
        finally:
            station.close()
    rtts_ms = [t * 1000 for t in result.round_trips]
    return {
        "backend": name,
        "events": events,
        "batch_size": batch_size,
        "batches": result.batches,
        "fill_outbox_s": round(fill_s, 3),
        "drain_s": round(drain_s, 3),
        "events_per_s": round(events / drain_s),
        "rtt_p50_ms": round(statistics.median(rtts_ms), 1),
        "rtt_p99_ms": round(_percentile(rtts_ms, 99), 1),
        "rtt_max_ms": round(max(rtts_ms), 1),
        "rtt_samples": len(rtts_ms),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", type=int, default=10_000)
    parser.add_argument("--batch-size", type=int, default=DEFAULT_BATCH_SIZE)
    parser.add_argument("--json", type=Path, default=RESULTS)
    parser.add_argument("--no-postgres", action="store_true")
    parser.add_argument("--quick", action="store_true", help="a 1,000-event backlog: a smoke run")
    args = parser.parse_args(argv)
    if args.quick:
        args.events = 1000
    logging.basicConfig(level=logging.WARNING)

    rows = []
    with tempfile.TemporaryDirectory(prefix="packgate-bench-central-") as tmp:
        rows.append(run_backend("sqlite", f"sqlite:///{Path(tmp) / 'central.db'}", args.events, args.batch_size))
    pg_bin = None if args.no_postgres else find_pg_bin()
    if pg_bin is not None:
        with temporary_postgres(pg_bin) as admin_url:
            rows.append(run_backend("postgresql", create_database(admin_url), args.events, args.batch_size))
    else:
        print("PostgreSQL: skipped (no binaries or --no-postgres)")

    header = (
        f"{'central DB':<11} {'events':>7} {'batch':>5} {'drain s':>8} {'ev/s':>7} {'RTT p50 ms':>11} "
        f"{'RTT p99 ms':>11} {'n':>4}"
    )
    print(header)
    print("-" * len(header))
    for r in rows:
        print(
            f"{r['backend']:<11} {r['events']:>7} {r['batch_size']:>5} {r['drain_s']:>8.2f} {r['events_per_s']:>7} "
            f"{r['rtt_p50_ms']:>11.1f} {r['rtt_p99_ms']:>11.1f} {r['rtt_samples']:>4}"
        )
    report = {
        "machine": {"python": sys.version.split()[0], "platform": platform.platform(), "cpus": os.cpu_count()},
        "note": "both ends on one shared 2-core machine; station SQLite with synchronous=FULL",
        "results": rows,
    }
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print(f"written {args.json}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
