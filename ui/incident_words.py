"""What each incident kind is called, and its stored detail in plain words: one table for every screen.

The domain stores an incident as a kind (`wrong_item`, `over_scan`, ...) and a terse machine detail: the
serial number for a duplicate serial, `5>4` for an over-scan, an ISO date for an expiry, the recall reason.
This module is the only place that turns those into words. The packer's red panel (also after a restart,
when the verdict that blocked is long gone), the packer's incident list, the supervisor's clearing dialog,
the flagged queue, the shift view and the PDF report all read from `INCIDENT_KINDS`, so a kind is never
called two different things on two screens.

A kind this table does not know (a newer station) still reads sensibly: its name with spaces, its detail.
The words are English source texts of context "Incident" (`ui.i18n`), translated when shown.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from ui import plural
from ui.i18n import QT_TRANSLATE_NOOP, number, translate

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class KindWords:
    """`label`: in tables and titles ("Serial scanned twice"); `headline`: the packer's huge word ("SAME
    SERIAL TWICE"); `explain(detail, order_id)`: why the package stopped, as a sentence fragment short
    enough for the packer's panel; `more`: context the supervisor gets on top (clearing dialog). `label`,
    `headline` and `more` are English source texts (context "Incident"): `kind_label` & co. translate them."""

    label: str
    headline: str
    explain: Callable[[str, str], str]
    more: str = ""


def units(n: int) -> str:
    """'1 unit', '3 units': the one spelling every screen uses (a plural-form message)."""
    return plural.translate("Incident", "%n unit(s)", None, 0)(n)


def missing_total(missing: Iterable[Mapping[str, object]]) -> int:
    """Units missing over the lines of a short incident."""
    return sum(int(m.get("missing", 0) or 0) for m in missing)  # type: ignore[call-overload]


def _over_scan(detail: str, _order: str) -> str:
    match = re.fullmatch(r"\s*(\d+)\s*>\s*(\d+)\s*", detail or "")
    if match is None:
        if detail:
            return translate("Incident", "more scanned than ordered ({detail})").format(detail=detail)
        return translate("Incident", "more scanned than ordered")
    return translate("Incident", "{scanned} scanned, {ordered} ordered").format(
        scanned=match.group(1), ordered=match.group(2)
    )


def _invalid(detail: str, _order: str) -> str:
    if detail:
        return translate("Incident", "the barcode is not valid: {detail}").format(detail=detail)
    return translate("Incident", "the barcode is not valid")


def _expired(detail: str, _order: str) -> str:
    if detail:
        return translate("Incident", "expired on {date}").format(date=detail)
    return translate("Incident", "past its expiry date")


def _duplicate(detail: str, _order: str) -> str:
    if detail:
        return translate("Incident", "serial {serial} was already packed in this order").format(serial=detail)
    return translate("Incident", "this serial number was already packed in this order")


def _serial_shipped(detail: str, _order: str) -> str:
    if detail:
        return translate("Incident", "this serial was already packed in sealed order {order}").format(order=detail)
    return translate("Incident", "this serial was already packed in a sealed order")


def _recalled(detail: str, _order: str) -> str:
    if detail:
        return translate("Incident", "recalled: {reason}").format(reason=detail)
    return translate("Incident", "on the recall list")


def _weight(detail: str, _order: str) -> str:
    """``over:1700/1610±52.2 unweighed=A,B`` (``station.weighing.WeightCheck.detail``) in words."""
    match = re.fullmatch(r"(\w+):(-?[\d.]+)/(-?[\d.]+)±([\d.]+)(?: unweighed=(.*))?", detail or "")
    if match is None:
        if detail:
            return translate("Incident", "the parcel's weight does not fit ({detail})").format(detail=detail)
        return translate("Incident", "the parcel's weight does not fit")
    outcome, measured, expected, tolerance, unweighed = match.groups()
    if outcome == "unknown":
        return translate("Incident", "products without a known weight: {skus}").format(
            skus=(unweighed or "").replace(",", ", ")
        )
    if outcome == "over":
        text = translate("Incident", "too heavy: weighed {measured} g, expected {expected} ± {tolerance} g")
    else:
        text = translate("Incident", "too light: weighed {measured} g, expected {expected} ± {tolerance} g")
    return text.format(measured=_g(measured), expected=_g(expected), tolerance=_g(tolerance))


def _g(text: str) -> str:
    """A stored gram figure as the chosen language writes it, digits grouped as on the scale's own line
    (`ui.scale_words.grams`): the incident beside the red panel said "1155 g" where the panel said "1 155 g"."""
    value = float(text)
    return number(value, 0 if value.is_integer() else 1)


def _short(detail: str, _order: str) -> str:
    return detail.replace("unit(s)", "units") if detail else translate("Incident", "items missing at seal")


def _not_on_order(_detail: str, order: str) -> str:
    return translate("Incident", "not on order {order}").format(order=order)


INCIDENT_KINDS: dict[str, KindWords] = {
    "wrong_item": KindWords(
        QT_TRANSLATE_NOOP("Incident", "Wrong item"),
        QT_TRANSLATE_NOOP("Incident", "WRONG ITEM"),
        _not_on_order,
        QT_TRANSLATE_NOOP("Incident", "another order at this station lists it"),
    ),
    "unknown_code": KindWords(
        QT_TRANSLATE_NOOP("Incident", "Unknown code"),
        QT_TRANSLATE_NOOP("Incident", "UNKNOWN ITEM"),
        _not_on_order,
        QT_TRANSLATE_NOOP("Incident", "no order at this station lists it"),
    ),
    "over_scan": KindWords(
        QT_TRANSLATE_NOOP("Incident", "Too many"), QT_TRANSLATE_NOOP("Incident", "TOO MANY"), _over_scan
    ),
    "invalid_code": KindWords(
        QT_TRANSLATE_NOOP("Incident", "Unreadable code"), QT_TRANSLATE_NOOP("Incident", "INVALID CODE"), _invalid
    ),
    "expired": KindWords(QT_TRANSLATE_NOOP("Incident", "Expired"), QT_TRANSLATE_NOOP("Incident", "EXPIRED"), _expired),
    "duplicate_serial": KindWords(
        QT_TRANSLATE_NOOP("Incident", "Serial scanned twice"),
        QT_TRANSLATE_NOOP("Incident", "SAME SERIAL TWICE"),
        _duplicate,
    ),
    "serial_shipped": KindWords(
        QT_TRANSLATE_NOOP("Incident", "Serial already shipped"),
        QT_TRANSLATE_NOOP("Incident", "SERIAL ALREADY SHIPPED"),
        _serial_shipped,
    ),
    "recalled": KindWords(
        QT_TRANSLATE_NOOP("Incident", "Recalled lot"), QT_TRANSLATE_NOOP("Incident", "RECALLED"), _recalled
    ),
    "short": KindWords(QT_TRANSLATE_NOOP("Incident", "Items missing"), QT_TRANSLATE_NOOP("Incident", "SHORT"), _short),
    "weight_mismatch": KindWords(
        QT_TRANSLATE_NOOP("Incident", "Weight mismatch"),
        QT_TRANSLATE_NOOP("Incident", "WEIGHT MISMATCH"),
        _weight,
        QT_TRANSLATE_NOOP("Incident", "the scale disagrees with what was scanned: open the box and count"),
    ),
}


def _unknown_kind(kind: str) -> KindWords:
    logger.debug("no words for incident kind %s", kind)
    name = (kind or "incident").replace("_", " ")
    return KindWords(name.capitalize(), name.upper(), lambda detail, _order: detail or name)


def words(kind: str) -> KindWords:
    return INCIDENT_KINDS.get(kind) or _unknown_kind(kind)


def kind_label(kind: str) -> str:
    return translate("Incident", words(kind).label)


def kind_headline(kind: str) -> str:
    return translate("Incident", words(kind).headline)


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
        text += f"; {translate('Incident', kind_words.more)}"
    missing = list(missing or ())
    lines = [f"{m.get('sku', '?')} ×{m.get('missing', '?')}" for m in missing]
    if kind == "short" and lines:
        text = translate("Incident", "{units} missing: {lines}").format(
            units=units(missing_total(missing)), lines=", ".join(lines)
        )
    return text
