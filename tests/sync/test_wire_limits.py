"""The station caps what a scanner, a camera or a supervisor types at central's limits, so no incident is made
that the central service refuses (a refused event is parked on the station for good).

The limits live once, in `station.limits`; `sync.wire` (which the central service uses and which may not
import the station) must use the same numbers."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from rules.events import IncidentCleared, IncidentEscalated, IncidentOpened, MissingLine, PackCancelled
from station import limits
from station.limits import TextField, TextTooLong
from station.model import BenchState, VerdictKind
from station.orders import import_orders
from station.outbox import Outbox
from sync.client import SyncClient
from sync.wire.events import EVENT_ADAPTER
from tests.central.server import CentralServer
from tests.station.conftest import ORDERS, WIDGET_EAN
from tests.sync.conftest import STATION_ID
from tests.sync.helpers import outbox_statuses
from ui.bootstrap import Station

# ---------------------------------------------------------------- one set of numbers


def _accepts(model: type, field: str, length: int, **others: object) -> bool:
    try:
        model.__pydantic_validator__.validate_assignment(model.model_construct(**others), field, "x" * length)
    except ValidationError:
        return False
    return True


@pytest.mark.parametrize(
    ("model", "field", "limit"),
    [
        (IncidentOpened, "code", limits.MAX_CODE_LENGTH),
        (IncidentCleared, "reason", limits.MAX_NOTE_LENGTH),
        (IncidentEscalated, "reason", limits.MAX_NOTE_LENGTH),
        (PackCancelled, "reason", limits.MAX_NOTE_LENGTH),
        (IncidentOpened, "order_id", limits.MAX_IDENT_LENGTH),
        (IncidentOpened, "packer_id", limits.MAX_IDENT_LENGTH),
        (IncidentCleared, "supervisor_id", limits.MAX_IDENT_LENGTH),
        (MissingLine, "sku", limits.MAX_IDENT_LENGTH),
    ],
)
def test_wire_limits_are_the_station_limits(model: type, field: str, limit: int) -> None:
    assert _accepts(model, field, limit), f"{model.__name__}.{field} refuses {limit} characters"
    assert not _accepts(model, field, limit + 1), f"{model.__name__}.{field} accepts more than {limit}"


# ---------------------------------------------------------------- hostile input, then a real drain

HOSTILE_SCANS = [
    "9" * 600,  # a wedge typing a long text field: over 512
    "A" * 3000 + "\x00",  # a QR payload with NUL at the end
    "40063\x0081333931",  # NUL inside a code (central's PostgreSQL takes no NUL)
    "\U0001f4e6" * 300,  # 300 emoji: 3 000 characters once escaped
    WIDGET_EAN + " " * 600,  # a valid code padded with blanks
    "]Q1" + "x" * 4000,  # camera: a QR holding 4 000 characters
]


def _events(station: Station) -> list[dict]:
    """Every outbox row the station wrote, in the parts of an envelope (not yet checked by anyone)."""
    return [
        {
            "event_id": e.event_id,
            "station_id": STATION_ID,
            "seq": e.seq,
            "type": e.type,
            "occurred_at": e.occurred_at.isoformat(),
            "payload": e.payload,
        }
        for e in Outbox(station.db.sessions, station.clock).pending(10_000)
    ]


def _hostile_shift(station: Station) -> list[str]:
    import_orders(station.db, ORDERS, STATION_ID, station.clock)
    service = station.service
    service.reload()
    service.set_packer("P1")
    incidents = []
    for code in HOSTILE_SCANS:
        assert service.handle_scan("ORD-10001").kind in (VerdictKind.ORDER_LOADED, VerdictKind.STILL_BLOCKED)
        verdict = service.handle_scan(code)
        assert verdict.kind is VerdictKind.INVALID_CODE and service.state is BenchState.BLOCKED, (code[:20], verdict)
        assert verdict.detail, "the packer is told why"
        incidents.append(verdict.incident_id)
        (incident,) = service.open_incidents()
        assert incident.code is not None and len(incident.code) <= limits.MAX_CODE_LENGTH
        assert "\x00" not in incident.code
        with pytest.raises(TextTooLong) as too_long:
            service.clear(verdict.incident_id, "S1", "n" * (limits.MAX_NOTE_LENGTH + 1), "false_alarm")
        assert too_long.value.field is TextField.CLEARANCE_NOTE and too_long.value.length == limits.MAX_NOTE_LENGTH + 1
        assert service.state is BenchState.BLOCKED, "a refused note clears nothing"
        service.clear(verdict.incident_id, "S1", "n" * limits.MAX_NOTE_LENGTH, "false_alarm")
        service.cancel()
    # An escalation reason: over the limit refused, at the limit taken; the package is pulled (cancelled
    # with "pulled by S1: <reason>", which must fit too).
    service.handle_scan("ORD-10001")
    verdict = service.handle_scan("\x00")
    with pytest.raises(TextTooLong) as too_long:
        service.escalate(verdict.incident_id, "S1", "e" * (limits.MAX_NOTE_LENGTH + 1))
    assert too_long.value.field is TextField.ESCALATION_REASON
    assert service.escalate(verdict.incident_id, "S1", "e" * limits.MAX_NOTE_LENGTH).kind is VerdictKind.ESCALATED
    return incidents


def test_hostile_scans_and_notes_make_only_events_the_wire_format_accepts(station: Station) -> None:
    _hostile_shift(station)
    events = _events(station)
    kinds = [e["type"] for e in events]
    assert kinds.count("incident.opened") == len(HOSTILE_SCANS) + 1 and "pack.cancelled" in kinds
    for event in events:
        EVENT_ADAPTER.validate_python(event)  # raises on what central would refuse


def test_hostile_scans_and_notes_all_reach_the_central_service(central: CentralServer, station: Station) -> None:
    """Against the real service on SQLite and PostgreSQL (which refuses NUL in text): nothing parked."""
    _hostile_shift(station)
    outbox = Outbox(station.db.sessions, station.clock)
    with SyncClient(
        outbox, STATION_ID, central.base_url, central.issue_station_token(STATION_ID), timeout=10
    ) as client:
        result = client.drain_once()
    assert result.error is None and result.parked == 0 and result.failed == 0, result
    assert set(outbox_statuses(station.db).values()) == {"sent"}
