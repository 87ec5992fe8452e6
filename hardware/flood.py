"""Telling a flooding scanner from a busy packer, and keeping a flood out of the screen and the log.

A scanner with a wrong setting, a stuck trigger in continuous mode, or a serial line echoing itself can send
thousands of lines a second. Before this, each line was one queued event for the GUI thread: 100 000 lines
in a minute grew memory by 50 MB, kept the station judging stale lines for two minutes after the flood
stopped, and a SIGTERM waited behind them for 20 s.

* `FloodGuard` — pure, clock passed in: per source, more than `max_lines` within `window_s` seconds is a
  flood (no person scans 25 codes a second). Every line of a flooding source is dropped, and counted, until
  the source has been quiet for `quiet_s`. Memory per source is `max_lines` timestamps.
* `LogThrottle` — at most `per_window` log lines per `window_s`; says how many it held back.

`hardware.qt.ScannerBridge` applies the guard on the device's thread, before anything is queued for the GUI.
"""

from __future__ import annotations

import enum
from collections import deque
from dataclasses import dataclass

DEFAULT_MAX_LINES = 25
DEFAULT_WINDOW_S = 1.0
DEFAULT_QUIET_S = 1.0


class Admission(enum.Enum):
    PASS = "pass"  # deliver the line
    DROP = "drop"  # the source is flooding: drop it (counted)
    FLOOD_STARTED = "flood_started"  # this line made it a flood: dropped, and the flood begins now


@dataclass(frozen=True)
class FloodEnded:
    source: str
    dropped: int
    started_at: float
    ended_at: float  # the last line seen

    @property
    def duration_s(self) -> float:
        return self.ended_at - self.started_at


@dataclass
class _Source:
    recent: deque[float]
    flooding: bool = False
    dropped: int = 0
    started_at: float = 0.0
    last_at: float = 0.0
    floods: int = 0


class FloodGuard:
    """Per-source rate gate. Not thread-safe by itself: its owner holds a lock around every call."""

    def __init__(
        self, max_lines: int = DEFAULT_MAX_LINES, window_s: float = DEFAULT_WINDOW_S, quiet_s: float = DEFAULT_QUIET_S
    ) -> None:
        if max_lines < 1 or window_s <= 0 or quiet_s <= 0:
            raise ValueError("need max_lines >= 1, window_s > 0 and quiet_s > 0")
        self.max_lines = max_lines
        self.window_s = window_s
        self.quiet_s = quiet_s
        self._sources: dict[str, _Source] = {}
        self._ended: list[FloodEnded] = []  # ended floods not yet reported by poll()

    def _source(self, source: str) -> _Source:
        state = self._sources.get(source)
        if state is None:
            state = self._sources[source] = _Source(deque(maxlen=self.max_lines))
        return state

    def offer(self, source: str, now: float) -> Admission:
        """One line from `source` at `now` (seconds, any monotonic clock): deliver it or drop it?"""
        state = self._source(source)
        if state.flooding:
            if now - state.last_at < self.quiet_s:
                state.dropped += 1
                state.last_at = now
                return Admission.DROP
            # quiet long enough, but nobody polled in between: that flood is over, this line is new
            self._end(source, state)
        state.recent.append(now)
        state.last_at = now
        if len(state.recent) == self.max_lines and now - state.recent[0] < self.window_s:
            return self._start(state, now)
        return Admission.PASS

    def overflow(self, source: str, now: float) -> Admission:
        """The line could not be queued (the screen is far behind): dropped, and the source counts as
        flooding, whatever its rate."""
        state = self._source(source)
        state.last_at = now
        if state.flooding:
            state.dropped += 1
            return Admission.DROP
        return self._start(state, now)

    def _start(self, state: _Source, now: float) -> Admission:
        state.flooding = True
        state.dropped = 1
        state.started_at = now
        state.floods += 1
        state.recent.clear()
        return Admission.FLOOD_STARTED

    def add_dropped(self, source: str, count: int) -> None:
        """Lines of a flooding source that were already queued and are thrown away too."""
        self._source(source).dropped += count

    def _end(self, source: str, state: _Source) -> FloodEnded:
        ended = FloodEnded(source, state.dropped, state.started_at, state.last_at)
        state.flooding = False
        state.dropped = 0
        state.recent.clear()
        self._ended.append(ended)
        return ended

    def poll(self, now: float) -> list[FloodEnded]:
        """Floods that are over (no line for `quiet_s`), each reported once."""
        for source, state in self._sources.items():
            if state.flooding and now - state.last_at >= self.quiet_s:
                self._end(source, state)
        ended, self._ended = self._ended, []
        return ended

    def flooding(self) -> dict[str, int]:
        """Sources flooding now, with the lines dropped in their current flood."""
        return {source: s.dropped for source, s in self._sources.items() if s.flooding}


class LogThrottle:
    """At most `per_window` log lines per `window_s` seconds; `admit()` says whether to log this one and how
    many were held back since the last one logged."""

    def __init__(self, per_window: int = 10, window_s: float = 10.0) -> None:
        self.per_window = per_window
        self.window_s = window_s
        self._window_start = float("-inf")
        self._in_window = 0
        self._held = 0

    def admit(self, now: float) -> tuple[bool, int]:
        if now - self._window_start >= self.window_s:
            self._window_start = now
            self._in_window = 0
        if self._in_window >= self.per_window:
            self._held += 1
            return False, 0
        self._in_window += 1
        held, self._held = self._held, 0
        return True, held
