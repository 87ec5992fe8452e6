"""How a verdict looks and sounds, whatever its words: the `Tone` families with their colours, icon shapes
and sounds, and `VerdictStyle`, one painted verdict (headline, sentence, details, tone, the secondary line
while blocked). `ui.verdict_style` chooses the words and re-exports these names."""

from __future__ import annotations

import enum
from dataclasses import dataclass


class Tone(enum.Enum):
    """The verdict families: each has a background, a text colour, an icon shape and a sound."""

    OK = "ok"  # counted: green, check in a circle, chirp
    DONE = "done"  # complete / sealed: green, box with check, fanfare
    BLOCKED = "blocked"  # red, stop octagon with cross, harsh buzz
    WAIT = "wait"  # amber, triangle with "!" (needs attention, nothing blocked), double beep
    IDLE = "idle"  # amber-neutral, hourglass: waiting for the next scan, no sound
    INFO = "info"  # blue, "i" in a circle, soft tick


# Background, foreground: all pairs have a contrast ratio >= 4.5 (WCAG AA for large text is 3).
TONE_COLOURS: dict[Tone, tuple[str, str]] = {
    Tone.OK: ("#1b7f3b", "#ffffff"),
    Tone.DONE: ("#0b5d2a", "#ffffff"),
    Tone.BLOCKED: ("#b3261e", "#ffffff"),
    Tone.WAIT: ("#ffb300", "#1a1a1a"),
    Tone.IDLE: ("#3a3f47", "#ffffff"),
    Tone.INFO: ("#1f5fa8", "#ffffff"),
}

TONE_ICONS: dict[Tone, str] = {
    Tone.OK: "check",
    Tone.DONE: "box",
    Tone.BLOCKED: "cross",
    Tone.WAIT: "warning",
    Tone.IDLE: "hourglass",
    Tone.INFO: "info",
}

# Sound file stem in ui/assets/sounds/ per tone (None = silent).
TONE_SOUNDS: dict[Tone, str | None] = {
    Tone.OK: "ok",
    Tone.DONE: "sealed",
    Tone.BLOCKED: "blocked",
    Tone.WAIT: "warning",
    Tone.IDLE: None,
    Tone.INFO: "info",
}


@dataclass(frozen=True)
class VerdictStyle:
    """How one verdict is shown: `headline` (one or two words, huge), `sentence` (plain language),
    optional `details` (e.g. the missing lines), and the tone's colour, icon and sound.

    While a package is blocked the red panel keeps the headline of what blocked it: `holds_block` marks
    such a panel, and `also` is the secondary line inside it saying what came in since ("Also scanned:
    CMD:SEAL – seal refused, package still blocked"). `silent` plays no sound (a prompt, not an answer)."""

    headline: str
    sentence: str
    tone: Tone
    details: tuple[str, ...] = ()
    sound_override: str | None = None
    also: str = ""
    holds_block: bool = False
    silent: bool = False

    @property
    def background(self) -> str:
        return TONE_COLOURS[self.tone][0]

    @property
    def foreground(self) -> str:
        return TONE_COLOURS[self.tone][1]

    @property
    def icon(self) -> str:
        return TONE_ICONS[self.tone]

    @property
    def sound(self) -> str | None:
        if self.silent:
            return None
        return self.sound_override or TONE_SOUNDS[self.tone]
