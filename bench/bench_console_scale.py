"""The console and KPI read paths at scale: ``python -m bench.bench_console_scale [--incidents 1000000]``.

Starts a throw-away PostgreSQL cluster (tests/central/pg.py), migrates central, bulk-loads ``--incidents``
incidents (default 1,000,000; ``--quick`` 50,000) with COPY, spread over 90 days, 50 sites of 8 stations,
1,500 packers and 4,000 scanned codes (skewed: some codes come back again and again), every kind, case
states with notified / remedied / resolved times that depend on the age of the case, bench clearances and
escalations; plus about two orders per incident (its own and a clean one) as ``pack.sealed`` events with
their lines, some short-shipped, some ``pack.cancelled``, so errors per order line, completion rate and
"blocked before sealing" mean something. After the COPY, ``sync.server.rollups.rebuild`` fills the KPI
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
import random
import re
import statistics
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import func, select
from sqlalchemy.exc import DBAPIError

from rules.events import IncidentKind
from sync.server.console import auth
from sync.server.db import make_engine, make_session_factory, upgrade
from sync.server.models import Incident, Staff
from sync.server.tokens import issue_admin_token, issue_station_token
from tests.central.pg import create_database, find_pg_bin, free_port, temporary_postgres

logger = logging.getLogger(__name__)

RESULTS = Path(__file__).resolve().parent / "results" / "console_scale.json"
DAYS = 90
SITES = 50
STATIONS_PER_SITE = 8
PACKERS = 1500
CODES = 4000
PASSWORD = "bench password 1234"
# Relative frequency of each kind (named, so a kind added to IncidentKind fails here, not deep in random).
KIND_SHARE = {
    "wrong_item": 30,
    "over_scan": 8,
    "invalid_code": 6,
    "unknown_code": 10,
    "expired": 3,
    "duplicate_serial": 2,
    "recalled": 1,
    "serial_shipped": 2,
    "short": 25,
    "weight_mismatch": 4,
}
KINDS = [k.value for k in IncidentKind]
KIND_WEIGHTS = [KIND_SHARE[k] for k in KINDS]


def station_ids() -> list[tuple[str, str]]:
    return [(f"S{s:02d}-B{b}", f"SITE-{s:02d}") for s in range(SITES) for b in range(STATIONS_PER_SITE)]


def _iso(t: datetime) -> str:
    return t.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def generate(n: int, now: datetime, seed: int = 7) -> tuple[Iterator[tuple[Any, ...]], Iterator[tuple[Any, ...]]]:
    """Rows for the incidents table and the events table (pack.sealed / pack.cancelled)."""
    rng = random.Random(seed)
    stations = station_ids()
    codes = [f"0400638{rng.randrange(10**7):07d}" for _ in range(CODES)]
    code_pool = [codes[min(CODES - 1, int(rng.paretovariate(1.2)) - 1)] for _ in range(50_000)]
    packers = [f"P-{i:04d}" for i in range(PACKERS)]
    kind_pool = rng.choices(KINDS, KIND_WEIGHTS, k=10_000)
    seals: list[tuple[Any, ...]] = []

    def incidents() -> Iterator[tuple[Any, ...]]:
        span = DAYS * 86400.0
        for i in range(n):
            station, _site = stations[rng.randrange(len(stations))]
            detected = now - timedelta(seconds=rng.random() * span)
            kind = kind_pool[rng.randrange(10_000)]
            order_id = f"SO-{i:08d}"
            packer = packers[rng.randrange(PACKERS)]
            logged = detected + timedelta(
                seconds=rng.uniform(0.2, 90) if rng.random() < 0.97 else rng.uniform(60, 6 * 3600)
            )
            remedy = "credit" if kind == "short" else ("refund" if rng.random() < 0.1 else "replacement")
            notify_due = detected + timedelta(hours=2)
            remedy_due = detected + timedelta(hours=48 if remedy == "replacement" else 72)
            age_h = (now - detected).total_seconds() / 3600
            notified = remedied = resolved = None
            r = rng.random()
            done_share = min(0.97, age_h / 80)
            if r < done_share:
                status = "resolved"
            elif r < done_share + (1 - done_share) * 0.4 and age_h > 0.3:
                status = "customer_notified"
            elif r < done_share + (1 - done_share) * 0.55 and age_h > 6:
                status = {"replacement": "replacement_shipped", "refund": "refund_issued", "credit": "credit_issued"}[
                    remedy
                ]
            else:
                status = "open"
            if status != "open" and not (status == "resolved" and rng.random() < 0.15):  # 15 % closed untold
                notified = detected + timedelta(seconds=min(age_h * 3600 * 0.9, rng.uniform(300, 3 * 3600)))
            if status in ("replacement_shipped", "refund_issued", "credit_issued") or (
                status == "resolved" and notified is not None
            ):
                base = notified or detected
                remedied = min(now - timedelta(seconds=1), base + timedelta(hours=rng.uniform(1, 70)))
            if status == "resolved":
                base = remedied or notified or detected
                resolved = min(now, base + timedelta(hours=rng.uniform(0.1, 24)))
            b = rng.random()
            escalated = cleared = None
            if b < 0.96:
                cleared = detected + timedelta(seconds=rng.uniform(20, 900))
            elif b < 0.985:
                escalated = detected + timedelta(seconds=rng.uniform(60, 1200))
                if rng.random() < 0.5:
                    cleared = escalated + timedelta(seconds=rng.uniform(60, 3600))
            # the incident's own order: usually sealed after the detection (blocked), sometimes before
            lines = rng.randint(1, 6)
            if rng.random() < 0.9:
                sealed = detected + timedelta(seconds=rng.uniform(30, 1800))
            else:
                sealed = detected - timedelta(seconds=rng.uniform(30, 1800))
            if sealed < now:
                seals.append((station, order_id, sealed, lines, kind == "short", packer))
            # a clean order at the same bench around the same time (cancelled now and then)
            clean_at = detected + timedelta(seconds=rng.uniform(-3600, 3600))
            if clean_at < now:
                seals.append((station, f"SC-{i:08d}", clean_at, rng.randint(1, 6), rng.random() < 0.02, packer))
            if rng.random() < 0.04:
                seals.append((station, f"SX-{i:08d}", clean_at, 0, None, packer))  # cancelled
            expected = json.dumps([{"sku": "SKU-1", "description": "Mug", "ordered": 2, "scanned": 1}])
            missing = json.dumps([{"sku": "SKU-2", "description": "Lid", "missing": 1}] if kind == "short" else [])
            yield (
                uuid.UUID(int=rng.getrandbits(128), version=4),
                station,
                order_id,
                kind,
                code_pool[rng.randrange(50_000)],
                packer,
                detected,
                logged,
                uuid.UUID(int=rng.getrandbits(128), version=4),
                expected,
                missing,
                "swap the item",
                None,
                escalated,
                cleared,
                "item_swapped" if cleared else None,
                status,
                remedy,
                notify_due,
                remedy_due,
                notified,
                remedied,
                resolved,
                rng.randint(0, 4),
            )

    def events() -> Iterator[tuple[Any, ...]]:
        seq: dict[str, int] = {}
        for station, order_id, at, lines, short, packer in seals:
            seq[station] = seq.get(station, 0) + 1
            if short is None:
                kind = "pack.cancelled"
                payload = {
                    "order_id": order_id,
                    "packer_id": packer,
                    "reason": "customer cancelled",
                    "cancelled_at": _iso(at),
                }
            else:
                kind = "pack.sealed"
                payload = {
                    "order_id": order_id,
                    "packer_id": packer,
                    "sealed_at": _iso(at),
                    "short_shipped": short,
                    "lines": [
                        {"sku": f"SKU-{j}", "ordered": 1, "scanned": 0 if short and j == 0 else 1} for j in range(lines)
                    ],
                }
            yield (
                station,
                uuid.UUID(int=rng.getrandbits(128), version=4),
                seq[station],
                kind,
                order_id,
                at,
                at,
                json.dumps(payload),
            )

    return incidents(), events()


INCIDENT_COLUMNS = (
    "incident_id, station_id, order_id, kind, code, packer_id, detected_at, logged_at, opened_event_id, expected, "
    "missing, suggested_remediation, evidence_file, escalated_at, cleared_at, resolution, case_status, remedy, "
    "notify_due_at, remedy_due_at, notified_at, remedied_at, resolved_at, version"
)
EVENT_COLUMNS = "station_id, event_id, seq, type, order_id, occurred_at, received_at, payload"


def load(db_url: str, n: int, now: datetime) -> dict[str, float]:
    """Migrate and COPY ``n`` incidents and their orders in; returns seconds per step."""
    import psycopg

    from sync.server import rollups

    engine = make_engine(db_url)
    upgrade(engine)
    took: dict[str, float] = {}
    with make_session_factory(engine)() as s:
        for station, site in station_ids():
            issue_station_token(s, station, site=site)
        s.commit()
    t0 = time.perf_counter()
    incidents, events = generate(n, now)
    with psycopg.connect(db_url.replace("+psycopg", "")) as conn, conn.cursor() as cur:
        with cur.copy(f"COPY incidents ({INCIDENT_COLUMNS}) FROM STDIN") as copy:
            for row in incidents:
                copy.write_row(row)
        took["incidents_s"] = round(time.perf_counter() - t0, 1)
        t1 = time.perf_counter()
        with cur.copy(f"COPY events ({EVENT_COLUMNS}) FROM STDIN") as copy:
            for row in events:
                copy.write_row(row)
        took["events_s"] = round(time.perf_counter() - t1, 1)
        conn.commit()
    t2 = time.perf_counter()
    with make_session_factory(engine)() as s:
        rollups.rebuild(s)  # what migration 0006 does for a database that already holds data
        s.commit()
    took["rollups_s"] = round(time.perf_counter() - t2, 1)
    with psycopg.connect(db_url.replace("+psycopg", ""), autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE")
    took["total_s"] = round(time.perf_counter() - t0, 1)
    engine.dispose()
    return took


def _wait_up(base: str, server: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    while True:
        try:
            httpx.get(base + "/api/v1/health", timeout=2).raise_for_status()
            return
        except httpx.HTTPError:
            if server.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("packgate-central serve did not start") from None
            time.sleep(0.2)


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
        _wait_up(base, server)
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
