"""Drivers for the supervisor dialogs: replace a dialog's blocking `ask()` with one that builds the real
dialog, fills the real widgets and clicks the real buttons, then returns what `ask()` would."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox
from pytestqt.qtbot import QtBot

from ui.supervisor.clearing import ClearanceDialog
from ui.supervisor.login import SupervisorLoginDialog


def drive_login(
    monkeypatch: pytest.MonkeyPatch, qtbot: QtBot, attempts: list[tuple[str, str]], messages: list[str]
) -> None:
    """Replace SupervisorLoginDialog.ask: type each (badge, PIN) into the real dialog and click Sign in."""

    def ask(cls, parent, directory, badge=None, purpose="", authorize=None):
        dialog = cls(directory, badge, purpose, authorize, parent)
        qtbot.addWidget(dialog)
        for badge_text, pin in attempts:
            dialog.badge_edit.setText(badge_text)
            dialog.pin_edit.setText(pin)
            qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton)
            qtbot.waitUntil(lambda: not dialog.checking, timeout=10000)  # the check runs off the GUI thread
            messages.append(dialog.error_label.text())
            if dialog.result() == QDialog.DialogCode.Accepted:
                return dialog.user
        return None

    monkeypatch.setattr(SupervisorLoginDialog, "ask", classmethod(ask))


def drive_clearance(
    monkeypatch: pytest.MonkeyPatch, qtbot: QtBot, resolution: str, note: str, seen: list[ClearanceDialog]
) -> None:
    def ask(cls, parent, station, user, incident, session=None):
        dialog = cls(station, user, incident, session, parent)
        qtbot.addWidget(dialog)
        seen.append(dialog)
        dialog.choose(resolution)
        qtbot.keyClicks(dialog.note_edit, note)
        qtbot.mouseClick(dialog.clear_button, Qt.MouseButton.LeftButton)
        return dialog.verdict, dialog.end_reason

    monkeypatch.setattr(ClearanceDialog, "ask", classmethod(ask))
