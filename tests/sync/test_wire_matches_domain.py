"""The central service may not import the station, so the wire format names incident kinds and
resolutions itself; this keeps the two lists equal, so a new verdict cannot reach central unnamed."""

from rules.events import ClearResolution, IncidentKind
from station.model import BLOCKING_KINDS, RESOLUTIONS


def test_every_blocking_verdict_is_a_wire_incident_kind_and_back() -> None:
    assert {k.value for k in BLOCKING_KINDS} == {k.value for k in IncidentKind}


def test_every_clearing_resolution_is_on_the_wire_and_back() -> None:
    assert set(RESOLUTIONS) == {r.value for r in ClearResolution}
