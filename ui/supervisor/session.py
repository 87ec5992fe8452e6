"""A signed-in supervisor, signed out again automatically after a short idle time.

The station is a shared bench: a supervisor who walks away must not leave the packer's screen holding
supervisor rights. `SupervisorSession` watches key presses, clicks and scans application-wide (an event
filter on the QApplication) and emits `expired` when nobody touched anything for `idle_ms`; the owner
closes its dialog and the packer session resumes. Logins and logouts are audited by `UserDirectory`.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtWidgets import QApplication

from station.shift import DEFAULT_SHIFT_STARTS
from station.users import User, UserDirectory, site_directory
from ui.bootstrap import Station

logger = logging.getLogger(__name__)

#: Default idle time before a supervisor is signed out (settings key `supervisor_idle_seconds`).
DEFAULT_IDLE_SECONDS = 90

_ACTIVITY = {QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress, QEvent.Type.Wheel, QEvent.Type.TouchBegin}


def make_directory(station: Station) -> UserDirectory:
    """The user directory for `station` (one seam: tests replace it to use cheap argon2 parameters), with
    the site's minimum PIN length from the settings file."""
    return site_directory(station.db, station.clock, station.station_id, station.settings)


def idle_seconds(station: Station) -> float:
    value = station.settings.get("supervisor_idle_seconds", DEFAULT_IDLE_SECONDS)
    try:
        return max(float(value), 5.0)
    except (TypeError, ValueError):
        logger.warning("supervisor_idle_seconds is not a number; using the default", extra={"value": value})
        return DEFAULT_IDLE_SECONDS


def shift_starts(station: Station) -> tuple[int, ...]:
    """The site's shift start hours (settings key `shift_starts`, local hours, e.g. [6, 14, 22]); a bad
    value is logged and the default used, so a typo never keeps the shift view from opening."""
    value = station.settings.get("shift_starts", list(DEFAULT_SHIFT_STARTS))
    try:
        hours = tuple(sorted({int(h) for h in value}))
        if hours and all(0 <= h <= 23 for h in hours) and not any(isinstance(h, bool) for h in value):
            return hours
    except (TypeError, ValueError):
        pass
    logger.warning("shift_starts must be a list of hours 0..23; using the default", extra={"value": value})
    return DEFAULT_SHIFT_STARTS


class SupervisorSession(QObject):
    """Signals: `signed_in(User)`; `signed_out(str reason)` with reason `idle`, `done` or `cancelled`."""

    signed_in = Signal(object)
    signed_out = Signal(str)

    def __init__(self, directory: UserDirectory, idle_ms: int, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.directory = directory
        self.user: User | None = None
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(idle_ms)
        self._timer.timeout.connect(self._on_timer_timeout)
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)

    @property
    def idle_ms(self) -> int:
        return self._timer.interval()

    def sign_in(self, user: User) -> None:
        self.user = user
        self._timer.start()
        self.signed_in.emit(user)

    def sign_out(self, reason: str = "done") -> None:
        """End the session (audited once); harmless when nobody is signed in."""
        user, self.user = self.user, None
        self._timer.stop()
        if user is None:
            return
        self.directory.record_logout(user, reason)
        logger.info("supervisor signed out", extra={"user": user.name, "reason": reason})
        self.signed_out.emit(reason)

    def close(self) -> None:
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)
        self.sign_out("done")

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if self.user is not None and event.type() in _ACTIVITY:
            self._timer.start()  # restart: activity keeps the supervisor signed in
        return False

    def _on_timer_timeout(self) -> None:
        self.sign_out("idle")
