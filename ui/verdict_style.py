"""Every word, colour, icon and sound the packer sees or hears for a verdict — in one place.

The domain returns only a `Verdict` (kind, state, detail...); `style_for(verdict)` turns it into a
`VerdictStyle`: a short headline for across the room, one plain sentence, a tone (colour), an icon shape
and a sound name. Tones never rely on colour alone: each has its own icon *shape* (circle + check, stop
octagon + cross, triangle + "!", hourglass, square box) and its own headline word, so the panel reads
correctly for colour-blind packers and on a washed-out monitor.

Nothing here touches Qt: the packer window paints what this module decides, tests can check words
without a screen, and translation (later) has one file to work on. The tones (colour, icon, sound) and
the `VerdictStyle` type are `ui.verdict_tone`'s, re-exported here.
"""

from __future__ import annotations

import logging

from rules.scan_text import GS
from station.commands import COMMAND_PREFIX, Command
from station.file_guard import StorageError
from station.model import BenchState, LineView, OrderView, Verdict, VerdictKind
from ui.incident_words import kind_headline, units
from ui.printing.words import reprint_style
from ui.refusal_words import storage_words
from ui.scale_words import WEIGHT_KINDS, sealed_note, style_for_weight
from ui.verdict_tone import (  # noqa: F401 - re-exported: the verdict words API is ui.verdict_style
    TONE_COLOURS,
    TONE_ICONS,
    TONE_SOUNDS,
    Tone,
    VerdictStyle,
)

logger = logging.getLogger(__name__)


SUPERVISOR_PROMPT = "Supervisor: scan your badge to clear"


def printable_code(code: str | None) -> str:
    """A scanned code as a person can read it: GS1's invisible group separator (ASCII 29) shown as <GS>,
    any other control character as \\xNN, instead of empty boxes."""
    if not code:
        return ""
    return "".join(
        "<GS>" if ch == GS else (f"\\x{ord(ch):02x}" if ord(ch) < 32 or ord(ch) == 127 else ch) for ch in code
    )


def _item(line: LineView | None, code: str | None) -> str:
    if line is not None:
        return f"{line.description} ({line.sku})"
    return code or "this item"


def _count(line: LineView | None) -> str:
    return f"{line.scanned} of {line.ordered}" if line is not None else ""


MAX_DETAIL_LINES = 4  # + "… and N more" + the supervisor prompt: more would not fit a 800 px screen


def missing_lines_text(lines: tuple[LineView, ...]) -> tuple[str, ...]:
    text = tuple(
        f"{ln.sku} {ln.description}: {ln.missing} missing ({ln.scanned} of {ln.ordered})"
        for ln in lines[:MAX_DETAIL_LINES]
    )
    if len(lines) > MAX_DETAIL_LINES:
        text += (f"… and {len(lines) - MAX_DETAIL_LINES} more lines (see the list below)",)
    return text


def _progress(order: OrderView | None) -> str:
    if order is None:
        return ""
    return f"{order.units_scanned} of {order.units_ordered} units"


def _blocked(headline: str, sentence: str, *advice: str) -> VerdictStyle:
    """A red panel: what blocks the package, what to do with it, and the supervisor's prompt last."""
    return VerdictStyle(headline, sentence, Tone.BLOCKED, (*advice, SUPERVISOR_PROMPT))


def style_for(verdict: Verdict) -> VerdictStyle:
    """The one mapping from a verdict to what the packer sees and hears."""
    k = verdict.kind
    order = verdict.order
    oid = order.order_id if order else "?"
    code = printable_code(verdict.code)
    line = verdict.line
    head = kind_headline(k.value)  # the blocking kinds' headlines: the same words as on every other screen
    if k in WEIGHT_KINDS:  # the weight check's words are ui.scale_words'
        return style_for_weight(verdict)

    if k is VerdictKind.OK:
        extra = f" — case pack, +{units(verdict.units)}" if verdict.units > 1 else ""
        if verdict.state is BenchState.COMPLETE:
            return VerdictStyle(
                "COMPLETE",
                f"All {_progress(order)} scanned. Scan SEAL to close the package.",
                Tone.DONE,
                sound_override="ok",
            )
        return VerdictStyle("OK", f"{_item(line, code)}: {_count(line)}{extra}", Tone.OK)
    if k is VerdictKind.WRONG_ITEM:
        return _blocked(head, f"Wrong item: {code} is not on order {oid}", "Take it out of the package.")
    if k is VerdictKind.UNKNOWN_CODE:
        return _blocked(
            head, f"Unknown barcode: {code} is not on order {oid} or any known order", "Take it out of the package."
        )
    if k is VerdictKind.OVER_SCAN:
        ordered = line.ordered if line else "?"
        return _blocked(
            head,
            f"Too many: order {oid} wants {ordered} of {_item(line, code)}; "
            f"this scan would make {verdict.would_make if verdict.would_make is not None else '?'}",
            "Take the extra item out.",
        )
    if k is VerdictKind.INVALID_CODE:
        reason = f": {verdict.detail}" if verdict.detail else ""
        if not verdict.blocking:  # no package on the bench to block: say it, ask for the order first
            return VerdictStyle(
                head,
                f"Invalid barcode {code}{reason}",
                Tone.WAIT,
                ("Nothing was counted. Scan the order barcode first.",),
            )
        return _blocked(head, f"Invalid barcode {code}{reason}", "The label may be damaged or misprinted.")
    if k is VerdictKind.EXPIRED:
        when = verdict.expiry.isoformat() if verdict.expiry else verdict.detail
        lot = f" lot {verdict.lot}" if verdict.lot else ""
        return _blocked(head, f"Expired: {_item(line, code)}{lot} expired on {when}", "Do not ship it.")
    if k is VerdictKind.RECALLED:
        lot = f" lot {verdict.lot}" if verdict.lot else ""
        serial = f" serial {verdict.serial}" if verdict.serial else ""
        return _blocked(
            head,
            f"Recalled: {_item(line, code)}{lot}{serial} — {verdict.detail}",
            "Do not ship it: put it in quarantine.",
        )
    if k is VerdictKind.DUPLICATE_SERIAL:
        return _blocked(
            head,
            f"Serial {verdict.serial or verdict.detail} of {_item(line, code)} was already scanned on order {oid}",
            "The same unit was scanned twice, or the label is copied.",
        )
    if k is VerdictKind.SERIAL_SHIPPED:
        return _blocked(
            head,
            f"Serial {verdict.serial or '?'} of {_item(line, code)} was "
            f"already packed in sealed order {verdict.named_order}",
            "Do not ship it: take it out and put it aside (a copied label, or a return never booked back in).",
        )
    if k in (VerdictKind.LOT_REQUIRED, VerdictKind.SERIAL_REQUIRED):
        return _label_required(verdict, _item(line, code))
    if k is VerdictKind.SHORT:
        missing = verdict.missing or (order.missing_lines() if order else ())
        total = sum(ln.missing for ln in missing)
        return _blocked(head, f"Cannot seal order {oid}: {units(total)} still missing", *missing_lines_text(missing))
    if k is VerdictKind.STILL_BLOCKED:
        what = "Seal refused" if code == Command.SEAL.barcode else "Not counted"
        return _blocked("STILL BLOCKED", f"{what}: order {oid} is blocked until a supervisor clears it")
    if k is VerdictKind.ORDER_LOADED:
        if verdict.state is BenchState.BLOCKED:
            return _blocked("BLOCKED", f"Order {oid} is blocked by an open incident")
        if verdict.state is BenchState.COMPLETE:
            return VerdictStyle(
                "COMPLETE", f"Order {oid}: all {_progress(order)} scanned. Scan SEAL.", Tone.DONE, sound_override="info"
            )
        return VerdictStyle("ORDER LOADED", f"Order {oid}: scan the items ({_progress(order)} so far)", Tone.INFO)
    if k is VerdictKind.SEALED:
        short = " (short-shipped by supervisor)" if verdict.short_shipped else ""
        return VerdictStyle(
            "SEALED", f"Order {oid} sealed{short}. Scan the next order.", Tone.DONE, sealed_note(verdict)
        )
    if k is VerdictKind.UNDONE:
        return VerdictStyle(
            "UNDONE", f"Taken back: {units(verdict.units)} of {_item(line, code)} (now {_count(line)})", Tone.INFO
        )
    if k is VerdictKind.CANCELLED:
        return VerdictStyle(
            "CANCELLED",
            f"Order {verdict.named_order} cancelled and its counts reset. Unpack it, then scan the next order.",
            Tone.INFO,
        )
    if k is VerdictKind.CLEARED:
        if verdict.state is BenchState.BLOCKED:
            return _blocked("STILL BLOCKED", f"One incident cleared; order {oid} has more open incidents")
        if verdict.state is BenchState.SEALED:
            return VerdictStyle("SEALED", f"Cleared by supervisor: order {oid} sealed. Scan the next order.", Tone.DONE)
        if verdict.state is BenchState.NO_ORDER:
            return VerdictStyle(
                "CLEARED", "Cleared by supervisor: the order was pulled. Scan the next order.", Tone.INFO
            )
        return VerdictStyle("CLEARED", f"Cleared by supervisor: continue packing order {oid}", Tone.INFO)
    if k is VerdictKind.ESCALATED:
        return VerdictStyle(
            "ESCALATED", "Handed to the central team: take the package off the bench. Scan the next order.", Tone.INFO
        )
    if k is VerdictKind.NO_ORDER:
        if code.startswith(COMMAND_PREFIX):
            return VerdictStyle(
                "NO ORDER",
                f"{code[len(COMMAND_PREFIX) :].title()} needs an order on the bench: scan an order first",
                Tone.WAIT,
            )
        return VerdictStyle("SCAN ORDER FIRST", f"{code} is an item: scan the order barcode first", Tone.WAIT)
    if k is VerdictKind.ORDER_NOT_FOUND:
        why = f" ({verdict.detail})" if verdict.detail else ""
        return VerdictStyle("NOT AN ORDER", f"No order or item {code}{why}: check the label", Tone.WAIT)
    if k is VerdictKind.ORDER_IN_PROGRESS:
        return VerdictStyle(
            "FINISH THIS ORDER",
            f"Order {verdict.named_order} not loaded: finish or cancel order {oid} first",
            Tone.WAIT,
        )
    if k is VerdictKind.ORDER_CLOSED:
        return VerdictStyle("ALREADY SEALED", f"Order {verdict.named_order} is already sealed", Tone.WAIT)
    if k is VerdictKind.NOTHING_TO_UNDO:
        return VerdictStyle("NOTHING TO UNDO", "Nothing counted yet on this order", Tone.WAIT)
    if k is VerdictKind.REPRINTED:
        return reprint_style(verdict)
    if k is VerdictKind.UNKNOWN_COMMAND:
        return VerdictStyle(
            "UNKNOWN COMMAND", f"{code} is not a command this station knows (SEAL, UNDO, CANCEL, REPRINT)", Tone.WAIT
        )
    logger.warning("no style for verdict kind %s", k)  # a new kind the UI was not taught yet
    return VerdictStyle(k.value.replace("_", " ").upper(), code, Tone.WAIT)


_LABEL_DATA = {"serial": "serial number", "lot": "lot number", "expiry": "expiry date"}


def _label_required(verdict: Verdict, item: str) -> VerdictStyle:
    """The right item scanned from the wrong label (its plain barcode): nothing counted, nothing blocked."""
    missing = list(verdict.label_missing)
    if "unit" in missing:
        return VerdictStyle(
            "ONE UNIT AT A TIME",
            f"{item}: scan each unit on its own, by its serial label",
            Tone.WAIT,
            ("Not counted: every unit of this item needs its own serial scan.",),
        )
    wanted = [_LABEL_DATA[part] for part in missing if part in _LABEL_DATA] or ["lot number"]
    words = wanted[0] if len(wanted) == 1 else ", ".join(wanted[:-1]) + " and " + wanted[-1]
    headline = "SCAN THE SERIAL LABEL" if verdict.kind is VerdictKind.SERIAL_REQUIRED else "SCAN THE LOT LABEL"
    return VerdictStyle(
        headline,
        f"{item}: scan the label that shows its {words}",
        Tone.WAIT,
        ("Not counted. That was its plain barcode; this item is checked by its GS1 label (DataMatrix or GS1-128).",),
    )


def style_for_state(state: BenchState, order: OrderView | None) -> VerdictStyle:
    """What the panel shows when no scan has happened yet (start-up, after a reload or a clearance)."""
    oid = order.order_id if order else ""
    if state is BenchState.BLOCKED:
        return _blocked("BLOCKED", f"Order {oid} is blocked by an open incident")
    if state is BenchState.COMPLETE:
        return VerdictStyle("COMPLETE", f"Order {oid}: all {_progress(order)} scanned. Scan SEAL.", Tone.DONE)
    if state in (BenchState.ORDER_LOADED, BenchState.SCANNING):
        return VerdictStyle("SCAN ITEMS", f"Order {oid}: {_progress(order)} scanned", Tone.IDLE)
    if state is BenchState.SEALED:
        return VerdictStyle("SEALED", f"Order {oid} sealed. Scan the next order.", Tone.DONE)
    return VerdictStyle("SCAN ORDER", "Scan the order barcode to start packing", Tone.IDLE)


#: Why the station stopped (station.file_guard.FileProblem value -> what happened, in words).
FILE_PROBLEMS = {
    "db_deleted": "the database file was deleted while PackGate was running",
    "db_replaced": "the database file was replaced while PackGate was running",
    "wal_deleted": "the database's journal (-wal) file was deleted while PackGate was running",
    "wal_replaced": "the database's journal (-wal) file was replaced while PackGate was running",
}


def style_for_storage_error(error: str | BaseException) -> VerdictStyle:
    """The disk refused the write: the scan was NOT counted and the packer must know at once. When the
    database file itself was deleted or replaced, the bench has stopped: every scan is refused until
    PackGate is restarted, and the words say so."""
    problem = getattr(error, "problem", None)
    if problem is not None:
        what = FILE_PROBLEMS.get(
            getattr(problem, "value", str(problem)),
            "the database file was deleted or replaced while PackGate was running",
        )
        rescued = getattr(error, "rescued", None)
        hints = ["The bench has stopped: nothing is saved until PackGate is restarted. Call a supervisor."]
        if rescued is not None:
            hints.append(f"What was saved before is kept in {rescued}.")
        return VerdictStyle(
            "NOT SAVED", f"Not saved: {what}. This scan and any further scan are not kept.", Tone.BLOCKED, tuple(hints)
        )
    return VerdictStyle(
        "NOT SAVED",
        f"Not saved: {storage_words(error) if isinstance(error, StorageError) else error}",
        Tone.BLOCKED,
        ("Scan the item again. If this repeats, call a supervisor.",),
    )


def style_for_rejected(source: str, reason: str) -> VerdictStyle:
    """Input a scan source could not use (garbage bytes, control characters): nothing was recorded."""
    return VerdictStyle("SCAN AGAIN", f"Unreadable scan from {source}: {reason}", Tone.WAIT)


def style_for_badge_prompt() -> VerdictStyle:
    return VerdictStyle("WHO IS PACKING?", "Scan your badge or pick your name to start the shift", Tone.IDLE)


def style_for_packer(name: str) -> VerdictStyle:
    return VerdictStyle("HELLO", f"{name} is packing. Scan the order barcode to start.", Tone.INFO)


def style_for_unknown_badge(code: str) -> VerdictStyle:
    return VerdictStyle(
        "UNKNOWN BADGE",
        f"Badge {code} is not registered on this station",
        Tone.WAIT,
        ("Scan your own badge or pick your name.",),
    )


def style_for_message(headline: str, sentence: str, tone: Tone = Tone.WAIT) -> VerdictStyle:
    """For UI situations without a verdict (e.g. clearing not available on this station)."""
    return VerdictStyle(headline, sentence, tone)
