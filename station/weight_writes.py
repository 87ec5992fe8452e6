"""The rows the weight check writes, inside the service's transaction: the carton chosen at the bench, and a
package blocked because the scale disagreed (its `weight_mismatch` incident with the weighing's facts).
The clean seal's measured weight goes with the seal itself (`BenchWriter.seal`)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import update
from sqlalchemy.orm import Session

from station.bench_writes import BenchWriter
from station.model import VerdictKind
from station.orm import Order
from station.pack_decision import Decision

__all__ = ["block_weight", "set_carton"]


def set_carton(writer: BenchWriter, s: Session, now: datetime, d: Decision, source: str) -> None:
    order = d.order
    assert order is not None
    s.execute(
        update(Order)
        .where(Order.order_id == order.order_id)
        .values(carton_code=order.carton, tare_g=order.tare_g, updated_at=now)
    )
    writer.audit(s, now, "carton", order.order_id, code=order.carton, tare_g=order.tare_g, source=source)


def block_weight(writer: BenchWriter, s: Session, now: datetime, d: Decision, incident_id: str, source: str) -> None:
    """SEAL on a reading outside the tolerance (or with products of no known weight, where the site blocks
    those): block the package, open the incident."""
    order, check = d.order, d.weight
    assert order is not None and check is not None
    writer.block(s, now, order.order_id)
    writer.open_incident(
        s,
        now,
        incident_id,
        order,
        VerdictKind.WEIGHT_MISMATCH,
        None,
        None,
        [ln.as_dict() for ln in order.lines],
        [],
        check.detail,
        None,
        weight=check.as_dict(),
    )
    writer.audit(
        s, now, "seal.refused", order.order_id, reason="weight", incident=incident_id, source=source, **check.as_dict()
    )
