"""Demo data for the console: stations on two sites, a week of packed orders and incidents, some cases
overdue, some worked. Goes through the real ingestion path (``ingest_batch``), as a station's events
would. Used by the screenshot script and the browser test; deterministic for a given ``now`` and seed.
"""

from __future__ import annotations

import logging
import random
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy.orm import Session

from sync.server import cases, ingest
from sync.server.tokens import issue_station_token
from sync.wire.events import EventBatch
from sync.wire.incidents import CaseStatus

logger = logging.getLogger(__name__)

STATIONS = {"BENCH-1": "SITE-NORTH", "BENCH-2": "SITE-NORTH", "BENCH-3": "SITE-SOUTH", "BENCH-4": "SITE-SOUTH"}
PACKERS = ["P-ana", "P-ben", "P-chloe", "P-dev", "P-eli"]
ITEMS = [
    ("SKU-MUG-01", "Stoneware mug, blue", "04006381333931"),
    ("SKU-LID-02", "Bamboo lid", "05012345678900"),
    ("SKU-CUP-03", "Espresso cup set", "07622210449283"),
    ("SKU-TEA-04", "Loose tea, 250 g", "08712345678906"),
    ("SKU-BAG-05", "Tote bag", "04012345678901"),
]
KINDS = ["wrong_item", "wrong_item", "wrong_item", "over_scan", "short", "unknown_code", "expired"]


def _iso(at: datetime) -> str:
    return at.astimezone(UTC).isoformat()


class _Events:
    def __init__(self) -> None:
        self.by_station: dict[str, list[dict[str, Any]]] = {s: [] for s in STATIONS}
        self.seq = 0

    def add(self, station: str, type_: str, at: datetime, payload: dict[str, Any]) -> None:
        self.seq += 1
        self.by_station[station].append(
            {
                "event_id": str(uuid.uuid4()),
                "station_id": station,
                "seq": self.seq,
                "type": type_,
                "occurred_at": _iso(at),
                "payload": payload,
            }
        )


def seed(session: Session, now: datetime, *, seed_value: int = 13, incidents: int = 40) -> list[uuid.UUID]:
    """Fill an empty database; return the incident ids, the newest detection last. Commits."""
    rnd = random.Random(seed_value)
    for station, site in STATIONS.items():
        issue_station_token(session, station, site=site)
    session.commit()
    ev = _Events()
    stations = list(STATIONS)
    for day in range(7):
        for n in range(rnd.randint(25, 45)):
            station = rnd.choice(stations)
            at = now - timedelta(days=day, hours=rnd.uniform(0, 10), minutes=n)
            if at > now:
                continue
            lines = [{"sku": sku, "ordered": 1, "scanned": 1} for sku, _, _ in rnd.sample(ITEMS, rnd.randint(1, 3))]
            ev.add(
                station,
                "pack.sealed",
                at,
                {
                    "order_id": f"SO-{day}{n:03d}",
                    "packer_id": rnd.choice(PACKERS),
                    "sealed_at": _iso(at),
                    "lines": lines,
                    "short_shipped": rnd.random() < 0.05,
                },
            )
    ids: list[uuid.UUID] = []
    # Ages from 6 days down to 10 minutes: most of them today, so the queue shows overdue, due-soon and
    # fresh cases; the older ones were mostly worked (below).
    ages = sorted(
        (rnd.uniform(0.15, 2.4) if rnd.random() < 0.5 else rnd.uniform(3.5, 150) for _ in range(incidents)),
        reverse=True,
    )
    for i, hours in enumerate(ages):
        station = rnd.choice(stations)
        kind = rnd.choice(KINDS)
        detected = now - timedelta(hours=hours)
        sku, desc, code = rnd.choice(ITEMS)
        wrong = rnd.choice([it for it in ITEMS if it[0] != sku])
        incident_id = uuid.UUID(int=rnd.getrandbits(128), version=4)
        ids.append(incident_id)
        ev.add(
            station,
            "incident.opened",
            detected,
            {
                "incident_id": str(incident_id),
                "order_id": f"SO-{4000 + i}",
                "kind": kind,
                "code": None if kind == "short" else wrong[2],
                "packer_id": rnd.choice(PACKERS),
                "detected_at": _iso(detected),
                "expected": [
                    {
                        "sku": sku,
                        "description": desc,
                        "ordered": 2,
                        "scanned": {"short": 1, "over_scan": 3}.get(kind, 2),
                    }
                ],
                "missing": [{"sku": sku, "description": desc, "missing": 1}] if kind == "short" else [],
                "suggested_remediation": "ship the missing unit" if kind == "short" else f"swap {wrong[1]} for {desc}",
                "evidence_file": None,
            },
        )
        if rnd.random() < 0.8:
            cleared = detected + timedelta(minutes=rnd.uniform(1, 9))
            if cleared < now:
                ev.add(
                    station,
                    "incident.cleared",
                    cleared,
                    {
                        "incident_id": str(incident_id),
                        "order_id": f"SO-{4000 + i}",
                        "supervisor_id": rnd.choice(["SUP-mia", "SUP-noah"]),
                        "resolution": "short_shipped" if kind == "short" else "item_swapped",
                        "reason": "customer to be credited" if kind == "short" else f"{desc} packed instead",
                        "cleared_at": _iso(cleared),
                    },
                )
    for station, events in ev.by_station.items():
        for start in range(0, len(events), 500):
            ingest.ingest_batch(
                session, station, EventBatch(station_id=station, events=events[start : start + 500]), now
            )
    session.commit()

    # Work the oldest cases part of the way, as staff would have.
    def move(
        incident_id: uuid.UUID, to: CaseStatus, actor: str, at: datetime, note: str = "", **details: object
    ) -> None:
        cases.transition(session, incident_id, to, note=note, actor=actor, now=min(now, at), details=details or None)

    for incident_id, hours in zip(ids, ages, strict=True):
        if hours < 3 or rnd.random() < 0.12:  # today's are still open; a few old ones were forgotten
            continue
        step = rnd.random()
        at = now - timedelta(hours=hours) + timedelta(minutes=rnd.uniform(20, 150))

        message = "We are sorry: the right item is on its way."
        move(incident_id, CaseStatus.CUSTOMER_NOTIFIED, "demo.ana", at, channel="email", message=message)
        if step < 0.7 and hours > 30:
            at += timedelta(hours=rnd.uniform(2, 28))
            tracking = f"JD0146{rnd.randint(10**9, 10**10 - 1)}"
            move(incident_id, CaseStatus.REPLACEMENT_SHIPPED, "demo.ben", at, carrier="DHL", tracking=tracking)
            if step < 0.5 and hours > 50:
                at += timedelta(hours=rnd.uniform(10, 15))
                move(incident_id, CaseStatus.RESOLVED, "demo.ben", at, note="delivered")
    session.commit()
    logger.info("demo data: %d incidents on %d stations", len(ids), len(STATIONS))
    return ids
