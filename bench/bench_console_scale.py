"""The console and KPI read paths at scale: ``python -m bench.bench_console_scale [--incidents 1000000]``.

Starts a throw-away PostgreSQL cluster (tests/central/pg.py), migrates central, bulk-loads ``--incidents``
incidents (default 1,000,000; ``--quick`` 50,000) with COPY, spread over 90 days, 50 sites of 8 stations,
1,500 packers and 4,000 scanned codes (skewed: some codes come back again and again), every kind, case
states with notified / remedied / resolved times that depend on the age of the case, bench clearances and
escalations; plus about two orders per incident (its own and a clean one) as ``pack.sealed`` events with
their lines, some short-shipped, some ``pack.cancelled``, so errors per order line, completion rate and
"blocked before sealing" mean something (the rows: ``bench.console_scale_load``). After the COPY, ``sync.server.rollups.rebuild`` fills the KPI
roll-up from the stored events, as migration 0006 does for a database that already holds data.

Then a real ``packgate-central serve`` (its own process) answers over HTTP on 127.0.0.1: the case queue
(signed-in console session), the KPI page, the JSON KPI endpoint (admin token) and the site's flagged list
(station token). Each URL is asked ``--samples`` times after a warm-up (or until ``--max-seconds`` per URL
have passed, so a slow "before" run ends); p50 / p95 / p99 per URL are printed and written to
bench/results/console_scale.json.

``--db URL`` reuses a database that an earlier run loaded (``--keep`` prints the cluster it leaves running).
Not loaded: ``incident.opened`` / audit events and incident history rows (none of the pages measured read
them; they only make the events table bigger).
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import platform
import re
import statistics
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import func, select
from sqlalchemy.exc import DBAPIError

from bench.console_scale_load import load
from sync.server.console import auth
from sync.server.db import make_engine, make_session_factory
from sync.server.models import Incident, Staff
from sync.server.tokens import issue_admin_token, issue_station_token
from tests.central.pg import create_database, find_pg_bin, free_port, temporary_postgres
from tests.central.server import wait_for_health

logger = logging.getLogger(__name__)

RESULTS = Path(__file__).resolve().parent / "results" / "console_scale.json"
PASSWORD = "bench password 1234"


def _sign_in(base: str, name: str) -> httpx.Client:
    client = httpx.Client(base_url=base, timeout=120, follow_redirects=False)
    form = client.get("/console/sign-in")
    csrf = re.search(r'name="csrf" value="([^"]+)"', form.text)
    assert csrf, "no CSRF field on the sign-in page"
    answer = client.post(
        "/console/sign-in", data={"name": name, "password": PASSWORD, "csrf": csrf.group(1), "next": "/console/"}
    )
    if answer.status_code != 303:
        raise RuntimeError(f"sign-in failed: {answer.status_code} {answer.text[:200]}")
    return client


def measure(
    db_url: str,
    *,
    samples: int,
    max_seconds: float,
    warmup: int,
    now: datetime,
    only: set[str] | None = None,
    timeout: float = 120.0,
    server_src: str | None = None,
) -> list[dict[str, Any]]:
    engine = make_engine(db_url)
    sessions = make_session_factory(engine)
    with sessions() as s:
        name = "bench-lead"
        if s.scalar(select(func.count()).select_from(Staff).where(Staff.name == name)) == 0:
            auth.add_staff(s, name, "lead", PASSWORD, datetime.now(UTC))
        admin = issue_admin_token(s, "bench-kpis").secret
        station = issue_station_token(s, "S07-B3", site="SITE-07").secret
        stored = s.scalar(select(func.count()).select_from(Incident)) or 0
        newest = s.scalar(select(func.max(Incident.detected_at))) or now
        s.commit()
    engine.dispose()
    port = free_port()
    env = dict(os.environ)
    if server_src:  # e.g. an unpacked `git archive` of the code before a change, for its figures
        env["PYTHONPATH"] = server_src
    server = subprocess.Popen(
        [sys.executable, "-m", "sync.server.cli", "serve", "--db", db_url, "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=env,
        cwd=server_src or None,
    )
    base = f"http://127.0.0.1:{port}"
    old_day = (now - timedelta(days=30)).date().isoformat()
    # The last full day of data (a reused database measured after midnight has an almost empty "today").
    full_day = (newest - timedelta(days=1)).date().isoformat()
    try:
        wait_for_health(server, base, seconds=60).raise_for_status()
        console = _sign_in(base, name)
        console.timeout = httpx.Timeout(timeout)
        api = httpx.Client(base_url=base, timeout=timeout, headers={"Authorization": f"Bearer {admin}"})
        bench = httpx.Client(base_url=base, timeout=timeout, headers={"Authorization": f"Bearer {station}"})
        urls: list[tuple[str, httpx.Client, str]] = [
            ("queue", console, "/console/"),
            ("queue", console, "/console/?site=SITE-07"),
            ("queue", console, "/console/?station=S07-B3"),
            ("queue", console, "/console/?kind=short"),
            ("queue", console, "/console/?overdue=1"),
            ("queue", console, "/console/?status=customer_notified&age=24h"),
            ("queue", console, "/console/?page=2"),
            ("queue", console, "/console/?page=40"),
            ("queue", console, "/console/?status=resolved"),
            ("kpi page", console, "/console/kpis"),
            ("kpi page", console, f"/console/kpis?day={full_day}"),
            ("kpi page", console, f"/console/kpis?day={old_day}"),
            ("kpi csv", console, "/console/kpis.csv?table=stations"),
            ("kpi json", api, "/api/v1/kpis"),
            ("kpi json", api, "/api/v1/kpis?site=SITE-07"),
            ("kpi json", api, "/api/v1/kpis?station=S07-B3"),
            ("kpi json", api, f"/api/v1/kpis?day={full_day}"),
            ("kpi json", api, f"/api/v1/kpis?day={full_day}&site=SITE-07"),
            ("kpi json", api, f"/api/v1/kpis?day={full_day}&station=S07-B3"),
            ("kpi json", api, f"/api/v1/kpis?day={old_day}"),
            ("flagged", bench, "/api/v1/site/incidents"),
            ("flagged", bench, "/api/v1/site/incidents?status=escalated"),
            ("flagged", bench, "/api/v1/site/incidents?status=cleared&limit=100"),
        ]
        results = []
        for group, client, url in urls:
            if only and group not in only:
                continue
            try:
                first = client.get(url)
            except httpx.TimeoutException:
                results.append({"group": group, "url": url, "samples": 0, "timed_out_after_s": timeout})
                print(f"  {url:<52} no answer within {timeout:.0f} s", flush=True)
                continue

            if first.status_code != 200:
                raise RuntimeError(f"{url}: {first.status_code} {first.text[:300]}")
            for _ in range(warmup):
                client.get(url)
            times: list[float] = []
            stop_at = time.monotonic() + max_seconds
            while len(times) < samples and (time.monotonic() < stop_at or len(times) < 3):
                t0 = time.perf_counter()
                r = client.get(url)
                times.append(time.perf_counter() - t0)
                r.raise_for_status()
            cuts = statistics.quantiles(times, n=100, method="inclusive")
            load1 = round(os.getloadavg()[0], 2)
            row = {
                "group": group,
                "url": url,
                "samples": len(times),
                "p50_ms": round(cuts[49] * 1000, 1),
                "p95_ms": round(cuts[94] * 1000, 1),
                "p99_ms": round(cuts[98] * 1000, 1),
                "bytes": len(first.content),
                "load_average_1m": load1,
            }
            logger.info("%s", row)
            results.append(row)
            print(
                f"  {url:<52}{row['samples']:>5}{row['p50_ms']:>9}{row['p95_ms']:>9}{row['p99_ms']:>9}{load1:>7}",
                flush=True,
            )
        for c in (console, api, bench):
            c.close()
    finally:
        server.terminate()
        try:
            server.wait(30)
        except subprocess.TimeoutExpired:  # still inside a slow request
            server.kill()
            server.wait(30)
    for r in results:
        r["incidents_stored"] = stored
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--incidents", type=int, default=1_000_000)
    parser.add_argument("--samples", type=int, default=100)
    parser.add_argument("--max-seconds", type=float, default=30.0, help="per URL (a slow run stops early)")
    parser.add_argument("--warmup", type=int, default=2, help="unmeasured requests per URL first")
    parser.add_argument("--db", help="reuse this (already loaded) PostgreSQL database URL")
    parser.add_argument("--load-only", action="store_true", help="with --db: load, do not measure")
    parser.add_argument("--quick", action="store_true", help="50,000 incidents, 20 samples")
    parser.add_argument("--label", default="", help="a note stored with the results (e.g. 'before')")
    parser.add_argument(
        "--only", default="", help="comma-separated groups: queue, kpi page, kpi csv, kpi json, flagged"
    )
    parser.add_argument("--timeout", type=float, default=120.0, help="seconds one request may take")
    parser.add_argument("--server-src", help="run the server from this source tree (figures of older code)")
    args = parser.parse_args(argv)
    if args.quick:
        args.incidents, args.samples, args.max_seconds = 50_000, 20, 10.0
    logging.basicConfig(level=logging.WARNING)
    now = datetime.now(UTC)
    took: dict[str, float] = {}
    print(f"{'url':<54}{'n':>5}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'load':>7}")
    if args.db:
        engine = make_engine(args.db)
        try:  # not migrated here: --server-src may be older code, which migrates to its own head
            with make_session_factory(engine)() as s:
                have = s.scalar(select(func.count()).select_from(Incident)) or 0
        except DBAPIError:
            have = 0  # an empty database
        engine.dispose()
        if have == 0:
            took = load(args.db, args.incidents, now)
            print(f"loaded {args.incidents} incidents: {took}", flush=True)
        if args.load_only:
            return 0
        results = measure(
            args.db,
            samples=args.samples,
            max_seconds=args.max_seconds,
            warmup=args.warmup,
            now=now,
            only=set(filter(None, args.only.split(","))) or None,
            timeout=args.timeout,
            server_src=args.server_src,
        )
    else:
        bin_dir = find_pg_bin()
        if bin_dir is None:
            print("PostgreSQL binaries not found: nothing measured", file=sys.stderr)
            return 1
        with temporary_postgres(bin_dir) as admin_url:
            url = create_database(admin_url, "bench")
            took = load(url, args.incidents, now)
            print(f"loaded {args.incidents} incidents: {took}", flush=True)
            results = measure(
                url,
                samples=args.samples,
                max_seconds=args.max_seconds,
                warmup=args.warmup,
                now=now,
                only=set(filter(None, args.only.split(","))) or None,
                timeout=args.timeout,
                server_src=args.server_src,
            )
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(
        json.dumps(
            {
                "machine": {
                    "python": platform.python_version(),
                    "cpus": os.cpu_count(),
                    "platform": platform.platform(),
                },
                "note": "one uvicorn worker in its own process, PostgreSQL on the same 2-core machine, sequential "
                "requests; " + args.label,
                "incidents": args.incidents,
                "load_seconds": took,
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
