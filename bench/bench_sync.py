"""Sync benchmark: drain a 10,000-event outbox backlog to a local central service, and the p50/p99 of
one batch round trip (POST of a batch until its answer is filed), on SQLite and -- when the PostgreSQL
binaries are installed -- PostgreSQL.

    python -m bench.bench_sync [--events N] [--batch-size B] [--json OUT] [--no-postgres]

Both ends are the real code: a station data dir made by ``ui.bootstrap`` (SQLite, WAL, synchronous=FULL),
events shaped exactly as ``station.service`` writes them, and the real central service under uvicorn on
127.0.0.1 (the same runner the tests use: a thread of this process, sharing the station's GIL), and for
PostgreSQL once more with ``packgate-central serve`` in its own process, as at a site. The round trip is the POST until its answer arrived (JSON
encoding, the server's per-event validation, inserts and commit); the drain time adds the station's own
reads and ``mark_sent`` commits.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import logging
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from station.outbox import Outbox
from sync.client import DEFAULT_BATCH_SIZE, SyncClient
from sync.server.db import make_engine, make_session_factory, upgrade
from sync.server.tokens import issue_station_token
from tests.central.pg import create_database, find_pg_bin, free_port, temporary_postgres
from tests.central.server import run_central, wait_for_health
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


@contextlib.contextmanager
def _central_process(db_url: str) -> Iterator[tuple[str, str]]:
    """``packgate-central serve`` in its own process, as at a site: (base URL, a station token)."""
    token = _station_token(db_url)
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "sync.server.cli", "serve", "--db", db_url, "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        cwd=REPO_ROOT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for_health(server, base, seconds=60).raise_for_status()
        yield base, token
    finally:
        server.terminate()
        server.wait(30)


def _station_token(db_url: str) -> str:
    engine = make_engine(db_url)
    upgrade(engine)
    with make_session_factory(engine)() as session:
        secret = issue_station_token(session, STATION_ID, site="BENCH").secret
        session.commit()
    engine.dispose()
    return secret


@contextlib.contextmanager
def _central_thread(db_url: str) -> Iterator[tuple[str, str]]:
    """The central service in a thread of this process (sharing its GIL with the station), as the tests run it."""
    with run_central(db_url) as central:
        yield central.base_url, central.issue_station_token(STATION_ID)


def run_backend(name: str, db_url: str, events: int, batch_size: int, central_process: bool = False) -> dict[str, Any]:
    """Fill a fresh station with ``events`` events and drain them to a fresh central service."""
    with tempfile.TemporaryDirectory(prefix="packgate-bench-sync-") as tmp:
        station = bootstrap(Path(tmp) / "station", STATION_ID)
        try:
            fill_started = time.perf_counter()
            ids = fill_outbox(station.db, events)
            fill_s = time.perf_counter() - fill_started
            with (_central_process if central_process else _central_thread)(db_url) as (base_url, token):
                outbox = Outbox(station.db.sessions)
                with SyncClient(outbox, STATION_ID, base_url, token, batch_size=batch_size) as client:
                    started = time.perf_counter()
                    result = client.drain_once(force=True)
                    drain_s = time.perf_counter() - started
                stored = central_event_ids(db_url, STATION_ID)
            if result.error or sorted(stored) != sorted(ids) or outbox.counts().pending:
                raise RuntimeError(f"{name}: drain incomplete: {result}")
        finally:
            station.close()
    rtts_ms = [t * 1000 for t in result.round_trips]
    return {
        "backend": name,
        "central": "own process" if central_process else "thread of the station's process",
        "load_average_1m": round(os.getloadavg()[0], 2),
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
            # As at a site: the central service in its own process (its own GIL), not a thread of the station's.
            rows.append(
                run_backend(
                    "postgresql", create_database(admin_url), args.events, args.batch_size, central_process=True
                )
            )
    else:
        print("PostgreSQL: skipped (no binaries or --no-postgres)")

    header = (
        f"{'central DB':<11} {'central runs in':<32} {'events':>7} {'batch':>5} {'drain s':>8} {'ev/s':>7} "
        f"{'RTT p50 ms':>11} {'RTT p99 ms':>11} {'n':>4} {'load':>5}"
    )
    print(header)
    print("-" * len(header))
    for r in rows:
        print(
            f"{r['backend']:<11} {r['central']:<32} {r['events']:>7} {r['batch_size']:>5} {r['drain_s']:>8.2f} "
            f"{r['events_per_s']:>7} {r['rtt_p50_ms']:>11.1f} {r['rtt_p99_ms']:>11.1f} {r['rtt_samples']:>4} "
            f"{r['load_average_1m']:>5}"
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
