"""One package on the bench: its state and every rule that judges a scan or a command against it.

A pure aggregate: no SQL, no session, no clock. What it cannot know by itself (is this code on another order,
is this lot recalled, where was this serial counted, what is today's local date) it asks the `ScanFacts` the
application service (`station.service`) hands in, and it answers with a `Decision`: what to write (count,
block with an incident, record, load another order, seal, undo, cancel, nothing) and what the verdict shows.
The service persists the decision in one transaction and only then adopts the new state
(`PackSession.after`), so memory never runs ahead of disk.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace

from station.barcodes import ParsedCode
from station.commands import Command
from station.model import BenchState, LineView, OrderStatus, OrderView, VerdictKind
from station.pack_decision import Action, CountedScan, Decision, LineKey, OrderRef, ScanFacts
from station.tracking import label_required
from station.weighing import WeighingSettings, WeightCheck, check_weight

__all__ = [
    "Action",
    "CountedScan",
    "Decision",
    "LineKey",
    "OrderRef",
    "PackSession",
    "ScanFacts",
    "derive_state",
]


def derive_state(view: OrderView | None) -> BenchState:
    if view is None:
        return BenchState.NO_ORDER
    if view.status is OrderStatus.BLOCKED:
        return BenchState.BLOCKED
    if view.status is OrderStatus.SEALED:
        return BenchState.SEALED
    if view.status is OrderStatus.CANCELLED:
        return BenchState.NO_ORDER
    if view.lines and view.complete:
        return BenchState.COMPLETE
    if any(line.scanned for line in view.lines):
        return BenchState.SCANNING
    return BenchState.ORDER_LOADED


@dataclass(frozen=True)
class PackSession:
    """The bench's order (or none), the barcode keys of its lines, and the state derived from both."""

    order: OrderView | None = None
    keys: Mapping[str, LineKey] = field(default_factory=dict)

    @property
    def state(self) -> BenchState:
        return derive_state(self.order)

    def after(self, decision: Decision) -> PackSession:
        """The session once `decision` is committed (the keys stay: they belong to the order)."""
        return replace(self, order=decision.order)

    def _line(self, line_id: int) -> LineView:
        assert self.order is not None
        return next(ln for ln in self.order.lines if ln.line_id == line_id)

    def _with_line(self, line: LineView, status: OrderStatus | None = None) -> OrderView:
        assert self.order is not None
        lines = tuple(line if ln.line_id == line.line_id else ln for ln in self.order.lines)
        return replace(self.order, lines=lines, status=status or self.order.status)

    # ------------------------------------------------------------------ scans
    def judge_invalid(self, raw: str, reason: str) -> Decision:
        """A code that is not a valid barcode: blocks a package being packed; is only recorded otherwise."""
        return self._not_counted(VerdictKind.INVALID_CODE, raw, reason)

    def judge_scan(self, parsed: ParsedCode, facts: ScanFacts, cartons: Mapping[str, float] | None = None) -> Decision:
        """An item, order or tote code (commands are run by the service). `cartons`: the site's carton list
        (match key -> tare in grams) at a bench that weighs; a carton's barcode sets the package's carton."""
        state = self.state
        if state in (BenchState.NO_ORDER, BenchState.SEALED):
            return self.judge_load(parsed, facts.order_named(parsed), facts)
        order = self.order
        assert order is not None
        if state is BenchState.BLOCKED:
            return self._ignored(parsed, VerdictKind.STILL_BLOCKED)

        hit = self.keys.get(parsed.match_key)
        if hit is None:
            tare = cartons.get(parsed.match_key) if cartons else None
            if tare is not None:  # the box it goes in: its tare counts in the expected weight
                carton = replace(order, carton=parsed.text, tare_g=tare)
                return Decision(Action.CARTON, VerdictKind.CARTON_SET, carton, code=parsed.text, detail=f"{tare:g}")
            # Not an item of this order. Another order's barcode is a request to switch orders, not an item.
            other = facts.order_named(parsed)
            if other is not None and other.order_id != order.order_id:
                if state is BenchState.ORDER_LOADED:
                    return self.judge_load(parsed, other, facts)
                return self._ignored(
                    parsed, VerdictKind.ORDER_IN_PROGRESS, detail=other.order_id, named_order=other.order_id
                )
            if other is not None:  # the current order's own barcode again: harmless
                return Decision(Action.REPLY, VerdictKind.ORDER_LOADED, order, code=parsed.text)
            known = facts.known_elsewhere(parsed.match_key)
            return self._not_counted(
                VerdictKind.WRONG_ITEM if known else VerdictKind.UNKNOWN_CODE, parsed.raw, "", parsed
            )

        units = hit.units
        if parsed.count and units == 1:
            units = parsed.count  # a GS1 label that states its own unit count (AI 30/37)
        line = self._line(hit.line_id)

        recall = facts.recall_reason(parsed) if parsed.lot is not None or parsed.serial is not None else None
        if recall is not None:
            return self._not_counted(VerdictKind.RECALLED, parsed.raw, recall, parsed, line)
        # Best-before and expiry dates are calendar dates where the parcel is packed: the service passes the
        # station's local date, not UTC's (east of UTC, yesterday's expiry would pass until UTC midnight).
        if parsed.expiry is not None and parsed.expiry < facts.today:
            return self._not_counted(VerdictKind.EXPIRED, parsed.raw, parsed.expiry.isoformat(), parsed, line)
        if parsed.serial is not None:
            counted_here, shipped_in = facts.serial_history(order.order_id, parsed)
            if counted_here:
                return self._not_counted(VerdictKind.DUPLICATE_SERIAL, parsed.raw, parsed.serial, parsed, line)
            if shipped_in is not None:
                return self._not_counted(
                    VerdictKind.SERIAL_SHIPPED, parsed.raw, shipped_in, parsed, line, named_order=shipped_in
                )
        needed = label_required(line.tracking, parsed, units)
        if needed is not None:  # the right item, the wrong label: count nothing, block nothing
            return self._ignored(parsed, needed.kind, detail=needed.detail, line=line, label_missing=needed.missing)
        if line.scanned + units > line.ordered:
            would_make = line.scanned + units
            return self._not_counted(
                VerdictKind.OVER_SCAN,
                parsed.raw,
                f"{would_make}>{line.ordered}",
                parsed,
                line,
                units,
                would_make=would_make,
            )
        counted = replace(line, scanned=line.scanned + units)
        return Decision(
            Action.COUNT,
            VerdictKind.OK,
            self._with_line(counted, OrderStatus.PACKING),
            code=parsed.text,
            line=counted,
            units=units,
            expiry=parsed.expiry,
            lot=parsed.lot,
            serial=parsed.serial,
        )

    def _not_counted(
        self,
        kind: VerdictKind,
        raw: str,
        detail: str,
        parsed: ParsedCode | None = None,
        line: LineView | None = None,
        units: int = 0,
        would_make: int | None = None,
        named_order: str | None = None,
    ) -> Decision:
        """A scan that must not count: blocks the package being packed (an incident); with no package on
        the bench it is only recorded; on a blocked package it changes nothing."""
        state = self.state
        order = self.order
        if order is None or state in (BenchState.NO_ORDER, BenchState.SEALED):
            return Decision(
                Action.RECORD,
                kind if kind is VerdictKind.INVALID_CODE else VerdictKind.NO_ORDER,
                order if state is BenchState.SEALED else None,
                code=raw,
                detail=detail,
                no_order_note=True,
                stored_kind=kind,
            )
        if state is BenchState.BLOCKED:
            return self._ignored(parsed, VerdictKind.STILL_BLOCKED, raw=raw)
        return Decision(
            Action.BLOCK,
            kind,
            replace(order, status=OrderStatus.BLOCKED),
            code=parsed.text if parsed else raw,
            line=line,
            units=units,
            detail=detail,
            would_make=would_make,
            named_order=named_order,
            expiry=parsed.expiry if parsed else None,
            lot=parsed.lot if parsed else None,
            serial=parsed.serial if parsed else None,
        )

    def _ignored(
        self,
        parsed: ParsedCode | None,
        kind: VerdictKind,
        detail: str = "",
        raw: str | None = None,
        line: LineView | None = None,
        label_missing: tuple[str, ...] = (),
        named_order: str | None = None,
    ) -> Decision:
        """A scan that changes nothing (the bench is blocked, another order mid-pack, a tracked item scanned
        from the wrong label): recorded, not counted."""
        code = raw if raw is not None else (parsed.raw if parsed else "")
        return Decision(
            Action.IGNORE,
            kind,
            self.order,
            code=parsed.text if parsed else code,
            line=line,
            detail=detail,
            label_missing=label_missing,
            named_order=named_order,
            with_incidents=kind is VerdictKind.STILL_BLOCKED,
        )

    # ------------------------------------------------------------------ orders
    def judge_load_request(self, parsed: ParsedCode, facts: ScanFacts) -> Decision:
        """Load an order asked for by name (never away from a blocked package, nor one with items counted)."""
        state = self.state
        if state is BenchState.BLOCKED:
            return self._ignored(parsed, VerdictKind.STILL_BLOCKED)
        if state in (BenchState.SCANNING, BenchState.COMPLETE):
            wanted = facts.order_named(parsed)
            if wanted is not None and self.order is not None and wanted.order_id == self.order.order_id:
                return Decision(Action.REPLY, VerdictKind.ORDER_LOADED, self.order, code=parsed.text)
            return self._ignored(parsed, VerdictKind.ORDER_IN_PROGRESS, detail=parsed.text, named_order=parsed.text)
        return self.judge_load(parsed, facts.order_named(parsed), facts)

    def judge_load(self, parsed: ParsedCode, found: OrderRef | None, facts: ScanFacts) -> Decision:
        state = self.state
        if found is None:
            if state in (BenchState.NO_ORDER, BenchState.SEALED):
                # An item scanned before its order: say so (nothing to block yet), but keep it in the trail.
                known = facts.known_elsewhere(parsed.match_key)
                kind = VerdictKind.NO_ORDER if known else VerdictKind.ORDER_NOT_FOUND
                return Decision(
                    Action.RECORD, kind, self.order if state is BenchState.SEALED else None, code=parsed.text
                )
            return Decision(Action.REPLY, VerdictKind.ORDER_NOT_FOUND, self.order, code=parsed.text)
        if found.status is OrderStatus.SEALED:
            return Decision(
                Action.REPLY,
                VerdictKind.ORDER_CLOSED,
                self.order,
                code=parsed.text,
                detail=found.order_id,
                named_order=found.order_id,
            )
        previous = self.order.order_id if self.order and state is not BenchState.SEALED else None
        return Decision(
            Action.LOAD,
            VerdictKind.ORDER_LOADED,
            None,  # the service reads the loaded order back
            code=parsed.text,
            load_order_id=found.order_id,
            previous_order_id=previous,
        )

    # ------------------------------------------------------------------ commands
    def judge_seal(self, weighed_g: float | None = None, weighing: WeighingSettings | None = None) -> Decision:
        """SEAL. With `weighing` (a bench with a scale) a complete package is sealed only on a stable reading
        `weighed_g` that fits what was counted (`station.weighing`); otherwise it is blocked."""
        code = Command.SEAL.barcode
        order, state = self.order, self.state
        if order is None or state is BenchState.NO_ORDER:
            return Decision(Action.REPLY, VerdictKind.NO_ORDER, None, code=code)
        if state is BenchState.SEALED:
            return Decision(
                Action.REPLY,
                VerdictKind.ORDER_CLOSED,
                order,
                code=code,
                detail=order.order_id,
                named_order=order.order_id,
            )
        if state is BenchState.BLOCKED:
            return Decision(Action.AUDIT, VerdictKind.STILL_BLOCKED, order, code=code, with_incidents=True)
        missing = order.missing_lines()
        if missing:
            return Decision(
                Action.BLOCK,
                VerdictKind.SHORT,
                replace(order, status=OrderStatus.BLOCKED),
                code=code,
                missing=missing,
            )
        if weighing is None:
            return self.sealed(short_shipped=False)
        if weighed_g is None:
            return Decision(Action.REPLY, VerdictKind.WEIGHT_NEEDED, order, code=code)
        check = check_weight(order, weighed_g, weighing)
        if check.blocks:
            return Decision(
                Action.BLOCK,
                VerdictKind.WEIGHT_MISMATCH,
                replace(order, status=OrderStatus.BLOCKED),
                code=code,
                detail=check.detail,
                weight=check,
            )
        return replace(self.sealed(short_shipped=False), weight=check)

    def sealed(self, short_shipped: bool, weight: WeightCheck | None = None) -> Decision:
        """Seal as the package stands (`short_shipped`: a supervisor's decision to ship it short; `weight`:
        the weight check it passed, or a supervisor accepted)."""
        assert self.order is not None
        return Decision(
            Action.SEAL,
            VerdictKind.SEALED,
            replace(self.order, status=OrderStatus.SEALED),
            code=Command.SEAL.barcode,
            detail="short_shipped" if short_shipped else "",
            short_shipped=short_shipped,
            weight=weight,
        )

    def undo_refusal(self) -> Decision | None:
        """Why UNDO cannot run now, or None (then the service looks up the last counted scan)."""
        code = Command.UNDO.barcode
        if self.order is None or self.state in (BenchState.NO_ORDER, BenchState.SEALED):
            return Decision(Action.REPLY, VerdictKind.NOTHING_TO_UNDO, self.order, code=code)
        if self.state is BenchState.BLOCKED:
            return Decision(Action.REPLY, VerdictKind.STILL_BLOCKED, self.order, code=code, with_incidents=True)
        return None

    def judge_undo(self, last: CountedScan | None) -> Decision:
        refusal = self.undo_refusal()
        if refusal is not None:
            return refusal
        code = Command.UNDO.barcode
        if last is None or last.line_id is None:
            return Decision(Action.REPLY, VerdictKind.NOTHING_TO_UNDO, self.order, code=code)
        line = self._line(last.line_id)
        taken_back = replace(line, scanned=line.scanned - last.units)
        return Decision(
            Action.UNDO,
            VerdictKind.UNDONE,
            self._with_line(taken_back),
            code=code,
            line=taken_back,
            units=last.units,
            undo=last,
        )

    def judge_cancel(self, reason: str, by_supervisor: bool = False) -> Decision:
        """Abandon the pack. A blocked package can be cancelled only by a supervisor (pulled for re-pick)."""
        code = Command.CANCEL.barcode
        order = self.order
        if order is None or self.state in (BenchState.NO_ORDER, BenchState.SEALED):
            return Decision(Action.REPLY, VerdictKind.NO_ORDER, order, code=code)
        if self.state is BenchState.BLOCKED and not by_supervisor:
            return Decision(Action.REPLY, VerdictKind.STILL_BLOCKED, order, code=code, with_incidents=True)
        return Decision(
            Action.CANCEL,
            VerdictKind.CANCELLED,
            None,
            code=code,
            detail=order.order_id,
            named_order=order.order_id,
            reason=reason,
        )
