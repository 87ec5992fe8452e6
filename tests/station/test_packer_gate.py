"""Who is packing, decided on the station side: what a badge or name scanned at the bench means."""

from __future__ import annotations

from dataclasses import dataclass

from station.model import BenchState
from station.packer_gate import GateAction, GateDecision, PackerGate


@dataclass(frozen=True)
class U:
    name: str
    display_name: str
    role: str
    badge: str | None


ROSTER = [U("P1", "Pat Packer", "packer", "BADGE-P1"), U("SUP1", "Sam Supervisor", "supervisor", "BADGE-S1")]


def test_scans_are_scans_until_the_bench_asks_who_packs() -> None:
    gate = PackerGate(ROSTER)
    assert gate.route("BADGE-P1", BenchState.SCANNING) == GateDecision(GateAction.SCAN)
    gate.ask()
    assert gate.route("BADGE-P1", BenchState.SCANNING) == GateDecision(GateAction.SIGN_IN, "P1")
    assert gate.route("P1", BenchState.NO_ORDER) == GateDecision(GateAction.SIGN_IN, "P1")  # a picked name
    assert gate.route("BADGE-X", BenchState.NO_ORDER).action is GateAction.UNKNOWN_BADGE
    gate.signed_in()
    assert gate.route("BADGE-X", BenchState.NO_ORDER).action is GateAction.SCAN
    assert gate.display_name("P1") == "Pat Packer" and gate.display_name("P9") == "P9"


def test_a_supervisor_badge_at_a_blocked_bench_opens_the_clearance_even_while_asking() -> None:
    gate = PackerGate(ROSTER)
    assert gate.route("BADGE-S1", BenchState.BLOCKED).action is GateAction.CLEARANCE
    gate.ask()
    assert gate.route("BADGE-S1", BenchState.BLOCKED).action is GateAction.CLEARANCE
    assert gate.route("BADGE-P1", BenchState.BLOCKED) == GateDecision(GateAction.SIGN_IN, "P1")
    assert gate.route("BADGE-S1", BenchState.SCANNING) == GateDecision(GateAction.SIGN_IN, "SUP1")


def test_with_no_roster_any_code_but_a_command_signs_in() -> None:
    gate = PackerGate()
    gate.ask()
    assert gate.route("CMD:SEAL", BenchState.NO_ORDER).action is GateAction.ASK_AGAIN
    assert gate.route("P7", BenchState.NO_ORDER) == GateDecision(GateAction.SIGN_IN, "P7")
