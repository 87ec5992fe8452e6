"""The real sign-in dialog (offscreen): a lockout message that keeps the fields usable, and the forced PIN
change of a PIN that is too short or stored without pepper."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox

from station.orm import UserRecord
from station.users import UserDirectory
from tests.supervisor.conftest import cheap_hasher
from ui.bootstrap import Station
from ui.supervisor.login import SupervisorLoginDialog


def click_sign_in(qtbot, dialog: SupervisorLoginDialog) -> None:
    qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.checking, timeout=10000)  # the check runs off the GUI thread


def test_lockout_message_grows_the_dialog_and_the_fields_keep_their_size(
    qtbot, directory: UserDirectory, tmp_path: Path
) -> None:
    dialog = SupervisorLoginDialog(directory, "BADGE-S1")
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    heights = (dialog.badge_edit.height(), dialog.pin_edit.height())
    for _ in range(5):
        dialog.pin_edit.setText("111111")
        click_sign_in(qtbot, dialog)
    label = dialog.error_label
    assert label.text().startswith("Locked after too many wrong attempts")
    qtbot.waitUntil(lambda: label.height() >= label.heightForWidth(label.width()))  # every line shown
    assert (dialog.badge_edit.height(), dialog.pin_edit.height()) == heights  # before: squashed to 7 px
    assert dialog.pin_edit.height() >= dialog.pin_edit.sizeHint().height()
    assert label.geometry().top() >= dialog.tabs.geometry().bottom()  # below the fields, not over them
    assert label.geometry().bottom() <= dialog.buttons.geometry().top()
    shot = tmp_path / "supervisor-login-locked.png"
    assert dialog.grab().save(str(shot)) and shot.stat().st_size > 0


def test_a_short_old_pin_signs_in_only_after_choosing_a_new_one_twice(
    qtbot, station: Station, directory: UserDirectory
) -> None:
    with station.db.session() as s:
        s.get(UserRecord, "S1").pin_hash = cheap_hasher().hash("2468")  # type: ignore[union-attr]
    dialog = SupervisorLoginDialog(directory, "BADGE-S1")
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.pin_edit.setText("2468")
    click_sign_in(qtbot, dialog)
    assert dialog.result() != QDialog.DialogCode.Accepted
    assert dialog.change_box.isVisible() and not dialog.tabs.isVisible()
    assert "at least 6 digits" in dialog.change_label.text()

    dialog.new_pin_edit.setText("807060")
    dialog.new_pin_again_edit.setText("807061")
    click_sign_in(qtbot, dialog)
    assert "differ" in dialog.error_label.text() and dialog.result() != QDialog.DialogCode.Accepted
    dialog.new_pin_edit.setText("1357")
    dialog.new_pin_again_edit.setText("1357")
    click_sign_in(qtbot, dialog)
    assert "6 to 12 digits" in dialog.error_label.text()

    dialog.new_pin_edit.setText("807060")
    dialog.new_pin_again_edit.setText("807060")
    click_sign_in(qtbot, dialog)
    assert dialog.result() == QDialog.DialogCode.Accepted and dialog.user is not None and dialog.user.name == "S1"
    assert directory.authenticate_badge("BADGE-S1", "807060").name == "S1"
