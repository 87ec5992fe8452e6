"""What the packer sees for the tracking verdicts: asked for the right label (amber, nothing blocked), or
stopped for a serial that already shipped (red)."""

from __future__ import annotations

from station.model import BenchState, LineView, Verdict, VerdictKind
from ui.verdict_style import SUPERVISOR_PROMPT, Tone, style_for

PILLS = LineView(1, "P-1", "Vitamin tablets", 2, 0)


def test_a_plain_barcode_of_a_lot_tracked_item_asks_for_the_lot_label_without_blocking() -> None:
    style = style_for(
        Verdict(
            VerdictKind.LOT_REQUIRED,
            BenchState.ORDER_LOADED,
            line=PILLS,
            code="05901230412708",
            label_missing=("lot", "expiry"),
        )
    )
    assert style.headline == "SCAN THE LOT LABEL"
    assert style.sentence == "Vitamin tablets (P-1): scan the label that shows its lot number and expiry date"
    assert style.tone is Tone.WAIT and style.icon == "warning" and style.sound == "warning"
    assert style.details[0].startswith("Not counted") and SUPERVISOR_PROMPT not in style.details


def test_serial_labels_and_one_unit_at_a_time() -> None:
    plain = style_for(Verdict(VerdictKind.SERIAL_REQUIRED, BenchState.SCANNING, line=PILLS, label_missing=("serial",)))
    assert plain.headline == "SCAN THE SERIAL LABEL" and "serial number" in plain.sentence
    case = style_for(Verdict(VerdictKind.SERIAL_REQUIRED, BenchState.SCANNING, line=PILLS, label_missing=("unit",)))
    assert case.headline == "ONE UNIT AT A TIME" and case.tone is Tone.WAIT


def test_a_serial_already_shipped_is_red_and_names_the_sealed_order() -> None:
    verdict = Verdict(
        VerdictKind.SERIAL_SHIPPED, BenchState.BLOCKED, line=PILLS, serial="SN9", named_order="30002", incident_id="i-1"
    )
    style = style_for(verdict)
    assert verdict.blocking and style.tone is Tone.BLOCKED and style.icon == "cross" and style.sound == "blocked"
    assert style.sentence == "Serial SN9 of Vitamin tablets (P-1) was already packed in sealed order 30002"
    assert SUPERVISOR_PROMPT in style.details
