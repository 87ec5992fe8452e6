"""What each incident kind is called, and its stored detail in plain words: one table for every screen.

The domain stores an incident as a kind (`wrong_item`, `over_scan`, ...) and a terse machine detail: the
serial number for a duplicate serial, `5>4` for an over-scan, an ISO date for an expiry, the recall reason.
This module is the only place that turns those into words. The packer's red panel (also after a restart,
when the verdict that blocked is long gone), the packer's incident list, the supervisor's clearing dialog,
the flagged queue, the shift view and the PDF report all read from `INCIDENT_KINDS`, so a kind is never
called two different things on two screens.

A kind this table does not know (a newer station) still reads sensibly: its name with spaces, its detail.
No Qt here.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class KindWords:
    """`label`: in tables and titles ("Serial scanned twice"); `headline`: the packer's huge word ("SAME
    SERIAL TWICE"); `explain(detail, order_id)`: why the package stopped, as a sentence fragment short
    enough for the packer's panel; `more`: context the supervisor gets on top (clearing dialog)."""

    label: str
    headline: str
    explain: Callable[[str, str], str]
    more: str = ""


def units(n: int) -> str:
    """'1 unit', '3 units': the one spelling every screen uses."""
    return f"{n} unit" if n == 1 else f"{n} units"


def missing_total(missing: Iterable[Mapping[str, object]]) -> int:
    """Units missing over the lines of a short incident."""
    return sum(int(m.get("missing", 0) or 0) for m in missing)  # type: ignore[call-overload]


def _over_scan(detail: str, _order: str) -> str:
    match = re.fullmatch(r"\s*(\d+)\s*>\s*(\d+)\s*", detail or "")
    if match is None:
        return f"more scanned than ordered ({detail})" if detail else "more scanned than ordered"
    return f"{match.group(1)} scanned, {match.group(2)} ordered"


def _invalid(detail: str, _order: str) -> str:
    return f"the barcode is not valid: {detail}" if detail else "the barcode is not valid"


def _expired(detail: str, _order: str) -> str:
    return f"expired on {detail}" if detail else "past its expiry date"


def _duplicate(detail: str, _order: str) -> str:
    return (
        f"serial {detail} was already packed in this order"
        if detail
        else "this serial number was already packed in this order"
    )


def _serial_shipped(detail: str, _order: str) -> str:
    return (
        f"this serial was already packed in sealed order {detail}"
        if detail
        else "this serial was already packed in a sealed order"
    )


def _recalled(detail: str, _order: str) -> str:
    return f"recalled: {detail}" if detail else "on the recall list"


def _weight(detail: str, _order: str) -> str:
    """``over:1700/1610±52.2 unweighed=A,B`` (``station.weighing.WeightCheck.detail``) in words."""
    match = re.fullmatch(r"(\w+):(-?[\d.]+)/(-?[\d.]+)±([\d.]+)(?: unweighed=(.*))?", detail or "")
    if match is None:
        return f"the parcel's weight does not fit ({detail})" if detail else "the parcel's weight does not fit"
    outcome, measured, expected, tolerance, unweighed = match.groups()
    if outcome == "unknown":
        return f"products without a known weight: {(unweighed or '').replace(',', ', ')}"
    side = "too heavy" if outcome == "over" else "too light"
    return f"{side}: weighed {float(measured):g} g, expected {float(expected):g} ± {float(tolerance):g} g"


def _short(detail: str, _order: str) -> str:
    return detail.replace("unit(s)", "units") if detail else "items missing at seal"


INCIDENT_KINDS: dict[str, KindWords] = {
    "wrong_item": KindWords(
        "Wrong item", "WRONG ITEM", lambda _d, order: f"not on order {order}", "another order at this station lists it"
    ),
    "unknown_code": KindWords(
        "Unknown code", "UNKNOWN ITEM", lambda _d, order: f"not on order {order}", "no order at this station lists it"
    ),
    "over_scan": KindWords("Too many", "TOO MANY", _over_scan),
    "invalid_code": KindWords("Unreadable code", "INVALID CODE", _invalid),
    "expired": KindWords("Expired", "EXPIRED", _expired),
    "duplicate_serial": KindWords("Serial scanned twice", "SAME SERIAL TWICE", _duplicate),
    "serial_shipped": KindWords("Serial already shipped", "SERIAL ALREADY SHIPPED", _serial_shipped),
    "recalled": KindWords("Recalled lot", "RECALLED", _recalled),
    "short": KindWords("Items missing", "SHORT", _short),
    "weight_mismatch": KindWords(
        "Weight mismatch",
        "WEIGHT MISMATCH",
        _weight,
        "the scale disagrees with what was scanned: open the box and count",
    ),
}


def _unknown_kind(kind: str) -> KindWords:
    logger.debug("no words for incident kind %s", kind)
    name = (kind or "incident").replace("_", " ")
    return KindWords(name.capitalize(), name.upper(), lambda detail, _order: detail or name)


def words(kind: str) -> KindWords:
    return INCIDENT_KINDS.get(kind) or _unknown_kind(kind)


def kind_label(kind: str) -> str:
    return words(kind).label


def kind_headline(kind: str) -> str:
    return words(kind).headline


def explain(
    kind: str,
    detail: str | None,
    order_id: str | None = None,
    missing: Iterable[Mapping[str, object]] = (),
    full: bool = False,
) -> str:
    """Why an incident stopped the package, in words ("serial S1 was already packed in this order");
    `full` adds what a supervisor wants to know on top ("another order at this station lists it")."""
    kind_words = words(kind)
    text = kind_words.explain(detail or "", order_id or "?")
    if full and kind_words.more:
        text += f"; {kind_words.more}"
    missing = list(missing or ())
    lines = [f"{m.get('sku', '?')} ×{m.get('missing', '?')}" for m in missing]
    if kind == "short" and lines:
        text = f"{units(missing_total(missing))} missing: " + ", ".join(lines)
    return text
