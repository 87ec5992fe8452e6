"""Property test of the pack session: whatever a packer or a broken scanner throws at the station, in any
order, it never crashes, never counts past an order line, never seals a package that should be blocked,
and what it holds in memory is what is on disk."""

from __future__ import annotations

import shutil
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule
from sqlalchemy import func, select

from station import audit
from station.clock import FrozenClock
from station.db import Database
from station.model import BenchState, VerdictKind
from station.order_files import RecallEntry
from station.orders import import_orders, import_recalls
from station.orm import IncidentRecord, Order, OrderLine, OutboxRecord
from station.service import StationService

from .conftest import GADGET_CASE6, GADGET_EAN, ORDERS, OTHER_UPC, PILLS_GTIN, UNKNOWN_EAN, WIDGET_EAN, gs1

ITEM_CODES = [
    WIDGET_EAN,
    "0" + WIDGET_EAN,
    GADGET_EAN,
    GADGET_CASE6,
    OTHER_UPC,
    UNKNOWN_EAN,
    "4006381333932",
    gs1(PILLS_GTIN, expiry="271231", lot="GOOD"),
    gs1(PILLS_GTIN, expiry="250101", lot="OLD"),
    gs1(PILLS_GTIN, expiry="271231", lot="BADLOT"),
    gs1(PILLS_GTIN, serial="S1", expiry="271231"),
    "(01)05901230412708(17)271231(10)GOOD",
    "]C1" + "0105901230412708",
    "INT-404",
]
ORDER_CODES = ["ORD-10001", "ORD-20002", "10001", "ORD-99999"]
COMMANDS = ["CMD:SEAL", "CMD:UNDO", "CMD:CANCEL", "cmd:seal", "CMD:NOPE"]


class PackBench(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.tmp = Path(tempfile.mkdtemp(prefix="pg-prop-"))
        self.clock = FrozenClock(datetime(2026, 11, 23, 9, 0, tzinfo=UTC))
        self.db = Database.open(self.tmp / "s.sqlite3")
        import_orders(self.db, ORDERS, "S1", self.clock)
        import_recalls(self.db, [RecallEntry(PILLS_GTIN, "BADLOT", None, "recall")], "S1", self.clock)
        self.service = StationService(self.db, "S1", clock=self.clock, evidence_dir=self.tmp / "ev")
        self.service.set_packer("P1")
        self.blocking_seen = 0

    def teardown(self) -> None:
        with self.db.sessions() as s:
            assert audit.verify_chain(s).ok
        self.db.close()
        shutil.rmtree(self.tmp, ignore_errors=True)

    def _after(self, verdict) -> None:  # type: ignore[no-untyped-def]
        if verdict.blocking:
            self.blocking_seen += 1
            assert self.service.state is BenchState.BLOCKED
            assert verdict.incident_id
        if verdict.kind is VerdictKind.SEALED:
            order = verdict.order
            short_shipped = verdict.detail == "short_shipped"
            assert short_shipped or all(ln.scanned == ln.ordered for ln in order.lines), order

    @rule(code=st.sampled_from(ORDER_CODES))
    def scan_order(self, code: str) -> None:
        self._after(self.service.handle_scan(code))

    @rule(code=st.sampled_from(ITEM_CODES))
    def scan_item(self, code: str) -> None:
        was_blocked = self.service.state is BenchState.BLOCKED
        before = self.service.order
        verdict = self.service.handle_scan(code)
        if was_blocked:
            assert verdict.kind is VerdictKind.STILL_BLOCKED and self.service.order == before
        self._after(verdict)

    @rule(code=st.sampled_from(COMMANDS))
    def command(self, code: str) -> None:
        was_blocked = self.service.state is BenchState.BLOCKED
        verdict = self.service.handle_scan(code)
        if was_blocked and code.upper() in ("CMD:SEAL", "CMD:UNDO", "CMD:CANCEL"):
            assert verdict.kind is VerdictKind.STILL_BLOCKED
        self._after(verdict)

    @rule(text=st.text(max_size=60))
    def garbage(self, text: str) -> None:
        self._after(self.service.handle_scan(text))  # must not raise, whatever the bytes

    @rule(resolution=st.sampled_from(["item_swapped", "short_shipped", "pulled_for_repick", "false_alarm"]))
    def supervisor_clears(self, resolution: str) -> None:
        for incident in self.service.open_incidents():
            self._after(self.service.clear(incident.id, "SUP", "checked at the bench", resolution))

    @rule()
    def restart(self) -> None:
        self.service = StationService(self.db, "S1", clock=self.clock, evidence_dir=self.tmp / "ev")

    @invariant()
    def memory_matches_disk_and_counts_stay_within_the_order(self) -> None:
        order = self.service.order
        with self.db.sessions() as s:
            lines = {ln.id: ln for ln in s.scalars(select(OrderLine))}
            assert all(0 <= ln.scanned <= ln.quantity for ln in lines.values())
            if order is not None:
                for view in order.lines:
                    assert lines[view.line_id].scanned == view.scanned
                assert s.get(Order, order.order_id).status == order.status.value
                open_count = s.scalar(
                    select(func.count())
                    .select_from(IncidentRecord)
                    .where(IncidentRecord.order_id == order.order_id, IncidentRecord.status == "open")
                )
                assert (self.service.state is BenchState.BLOCKED) == (open_count > 0)
            incidents = s.scalar(select(func.count()).select_from(IncidentRecord))
            opened_events = s.scalar(
                select(func.count()).select_from(OutboxRecord).where(OutboxRecord.type == "incident.opened")
            )
            assert incidents == opened_events == self.blocking_seen


PackBench.TestCase.settings = settings(
    max_examples=60, stateful_step_count=30, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
TestPackBench = PackBench.TestCase
