"""The weight check at seal: what the package should weigh, and whether what the scale says fits.

Pure rules (no storage, no device, no words). The expected weight is the sum over the order's lines of
counted units x unit weight (from the order file's ``unit_weight_g`` or the item master), plus the carton's
tare (the carton scanned at the bench, else the site's default). The tolerance is the site's: an absolute
number of grams plus a percentage of the expected weight.

Lines whose product has no known weight cannot be weighed. The site chooses (`UnknownWeight`):
``block`` -- such a package is blocked like a mismatch, for a supervisor to look at; ``note`` -- it is sealed
with a visible note, after the one check still possible: the parcel must weigh at least what its known
lines and carton weigh (an item missing shows; an extra one cannot).

The settings section "weighing" (`WeighingSettings`) holds these rules and the carton list.
"""

from __future__ import annotations

import enum
import logging
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar

from station.model import OrderView
from station.settings import Section

logger = logging.getLogger(__name__)

__all__ = [
    "MAX_WEIGHT_G",
    "UnknownWeight",
    "WeighingSettings",
    "WeightCheck",
    "WeightOutcome",
    "carton_keys",
    "check_weight",
    "expected_weight",
    "weight_problem",
]

#: The heaviest unit weight, tare or tolerance accepted anywhere (grams): 1 t.
MAX_WEIGHT_G = 1_000_000.0


def weight_problem(value: object) -> str | None:
    """Why `value` is not a weight in grams (a positive finite number up to `MAX_WEIGHT_G`), or None."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return "must be a number of grams such as 125 or 12.5"
    if not math.isfinite(value) or value <= 0:
        return f"must be more than 0 grams, got {value!r}"
    if value > MAX_WEIGHT_G:
        return f"must be at most {MAX_WEIGHT_G:.0f} grams, got {value!r}"
    return None


class UnknownWeight(enum.StrEnum):
    """What to do with a package that holds a product without a known weight."""

    BLOCK = "block"
    NOTE = "note"


class WeightOutcome(enum.StrEnum):
    WITHIN = "within"
    OVER = "over"
    UNDER = "under"
    UNKNOWN = "unknown"  # lines without a known weight, and the site blocks those
    NOTED = "noted"  # lines without a known weight, sealed with a note (not under the known part)


@dataclass(frozen=True)
class WeightCheck:
    """The verdict of the scale on one package; the facts an incident and the screen show."""

    outcome: WeightOutcome
    expected_g: float  # the known lines' units x unit weight, plus the tare
    measured_g: float
    tolerance_g: float
    tare_g: float
    unweighed: tuple[str, ...] = ()  # the SKUs of counted lines without a known weight

    @property
    def blocks(self) -> bool:
        return self.outcome in (WeightOutcome.OVER, WeightOutcome.UNDER, WeightOutcome.UNKNOWN)

    @property
    def difference_g(self) -> float:
        return round(self.measured_g - self.expected_g, 3)

    def as_dict(self) -> dict[str, Any]:
        return {
            "outcome": self.outcome.value,
            "expected_g": self.expected_g,
            "measured_g": self.measured_g,
            "tolerance_g": self.tolerance_g,
            "tare_g": self.tare_g,
            "unweighed": list(self.unweighed),
        }

    @property
    def detail(self) -> str:
        """The terse stored detail of a weight incident (words come from ``ui.incident_words``)."""
        return f"{self.outcome.value}:{self.measured_g:g}/{self.expected_g:g}±{self.tolerance_g:g}" + (
            f" unweighed={','.join(self.unweighed)}" if self.unweighed else ""
        )


def expected_weight(order: OrderView, tare_g: float) -> tuple[float, tuple[str, ...]]:
    """(what the counted units and the carton weigh, the SKUs of counted lines without a known weight)."""
    total = tare_g
    unweighed: list[str] = []
    for line in order.lines:
        if line.scanned <= 0:
            continue
        if line.unit_weight_g is None:
            if line.sku not in unweighed:
                unweighed.append(line.sku)
            continue
        total += line.unit_weight_g * line.scanned
    return round(total, 3), tuple(unweighed)


@dataclass(frozen=True)
class WeighingSettings:
    """Section "weighing": the site's tolerance, default carton tare, carton list, what to do with products
    without a weight, and how long the bench waits for a stable reading at seal."""

    SECTION: ClassVar[Section] = Section.WEIGHING
    tolerance_g: float = 20.0
    tolerance_pct: float = 2.0
    default_tare_g: float = 0.0
    unknown_weight: UnknownWeight = UnknownWeight.NOTE
    settle_timeout_s: float = 5.0
    cartons: Mapping[str, float] = field(default_factory=dict)  # carton barcode -> tare in grams

    def tolerance_for(self, expected_g: float) -> float:
        return round(self.tolerance_g + abs(expected_g) * self.tolerance_pct / 100, 3)

    def tare_for(self, carton_tare_g: float | None) -> float:
        return self.default_tare_g if carton_tare_g is None else carton_tare_g

    @classmethod
    def from_section(cls, section: Mapping[str, Any]) -> WeighingSettings:
        """Read leniently: a bad value is logged and its default used, so a typo never stops the bench."""
        defaults = cls()
        values: dict[str, Any] = {}
        for name, low, high in (
            ("tolerance_g", 0.0, MAX_WEIGHT_G),
            ("tolerance_pct", 0.0, 100.0),
            ("default_tare_g", 0.0, MAX_WEIGHT_G),
            ("settle_timeout_s", 0.5, 60.0),
        ):
            value = section.get(name, getattr(defaults, name))
            if isinstance(value, bool) or not isinstance(value, (int, float)) or not low <= value <= high:
                logger.warning(
                    "weighing setting %s=%r is not a number in %g..%g; using the default", name, value, low, high
                )
                continue
            values[name] = float(value)
        policy = section.get("unknown_weight", defaults.unknown_weight.value)
        try:
            values["unknown_weight"] = UnknownWeight(policy)
        except ValueError:
            logger.warning("weighing setting unknown_weight=%r is not block or note; using note", policy)
        cartons = section.get("cartons", {})
        if isinstance(cartons, Mapping):
            good: dict[str, float] = {}
            for code, tare in cartons.items():
                if not isinstance(code, str) or not code.strip() or weight_problem(tare) is not None:
                    logger.warning("weighing carton %r with tare %r ignored", code, tare)
                    continue
                good[code.strip()] = float(tare)
            values["cartons"] = good
        else:
            logger.warning("weighing setting cartons=%r is not a table of barcode: grams", cartons)
        return cls(**values)

    def to_section(self) -> dict[str, Any]:
        return {
            "tolerance_g": self.tolerance_g,
            "tolerance_pct": self.tolerance_pct,
            "default_tare_g": self.default_tare_g,
            "unknown_weight": self.unknown_weight.value,
            "settle_timeout_s": self.settle_timeout_s,
            "cartons": dict(self.cartons),
        }


def carton_keys(cartons: Mapping[str, float]) -> dict[str, float]:
    """The carton list keyed as scans are matched (`station.barcodes.match_key`: GTIN-14, or the text
    upper-cased), so a carton's EAN matches whichever way the scanner reads it."""
    from station.barcodes import InvalidCode, match_key

    keyed: dict[str, float] = {}
    for code, tare in cartons.items():
        try:
            keyed[match_key(code)] = tare
        except InvalidCode:
            keyed[code.upper()] = tare
    return keyed


def check_weight(order: OrderView, measured_g: float, rules: WeighingSettings) -> WeightCheck:
    """Judge `measured_g` (a stable reading of the whole parcel) against `order` as counted."""
    tare = rules.tare_for(order.tare_g)
    expected, unweighed = expected_weight(order, tare)
    tolerance = rules.tolerance_for(expected)
    measured = round(measured_g, 3)
    if unweighed:
        if rules.unknown_weight is UnknownWeight.BLOCK:
            outcome = WeightOutcome.UNKNOWN
        else:
            outcome = WeightOutcome.UNDER if measured < expected - tolerance else WeightOutcome.NOTED
    elif measured > expected + tolerance:
        outcome = WeightOutcome.OVER
    elif measured < expected - tolerance:
        outcome = WeightOutcome.UNDER
    else:
        outcome = WeightOutcome.WITHIN
    return WeightCheck(outcome, expected, measured, tolerance, tare, unweighed)
