"""The amber verdicts (nothing counted, nothing blocked: the packer is told what to do instead) and the
"scan the GS1 label" ones; split from `ui.verdict_style`, which calls them. Context "Verdict"."""

from __future__ import annotations

import logging

from station.commands import COMMAND_PREFIX
from station.model import Verdict, VerdictKind
from ui.i18n import QT_TRANSLATE_NOOP, translate
from ui.printing.words import reprint_style
from ui.verdict_tone import Tone, VerdictStyle

logger = logging.getLogger(__name__)


#: What each command is called when it needs an order first (by its barcode's word).
_COMMAND_NAMES = {
    "SEAL": QT_TRANSLATE_NOOP("Verdict", "Seal"),
    "UNDO": QT_TRANSLATE_NOOP("Verdict", "Undo"),
    "CANCEL": QT_TRANSLATE_NOOP("Verdict", "Cancel"),
    "REPRINT": QT_TRANSLATE_NOOP("Verdict", "Reprint"),
}


def waiting(verdict: Verdict, code: str, oid: str) -> VerdictStyle:
    """The amber verdicts: nothing counted, nothing blocked, the packer is told what to do instead."""
    k = verdict.kind
    if k is VerdictKind.NO_ORDER:
        if code.startswith(COMMAND_PREFIX):
            word = code[len(COMMAND_PREFIX) :]
            name = translate("Verdict", _COMMAND_NAMES[word]) if word in _COMMAND_NAMES else word.title()
            return VerdictStyle(
                translate("Verdict", "NO ORDER"),
                translate("Verdict", "{command} needs an order on the bench: scan an order first").format(command=name),
                Tone.WAIT,
            )
        return VerdictStyle(
            translate("Verdict", "SCAN ORDER FIRST"),
            translate("Verdict", "{code} is an item: scan the order barcode first").format(code=code),
            Tone.WAIT,
        )
    if k is VerdictKind.ORDER_NOT_FOUND:
        if verdict.detail:
            sentence = translate("Verdict", "No order or item {code} ({why}): check the label")
        else:
            sentence = translate("Verdict", "No order or item {code}: check the label")
        return VerdictStyle(
            translate("Verdict", "NOT AN ORDER"), sentence.format(code=code, why=verdict.detail), Tone.WAIT
        )
    if k is VerdictKind.ORDER_IN_PROGRESS:
        return VerdictStyle(
            translate("Verdict", "FINISH THIS ORDER"),
            translate("Verdict", "Order {other} not loaded: finish or cancel order {order} first").format(
                other=verdict.named_order, order=oid
            ),
            Tone.WAIT,
        )
    if k is VerdictKind.ORDER_CLOSED:
        return VerdictStyle(
            translate("Verdict", "ALREADY SEALED"),
            translate("Verdict", "Order {other} is already sealed").format(other=verdict.named_order),
            Tone.WAIT,
        )
    if k is VerdictKind.NOTHING_TO_UNDO:
        return VerdictStyle(
            translate("Verdict", "NOTHING TO UNDO"),
            translate("Verdict", "Nothing counted yet on this order"),
            Tone.WAIT,
        )
    if k is VerdictKind.REPRINTED:
        return reprint_style(verdict)
    if k is VerdictKind.UNKNOWN_COMMAND:
        return VerdictStyle(
            translate("Verdict", "UNKNOWN COMMAND"),
            translate("Verdict", "{code} is not a command this station knows (SEAL, UNDO, CANCEL, REPRINT)").format(
                code=code
            ),
            Tone.WAIT,
        )
    logger.warning("no style for verdict kind %s", k)  # a new kind the UI was not taught yet
    return VerdictStyle(k.value.replace("_", " ").upper(), code, Tone.WAIT)


_LABEL_DATA = {
    "serial": QT_TRANSLATE_NOOP("Verdict", "serial number"),
    "lot": QT_TRANSLATE_NOOP("Verdict", "lot number"),
    "expiry": QT_TRANSLATE_NOOP("Verdict", "expiry date"),
}


def label_required(verdict: Verdict, item: str) -> VerdictStyle:
    """The right item scanned from the wrong label (its plain barcode): nothing counted, nothing blocked."""
    missing = list(verdict.label_missing)
    if "unit" in missing:
        return VerdictStyle(
            translate("Verdict", "ONE UNIT AT A TIME"),
            translate("Verdict", "{item}: scan each unit on its own, by its serial label").format(item=item),
            Tone.WAIT,
            (translate("Verdict", "Not counted: every unit of this item needs its own serial scan."),),
        )
    wanted = [translate("Verdict", _LABEL_DATA[part]) for part in missing if part in _LABEL_DATA] or [
        translate("Verdict", _LABEL_DATA["lot"])
    ]
    if len(wanted) == 1:
        words = wanted[0]
    else:
        words = translate("Verdict", "{first} and {last}").format(first=", ".join(wanted[:-1]), last=wanted[-1])
    if verdict.kind is VerdictKind.SERIAL_REQUIRED:
        headline = translate("Verdict", "SCAN THE SERIAL LABEL")
    else:
        headline = translate("Verdict", "SCAN THE LOT LABEL")
    return VerdictStyle(
        headline,
        translate("Verdict", "{item}: scan the label that shows its {what}").format(item=item, what=words),
        Tone.WAIT,
        (
            translate(
                "Verdict",
                "Not counted. That was its plain barcode; this item is checked by its GS1 label "
                "(DataMatrix or GS1-128).",
            ),
        ),
    )
