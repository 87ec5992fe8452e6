"""From per-frame reads to scans: a code counts once it was seen in N of the last frames, and once per
presentation."""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable

from hardware.decoding.decoders import DecodedCode, unique_codes


class StableCodeFilter:
    """Turns per-frame decodes into scans.

    A code becomes a scan when it was read in ``seen_needed`` of the last ``window`` frames (a single
    frame's misread, even a check-digit-valid one, is ignored). While the item stays in view it is not
    reported again; once it has been absent for ``dedupe_s`` seconds, presenting it again counts a new
    unit. Several codes in one frame are tracked independently, so each item counts once.
    """

    def __init__(
        self,
        seen_needed: int = 2,
        window: int = 3,
        dedupe_s: float = 2.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if not 1 <= seen_needed <= window:
            raise ValueError(f"need 1 <= seen_needed <= window, got {seen_needed} of {window}")
        if dedupe_s < 0:
            raise ValueError("dedupe_s must not be negative")
        self.seen_needed = seen_needed
        self.window = window
        self.dedupe_s = dedupe_s
        self._clock = clock
        self._history: deque[frozenset[str]] = deque(maxlen=window)
        self._last_seen: dict[str, float] = {}  # reported codes → when last read (still "in view")

    def feed(self, codes: list[DecodedCode]) -> list[DecodedCode]:
        """Record one frame's codes; return the codes that become scans now."""
        now = self._clock()
        texts = frozenset(c.text for c in codes)
        self._history.append(texts)
        # Forget reported codes that left the view long enough: the next sighting is a new unit.
        for text, seen_at in list(self._last_seen.items()):
            if text not in texts and now - seen_at >= self.dedupe_s:
                del self._last_seen[text]
        out = []
        for code in unique_codes(codes):
            if code.text in self._last_seen:
                self._last_seen[code.text] = now
                continue
            if sum(code.text in frame for frame in self._history) >= self.seen_needed:
                self._last_seen[code.text] = now
                out.append(code)
        return out

    def reset(self) -> None:
        """Forget everything (e.g. a new order was loaded)."""
        self._history.clear()
        self._last_seen.clear()
