"""Who may open the device settings: a supervisor or admin signs in first (`SettingsDialog.edit` asks)."""

from __future__ import annotations

import logging
from typing import Any

logger = logging.getLogger(__name__)


def settings_directory(window: Any) -> Any:
    from ui.supervisor import session as supervisor_session

    return supervisor_session.make_directory(window.station)


def authorize_settings(window: Any) -> Any:
    """A supervisor or admin signs in before the device settings open (a packer could otherwise switch off
    the scanner check, point the camera elsewhere or mute the blocked buzz). Returns the user, False when
    nobody signed in, or None on a station with no supervisor or admin at all (then nobody could ever open
    the settings; that is logged as a warning, and `packgate users add` is the way out)."""
    from station.users import ClearanceRefused, RefusalReason, Task
    from ui.supervisor.login import SupervisorLoginDialog

    directory = settings_directory(window)
    if not any(u.can_clear for u in directory.list()):
        logger.warning("settings opened without sign-in: this station has no supervisor or admin")
        return None

    def require_supervisor(user: Any) -> None:
        if not user.can_clear:
            raise ClearanceRefused(RefusalReason.ROLE, user.display_name, user.role, Task.CHANGE_SETTINGS)

    user = SupervisorLoginDialog.ask(window, directory, None, "Settings: supervisor sign-in", require_supervisor)
    if user is None:
        return False
    directory.record_event("settings.opened", user.name)
    return user
