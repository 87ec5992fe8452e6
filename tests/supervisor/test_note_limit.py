"""A clearance note longer than central keeps (4 000 characters) is refused in the dialog with a clear
message, before anything is written; one at the limit clears. (Central would refuse a longer note, and the
station would park the event for good.)"""

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from station.limits import MAX_NOTE_LENGTH
from station.model import BenchState, VerdictKind
from station.users import UserDirectory
from tests.supervisor.conftest import audit_rows
from ui.bootstrap import Station
from ui.supervisor.clearing import ClearanceDialog


def _dialog(blocked: Station, directory: UserDirectory, qtbot: QtBot) -> ClearanceDialog:
    dialog = ClearanceDialog(blocked, directory.get("S1"), blocked.service.open_incidents()[0])
    qtbot.addWidget(dialog)
    return dialog


def test_an_overlong_note_disables_clearing_and_says_why(
    blocked: Station, directory: UserDirectory, qtbot: QtBot
) -> None:
    dialog = _dialog(blocked, directory, qtbot)
    dialog.choose("other")
    dialog.note_edit.setPlainText("pasted log " + "x" * MAX_NOTE_LENGTH)  # a paste, 4 011 characters
    assert not dialog.clear_button.isEnabled() and not dialog.escalate_button.isEnabled()
    assert dialog.error_label.text() == "The note is 4,011 characters long; at most 4,000 are kept. Shorten it."
    qtbot.mouseClick(dialog.clear_button, Qt.MouseButton.LeftButton)
    assert blocked.service.state is BenchState.BLOCKED and dialog.verdict is None
    assert audit_rows(blocked, "incident.cleared") == []
    # The note is still there to shorten: nothing the supervisor wrote was thrown away.
    assert dialog.note_edit.toPlainText().startswith("pasted log ")

    dialog.note_edit.setPlainText("n" * MAX_NOTE_LENGTH)
    assert dialog.clear_button.isEnabled() and dialog.error_label.text() == ""
    qtbot.mouseClick(dialog.clear_button, Qt.MouseButton.LeftButton)
    assert dialog.verdict is not None and dialog.verdict.kind is VerdictKind.CLEARED
    assert len(audit_rows(blocked, "incident.cleared")[0][2]["reason"]) == MAX_NOTE_LENGTH


def test_ship_short_with_a_full_note_still_fits(blocked: Station, directory: UserDirectory, qtbot: QtBot) -> None:
    """The dialog appends the missing lines to a ship-short note; a note at the limit must still clear."""
    dialog = _dialog(blocked, directory, qtbot)
    dialog.choose("short_shipped")
    dialog.note_edit.setPlainText("s" * MAX_NOTE_LENGTH)
    qtbot.mouseClick(dialog.clear_button, Qt.MouseButton.LeftButton)
    assert dialog.verdict is not None and dialog.verdict.kind is VerdictKind.CLEARED, dialog.error_label.text()
    assert len(audit_rows(blocked, "incident.cleared")[0][2]["reason"]) <= MAX_NOTE_LENGTH
