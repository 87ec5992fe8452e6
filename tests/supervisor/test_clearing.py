"""Clearing at the bench, driven through the real dialogs (their `ask()` replaced by a driver that fills
the real widgets and clicks the real buttons instead of blocking in exec())."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from station.model import BenchState, VerdictKind
from station.orm import UserRecord
from station.users import UserDirectory
from tests.supervisor.conftest import audit_rows, outbox_actions
from tests.supervisor.drivers import drive_clearance, drive_login
from ui.bootstrap import Station
from ui.supervisor.clearing import ClearanceDialog, request_clearance
from ui.supervisor.session import SupervisorSession

pytestmark = pytest.mark.usefixtures("ui_directory")


def test_wrong_item_blocks_packer_cannot_clear_supervisor_clears_and_package_continues(
    blocked: Station, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    svc = blocked.service
    assert svc.state is BenchState.BLOCKED
    assert svc.handle_scan("036000291278").kind is VerdictKind.STILL_BLOCKED  # nothing counts while blocked
    incident = svc.open_incidents()[0]
    messages: list[str] = []
    dialogs: list[ClearanceDialog] = []
    drive_login(monkeypatch, qtbot, [("BADGE-P1", "135791"), ("BADGE-S1", "246802")], messages)
    drive_clearance(monkeypatch, qtbot, "item_swapped", "paint set put back", dialogs)

    verdict = request_clearance(None, blocked)

    assert messages[0] == "Pat Packer is a packer: only a supervisor can clear a package."
    assert verdict is not None and verdict.kind is VerdictKind.CLEARED
    assert svc.state is BenchState.SCANNING
    # The dialog showed the supervisor what was scanned against what was expected.
    shown = dialogs[0]
    # The paint set is order T2's item: on T1's dialog it belongs to no line, and T2's item is not named.
    assert shown.facts["Scanned"].text() == "<b>5901230413194</b> &nbsp;— belongs to no line of order T1"
    assert shown.facts["Why"].text() == "Not on order T1; another order at this station lists it"
    assert shown.facts["Packer"].text() == "P1"
    assert shown.evidence.text() == "No camera frame"
    assert [shown.expected_table.item(r, 0).text() for r in range(2)] == ["OFF-2001", "OFF-2005"]
    # The package continues: the next right item counts, and it seals.
    assert svc.handle_scan("5901230412357").is_ok
    assert svc.handle_scan("036000291278").is_ok
    assert svc.seal().kind is VerdictKind.SEALED

    trail = [
        (actor, action)
        for actor, action, _ in audit_rows(blocked)
        if action in ("login", "login.failed", "clearance.refused", "logout", "incident.cleared")
    ]
    assert trail == [
        ("P1", "login"),
        ("P1", "clearance.refused"),
        ("P1", "logout"),
        ("S1", "login"),
        ("S1", "incident.cleared"),
        ("S1", "logout"),
    ]
    cleared = audit_rows(blocked, "incident.cleared")[0][2]
    assert (cleared["incident"], cleared["resolution"], cleared["reason"]) == (
        incident.id,
        "item_swapped",
        "paint set put back",
    )
    assert outbox_actions(blocked).count("clearance.refused") == 1


def test_a_packer_promoted_to_supervisor_still_cannot_clear_their_own_incident(
    blocked: Station, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    with blocked.db.session() as s:
        s.get(UserRecord, "P1").role = "supervisor"  # type: ignore[union-attr]
    messages: list[str] = []
    drive_login(monkeypatch, qtbot, [("BADGE-P1", "135791")], messages)
    assert request_clearance(None, blocked) is None
    assert messages == ["Pat Packer packed this order: another supervisor must clear it."]
    assert blocked.service.state is BenchState.BLOCKED
    assert audit_rows(blocked, "clearance.refused")[0][2]["reason"] == "four_eyes"


def test_wrong_pin_keeps_the_dialog_open_with_a_safe_message(
    blocked: Station, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    messages: list[str] = []
    drive_login(monkeypatch, qtbot, [("BADGE-S1", "000000"), ("BADGE-NOPE", "246802")], messages)
    assert request_clearance(None, blocked) is None
    assert messages[0] == messages[1] == "Not accepted: badge, name, PIN or password not accepted."
    assert blocked.service.state is BenchState.BLOCKED


@pytest.fixture
def dialog_for(blocked: Station, directory: UserDirectory, qtbot: QtBot) -> Iterator:
    def make(session: SupervisorSession | None = None) -> ClearanceDialog:
        sam = directory.authenticate_badge("BADGE-S1", "246802")
        dialog = ClearanceDialog(blocked, sam, blocked.service.open_incidents()[0], session)
        qtbot.addWidget(dialog)
        return dialog

    yield make


def test_false_alarm_needs_a_note_before_it_can_clear(blocked: Station, dialog_for, qtbot: QtBot) -> None:
    dialog = dialog_for()
    assert not dialog.clear_button.isEnabled()  # nothing chosen yet
    dialog.choose("false_alarm")
    assert not dialog.clear_button.isEnabled()
    assert dialog.error_label.text() == "Write a note saying what you found."
    qtbot.keyClicks(dialog.note_edit, "label torn, item is right")
    assert dialog.clear_button.isEnabled()
    qtbot.mouseClick(dialog.clear_button, Qt.MouseButton.LeftButton)
    assert dialog.end_reason == "cleared" and blocked.service.state is BenchState.SCANNING


def test_ship_short_records_the_missing_lines_and_seals(blocked: Station, dialog_for, qtbot: QtBot) -> None:
    dialog = dialog_for()
    dialog.choose("short_shipped")
    assert dialog.missing_label.text() == "Missing, for credit / backorder: OFF-2001 x1, OFF-2005 x1"
    qtbot.mouseClick(dialog.clear_button, Qt.MouseButton.LeftButton)
    assert dialog.verdict is not None and dialog.verdict.state is BenchState.SEALED
    reason = audit_rows(blocked, "incident.cleared")[0][2]["reason"]
    assert reason.endswith("[backorder: OFF-2001 x1, OFF-2005 x1]")
    assert audit_rows(blocked, "seal")[-1][2]["short_shipped"] is True


def test_pull_for_repick_cancels_the_pack(blocked: Station, dialog_for, qtbot: QtBot) -> None:
    dialog = dialog_for()
    dialog.choose("pulled_for_repick")
    qtbot.keyClicks(dialog.note_edit, "whole tote mixed up")
    qtbot.mouseClick(dialog.clear_button, Qt.MouseButton.LeftButton)
    assert blocked.service.state is BenchState.NO_ORDER
    assert audit_rows(blocked, "cancel")[-1][0] == "S1"


def test_escalate_needs_a_note_and_pulls_the_package(blocked: Station, dialog_for, qtbot: QtBot) -> None:
    dialog = dialog_for()
    assert not dialog.escalate_button.isEnabled()
    qtbot.keyClicks(dialog.note_edit, "customer asked for a call")
    qtbot.mouseClick(dialog.escalate_button, Qt.MouseButton.LeftButton)
    assert dialog.end_reason == "escalated"
    assert dialog.verdict is not None and dialog.verdict.kind is VerdictKind.ESCALATED
    assert audit_rows(blocked, "incident.escalated")[0][0] == "S1"


def test_idle_supervisor_is_signed_out_and_the_package_stays_blocked(
    blocked: Station,
    directory: UserDirectory,
    dialog_for,
    qtbot: QtBot,
) -> None:
    session = SupervisorSession(directory, idle_ms=50)
    sam = directory.authenticate_badge("BADGE-S1", "246802")
    session.sign_in(sam)
    dialog = dialog_for(session)
    dialog.show()
    with qtbot.waitSignal(dialog.finished, timeout=3000):
        pass
    session.close()
    assert dialog.end_reason == "idle" and dialog.verdict is None
    assert session.user is None
    assert audit_rows(blocked, "logout") == [("S1", "logout", {"reason": "idle"})]
    assert blocked.service.state is BenchState.BLOCKED  # the packer's screen is back, still blocked


def test_the_camera_frame_is_shown_when_the_scan_had_one(
    station: Station, directory: UserDirectory, qtbot: QtBot
) -> None:
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice
    from PySide6.QtGui import QColor, QImage

    image = QImage(640, 480, QImage.Format.Format_RGB32)
    image.fill(QColor("#3366cc"))
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "JPG")
    buffer.close()
    station.service.set_packer("P1")
    station.service.load_order("ORD-T1")
    verdict = station.service.handle_scan("5901230413194", evidence_jpeg=bytes(data.data()))
    incident = station.service.open_incidents()[0]
    assert incident.id == verdict.incident_id and incident.evidence_file
    dialog = ClearanceDialog(station, directory.authenticate_badge("BADGE-S1", "246802"), incident)
    qtbot.addWidget(dialog)
    shown = dialog.evidence.pixmap()
    assert not shown.isNull() and (shown.width(), shown.height()) == (320, 240)
    assert shown.toImage().pixelColor(160, 120).blue() > 150  # the frame itself, scaled, not a placeholder
