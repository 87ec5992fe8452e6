"""Every word, colour, icon and sound the packer sees or hears for a verdict — in one place.

The domain returns only a `Verdict` (kind, state, detail...); `style_for(verdict)` turns it into a
`VerdictStyle`: a short headline for across the room, one plain sentence, a tone (colour), an icon shape
and a sound name. Tones never rely on colour alone: each has its own icon *shape* (circle + check, stop
octagon + cross, triangle + "!", hourglass, square box) and its own headline word, so the panel reads
correctly for colour-blind packers and on a washed-out monitor.

Nothing here needs a screen: the packer window paints what this module decides, tests can check words
without one. Every word goes through `ui.i18n.translate` (context "Verdict"), translated when the verdict
is shown, so the site's language (`ui.i18n`) is the one the panel speaks. The tones (colour, icon, sound) and
the `VerdictStyle` type are `ui.verdict_tone`'s, re-exported here.
"""

from __future__ import annotations

import logging

from rules.scan_text import GS
from station.commands import Command
from station.model import BenchState, LineView, OrderView, Verdict, VerdictKind
from ui import plural
from ui.i18n import translate
from ui.incident_words import kind_headline, units
from ui.scale_words import WEIGHT_KINDS, sealed_note, style_for_weight
from ui.verdict_messages import (  # noqa: F401 - re-exported: the verdict words API is ui.verdict_style
    FILE_PROBLEMS,
    SUPERVISOR_PROMPT,
    style_for_badge_prompt,
    style_for_message,
    style_for_packer,
    style_for_rejected,
    style_for_storage_error,
    style_for_unknown_badge,
    supervisor_prompt,
)
from ui.verdict_tone import (  # noqa: F401 - re-exported: the verdict words API is ui.verdict_style
    TONE_COLOURS,
    TONE_ICONS,
    TONE_SOUNDS,
    Tone,
    VerdictStyle,
)
from ui.verdict_waiting import label_required, waiting

logger = logging.getLogger(__name__)


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
    return code or translate("Verdict", "this item")


def _count(line: LineView | None) -> str:
    if line is None:
        return ""
    return translate("Verdict", "{scanned} of {ordered}").format(scanned=line.scanned, ordered=line.ordered)


MAX_DETAIL_LINES = 4  # + "… and N more" + the supervisor prompt: more would not fit a 800 px screen


def missing_lines_text(lines: tuple[LineView, ...]) -> tuple[str, ...]:
    text = tuple(
        plural.translate("Verdict", "{sku} {item}: %n missing ({scanned} of {ordered})", None, 0)(ln.missing).format(
            sku=ln.sku, item=ln.description, scanned=ln.scanned, ordered=ln.ordered
        )
        for ln in lines[:MAX_DETAIL_LINES]
    )
    if len(lines) > MAX_DETAIL_LINES:
        text += (more_lines(len(lines) - MAX_DETAIL_LINES),)
    return text


def more_lines(n: int) -> str:
    """ "… and 3 more lines (see the list below)"."""
    return plural.translate("Verdict", "… and %n more line(s) (see the list below)", None, 0)(n)


def _progress(order: OrderView | None) -> str:
    if order is None:
        return ""
    return plural.translate("Verdict", "{scanned} of %n unit(s)", None, 0)(order.units_ordered).format(
        scanned=order.units_scanned
    )


def _blocked(headline: str, sentence: str, *advice: str) -> VerdictStyle:
    """A red panel: what blocks the package, what to do with it, and the supervisor's prompt last."""
    return VerdictStyle(headline, sentence, Tone.BLOCKED, (*advice, supervisor_prompt()))


def style_for(verdict: Verdict) -> VerdictStyle:
    """The one mapping from a verdict to what the packer sees and hears."""
    k = verdict.kind
    order = verdict.order
    oid = order.order_id if order else "?"
    code = printable_code(verdict.code)
    line = verdict.line
    item = _item(line, code)
    head = kind_headline(k.value)  # the blocking kinds' headlines: the same words as on every other screen
    if k in WEIGHT_KINDS:  # the weight check's words are ui.scale_words'
        return style_for_weight(verdict)

    if k is VerdictKind.OK:
        if verdict.state is BenchState.COMPLETE:
            return VerdictStyle(
                translate("Verdict", "COMPLETE"),
                translate("Verdict", "All {progress} scanned. Scan SEAL to close the package.").format(
                    progress=_progress(order)
                ),
                Tone.DONE,
                sound_override="ok",
            )
        if verdict.units > 1:
            sentence = translate("Verdict", "{item}: {count} — case pack, +{units}").format(
                item=item, count=_count(line), units=units(verdict.units)
            )
        else:
            sentence = translate("Verdict", "{item}: {count}").format(item=item, count=_count(line))
        return VerdictStyle(translate("Verdict", "OK"), sentence, Tone.OK)
    if k is VerdictKind.WRONG_ITEM:
        return _blocked(
            head,
            translate("Verdict", "Wrong item: {code} is not on order {order}").format(code=code, order=oid),
            translate("Verdict", "Take it out of the package."),
        )
    if k is VerdictKind.UNKNOWN_CODE:
        return _blocked(
            head,
            translate("Verdict", "Unknown barcode: {code} is not on order {order} or any known order").format(
                code=code, order=oid
            ),
            translate("Verdict", "Take it out of the package."),
        )
    if k is VerdictKind.OVER_SCAN:
        return _blocked(
            head,
            translate(
                "Verdict", "Too many: order {order} wants {ordered} of {item}; this scan would make {made}"
            ).format(
                order=oid,
                ordered=line.ordered if line else "?",
                item=item,
                made=verdict.would_make if verdict.would_make is not None else "?",
            ),
            translate("Verdict", "Take the extra item out."),
        )
    if k is VerdictKind.INVALID_CODE:
        if verdict.detail:
            sentence = translate("Verdict", "Invalid barcode {code}: {reason}").format(code=code, reason=verdict.detail)
        else:
            sentence = translate("Verdict", "Invalid barcode {code}").format(code=code)
        if not verdict.blocking:  # no package on the bench to block: say it, ask for the order first
            return VerdictStyle(
                head, sentence, Tone.WAIT, (translate("Verdict", "Nothing was counted. Scan the order barcode first."),)
            )
        return _blocked(head, sentence, translate("Verdict", "The label may be damaged or misprinted."))
    if k is VerdictKind.EXPIRED:
        when = verdict.expiry.isoformat() if verdict.expiry else verdict.detail
        return _blocked(
            head,
            translate("Verdict", "Expired: {item}{lot} expired on {date}").format(
                item=item, lot=_lot(verdict.lot), date=when
            ),
            translate("Verdict", "Do not ship it."),
        )
    if k is VerdictKind.RECALLED:
        serial = translate("Verdict", " serial {serial}").format(serial=verdict.serial) if verdict.serial else ""
        return _blocked(
            head,
            translate("Verdict", "Recalled: {item}{lot}{serial} — {reason}").format(
                item=item, lot=_lot(verdict.lot), serial=serial, reason=verdict.detail
            ),
            translate("Verdict", "Do not ship it: put it in quarantine."),
        )
    if k is VerdictKind.DUPLICATE_SERIAL:
        return _blocked(
            head,
            translate("Verdict", "Serial {serial} of {item} was already scanned on order {order}").format(
                serial=verdict.serial or verdict.detail, item=item, order=oid
            ),
            translate("Verdict", "The same unit was scanned twice, or the label is copied."),
        )
    if k is VerdictKind.SERIAL_SHIPPED:
        return _blocked(
            head,
            translate("Verdict", "Serial {serial} of {item} was already packed in sealed order {other}").format(
                serial=verdict.serial or "?", item=item, other=verdict.named_order
            ),
            translate(
                "Verdict",
                "Do not ship it: take it out and put it aside (a copied label, or a return never booked back in).",
            ),
        )
    if k in (VerdictKind.LOT_REQUIRED, VerdictKind.SERIAL_REQUIRED):
        return label_required(verdict, item)
    if k is VerdictKind.SHORT:
        missing = verdict.missing or (order.missing_lines() if order else ())
        total = sum(ln.missing for ln in missing)
        return _blocked(
            head,
            plural.translate("Verdict", "Cannot seal order {order}: %n unit(s) still missing", None, 0)(total).format(
                order=oid
            ),
            *missing_lines_text(missing),
        )
    if k is VerdictKind.STILL_BLOCKED:
        if code == Command.SEAL.barcode:
            sentence = translate("Verdict", "Seal refused: order {order} is blocked until a supervisor clears it")
        else:
            sentence = translate("Verdict", "Not counted: order {order} is blocked until a supervisor clears it")
        return _blocked(translate("Verdict", "STILL BLOCKED"), sentence.format(order=oid))
    if k is VerdictKind.ORDER_LOADED:
        if verdict.state is BenchState.BLOCKED:
            return _blocked(
                translate("Verdict", "BLOCKED"),
                translate("Verdict", "Order {order} is blocked by an open incident").format(order=oid),
            )
        if verdict.state is BenchState.COMPLETE:
            return VerdictStyle(
                translate("Verdict", "COMPLETE"),
                translate("Verdict", "Order {order}: all {progress} scanned. Scan SEAL.").format(
                    order=oid, progress=_progress(order)
                ),
                Tone.DONE,
                sound_override="info",
            )
        return VerdictStyle(
            translate("Verdict", "ORDER LOADED"),
            translate("Verdict", "Order {order}: scan the items ({progress} so far)").format(
                order=oid, progress=_progress(order)
            ),
            Tone.INFO,
        )
    if k is VerdictKind.SEALED:
        if verdict.short_shipped:
            sentence = translate("Verdict", "Order {order} sealed (short-shipped by supervisor). Scan the next order.")
        else:
            sentence = translate("Verdict", "Order {order} sealed. Scan the next order.")
        return VerdictStyle(translate("Verdict", "SEALED"), sentence.format(order=oid), Tone.DONE, sealed_note(verdict))
    if k is VerdictKind.UNDONE:
        return VerdictStyle(
            translate("Verdict", "UNDONE"),
            translate("Verdict", "Taken back: {units} of {item} (now {count})").format(
                units=units(verdict.units), item=item, count=_count(line)
            ),
            Tone.INFO,
        )
    if k is VerdictKind.CANCELLED:
        return VerdictStyle(
            translate("Verdict", "CANCELLED"),
            translate(
                "Verdict", "Order {order} cancelled and its counts reset. Unpack it, then scan the next order."
            ).format(order=verdict.named_order),
            Tone.INFO,
        )
    if k is VerdictKind.CLEARED:
        return _cleared(verdict.state, oid)
    if k is VerdictKind.ESCALATED:
        return VerdictStyle(
            translate("Verdict", "ESCALATED"),
            translate("Verdict", "Handed to the central team: take the package off the bench. Scan the next order."),
            Tone.INFO,
        )
    return waiting(verdict, code, oid)


def _lot(lot: str | None) -> str:
    return translate("Verdict", " lot {lot}").format(lot=lot) if lot else ""


def _cleared(state: BenchState, oid: str) -> VerdictStyle:
    if state is BenchState.BLOCKED:
        return _blocked(
            translate("Verdict", "STILL BLOCKED"),
            translate("Verdict", "One incident cleared; order {order} has more open incidents").format(order=oid),
        )
    if state is BenchState.SEALED:
        return VerdictStyle(
            translate("Verdict", "SEALED"),
            translate("Verdict", "Cleared by supervisor: order {order} sealed. Scan the next order.").format(order=oid),
            Tone.DONE,
        )
    if state is BenchState.NO_ORDER:
        return VerdictStyle(
            translate("Verdict", "CLEARED"),
            translate("Verdict", "Cleared by supervisor: the order was pulled. Scan the next order."),
            Tone.INFO,
        )
    return VerdictStyle(
        translate("Verdict", "CLEARED"),
        translate("Verdict", "Cleared by supervisor: continue packing order {order}").format(order=oid),
        Tone.INFO,
    )


def style_for_state(state: BenchState, order: OrderView | None) -> VerdictStyle:
    """What the panel shows when no scan has happened yet (start-up, after a reload or a clearance)."""
    oid = order.order_id if order else ""
    if state is BenchState.BLOCKED:
        return _blocked(
            translate("Verdict", "BLOCKED"),
            translate("Verdict", "Order {order} is blocked by an open incident").format(order=oid),
        )
    if state is BenchState.COMPLETE:
        return VerdictStyle(
            translate("Verdict", "COMPLETE"),
            translate("Verdict", "Order {order}: all {progress} scanned. Scan SEAL.").format(
                order=oid, progress=_progress(order)
            ),
            Tone.DONE,
        )
    if state in (BenchState.ORDER_LOADED, BenchState.SCANNING):
        return VerdictStyle(
            translate("Verdict", "SCAN ITEMS"),
            translate("Verdict", "Order {order}: {progress} scanned").format(order=oid, progress=_progress(order)),
            Tone.IDLE,
        )
    if state is BenchState.SEALED:
        return VerdictStyle(
            translate("Verdict", "SEALED"),
            translate("Verdict", "Order {order} sealed. Scan the next order.").format(order=oid),
            Tone.DONE,
        )
    return VerdictStyle(
        translate("Verdict", "SCAN ORDER"), translate("Verdict", "Scan the order barcode to start packing"), Tone.IDLE
    )
