"""The data of the console benchmark (``bench.bench_console_scale``): ``generate`` makes the rows of
``--incidents`` incidents spread over 90 days, 50 sites of 8 stations, 1,500 packers and 4,000 skewed
scanned codes, every kind, case states that depend on the case's age, clearances and escalations, and about
two orders per incident as ``pack.sealed`` / ``pack.cancelled`` events; ``load`` migrates central, COPYs
them in and rebuilds the KPI roll-ups and cells from them, as migrations 0006 and 0011 do for a database
that already holds data."""

from __future__ import annotations

import json
import random
import time
import uuid
from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any

from rules.events import IncidentKind
from sync.server.db import make_engine, make_session_factory, upgrade
from sync.server.tokens import issue_station_token

DAYS = 90
SITES = 50
STATIONS_PER_SITE = 8
PACKERS = 1500
CODES = 4000
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
