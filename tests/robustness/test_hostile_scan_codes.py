"""Hostile scan codes through `StationService.handle_scan`: every one gets a clear non-counting verdict
(blocking the package when an order is on the bench), never a traceback, never a count."""

from __future__ import annotations

import pytest

from station.model import BenchState, VerdictKind
from station.service import StationService
from tests.station.conftest import PILLS_GTIN, WIDGET_EAN

HOSTILE = [
    "x" * 10_000,  # 10 kB
    "9" * 10_000,
    "\u05e9\u05dc\u05d5\u05dd",  # RTL (Hebrew)
    "\u202e" + WIDGET_EAN,  # RTL override in front of a real GTIN
    "\U0001f4e6\U0001f4e6",  # emoji
    "\uff14\uff10\uff10\uff16\uff13\uff18\uff11\uff13\uff13\uff19\uff13\uff11",  # full-width digits
    "CMD: SEAL",
    "CMD:",
    "]C1",
    "]d2",
    "]E0",  # AIM prefix alone
    "(01)",
    "(01)(10)",  # HRI AI alone
    "]d201" + PILLS_GTIN + "17991399",  # month 13
    "]d201" + PILLS_GTIN + "17000000",
    "(01)" + PILLS_GTIN + "(10)" + "A" * 100,  # lot of 100 characters (AI 10 allows 20)
    "0109501234567892",  # GS1 with a bad GTIN check digit
    "\x00",
    "\x1d\x1d\x1d",
    "",
    " ",
    "\ud800",  # lone surrogate: cannot be stored as UTF-8 unless escaped
    "\udcff" + WIDGET_EAN,
]


@pytest.mark.parametrize("code", HOSTILE, ids=lambda c: repr(c[:20]))
def test_hostile_code_while_scanning_blocks_with_a_reason_and_counts_nothing(
    service: StationService, code: str
) -> None:
    service.handle_scan("ORD-10001")
    assert service.handle_scan(WIDGET_EAN).kind is VerdictKind.OK
    verdict = service.handle_scan(code)
    assert verdict.kind is VerdictKind.INVALID_CODE, verdict
    assert verdict.detail, "the packer must be told why"
    assert verdict.incident_id is not None and service.state is BenchState.BLOCKED
    assert [ln.scanned for ln in service.order.lines] == [1, 0, 0]
    assert service.handle_scan("CMD:SEAL").kind is VerdictKind.STILL_BLOCKED


@pytest.mark.parametrize("code", ["\ud800", "x" * 10_000, "\x00"], ids=repr)
def test_hostile_code_without_an_order_is_recorded_not_raised(service: StationService, code: str) -> None:
    verdict = service.handle_scan(code)
    assert verdict.kind is VerdictKind.INVALID_CODE and service.state is BenchState.NO_ORDER


def test_lone_surrogate_is_kept_escaped_in_the_incident(service: StationService) -> None:
    service.handle_scan("ORD-10001")
    verdict = service.handle_scan("A\ud800B")
    (incident,) = service.open_incidents()
    assert incident.id == verdict.incident_id and incident.code == "A\\ud800B"


@pytest.mark.parametrize(
    ("code", "kind"),
    [
        ("cmd:seal", VerdictKind.SHORT),
        (" CMD:SEAL ", VerdictKind.SHORT),
        ("Cmd:Undo", VerdictKind.NOTHING_TO_UNDO),
        ("CMD:FOO", VerdictKind.UNKNOWN_COMMAND),
    ],
)
def test_command_casing_and_whitespace(service: StationService, code: str, kind: VerdictKind) -> None:
    service.handle_scan("ORD-10001")
    assert service.handle_scan(code).kind is kind
