"""What the clearing dialog tells and offers a supervisor about one incident: the resolutions to choose
from (`CHOICES`, one per service resolution), the note rules, and the facts in words (what was scanned
and which line of the incident's order it belongs to, why it blocked)."""

from __future__ import annotations

import html
from dataclasses import dataclass

from station import queries
from station.barcodes import InvalidCode, match_key
from station.limits import MAX_NOTE_LENGTH
from station.model import RESOLUTIONS, IncidentView
from ui.bootstrap import Station
from ui.i18n import QT_TRANSLATE_NOOP, translate
from ui.incident_words import explain
from ui.verdict_style import printable_code


@dataclass(frozen=True)
class ResolutionChoice:
    code: str  # one of station.model.RESOLUTIONS
    label: str
    needs_note: bool  # a free-text note is mandatory (the resolution alone does not explain it)


CHOICES = (
    ResolutionChoice("item_swapped", QT_TRANSLATE_NOOP("Supervisor", "Item swapped and rescanned"), False),
    ResolutionChoice("quantity_corrected", QT_TRANSLATE_NOOP("Supervisor", "Quantity corrected"), False),
    ResolutionChoice(
        "short_shipped", QT_TRANSLATE_NOOP("Supervisor", "Ship short: missing lines go to credit / backorder"), False
    ),
    ResolutionChoice(
        "pulled_for_repick", QT_TRANSLATE_NOOP("Supervisor", "Pull the package for a full re-pick"), False
    ),
    ResolutionChoice(
        "false_alarm", QT_TRANSLATE_NOOP("Supervisor", "False alarm (e.g. damaged label): note required"), True
    ),
    ResolutionChoice("other", QT_TRANSLATE_NOOP("Supervisor", "Other: note required"), True),
)
assert tuple(c.code for c in CHOICES) == RESOLUTIONS, "every service resolution has exactly one choice"

MIN_NOTE = 5  # characters: "ok" is not a note


def note_too_long(length: int) -> str:
    return translate(
        "Supervisor", "The note is {length} characters long; at most {limit} are kept. Shorten it."
    ).format(length=f"{length:,}", limit=f"{MAX_NOTE_LENGTH:,}")


def line_of_order(station: Station, code: str | None, order_id: str) -> tuple[str, str] | None:
    """(SKU, description) of the line of *this* order the scanned code belongs to, or None.

    Only the incident's own order counts: two orders may list the same GTIN under different SKUs or
    descriptions, and naming the other order's item would tell the supervisor the wrong thing."""
    if not code:
        return None
    try:
        key = match_key(code)
    except InvalidCode:
        return None
    line = queries.line_of_order(station.db, key, order_id)
    return (line.sku, line.description) if line is not None else None


def scanned_text(station: Station, incident: IncidentView) -> str:
    """The 'Scanned' fact as rich text: the code as the rest of the UI prints it (GS as <GS>, escaped for
    the label) and the line of the incident's order it belongs to, or that it belongs to none."""
    if not incident.code:
        return "–"
    code = f"<b>{html.escape(printable_code(incident.code))}</b>"
    line = line_of_order(station, incident.code, incident.order_id)
    if line is not None:
        where = translate("Supervisor", "{item}, SKU {sku} of order {order}").format(
            item=line[1], sku=line[0], order=incident.order_id
        )
    else:
        where = translate("Supervisor", "belongs to no line of order {order}").format(order=incident.order_id)
    return f"{code} &nbsp;— {html.escape(where)}"


def why_text(incident: IncidentView) -> str:
    """The 'Why' fact in words ('Serial S1 was already packed in this order')."""
    words = explain(incident.kind, incident.detail, incident.order_id, incident.missing, full=True)
    return html.escape(words[:1].upper() + words[1:])
