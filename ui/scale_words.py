"""Every word the packer reads about the scale and the weight check, in one place (no screen needed).

The scale's layer (`hardware.scale_protocols`) reports typed readings and problems; the domain
(`station.weighing`) reports a typed `WeightCheck`; this module says them in words: the live line under the
order (`live_words`), the verdicts of a seal at a bench with a scale (`style_for_weight`), and the messages
of the weigh-then-seal wait (`style_for_weighing`, `style_for_not_settled`, `style_for_no_scale`). Context "Scale" (`ui.i18n`).
"""

from __future__ import annotations

from dataclasses import dataclass

from hardware.scale_protocols import ScaleProblem, ScaleReading
from station.model import Verdict, VerdictKind
from station.weighing import WeightCheck, WeightOutcome
from ui import plural
from ui.i18n import QT_TRANSLATE_NOOP, number, translate
from ui.verdict_messages import supervisor_prompt
from ui.verdict_tone import Tone, VerdictStyle

WEIGHT_KINDS = frozenset({VerdictKind.WEIGHT_MISMATCH, VerdictKind.WEIGHT_NEEDED, VerdictKind.CARTON_SET})

PROBLEM_WORDS: dict[ScaleProblem, str] = {
    ScaleProblem.OVERLOAD: QT_TRANSLATE_NOOP("Scale", "Overload: the parcel is too heavy for this scale"),
    ScaleProblem.UNDERLOAD: QT_TRANSLATE_NOOP("Scale", "Below zero: empty the scale and zero it"),
    ScaleProblem.BUSY: QT_TRANSLATE_NOOP("Scale", "The scale is busy (taring or zeroing): wait a moment"),
    ScaleProblem.COMMAND_ERROR: QT_TRANSLATE_NOOP(
        "Scale", "The scale does not understand PackGate's request: check the protocol in Settings"
    ),
    ScaleProblem.TRANSMISSION_ERROR: QT_TRANSLATE_NOOP(
        "Scale", "The scale heard garbled bytes: check the baud rate and the cable"
    ),
    ScaleProblem.LOGICAL_ERROR: QT_TRANSLATE_NOOP("Scale", "The scale refused the request (logical error)"),
    ScaleProblem.ZERO_ERROR: QT_TRANSLATE_NOOP("Scale", "The scale cannot find zero: empty it and zero it"),
    ScaleProblem.TARE_ERROR: QT_TRANSLATE_NOOP("Scale", "The scale's tare failed: clear the tare"),
    ScaleProblem.NOT_TEXT: QT_TRANSLATE_NOOP("Scale", "Unreadable bytes from the scale: check the baud rate"),
    ScaleProblem.OVERLONG: QT_TRANSLATE_NOOP(
        "Scale", "An overlong line from the scale: check the protocol in Settings"
    ),
    ScaleProblem.UNKNOWN_FORMAT: QT_TRANSLATE_NOOP(
        "Scale", "A line the scale's protocol does not have: check the protocol in Settings"
    ),
    ScaleProblem.UNKNOWN_UNIT: QT_TRANSLATE_NOOP(
        "Scale", "The scale shows a unit PackGate does not know: set it to g, kg, lb or oz"
    ),
    ScaleProblem.BAD_NUMBER: QT_TRANSLATE_NOOP("Scale", "The scale sent a weight that is not a number"),
    ScaleProblem.NO_ANSWER: QT_TRANSLATE_NOOP(
        "Scale", "The scale is not answering: check its cable, protocol and baud rate"
    ),
}


def grams(value: float) -> str:
    """A weight as the packer reads it: whole grams from 100 g up, one decimal below (the chosen
    language's digits and separators, `ui.i18n.number`)."""
    if abs(value) >= 100:
        return translate("Scale", "{value} g").format(value=number(value, 0))
    return translate("Scale", "{value} g").format(value=number(value, 1))


@dataclass(frozen=True)
class LiveWords:
    """The live line: `icon` and `tone` (colour) and `text` always agree, so colour is never alone."""

    weight: str  # the big number, or a dash
    text: str
    tone: Tone
    icon: str


def reading_problem(reading: ScaleReading) -> str:
    if reading.problem is not None:
        return translate("Scale", PROBLEM_WORDS[reading.problem])
    return translate("Scale", "No weight from the scale")


def live_words(
    reading: ScaleReading | None, expected: float | None, tolerance: float, unweighed: int, fresh: bool
) -> LiveWords:
    """What the scale says now against what the package should weigh so far (`expected` None: no order)."""
    if reading is None or not fresh:
        return LiveWords("–", translate("Scale", "No reading from the scale"), Tone.WAIT, "⚠")
    if not reading.has_weight:
        return LiveWords("–", reading_problem(reading), Tone.WAIT, "⚠")
    assert reading.grams is not None
    weight = grams(reading.grams)
    if expected is None:
        if reading.stable:
            return LiveWords(weight, translate("Scale", "On the scale"), Tone.IDLE, "•")
        return LiveWords(weight, translate("Scale", "Settling…"), Tone.IDLE, "⏳")
    target = translate("Scale", "expected {expected} ± {tolerance}").format(
        expected=grams(expected), tolerance=grams(tolerance)
    )
    if not reading.stable:
        return LiveWords(weight, translate("Scale", "Settling… {target}").format(target=target), Tone.IDLE, "⏳")
    difference = reading.grams - expected
    note = plural.translate("Scale", "; %n product(s) without a known weight", None, 0)(unweighed) if unweighed else ""
    if unweighed and difference >= -tolerance:
        return LiveWords(
            weight,
            translate("Scale", "At least {expected} expected{note}").format(expected=grams(expected), note=note),
            Tone.INFO,
            "≈",
        )
    if abs(difference) <= tolerance:
        return LiveWords(
            weight, translate("Scale", "Matches: {target}{note}").format(target=target, note=note), Tone.OK, "✓"
        )
    if difference > 0:
        text = translate("Scale", "{difference} over: {target}{note}")
    else:
        text = translate("Scale", "{difference} under: {target}{note}")
    # Amber, not red: nothing is blocked until SEAL weighs it (items may still be on their way into the box).
    return LiveWords(weight, text.format(difference=grams(abs(difference)), target=target, note=note), Tone.WAIT, "✗")


def _check_sentence(check: WeightCheck) -> str:
    return translate("Scale", "Expected {expected} ± {tolerance} (carton {tare}), the scale says {measured}").format(
        expected=grams(check.expected_g),
        tolerance=grams(check.tolerance_g),
        tare=grams(check.tare_g),
        measured=grams(check.measured_g),
    )


def style_for_weight(verdict: Verdict) -> VerdictStyle:
    """The verdicts of the weight check (and the seal of a package with products of no known weight)."""
    oid = verdict.order.order_id if verdict.order else "?"
    check = verdict.weight
    if verdict.kind is VerdictKind.CARTON_SET:
        return VerdictStyle(
            translate("Scale", "CARTON"),
            translate("Scale", "Carton {code}: {tare} tare").format(
                code=verdict.code, tare=grams(float(verdict.detail or 0))
            ),
            Tone.INFO,
        )
    if verdict.kind is VerdictKind.WEIGHT_NEEDED:
        return style_for_weighing()
    mismatch = translate("Incident", "WEIGHT MISMATCH")
    if check is None:  # a weight incident told without its facts (a verdict rebuilt from storage)
        return VerdictStyle(
            mismatch,
            translate("Scale", "Order {order}: the parcel's weight does not fit what was scanned").format(order=oid),
            Tone.BLOCKED,
            (translate("Scale", "Open the box and count the items against the order."), supervisor_prompt()),
        )
    if check.outcome is WeightOutcome.UNKNOWN:
        return VerdictStyle(
            translate("Scale", "WEIGHT UNKNOWN"),
            translate("Scale", "Order {order} holds products without a known weight: {skus}").format(
                order=oid, skus=", ".join(check.unweighed)
            ),
            Tone.BLOCKED,
            (
                _check_sentence(check),
                translate("Scale", "This site checks every parcel's weight."),
                supervisor_prompt(),
            ),
        )
    if check.outcome is WeightOutcome.OVER:
        sentence = translate("Scale", "Order {order} is {difference} too heavy")
        hint = translate(
            "Scale", "Do not seal it: something in the box was not scanned, or two items were scanned as one."
        )
    else:
        sentence = translate("Scale", "Order {order} is {difference} too light")
        hint = translate(
            "Scale", "Do not seal it: something scanned is not in the box, or a case pack holds fewer items."
        )
    return VerdictStyle(
        mismatch,
        sentence.format(order=oid, difference=grams(abs(check.difference_g))),
        Tone.BLOCKED,
        (_check_sentence(check), hint, supervisor_prompt()),
    )


def sealed_note(verdict: Verdict) -> tuple[str, ...]:
    """The visible note on a seal whose weight could only partly be checked, or what it weighed."""
    check = verdict.weight
    if check is None:
        return ()
    if check.outcome is WeightOutcome.NOTED:
        return (
            translate(
                "Scale",
                "Note: {skus} without a known weight; only checked that the parcel is not lighter than "
                "{expected} (it weighed {measured}).",
            ).format(
                skus=", ".join(check.unweighed), expected=grams(check.expected_g), measured=grams(check.measured_g)
            ),
        )
    return (
        translate("Scale", "Weighed {measured} (expected {expected} ± {tolerance}).").format(
            measured=grams(check.measured_g), expected=grams(check.expected_g), tolerance=grams(check.tolerance_g)
        ),
    )


def style_for_weighing() -> VerdictStyle:
    return VerdictStyle(
        translate("Scale", "WEIGHING"),
        translate("Scale", "Keep your hands off the scale: sealing on a stable weight"),
        Tone.IDLE,
        silent=True,
    )


def style_for_not_settled(seconds: float) -> VerdictStyle:
    return VerdictStyle(
        translate("Scale", "SCALE NOT STEADY"),
        translate("Scale", "The weight did not settle within {seconds} s: nothing was sealed").format(
            seconds=f"{seconds:g}"
        ),
        Tone.WAIT,
        (
            translate(
                "Scale",
                "Make sure nothing touches the scale or the parcel (a hand, a cable, a draught), then seal again.",
            ),
        ),
    )


def style_for_no_scale(why: str) -> VerdictStyle:
    return VerdictStyle(
        translate("Scale", "NO WEIGHT"),
        translate("Scale", "Nothing was sealed: {why}").format(why=why),
        Tone.WAIT,
        (
            translate(
                "Scale", "This bench seals only on a weight. Fix the scale (see the status bar), then seal again."
            ),
        ),
    )
