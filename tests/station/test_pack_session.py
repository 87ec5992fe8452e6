"""The pack session's rules, with no database: an order view, its barcode keys, and the facts in memory.

Every test here judges with `station.pack_session.PackSession` alone and checks what a packer would see
happen: the count, the block and its kind, the scan ignored, the seal refused."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from station.barcodes import ParsedCode, parse_scan
from station.model import BenchState, LineView, OrderStatus, OrderView, Tracking, VerdictKind
from station.pack_session import Action, CountedScan, Decision, LineKey, OrderRef, PackSession
from tests.station.conftest import GADGET_CASE6, GADGET_EAN, OTHER_UPC, PILLS_GTIN, UNKNOWN_EAN, WIDGET_EAN, gs1

TODAY = date(2026, 11, 23)


@dataclass
class Facts:
    """`ScanFacts` in memory; `asked` records which facts a judgement needed."""

    today: date = TODAY
    orders: dict[str, OrderRef] = field(default_factory=dict)  # match key or text -> order
    elsewhere: set[str] = field(default_factory=set)
    recalls: dict[str, str] = field(default_factory=dict)  # lot -> reason
    counted_serials: set[str] = field(default_factory=set)
    shipped_serials: dict[str, str] = field(default_factory=dict)  # serial -> sealed order
    asked: list[str] = field(default_factory=list)

    def order_named(self, parsed: ParsedCode) -> OrderRef | None:
        self.asked.append("order_named")
        return self.orders.get(parsed.text) or self.orders.get(parsed.match_key)

    def known_elsewhere(self, match_key: str) -> bool:
        self.asked.append("known_elsewhere")
        return match_key in self.elsewhere

    def recall_reason(self, parsed: ParsedCode) -> str | None:
        self.asked.append("recall_reason")
        return self.recalls.get(parsed.lot or "")

    def serial_history(self, order_id: str, parsed: ParsedCode) -> tuple[bool, str | None]:
        self.asked.append("serial_history")
        return parsed.serial in self.counted_serials, self.shipped_serials.get(parsed.serial or "")


def session(
    widgets: int = 0, gadgets: int = 0, pills: int = 0, status: OrderStatus = OrderStatus.NEW, pills_tracking=None
) -> PackSession:
    lines = (
        LineView(1, "W-1", "Widget", 2, widgets),
        LineView(2, "G-6", "Gadget", 12, gadgets),
        LineView(3, "P-1", "Vitamin tablets", 2, pills, pills_tracking or Tracking()),
    )
    view = OrderView("10001", "ORD-10001", "Ada Lovelace", "DHL", status, lines)
    keys = {
        parse_scan(WIDGET_EAN).match_key: LineKey(1, 1),
        parse_scan(GADGET_EAN).match_key: LineKey(2, 1),
        parse_scan(GADGET_CASE6).match_key: LineKey(2, 6),
        parse_scan(PILLS_GTIN).match_key: LineKey(3, 1),
    }
    return PackSession(view, keys)


def judge(s: PackSession, code: str, facts: Facts | None = None) -> Decision:
    return s.judge_scan(parse_scan(code), facts or Facts())


def test_an_item_of_the_order_counts_and_moves_the_state_on() -> None:
    s = session()
    assert s.state is BenchState.ORDER_LOADED
    d = judge(s, WIDGET_EAN)
    assert (d.action, d.kind, d.units, d.line.scanned) == (Action.COUNT, VerdictKind.OK, 1, 1)
    s = s.after(d)
    assert s.state is BenchState.SCANNING and s.order.status is OrderStatus.PACKING
    case = judge(s, GADGET_CASE6)  # a case of six counts six
    assert case.units == 6 and case.line.scanned == 6


def test_facts_are_asked_only_when_a_rule_needs_them() -> None:
    facts = Facts()
    judge(session(), WIDGET_EAN, facts)
    assert facts.asked == []  # a plain item of the order: no look-up at all
    judge(session(), UNKNOWN_EAN, facts)
    assert facts.asked == ["order_named", "known_elsewhere"]


def test_over_scan_blocks_with_the_count_it_would_make() -> None:
    d = judge(session(widgets=2, status=OrderStatus.PACKING), WIDGET_EAN)
    assert (d.action, d.kind) == (Action.BLOCK, VerdictKind.OVER_SCAN)
    assert d.would_make == 3 and d.detail == "3>2" and d.order.status is OrderStatus.BLOCKED
    case = judge(session(gadgets=10, status=OrderStatus.PACKING), GADGET_CASE6)
    assert case.kind is VerdictKind.OVER_SCAN and case.would_make == 16 and case.units == 6


def test_unknown_and_wrong_items_block() -> None:
    assert judge(session(), UNKNOWN_EAN).kind is VerdictKind.UNKNOWN_CODE
    wrong = judge(session(), OTHER_UPC, Facts(elsewhere={parse_scan(OTHER_UPC).match_key}))
    assert (wrong.action, wrong.kind) == (Action.BLOCK, VerdictKind.WRONG_ITEM)
    assert session().judge_invalid("40063813339", "bad check digit").action is Action.BLOCK


def test_a_blocked_session_ignores_every_scan_and_refuses_every_command() -> None:
    s = session(widgets=1, status=OrderStatus.BLOCKED)
    assert s.state is BenchState.BLOCKED
    other = Facts(orders={"ORD-20002": OrderRef("20002", OrderStatus.NEW)})
    for code in (WIDGET_EAN, UNKNOWN_EAN, OTHER_UPC, "ORD-20002", GADGET_CASE6):
        d = judge(s, code, other)
        assert (d.action, d.kind, d.with_incidents) == (Action.IGNORE, VerdictKind.STILL_BLOCKED, True)
        assert s.after(d).order.lines[0].scanned == 1
    assert s.judge_invalid("xx", "not a barcode").kind is VerdictKind.STILL_BLOCKED
    assert (s.judge_seal().action, s.judge_seal().kind) == (Action.AUDIT, VerdictKind.STILL_BLOCKED)
    assert s.judge_undo(CountedScan(7, 1, 1, WIDGET_EAN)).kind is VerdictKind.STILL_BLOCKED
    assert s.judge_cancel("changed my mind").kind is VerdictKind.STILL_BLOCKED
    assert s.judge_cancel("pulled", by_supervisor=True).action is Action.CANCEL


def test_seal_with_missing_lines_is_refused_and_blocks_naming_them() -> None:
    d = session(widgets=2, gadgets=11, pills=2, status=OrderStatus.PACKING).judge_seal()
    assert (d.action, d.kind) == (Action.BLOCK, VerdictKind.SHORT)
    assert [(ln.sku, ln.missing) for ln in d.missing] == [("G-6", 1)]
    full = session(widgets=2, gadgets=12, pills=2, status=OrderStatus.PACKING)
    assert full.state is BenchState.COMPLETE
    sealed = full.judge_seal()
    assert (sealed.action, sealed.kind, sealed.short_shipped) == (Action.SEAL, VerdictKind.SEALED, False)
    assert full.after(sealed).state is BenchState.SEALED
    assert full.after(sealed).judge_seal().kind is VerdictKind.ORDER_CLOSED
    assert PackSession().judge_seal().kind is VerdictKind.NO_ORDER


def test_another_orders_barcode_loads_only_before_anything_is_counted() -> None:
    facts = Facts(orders={"ORD-20002": OrderRef("20002", OrderStatus.NEW)})
    load = judge(session(), "ORD-20002", facts)
    assert (load.action, load.load_order_id, load.previous_order_id) == (Action.LOAD, "20002", "10001")
    busy = judge(session(widgets=1, status=OrderStatus.PACKING), "ORD-20002", facts)
    assert (busy.action, busy.kind, busy.named_order) == (Action.IGNORE, VerdictKind.ORDER_IN_PROGRESS, "20002")
    sealed = Facts(orders={"ORD-20002": OrderRef("20002", OrderStatus.SEALED)})
    assert PackSession().judge_scan(parse_scan("ORD-20002"), sealed).kind is VerdictKind.ORDER_CLOSED
    own = judge(session(), "ORD-10001", Facts(orders={"ORD-10001": OrderRef("10001", OrderStatus.NEW)}))
    assert (own.action, own.kind) == (Action.REPLY, VerdictKind.ORDER_LOADED)


def test_an_item_with_no_order_on_the_bench_is_recorded_not_blocked() -> None:
    d = PackSession().judge_scan(parse_scan(WIDGET_EAN), Facts(elsewhere={parse_scan(WIDGET_EAN).match_key}))
    assert (d.action, d.kind, d.order) == (Action.RECORD, VerdictKind.NO_ORDER, None)
    assert PackSession().judge_invalid("xx", "not a barcode").action is Action.RECORD


def test_expiry_is_judged_on_the_local_date_passed_in() -> None:
    yesterday = gs1(PILLS_GTIN, expiry="261122")
    assert judge(session(), yesterday).kind is VerdictKind.EXPIRED
    assert judge(session(), yesterday, Facts(today=date(2026, 11, 22))).kind is VerdictKind.OK


def test_recalls_and_serials_block() -> None:
    lot = gs1(PILLS_GTIN, lot="BAD1")
    recalled = judge(session(), lot, Facts(recalls={"BAD1": "contaminated"}))
    assert (recalled.kind, recalled.detail) == (VerdictKind.RECALLED, "contaminated")
    serial = gs1(PILLS_GTIN, serial="SN1")
    assert judge(session(), serial, Facts(counted_serials={"SN1"})).kind is VerdictKind.DUPLICATE_SERIAL
    shipped = judge(session(), serial, Facts(shipped_serials={"SN1": "30002"}))
    assert (shipped.kind, shipped.named_order, shipped.action) == (VerdictKind.SERIAL_SHIPPED, "30002", Action.BLOCK)


def test_a_tracked_line_asks_for_the_label_and_blocks_nothing() -> None:
    tracked = session(pills_tracking=Tracking(lot=True, expiry=True))
    d = judge(tracked, PILLS_GTIN)
    assert (d.action, d.kind, d.label_missing) == (Action.IGNORE, VerdictKind.LOT_REQUIRED, ("lot", "expiry"))
    assert tracked.after(d).state is BenchState.ORDER_LOADED
    assert judge(tracked, gs1(PILLS_GTIN, expiry="271231", lot="L1")).kind is VerdictKind.OK


def test_undo_takes_back_the_last_counted_scan() -> None:
    s = session(widgets=2, gadgets=12, pills=2, status=OrderStatus.PACKING)
    d = s.judge_undo(CountedScan(9, 2, 6, GADGET_CASE6))
    assert (d.action, d.units, d.line.scanned) == (Action.UNDO, 6, 6)
    assert s.after(d).state is BenchState.SCANNING
    assert s.judge_undo(None).kind is VerdictKind.NOTHING_TO_UNDO
    assert PackSession().undo_refusal().kind is VerdictKind.NOTHING_TO_UNDO


ITEMS = [WIDGET_EAN, GADGET_EAN, GADGET_CASE6, PILLS_GTIN, UNKNOWN_EAN, "CMD:SEAL"]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(ITEMS), max_size=30))
def test_no_sequence_of_scans_counts_past_an_order_or_escapes_a_block(codes: list[str]) -> None:
    s = session()
    blocked_at: int | None = None
    for i, code in enumerate(codes):
        before = s
        d = s.judge_seal() if code == "CMD:SEAL" else judge(s, code)
        s = s.after(d) if d.action not in (Action.REPLY, Action.IGNORE, Action.AUDIT, Action.RECORD) else s
        if blocked_at is not None:
            assert d.action in (Action.IGNORE, Action.AUDIT) and d.kind is VerdictKind.STILL_BLOCKED
            assert s.order == before.order  # nothing counted, nothing changed
        elif d.action is Action.BLOCK:
            blocked_at = i
            assert s.state is BenchState.BLOCKED
        if s.state is BenchState.SEALED:
            assert s.order.complete  # never sealed short without a supervisor
            break
        assert all(ln.scanned <= ln.ordered for ln in s.order.lines)
