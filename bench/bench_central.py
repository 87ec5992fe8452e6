"""Ingestion figures of the central service: ``python -m bench.bench_central [--seconds 10]``.

8 concurrent station clients (threads, one httpx client and one token each) post batches of 100 events
to a local ``packgate-central serve`` running in its own process (so client and server do not share a
GIL), first on SQLite, then on a throw-away PostgreSQL cluster (skipped when no PostgreSQL binaries are
installed). Prints a table and writes ``bench/results/central.json``: events/s accepted, the p50/p99
of one batch round trip, and the CPU the server processes used per 1,000 events (user + system, from
/proc: a figure that, unlike events/s, hardly moves when other work shares the machine) and the load
average during the run. ``--workers N`` runs the PostgreSQL row with ``serve --workers N`` as well.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx

from sync.server.db import make_engine, make_session_factory, upgrade
from sync.server.tokens import issue_station_token
from tests.central import factory as f
from tests.central.pg import create_database, find_pg_bin, free_port, temporary_postgres
from tests.central.server import wait_for_health

logger = logging.getLogger(__name__)

REPO_ROOT = Path(__file__).resolve().parent.parent
RESULTS = REPO_ROOT / "bench" / "results" / "central.json"


def _tokens(db_url: str, stations: int) -> list[str]:
    engine = make_engine(db_url)
    upgrade(engine)
    with make_session_factory(engine)() as session:
        tokens = [issue_station_token(session, f"BENCH-{i}", site="BENCH").secret for i in range(stations)]
        session.commit()
    engine.dispose()
    return tokens


def _batch(station_id: str, size: int) -> list[dict]:
    # A realistic mix: mostly audit rows and seals, some incidents.
    events = []
    for i in range(size):
        if i % 10 == 0:
            events.append(f.incident_opened(station_id=station_id, order_id=f"SO-{i}"))
        elif i % 3 == 0:
            events.append(f.pack_sealed(f"SO-{i}", station_id=station_id, lines=3))
        else:
            events.append(f.audit("scan", station_id=station_id))
    return events


def _cpu_seconds(pid: int | None) -> float:
    """User + system CPU of ``pid`` and its children that are still running (uvicorn's workers, or the
    PostgreSQL backends of a postmaster)."""
    if pid is None:
        return 0.0
    tick = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if stat.parent.name == str(pid) or fields[1] == str(pid):  # fields[1]: the parent pid
            total += (int(fields[11]) + int(fields[12])) / tick
    return total


def _postmaster_pid(db_url: str) -> int | None:
    """The pid of the PostgreSQL server listening on ``db_url``'s port (None for SQLite, or not found)."""
    if not db_url.startswith("postgresql"):
        return None
    port = db_url.rsplit(":", 1)[1].split("/")[0]
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            args = cmdline.read_bytes().split(b"\0")
        except OSError:
            continue
        if args and args[0].endswith(b"postgres") and b"-p" in args and port.encode() in args:
            return int(cmdline.parent.name)
    return None


def _own_cpu_seconds() -> float:
    """CPU of this process: the 8 benchmark clients (threads) building, posting and reading batches."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def run_one(
    db_url: str,
    *,
    stations: int,
    batch_size: int,
    seconds: float,
    workers: int = 1,
    profile: Path | None = None,
    profile_clock: str = "cpu",
) -> dict:
    tokens = _tokens(db_url, stations)
    port = free_port()
    # --profile: the same server under cProfile in every thread (bench/profiled_server.py)
    launcher = ["bench.profiled_server", str(profile), "--clock", profile_clock] if profile else ["sync.server.cli"]
    server = subprocess.Popen(
        [sys.executable, "-m", *launcher, "serve", "--db", db_url, "--port", str(port)]
        + (["--workers", str(workers)] if workers > 1 else []),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        cwd=REPO_ROOT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for_health(server, base, seconds=30).raise_for_status()

        latencies: list[float] = []
        accepted = [0]
        errors: list[str] = []
        lock = threading.Lock()
        stop_at = time.monotonic() + seconds

        def station(i: int) -> None:
            sid = f"BENCH-{i}"
            with httpx.Client(base_url=base, timeout=60, headers={"Authorization": f"Bearer {tokens[i]}"}) as c:
                while time.monotonic() < stop_at:
                    body = {"station_id": sid, "events": _batch(sid, batch_size)}
                    t0 = time.perf_counter()
                    r = c.post("/api/v1/events", json=body)
                    dt = time.perf_counter() - t0
                    with lock:
                        if r.status_code == 200:
                            latencies.append(dt)
                            accepted[0] += len(r.json()["accepted"])
                        else:
                            errors.append(f"{r.status_code} {r.text[:100]}")

        if workers > 1:  # every worker up (uvicorn answers health as soon as the first one is)
            deadline = time.monotonic() + 60
            while len([p for p in Path("/proc").glob("[0-9]*/stat") if _parent(p) == server.pid]) < workers + 1:
                if time.monotonic() > deadline:
                    raise RuntimeError("the workers did not start")
                time.sleep(0.2)
        postmaster = _postmaster_pid(db_url)
        cpu_start = _cpu_seconds(server.pid)
        db_cpu_start = _cpu_seconds(postmaster)
        client_cpu_start = _own_cpu_seconds()
        t_start = time.perf_counter()
        threads = [threading.Thread(target=station, args=(i,), name=f"bench-station-{i}") for i in range(stations)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        elapsed = time.perf_counter() - t_start
        cpu = _cpu_seconds(server.pid) - cpu_start
        db_cpu = _cpu_seconds(postmaster) - db_cpu_start
        client_cpu = _own_cpu_seconds() - client_cpu_start
        load = os.getloadavg()[0]
    finally:
        server.terminate()
        server.wait(30)

    def per_1000(cpu_s: float) -> float | None:
        return round(cpu_s / accepted[0] * 1000, 3) if accepted[0] else None

    cuts = statistics.quantiles(latencies, n=100, method="inclusive") if len(latencies) > 1 else [0.0] * 99
    return {
        "backend": db_url.split(":")[0].split("+")[0],
        "stations": stations,
        "batch_size": batch_size,
        "seconds": round(elapsed, 2),
        "batches": len(latencies),
        "events_accepted": accepted[0],
        "events_per_s": round(accepted[0] / elapsed, 1),
        "batch_p50_ms": round(cuts[49] * 1000, 1),
        "batch_p99_ms": round(cuts[98] * 1000, 1),
        "workers": workers,
        "server_cpu_s_per_1000_events": per_1000(cpu),
        "database_cpu_s_per_1000_events": per_1000(db_cpu) if postmaster else None,
        "client_cpu_s_per_1000_events": per_1000(client_cpu),
        "profiled": profile is not None,
        "load_average_1m": round(load, 2),
        "errors": len(errors),
        "first_error": errors[0] if errors else None,
    }


def _print_table(results: list[dict]) -> None:
    header = (
        f"{'backend':<11}{'workers':>8}{'stations':>9}{'batch':>7}{'events/s':>10}{'p50 ms':>9}{'p99 ms':>9}"
        f"{'CPU s per 1k events: server':>29}{'database':>9}{'clients':>8}{'load':>6}{'errors':>8}"
    )
    print(header)
    print("-" * len(header))
    for r in results:
        database = r["database_cpu_s_per_1000_events"]
        print(
            f"{r['backend']:<11}{r['workers']:>8}{r['stations']:>9}{r['batch_size']:>7}{r['events_per_s']:>10}"
            f"{r['batch_p50_ms']:>9}{r['batch_p99_ms']:>9}{r['server_cpu_s_per_1000_events']:>29}"
            f"{'-' if database is None else database:>9}{r['client_cpu_s_per_1000_events']:>8}"
            f"{r['load_average_1m']:>6}{r['errors']:>8}"
        )


def _profile(args: argparse.Namespace) -> int:
    from bench.profiled_server import summary

    bin_dir = find_pg_bin()
    if bin_dir is None:
        print("--profile needs the PostgreSQL binaries", file=sys.stderr)
        return 1
    args.profile.parent.mkdir(parents=True, exist_ok=True)
    with temporary_postgres(bin_dir) as admin_url:
        row = run_one(
            create_database(admin_url, "bench_profile"),
            stations=args.stations,
            batch_size=args.batch_size,
            seconds=args.seconds,
            profile=args.profile.resolve(),
            profile_clock=args.profile_clock,
        )
    _print_table([row])
    if not args.profile.exists():
        print(f"the server wrote no profile to {args.profile}", file=sys.stderr)
        return 1
    print(summary(args.profile))
    print(f"profile: {args.profile} (python -m pstats {args.profile})")
    return 0


def _parent(stat: Path) -> int | None:
    try:
        return int(stat.read_text().rsplit(")", 1)[1].split()[1])
    except (OSError, ValueError, IndexError):
        return None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10.0, help="load duration per backend")
    parser.add_argument("--stations", type=int, default=8)
    parser.add_argument("--batch-size", type=int, default=100)
    parser.add_argument("--skip-postgres", action="store_true")
    parser.add_argument("--workers", type=int, default=2, help="also run PostgreSQL with serve --workers N (1: not)")
    parser.add_argument("--quick", action="store_true", help="2 s per backend, for a smoke run")
    parser.add_argument(
        "--profile",
        type=Path,
        metavar="OUT.prof",
        help="only the PostgreSQL row, its server under cProfile in every thread; the statistics go to OUT.prof "
        "and a summary is printed (results JSON untouched: a profiled run's throughput is not a figure)",
    )
    parser.add_argument(
        "--profile-clock",
        choices=("cpu", "wall"),
        default="cpu",
        help="what --profile measures: each thread's CPU time (default) or wall time (cheaper; waits count)",
    )
    args = parser.parse_args(argv)
    if args.quick:
        args.seconds = 2.0
    logging.basicConfig(level=logging.WARNING)
    if args.profile is not None:
        return _profile(args)

    results = []
    with tempfile.TemporaryDirectory(prefix="packgate-bench-") as tmp:
        results.append(
            run_one(
                f"sqlite:///{tmp}/central.db", stations=args.stations, batch_size=args.batch_size, seconds=args.seconds
            )
        )
    bin_dir = None if args.skip_postgres else find_pg_bin()
    if bin_dir is not None:
        with temporary_postgres(bin_dir) as admin_url:
            results.append(
                run_one(
                    create_database(admin_url, "bench"),
                    stations=args.stations,
                    batch_size=args.batch_size,
                    seconds=args.seconds,
                )
            )
            if args.workers > 1:
                results.append(
                    run_one(
                        create_database(admin_url, "bench_workers"),
                        stations=args.stations,
                        batch_size=args.batch_size,
                        seconds=args.seconds,
                        workers=args.workers,
                    )
                )
    elif not args.skip_postgres:
        print("PostgreSQL binaries not found: PostgreSQL row skipped", file=sys.stderr)

    _print_table(results)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(
        json.dumps(
            {
                "machine": {
                    "python": platform.python_version(),
                    "cpus": os.cpu_count(),
                    "platform": platform.platform(),
                },
                "note": "server, PostgreSQL and 8 client threads share this machine (and whatever else runs on "
                "it: see load_average_1m); workers = uvicorn worker processes of the server",
                "results": results,
            },
            indent=2,
        )
        + "\n",
        encoding="utf-8",
    )
    print(f"written {RESULTS}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
