"""The words of a blocked package's red panel: told from its open incidents, and the secondary line
(`VerdictStyle.also`) for whatever comes in while it is blocked ("Also scanned: CMD:SEAL – seal refused,
package still blocked"). Like `ui.verdict_style`, no screen needed: the packer window paints what this decides (context "Blocked").
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

from station.commands import Command, is_command_text
from station.model import IncidentView, Verdict, VerdictKind
from ui import plural
from ui.i18n import QT_TRANSLATE_NOOP, translate
from ui.incident_words import explain, kind_headline, kind_label, missing_total
from ui.verdict_style import MAX_DETAIL_LINES, Tone, VerdictStyle, more_lines, printable_code, supervisor_prompt

STILL_BLOCKED = QT_TRANSLATE_NOOP("Blocked", "package still blocked")
ALSO_CODE_CHARS = 40  # a 500-character scan must not push the red panel off the screen
ALSO_CHARS = 130  # two lines of the secondary line at 1280 px


def still_blocked() -> str:
    """ "package still blocked", the end of every secondary line of a blocked panel."""
    return translate("Blocked", STILL_BLOCKED)


def _elide(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _elide_keep_tail(also: str) -> str:
    """Shorten the middle of a long secondary line, never its end ("– package still blocked")."""
    if len(also) <= ALSO_CHARS or " – " not in also:
        return _elide(also, ALSO_CHARS)
    head, tail = also.rsplit(" – ", 1)
    return f"{_elide(head, max(ALSO_CHARS - len(tail) - 3, 20))} – {tail}"


def _also_code(code: str | None) -> str:
    return _elide(printable_code(code), ALSO_CODE_CHARS) or translate("Blocked", "an empty code")


def incident_line(incident: IncidentView) -> str:
    """One open incident for the packer's list: 'Serial scanned twice: 01…<GS>21S1 — serial S1 was already
    packed in this order'."""
    code = printable_code(incident.code)
    why = explain(incident.kind, incident.detail, incident.order_id, incident.missing)
    if incident.kind == "short":
        return translate("Blocked", "Short at seal: {why}").format(why=why)
    if code:
        return translate("Blocked", "{kind}: {code} — {why}").format(kind=kind_label(incident.kind), code=code, why=why)
    return translate("Blocked", "{kind}: {why}").format(kind=kind_label(incident.kind), why=why)


def _missing_line(line: Mapping[str, object]) -> str:
    """'TOY-4003 Paint set: 2 missing' from a short incident's stored line (a count, or '?' if unreadable)."""
    sku, item, missing = line.get("sku", "?"), line.get("description", ""), line.get("missing")
    if isinstance(missing, int) and not isinstance(missing, bool):
        return plural.translate("Blocked", "{sku} {item}: %n missing", None, 0)(missing).format(sku=sku, item=item)
    return translate("Blocked", "{sku} {item}: {missing} missing").format(sku=sku, item=item, missing=missing or "?")


def style_for_blocked(order_id: str | None, incidents: tuple[IncidentView, ...]) -> VerdictStyle:
    """The red panel of a blocked package told from its open incidents (after a restart, or once the
    incident whose verdict was on screen has been cleared and another is still open)."""
    oid = order_id or (incidents[0].order_id if incidents else "?")
    if not incidents:  # blocked on disk, incidents not readable right now: still red, still blocked
        return VerdictStyle(
            translate("Verdict", "BLOCKED"),
            translate("Verdict", "Order {order} is blocked by an open incident").format(order=oid),
            Tone.BLOCKED,
            (supervisor_prompt(),),
            holds_block=True,
        )
    first = incidents[0]
    details: tuple[str, ...] = ()
    if first.kind == "short" and first.missing:
        total = missing_total(first.missing)
        sentence = plural.translate("Verdict", "Cannot seal order {order}: %n unit(s) still missing", None, 0)(
            total
        ).format(order=oid)
        details = tuple(_missing_line(m) for m in first.missing[:MAX_DETAIL_LINES])
        if len(first.missing) > MAX_DETAIL_LINES:
            details += (more_lines(len(first.missing) - MAX_DETAIL_LINES),)
    elif first.kind == "short":
        sentence = translate("Blocked", "Cannot seal order {order}: {why}").format(
            order=oid, why=explain(first.kind, first.detail, first.order_id, first.missing)
        )
    else:
        sentence = incident_line(first)
    if len(incidents) > 1:
        details += (
            plural.translate("Blocked", "… and %n more open incident(s) (see the list)", None, 0)(len(incidents) - 1),
        )
    return VerdictStyle(
        kind_headline(first.kind), sentence, Tone.BLOCKED, details + (supervisor_prompt(),), holds_block=True
    )


def with_also(block: VerdictStyle, also: str, silent: bool = False) -> VerdictStyle:
    """The red panel `block` (same headline, same sentence) with `also` as its secondary line: what came
    in while blocked. A long list of details is shortened to make room for the line on an 800 px screen."""
    details = block.details
    if also and len(details) > 3:
        details = details[:1] + (translate("Blocked", "… and more (see the list below)"), details[-1])
    return replace(block, details=details, also=_elide_keep_tail(also), holds_block=True, silent=silent)


def also_scanned(verdict: Verdict) -> str:
    """A scan or command the blocked bench recorded but did not act on."""
    code = _also_code(verdict.code)
    if verdict.kind is VerdictKind.UNKNOWN_COMMAND:
        text = translate("Blocked", "Also scanned: {code} – not a command this station knows, {blocked}")
    elif code.upper() == Command.SEAL.barcode:
        text = translate("Blocked", "Also scanned: {code} – seal refused, {blocked}")
    elif is_command_text(code):
        text = translate("Blocked", "Also scanned: {code} – not done, {blocked}")
    else:
        text = translate("Blocked", "Also scanned: {code} – not counted, {blocked}")
    return text.format(code=code, blocked=still_blocked())


def also_rejected(source: str, reason: str) -> str:
    """Input a scan source could not use (empty Enter, control characters), while blocked."""
    if reason == "empty code":
        return translate("Blocked", "Also scanned: nothing (an empty code) – {blocked}").format(blocked=still_blocked())
    return translate("Blocked", "Also scanned: unreadable input from {source} ({reason}) – {blocked}").format(
        source=source, reason=reason, blocked=still_blocked()
    )


def also_not_saved(code: str, message: str) -> str:
    return translate("Blocked", "Also scanned: {code} – NOT SAVED ({why}), {blocked}").format(
        code=_also_code(code), why=_elide(message, 50), blocked=still_blocked()
    )


def also_message(style: VerdictStyle) -> str:
    """Anything else that wanted the panel while blocked (a scanner problem, a refused clearance...)."""
    return f"{style.headline.capitalize()}: {style.sentence} – {still_blocked()}"


def also_packer(name: str) -> str:
    return translate("Blocked", "{name} is packing – {blocked}: a supervisor must clear it first").format(
        name=name, blocked=still_blocked()
    )


def also_cleared_one(still_open: int) -> str:
    return plural.translate(
        "Blocked", "One incident cleared by a supervisor – %n more incident(s) to clear, {blocked}", None, 0
    )(still_open).format(blocked=still_blocked())


def who_is_packing_blocked() -> str:
    return translate("Blocked", "Who is packing? Scan your badge – {blocked}").format(blocked=still_blocked())
