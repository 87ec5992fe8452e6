"""Keyboard-wedge scanners: tell a scanner's key burst from a person typing, by inter-key timing.

Most USB scanners pretend to be a keyboard and "type" the code, a few milliseconds per key, ending with
Enter or Tab. A person types 80-150 ms per key (a fast typist bursts ~40 ms). So:

* `WedgeBurstDetector` — pure, clock-injected: fed characters with timestamps, it holds each key until
  either the next key arrives within `max_gap_ms` (still a possible burst) or the gap passes (a person:
  hand the held keys on, unchanged and in order). A terminator after at least `min_length` keys that
  all followed each other within `max_gap_ms` is a scan; those keys are swallowed.
* `WedgeEventFilter` — a QtCore/QtGui event filter on the whole application that applies the detector
  to real `QKeyEvent`s. Held key events are copied and later re-sent to their original receiver, so a
  person's key reaches the focused widget at most ~`max_gap_ms` late, while a scan works whichever
  widget has focus and its characters never land in a text field.

What counts as what in the filter:
  - printable text with no Ctrl/Alt/Meta (Shift, keypad and AltGr/group-switch are fine: scanners use
    Shift for capitals) -> a character; GS (Ctrl+]) continues a burst already under way (GS1 data);
  - Return/Enter/Tab with no Ctrl/Alt/Meta -> a terminator;
  - a bare modifier press (Shift, Ctrl, ...) and every key release -> carried along with the held keys,
    neither breaking nor counting towards a burst;
  - anything else (Ctrl+Z, F-keys, arrows, Backspace, auto-repeat of a held key) -> breaks a burst:
    held keys are delivered first, then the key itself passes untouched, so shortcuts keep working
    and see the text typed before them.

Known limit: timing uses the time the GUI thread *receives* each key. If the GUI thread is blocked for
longer than `max_gap_ms` while a scanner types, the queued keys arrive together and are still a burst;
but keys a person typed during such a freeze would arrive bunched too (a false scan needs `min_length`
keys and a terminator, so it is unlikely).
"""

from __future__ import annotations

import logging
import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import shiboken6
from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QGuiApplication, QKeyEvent

from hardware.scanning import ScanListener
from hardware.serial_scanner import Rejection, parse_scanner_line
from rules.scan_text import GS

logger = logging.getLogger(__name__)

SOURCE = "wedge"


@dataclass(frozen=True)
class TypedKeys:
    """Keys a person typed: deliver them to their widget, unchanged and in this order."""

    keys: tuple[Any, ...]


@dataclass(frozen=True)
class BurstScanned:
    """A scanner burst: `code` is the text; `keys` (the terminator included) are swallowed."""

    code: str
    keys: tuple[Any, ...]


Decision = TypedKeys | BurstScanned


class WedgeBurstDetector:
    """Classifies timed key input into scanner bursts and a person's typing. Pure; no Qt, no clock.

    Times are milliseconds from any monotonic clock. Each key may carry an opaque `key` payload (the Qt
    filter passes a copy of the event) which comes back, in order, inside the decisions.
    """

    def __init__(
        self,
        max_gap_ms: float = 30.0,
        min_length: int = 4,
        terminators: tuple[str, ...] = ("\r", "\n", "\t"),
        max_length: int = 4096,
    ) -> None:
        if max_gap_ms <= 0:
            raise ValueError(f"max_gap_ms must be positive, got {max_gap_ms}")
        if min_length < 1:
            raise ValueError(f"min_length must be at least 1, got {min_length}")
        if not terminators:
            raise ValueError("at least one terminator is needed to end a scan")
        self.max_gap_ms = max_gap_ms
        self.min_length = min_length
        self.terminators = tuple(terminators)
        self.max_length = max_length
        self._chars: list[str] = []
        self._keys: list[Any] = []
        self._last_ms: float | None = None

    @property
    def pending(self) -> bool:
        """True while keys are held waiting to be classified."""
        return bool(self._keys)

    @property
    def deadline_ms(self) -> float | None:
        """When held keys become a person's typing if nothing else arrives (None if none held)."""
        return None if self._last_ms is None or not self._keys else self._last_ms + self.max_gap_ms

    def _release(self, extra: tuple[Any, ...] = ()) -> list[Decision]:
        keys = tuple(self._keys) + extra
        self._chars.clear()
        self._keys.clear()
        self._last_ms = None
        return [TypedKeys(keys)] if keys else []

    def poll(self, now_ms: float) -> list[Decision]:
        """Release held keys as typing once more than `max_gap_ms` passed since the last one."""
        if self._keys and self._last_ms is not None and now_ms - self._last_ms > self.max_gap_ms:
            return self._release()
        return []

    def interrupt(self) -> list[Decision]:
        """A key that cannot be part of a scan arrived: held keys are typing, deliver them now."""
        return self._release()

    def carry(self, key: Any) -> bool:
        """Hold a neutral event (a key release, a bare Shift) in sequence if keys are held.

        Returns False when nothing is held, so the caller delivers the event at once.
        """
        if not self._keys:
            return False
        self._keys.append(key)
        return True

    def feed(self, char: str, t_ms: float, key: Any = None) -> list[Decision]:
        """One character (or terminator) typed at `t_ms`; returns what to do with held keys."""
        key = char if key is None else key
        decisions = self.poll(t_ms)
        if char in self.terminators:
            if len(self._chars) >= self.min_length:
                code = "".join(self._chars)
                keys = (*self._keys, key)
                self._chars.clear()
                self._keys.clear()
                self._last_ms = None
                decisions.append(BurstScanned(code, keys))
            else:
                decisions.extend(self._release((key,)))
            return decisions
        if len(self._chars) >= self.max_length:
            decisions.extend(self._release())  # nothing scans this long: a stuck key or a paste
        self._chars.append(char)
        self._keys.append(key)
        self._last_ms = t_ms
        return decisions


# -------------------------------------------------------------------------------- Qt application filter

_MODIFIER_KEYS = frozenset(
    {
        Qt.Key.Key_Shift,
        Qt.Key.Key_Control,
        Qt.Key.Key_Alt,
        Qt.Key.Key_AltGr,
        Qt.Key.Key_Meta,
        Qt.Key.Key_CapsLock,
        Qt.Key.Key_NumLock,
    }
)
_TERMINATOR_KEYS = {Qt.Key.Key_Return: "\r", Qt.Key.Key_Enter: "\r", Qt.Key.Key_Tab: "\t"}
_COMMAND_MODIFIERS = (
    Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier | Qt.KeyboardModifier.MetaModifier
)


def _copy_key_event(event: QKeyEvent) -> QKeyEvent:
    """An independent copy: Qt destroys the original once the filter returns."""
    return QKeyEvent(
        event.type(),
        event.key(),
        event.modifiers(),
        event.nativeScanCode(),
        event.nativeVirtualKey(),
        event.nativeModifiers(),
        event.text(),
        event.isAutoRepeat(),
        event.count(),
    )


def _default_clock_ms() -> float:
    return time.monotonic() * 1000.0


class WedgeEventFilter(QObject):
    """Application-wide event filter that turns keyboard-wedge bursts into scans (source "wedge").

    Scans and rejections go to `listener` (normally `ScannerBridge.listener`) on the GUI thread.
    `clock` returns milliseconds; tests inject one. Call `install()` once the QApplication exists and
    `uninstall()` on shutdown (held keys are delivered, not lost).
    """

    def __init__(
        self,
        listener: ScanListener,
        detector: WedgeBurstDetector | None = None,
        clock: Callable[[], float] = _default_clock_ms,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.source = SOURCE
        self._listener = listener
        self.detector = detector or WedgeBurstDetector()
        self._clock = clock
        self._replaying = False
        self._app: QCoreApplication | None = None
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._on_timer_timeout)

    def install(self, app: QCoreApplication | None = None) -> None:
        app = app or QCoreApplication.instance()
        if app is None:
            raise RuntimeError("WedgeEventFilter.install() needs a running QApplication")
        app.installEventFilter(self)
        self._app = app
        logger.info(
            "keyboard wedge listening (max gap %.0f ms, min length %d)",
            self.detector.max_gap_ms,
            self.detector.min_length,
        )

    def uninstall(self) -> None:
        self._timer.stop()
        self._apply(self.detector.interrupt())
        if self._app is not None:
            self._app.removeEventFilter(self)
            self._app = None

    # -- classification of one key event ----------------------------------------------------------

    @staticmethod
    def _classify(event: QKeyEvent, burst_under_way: bool) -> tuple[str, str]:
        """("char", c) | ("terminator", c) | ("modifier", "") | ("other", "")."""
        if event.isAutoRepeat():
            return "other", ""  # a held key: a person, never a scanner
        key = event.key()
        if key in _MODIFIER_KEYS:
            return "modifier", ""
        command = bool(event.modifiers() & _COMMAND_MODIFIERS)
        if key in _TERMINATOR_KEYS and not command:
            return "terminator", _TERMINATOR_KEYS[Qt.Key(key)]
        text = event.text()
        if text == GS and burst_under_way:
            return "char", text  # scanners type the GS1 separator as Ctrl+]
        if len(text) == 1 and text.isprintable() and not command:
            return "char", text
        return "other", ""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        etype = event.type()
        if self._replaying or etype not in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease, QEvent.Type.ShortcutOverride):
            return False
        # A key event is offered to the window, then the focus widget, then its parents; act once, on
        # the delivery to the focus object, so each key is seen exactly once.
        if watched is not QGuiApplication.focusObject():
            return False
        assert isinstance(event, QKeyEvent)
        kind, char = self._classify(event, self.detector.pending)
        if etype == QEvent.Type.ShortcutOverride:
            if kind == "other":
                # A shortcut may fire before the key press is delivered: deliver held typing first.
                self._apply(self.detector.interrupt())
                self._reschedule()
            return False
        if etype == QEvent.Type.KeyRelease or kind == "modifier":
            held = self.detector.carry((watched, _copy_key_event(event)))
            return held
        if kind == "other":
            self._apply(self.detector.interrupt())
            self._reschedule()
            return False
        decisions = self.detector.feed(char, self._clock(), (watched, _copy_key_event(event)))
        self._apply(decisions)
        self._reschedule()
        return True

    # -- acting on decisions ----------------------------------------------------------------------

    def _apply(self, decisions: list[Decision]) -> None:
        for decision in decisions:
            if isinstance(decision, TypedKeys):
                self._replay(decision.keys)
            else:
                self._report(decision.code)

    def _replay(self, keys: tuple[Any, ...]) -> None:
        self._replaying = True
        try:
            for receiver, event in keys:
                if shiboken6.isValid(receiver):
                    QCoreApplication.sendEvent(receiver, event)
                else:
                    logger.debug("dropping a typed key: its widget is gone")
        finally:
            self._replaying = False

    def _report(self, code: str) -> None:
        result = parse_scanner_line(code.encode("utf-8"), source=self.source)
        # This runs inside Qt's event delivery: a consumer's exception must not escape into it (the
        # key would be half-handled and PySide would only print the traceback), so log it here.
        try:
            if isinstance(result, Rejection):
                logger.warning("wedge: rejected burst: %s (%r)", result.reason, code[:80])
                self._listener.scan_rejected(self.source, result.reason, result.raw)
                return
            logger.debug("wedge: scan %r symbology=%s", result.code, result.symbology)
            self._listener.scan_received(result)
        except Exception:
            logger.exception("wedge: listener failed on a burst")

    def _reschedule(self) -> None:
        deadline = self.detector.deadline_ms
        if deadline is None:
            self._timer.stop()
            return
        # +1 ms: the detector releases only once the gap is strictly exceeded.
        self._timer.start(max(0, math.ceil(deadline - self._clock())) + 1)

    def _on_timer_timeout(self) -> None:
        self._apply(self.detector.poll(self._clock()))
        self._reschedule()
