"""Every word the packer reads about the scale and the weight check, in one place (no Qt here).

The scale's layer (`hardware.scale_protocols`) reports typed readings and problems; the domain
(`station.weighing`) reports a typed `WeightCheck`; this module says them in words: the live line under the
order (`live_words`), the verdicts of a seal at a bench with a scale (`style_for_weight`), and the messages
of the weigh-then-seal wait (`style_for_weighing`, `style_for_not_settled`, `style_for_no_scale`).
"""

from __future__ import annotations

from dataclasses import dataclass

from hardware.scale_protocols import ScaleProblem, ScaleReading
from station.model import Verdict, VerdictKind
from station.weighing import WeightCheck, WeightOutcome
from ui.verdict_tone import Tone, VerdictStyle

SUPERVISOR_PROMPT = "Supervisor: scan your badge to clear"

WEIGHT_KINDS = frozenset({VerdictKind.WEIGHT_MISMATCH, VerdictKind.WEIGHT_NEEDED, VerdictKind.CARTON_SET})

PROBLEM_WORDS: dict[ScaleProblem, str] = {
    ScaleProblem.OVERLOAD: "Overload: the parcel is too heavy for this scale",
    ScaleProblem.UNDERLOAD: "Below zero: empty the scale and zero it",
    ScaleProblem.BUSY: "The scale is busy (taring or zeroing): wait a moment",
    ScaleProblem.COMMAND_ERROR: "The scale does not understand PackGate's request: check the protocol in Settings",
    ScaleProblem.TRANSMISSION_ERROR: "The scale heard garbled bytes: check the baud rate and the cable",
    ScaleProblem.LOGICAL_ERROR: "The scale refused the request (logical error)",
    ScaleProblem.ZERO_ERROR: "The scale cannot find zero: empty it and zero it",
    ScaleProblem.TARE_ERROR: "The scale's tare failed: clear the tare",
    ScaleProblem.NOT_TEXT: "Unreadable bytes from the scale: check the baud rate",
    ScaleProblem.OVERLONG: "An overlong line from the scale: check the protocol in Settings",
    ScaleProblem.UNKNOWN_FORMAT: "A line the scale's protocol does not have: check the protocol in Settings",
    ScaleProblem.UNKNOWN_UNIT: "The scale shows a unit PackGate does not know: set it to g, kg, lb or oz",
    ScaleProblem.BAD_NUMBER: "The scale sent a weight that is not a number",
    ScaleProblem.NO_ANSWER: "The scale is not answering: check its cable, protocol and baud rate",
}


def grams(value: float) -> str:
    """A weight as the packer reads it: whole grams from 100 g up, one decimal below."""
    if abs(value) >= 100:
        return f"{value:,.0f} g".replace(",", "\u2009")  # a thin space between thousands
    return f"{value:.1f} g"


@dataclass(frozen=True)
class LiveWords:
    """The live line: `icon` and `tone` (colour) and `text` always agree, so colour is never alone."""

    weight: str  # the big number, or a dash
    text: str
    tone: Tone
    icon: str


def reading_problem(reading: ScaleReading) -> str:
    if reading.problem is not None:
        return PROBLEM_WORDS[reading.problem]
    return "No weight from the scale"


def live_words(
    reading: ScaleReading | None, expected: float | None, tolerance: float, unweighed: int, fresh: bool
) -> LiveWords:
    """What the scale says now against what the package should weigh so far (`expected` None: no order)."""
    if reading is None or not fresh:
        return LiveWords("–", "No reading from the scale", Tone.WAIT, "⚠")
    if not reading.has_weight:
        return LiveWords("–", reading_problem(reading), Tone.WAIT, "⚠")
    assert reading.grams is not None
    weight = grams(reading.grams)
    if expected is None:
        return LiveWords(
            weight, "On the scale" if reading.stable else "Settling…", Tone.IDLE, "⏳" if not reading.stable else "•"
        )
    target = f"expected {grams(expected)} ± {grams(tolerance)}"
    if not reading.stable:
        return LiveWords(weight, f"Settling… {target}", Tone.IDLE, "⏳")
    difference = reading.grams - expected
    note = f"; {unweighed} product(s) without a known weight" if unweighed else ""
    if unweighed and difference >= -tolerance:
        return LiveWords(weight, f"At least {grams(expected)} expected{note}", Tone.INFO, "≈")
    if abs(difference) <= tolerance:
        return LiveWords(weight, f"Matches: {target}{note}", Tone.OK, "✓")
    side = "over" if difference > 0 else "under"
    # Amber, not red: nothing is blocked until SEAL weighs it (items may still be on their way into the box).
    return LiveWords(weight, f"{grams(abs(difference))} {side}: {target}{note}", Tone.WAIT, "✗")


def _check_sentence(check: WeightCheck) -> str:
    return (
        f"Expected {grams(check.expected_g)} ± {grams(check.tolerance_g)} "
        f"(carton {grams(check.tare_g)}), the scale says {grams(check.measured_g)}"
    )


def style_for_weight(verdict: Verdict) -> VerdictStyle:
    """The verdicts of the weight check (and the seal of a package with products of no known weight)."""
    oid = verdict.order.order_id if verdict.order else "?"
    check = verdict.weight
    if verdict.kind is VerdictKind.CARTON_SET:
        return VerdictStyle("CARTON", f"Carton {verdict.code}: {grams(float(verdict.detail or 0))} tare", Tone.INFO)
    if verdict.kind is VerdictKind.WEIGHT_NEEDED:
        return style_for_weighing()
    if check is None:  # a weight incident told without its facts (a verdict rebuilt from storage)
        return VerdictStyle(
            "WEIGHT MISMATCH",
            f"Order {oid}: the parcel's weight does not fit what was scanned",
            Tone.BLOCKED,
            ("Open the box and count the items against the order.", SUPERVISOR_PROMPT),
        )
    if check.outcome is WeightOutcome.UNKNOWN:
        return VerdictStyle(
            "WEIGHT UNKNOWN",
            f"Order {oid} holds products without a known weight: {', '.join(check.unweighed)}",
            Tone.BLOCKED,
            (_check_sentence(check), "This site checks every parcel's weight.", SUPERVISOR_PROMPT),
        )
    side = "too heavy" if check.outcome is WeightOutcome.OVER else "too light"
    hint = (
        "Do not seal it: something in the box was not scanned, or two items were scanned as one."
        if check.outcome is WeightOutcome.OVER
        else "Do not seal it: something scanned is not in the box, or a case pack holds fewer items."
    )
    return VerdictStyle(
        "WEIGHT MISMATCH",
        f"Order {oid} is {grams(abs(check.difference_g))} {side}",
        Tone.BLOCKED,
        (_check_sentence(check), hint, SUPERVISOR_PROMPT),
    )


def sealed_note(verdict: Verdict) -> tuple[str, ...]:
    """The visible note on a seal whose weight could only partly be checked, or what it weighed."""
    check = verdict.weight
    if check is None:
        return ()
    if check.outcome is WeightOutcome.NOTED:
        return (
            f"Note: {', '.join(check.unweighed)} without a known weight; only checked that the parcel is not "
            f"lighter than {grams(check.expected_g)} (it weighed {grams(check.measured_g)}).",
        )
    return (f"Weighed {grams(check.measured_g)} (expected {grams(check.expected_g)} ± {grams(check.tolerance_g)}).",)


def style_for_weighing() -> VerdictStyle:
    return VerdictStyle("WEIGHING", "Keep your hands off the scale: sealing on a stable weight", Tone.IDLE, silent=True)


def style_for_not_settled(seconds: float) -> VerdictStyle:
    return VerdictStyle(
        "SCALE NOT STEADY",
        f"The weight did not settle within {seconds:g} s: nothing was sealed",
        Tone.WAIT,
        ("Make sure nothing touches the scale or the parcel (a hand, a cable, a draught), then seal again.",),
    )


def style_for_no_scale(why: str) -> VerdictStyle:
    return VerdictStyle(
        "NO WEIGHT",
        f"Nothing was sealed: {why}",
        Tone.WAIT,
        ("This bench seals only on a weight. Fix the scale (see the status bar), then seal again.",),
    )
