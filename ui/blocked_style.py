"""The words of a blocked package's red panel: told from its open incidents, and the secondary line
(`VerdictStyle.also`) for whatever comes in while it is blocked ("Also scanned: CMD:SEAL – seal refused,
package still blocked"). Like `ui.verdict_style`, no Qt: the packer window paints what this decides.
"""

from __future__ import annotations

from dataclasses import replace

from station.commands import Command, is_command_text
from station.model import IncidentView, Verdict, VerdictKind
from ui.incident_words import explain, kind_headline, kind_label, missing_total, units
from ui.verdict_style import MAX_DETAIL_LINES, SUPERVISOR_PROMPT, Tone, VerdictStyle, printable_code

STILL_BLOCKED = "package still blocked"
ALSO_CODE_CHARS = 40  # a 500-character scan must not push the red panel off the screen
ALSO_CHARS = 130  # two lines of the secondary line at 1280 px


def _elide(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _elide_keep_tail(also: str) -> str:
    """Shorten the middle of a long secondary line, never its end ("– package still blocked")."""
    if len(also) <= ALSO_CHARS or " – " not in also:
        return _elide(also, ALSO_CHARS)
    head, tail = also.rsplit(" – ", 1)
    return f"{_elide(head, max(ALSO_CHARS - len(tail) - 3, 20))} – {tail}"


def _also_code(code: str | None) -> str:
    return _elide(printable_code(code), ALSO_CODE_CHARS) or "an empty code"


def incident_line(incident: IncidentView) -> str:
    """One open incident for the packer's list: 'Serial scanned twice: 01…<GS>21S1 — serial S1 was already
    packed in this order'."""
    code = printable_code(incident.code)
    why = explain(incident.kind, incident.detail, incident.order_id, incident.missing)
    if incident.kind == "short":
        return f"Short at seal: {why}"
    return f"{kind_label(incident.kind)}: {code} — {why}" if code else f"{kind_label(incident.kind)}: {why}"


def style_for_blocked(order_id: str | None, incidents: tuple[IncidentView, ...]) -> VerdictStyle:
    """The red panel of a blocked package told from its open incidents (after a restart, or once the
    incident whose verdict was on screen has been cleared and another is still open)."""
    oid = order_id or (incidents[0].order_id if incidents else "?")
    if not incidents:  # blocked on disk, incidents not readable right now: still red, still blocked
        return VerdictStyle(
            "BLOCKED",
            f"Order {oid} is blocked by an open incident",
            Tone.BLOCKED,
            (SUPERVISOR_PROMPT,),
            holds_block=True,
        )
    first = incidents[0]
    details: tuple[str, ...] = ()
    if first.kind == "short" and first.missing:
        sentence = f"Cannot seal order {oid}: {units(missing_total(first.missing))} still missing"
        details = tuple(
            f"{m.get('sku', '?')} {m.get('description', '')}: {m.get('missing', '?')} missing"
            for m in first.missing[:MAX_DETAIL_LINES]
        )
        if len(first.missing) > MAX_DETAIL_LINES:
            details += (f"… and {len(first.missing) - MAX_DETAIL_LINES} more lines (see the list below)",)
    elif first.kind == "short":
        sentence = f"Cannot seal order {oid}: {explain(first.kind, first.detail, first.order_id, first.missing)}"
    else:
        sentence = incident_line(first)
    if len(incidents) > 1:
        details += (f"… and {len(incidents) - 1} more open incident{'s' if len(incidents) > 2 else ''} (see the list)",)
    return VerdictStyle(
        kind_headline(first.kind), sentence, Tone.BLOCKED, details + (SUPERVISOR_PROMPT,), holds_block=True
    )


def with_also(block: VerdictStyle, also: str, silent: bool = False) -> VerdictStyle:
    """The red panel `block` (same headline, same sentence) with `also` as its secondary line: what came
    in while blocked. A long list of details is shortened to make room for the line on an 800 px screen."""
    details = block.details
    if also and len(details) > 3:
        details = details[:1] + ("… and more (see the list below)", details[-1])
    return replace(block, details=details, also=_elide_keep_tail(also), holds_block=True, silent=silent)


def also_scanned(verdict: Verdict) -> str:
    """A scan or command the blocked bench recorded but did not act on."""
    code = _also_code(verdict.code)
    if verdict.kind is VerdictKind.UNKNOWN_COMMAND:
        return f"Also scanned: {code} – not a command this station knows, {STILL_BLOCKED}"
    if code.upper() == Command.SEAL.barcode:
        return f"Also scanned: {code} – seal refused, {STILL_BLOCKED}"
    if is_command_text(code):
        return f"Also scanned: {code} – not done, {STILL_BLOCKED}"
    return f"Also scanned: {code} – not counted, {STILL_BLOCKED}"


def also_rejected(source: str, reason: str) -> str:
    """Input a scan source could not use (empty Enter, control characters), while blocked."""
    if reason == "empty code":
        return f"Also scanned: nothing (an empty code) – {STILL_BLOCKED}"
    return f"Also scanned: unreadable input from {source} ({reason}) – {STILL_BLOCKED}"


def also_not_saved(code: str, message: str) -> str:
    return f"Also scanned: {_also_code(code)} – NOT SAVED ({_elide(message, 50)}), {STILL_BLOCKED}"


def also_message(style: VerdictStyle) -> str:
    """Anything else that wanted the panel while blocked (a scanner problem, a refused clearance...)."""
    return f"{style.headline.capitalize()}: {style.sentence} – {STILL_BLOCKED}"


def also_packer(name: str) -> str:
    return f"{name} is packing – {STILL_BLOCKED}: a supervisor must clear it first"


def also_cleared_one(still_open: int) -> str:
    more = f"{still_open} more incident{'s' if still_open != 1 else ''}"
    return f"One incident cleared by a supervisor – {more} to clear, {STILL_BLOCKED}"


WHO_IS_PACKING_BLOCKED = f"Who is packing? Scan your badge – {STILL_BLOCKED}"
