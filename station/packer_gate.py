"""Who is packing: whether the next scan at the bench is a badge (the shift's sign-in) and what a badge means.

The packer window asks `PackerGate.route` for every code before it is judged as a scan and renders the
answer; the gate, held by the service beside the pack session, keeps the "asking who packs" state. Pure: the
roster (the station's enabled users, read once at start-up) is handed in."""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol

from station.commands import is_command_text
from station.model import BenchState

__all__ = ["GateAction", "GateDecision", "Member", "PackerGate"]

#: Roles whose badge, scanned at a blocked bench, opens the clearance (also before anyone signed in).
CLEARING_ROLES = frozenset({"supervisor", "admin"})


class Member(Protocol):
    """A user of this station as the bench needs them."""

    @property
    def name(self) -> str: ...

    @property
    def display_name(self) -> str: ...

    @property
    def role(self) -> str: ...

    @property
    def badge(self) -> str | None: ...


class GateAction(enum.Enum):
    SCAN = "scan"  # not a sign-in matter: judge the code as a scan
    CLEARANCE = "clearance"  # a supervisor's badge at a blocked bench: the supervisor came to clear
    SIGN_IN = "sign_in"  # this code names the packer of the shift (`packer`)
    UNKNOWN_BADGE = "unknown_badge"  # asking who packs, and this code is no badge or name of the station
    ASK_AGAIN = "ask_again"  # asking who packs, and a command was scanned


@dataclass(frozen=True)
class GateDecision:
    action: GateAction
    packer: str | None = None


class PackerGate:
    """The roster's badges and names, and whether the bench is waiting for a packer to sign in."""

    def __init__(self, roster: Iterable[Member] = ()) -> None:
        self.awaiting = False
        self._roster: tuple[Member, ...] = ()
        self.set_roster(roster)

    def set_roster(self, roster: Iterable[Member]) -> None:
        self._roster = tuple(roster)
        self._badges = {m.badge: m for m in self._roster if m.badge}
        self._by_name = {m.name: m for m in self._roster}

    def ask(self) -> None:
        """From now on the next badge or name signs a packer in (a new shift, "Change packer")."""
        self.awaiting = True

    def signed_in(self) -> None:
        self.awaiting = False

    def route(self, code: str, bench: BenchState) -> GateDecision:
        badge = self._badges.get(code)
        if badge is not None and badge.role in CLEARING_ROLES and bench is BenchState.BLOCKED:
            return GateDecision(GateAction.CLEARANCE)
        if not self.awaiting:
            return GateDecision(GateAction.SCAN)
        member = badge or self._by_name.get(code)
        if member is None and self._roster:
            return GateDecision(GateAction.UNKNOWN_BADGE)
        if is_command_text(code):
            return GateDecision(GateAction.ASK_AGAIN)
        return GateDecision(GateAction.SIGN_IN, member.name if member else code)

    def display_name(self, packer_id: str) -> str:
        member = self._by_name.get(packer_id)
        return member.display_name if member else packer_id
