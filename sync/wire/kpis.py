"""The KPI answer (``GET /api/v1/kpis``) and the health check (``GET /api/v1/health``)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel


class Percentiles(BaseModel):
    n: int
    p50_s: float | None
    p90_s: float | None


class Kpis(BaseModel):
    day: str
    site: str | None
    station: str | None
    orders_packed: int
    order_lines: int
    orders_cancelled: int
    incidents: int
    incidents_per_order_line: float | None
    order_completion_rate: float | None
    incidents_blocked_before_sealing: int
    detection_to_logged: Percentiles
    detection_to_notified: Percentiles
    detection_to_resolved: Percentiles
    cases_breaching_targets: int
    weight_mismatches: int = 0  # incidents of kind weight_mismatch detected that day
    orders_weighed: int = 0  # orders sealed on a stable reading of the bench scale


class Health(BaseModel):
    status: Literal["ok"]
    wire_version: int
    database: str
