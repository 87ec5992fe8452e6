"""Builders of wire-v1 events as a station would send them (plain dicts, JSON-ready)."""

from __future__ import annotations

import itertools
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

_seq = itertools.count(1)


def iso(at: datetime) -> str:
    return at.astimezone(UTC).isoformat()


def envelope(
    type_: str,
    payload: dict[str, Any],
    *,
    station_id: str = "ST-1",
    seq: int | None = None,
    at: datetime | None = None,
    event_id: str | None = None,
) -> dict[str, Any]:
    return {
        "event_id": event_id or str(uuid.uuid4()),
        "station_id": station_id,
        "seq": seq if seq is not None else next(_seq),
        "type": type_,
        "occurred_at": iso(at or datetime.now(UTC)),
        "payload": payload,
    }


def incident_opened(
    incident_id: str | None = None,
    *,
    order_id: str = "SO-1",
    kind: str = "wrong_item",
    detected_at: datetime | None = None,
    **kw: Any,
) -> dict[str, Any]:
    detected_at = detected_at or datetime.now(UTC)
    payload = {
        "incident_id": incident_id or str(uuid.uuid4()),
        "order_id": order_id,
        "kind": kind,
        "code": "04006381333931",
        "packer_id": "P-7",
        "detected_at": iso(detected_at),
        "expected": [{"sku": "SKU-1", "description": "Mug", "ordered": 2, "scanned": 1}],
        "missing": [{"sku": "SKU-2", "description": "Lid", "missing": 1}] if kind == "short" else [],
        "suggested_remediation": "swap the item",
        "evidence_file": None,
    }
    return envelope("incident.opened", payload, at=detected_at, **kw)


def incident_cleared(
    incident_id: str,
    *,
    order_id: str = "SO-1",
    cleared_at: datetime | None = None,
    resolution: str = "item_swapped",
    **kw: Any,
) -> dict[str, Any]:
    cleared_at = cleared_at or datetime.now(UTC)
    payload = {
        "incident_id": incident_id,
        "order_id": order_id,
        "supervisor_id": "SUP-1",
        "resolution": resolution,
        "reason": "right mug packed",
        "cleared_at": iso(cleared_at),
    }
    return envelope("incident.cleared", payload, at=cleared_at, **kw)


def incident_escalated(
    incident_id: str, *, order_id: str = "SO-1", escalated_at: datetime | None = None, **kw: Any
) -> dict[str, Any]:
    escalated_at = escalated_at or datetime.now(UTC)
    payload = {
        "incident_id": incident_id,
        "order_id": order_id,
        "supervisor_id": "SUP-1",
        "reason": "no stock to swap",
        "escalated_at": iso(escalated_at),
    }
    return envelope("incident.escalated", payload, at=escalated_at, **kw)


def pack_sealed(
    order_id: str = "SO-1", *, lines: int = 2, short: bool = False, sealed_at: datetime | None = None, **kw: Any
) -> dict[str, Any]:
    sealed_at = sealed_at or datetime.now(UTC)
    payload = {
        "order_id": order_id,
        "packer_id": "P-7",
        "sealed_at": iso(sealed_at),
        "short_shipped": short,
        "lines": [{"sku": f"SKU-{i}", "ordered": 1, "scanned": 0 if short and i == 0 else 1} for i in range(lines)],
    }
    return envelope("pack.sealed", payload, at=sealed_at, **kw)


def pack_cancelled(order_id: str, *, cancelled_at: datetime | None = None, **kw: Any) -> dict[str, Any]:
    cancelled_at = cancelled_at or datetime.now(UTC)
    payload = {
        "order_id": order_id,
        "packer_id": "P-7",
        "reason": "customer cancelled",
        "cancelled_at": iso(cancelled_at),
    }
    return envelope("pack.cancelled", payload, at=cancelled_at, **kw)


def audit(action: str = "login", **kw: Any) -> dict[str, Any]:
    return envelope("audit.recorded", {"action": action, "actor": "P-7", "detail": {"bench": 3}}, **kw)


def order(order_id: str, *, quantity: int = 2, ship_to: str = "Ada Lovelace, 1 Analytical St") -> dict[str, Any]:
    return {
        "order_id": order_id,
        "order_barcode": f"ORD{order_id}",
        "ship_to": ship_to,
        "carrier": "DHL",
        "lines": [
            {
                "sku": "SKU-1",
                "description": "Mug",
                "quantity": quantity,
                "barcodes": [{"code": "4006381333931", "units": 1}, {"code": "14006381333938", "units": 6}],
            }
        ],
    }


def hours_ago(hours: float) -> datetime:
    return datetime.now(UTC) - timedelta(hours=hours)
