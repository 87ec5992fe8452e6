"""The supervisor screens opened from the packer screen's menus (`ToolWindows`): the flagged queue, the
shift view (after a supervisor signs in) and the users; one window per kind, kept (a second request
raises it) and closed with the packer screen. Imported lazily, so the packer screen runs without them."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import QWidget

from ui.bootstrap import Station
from ui.i18n import translate


class ToolWindows:
    """`parent` anchors the sign-in dialog; `on_incident_resolved` is called when the queue clears one."""

    def __init__(self, parent: QWidget, station: Station, on_incident_resolved: Callable[[Any], None]) -> None:
        self.parent = parent
        self.station = station
        self.on_incident_resolved = on_incident_resolved
        self.windows: dict[str, Any] = {}

    def open(self, key: str, make: Callable[[], Any]) -> Any:
        window = self.windows.get(key)
        if window is None or not window.isVisible():
            window = make()
            self.windows[key] = window
        window.show()
        window.raise_()
        window.activateWindow()
        return window

    def flagged_queue(self) -> Any:
        """The station's (or the site's) open flags; a clearance there repaints the bench at once."""

        def make() -> Any:
            from ui.supervisor.queue import FlaggedQueueWindow

            queue = FlaggedQueueWindow(self.station)
            queue.incident_resolved.connect(self.on_incident_resolved)
            return queue

        return self.open("queue", make)

    def shift_view(self) -> Any:
        """Per-packer figures are for supervisors: sign in first (badge + PIN or name + password)."""
        from station.users import ClearanceRefused, RefusalReason, Task
        from ui.supervisor.login import SupervisorLoginDialog
        from ui.supervisor.session import make_directory
        from ui.supervisor.shift_view import ShiftView

        def supervisors_only(user: Any) -> None:
            if user.role not in ("supervisor", "admin"):
                raise ClearanceRefused(RefusalReason.ROLE, user.display_name, user.role, Task.SHIFT_VIEW)

        user = SupervisorLoginDialog.ask(
            self.parent,
            make_directory(self.station),
            purpose=translate("Supervisor", "Shift view: supervisor sign-in"),
            authorize=supervisors_only,
        )
        if user is None:
            return None
        return self.open("shift", lambda: ShiftView(self.station))

    def users(self) -> Any:
        """Users of this station; changes need an admin sign-in inside the window."""
        from ui.supervisor.users_admin import UsersWindow

        return self.open("users", lambda: UsersWindow(self.station))

    def close_all(self) -> None:
        for window in self.windows.values():
            window.close()
