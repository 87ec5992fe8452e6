"""The shipping labels orders bring (``order_labels``): stored with the order's import, read at print time."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import delete, insert
from sqlalchemy.orm import Session

from rules.labels import LabelFormat
from station.orm import OrderLabel


def label_rows(labels: Iterable[tuple[str, LabelFormat, bytes]], now: datetime) -> list[dict[str, Any]]:
    """Rows for ``order_labels`` from (order id, format, content)."""
    return [
        {
            "order_id": order_id,
            "format": fmt.value,
            "content": content,
            "sha256": hashlib.sha256(content).hexdigest(),
            "received_at": now,
        }
        for order_id, fmt, content in labels
    ]


def write_labels(s: Session, order_ids: list[str], rows: list[dict[str, Any]]) -> None:
    """Replace the labels of ``order_ids`` (an order re-imported without a label loses its old one)."""
    for start in range(0, len(order_ids), 900):  # SQLite's bound-parameter limit
        s.execute(delete(OrderLabel).where(OrderLabel.order_id.in_(order_ids[start : start + 900])))
    if rows:
        s.execute(insert(OrderLabel), rows)


def stored_label(s: Session, order_id: str) -> tuple[LabelFormat, bytes] | None:
    label = s.get(OrderLabel, order_id)
    return (LabelFormat(label.format), bytes(label.content)) if label is not None else None
