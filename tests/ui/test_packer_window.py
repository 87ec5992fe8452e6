"""The packer screen driven like a packer would: codes in through the manual scanner (the same queued
bridge path as a device), verdicts read off the real window (offscreen)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from station.model import BenchState
from station.service import StorageError, StorageReason
from tests.ui.conftest import scan
from ui.verdict_style import TONE_COLOURS, Tone

TOY_4003 = "5901230413194"  # order 10030: TOY-4003 x3 (a one-line order)
NOTEBOOK = "5901230412357"  # OFF-2001: on 10023/10024, not on 10030
SERIAL_ITEM = "]d2010590123041270821SN000123457\x1d1745063010VD2611A"  # HLT-3001 (order 10028)


def panel(window):
    p = window.verdict_panel
    return p.headline.text(), p.sentence.text(), p.details.text()


def test_complete_pack_from_the_scanner_alone(qtbot, window):
    style = scan(qtbot, window, "ORD-10030")
    assert style.headline == "ORDER LOADED"
    assert window.order_label.text() == "Order 10030"
    assert "Carrier:" in window.carrier_label.text()
    assert window.lines_table.counts() == [("TOY-4003", 0, 3)]
    for n in (1, 2):
        style = scan(qtbot, window, TOY_4003)
        assert style.headline == "OK"
        assert f"{n} of 3" in window.verdict_panel.sentence.text()
        assert window.sound.last_played == "ok"
    style = scan(qtbot, window, TOY_4003)
    assert style.headline == "COMPLETE"
    assert window.progress_label.text() == "3 / 3 units" and window.progress.value() == 3
    assert window.lines_table.counts() == [("TOY-4003", 3, 3)]
    style = scan(qtbot, window, "CMD:SEAL")
    assert style.headline == "SEALED"
    assert window.sound.last_played == "sealed"
    assert window.service.state is BenchState.SEALED
    assert "Order 10030 sealed" in window.verdict_panel.sentence.text()


BLOCKING_CASES = [
    # (order, codes before, the bad code, headline, words in the sentence)
    ("ORD-10030", [], NOTEBOOK, "WRONG ITEM", f"Wrong item: {NOTEBOOK} is not on order 10030"),
    ("ORD-10030", [], "4006381333931", "UNKNOWN ITEM", "4006381333931"),
    ("ORD-10030", [], "5901230412709", "INVALID CODE", "Invalid barcode 5901230412709"),
    ("ORD-10030", [TOY_4003] * 3, TOY_4003, "TOO MANY", "wants 3"),
    ("ORD-10028", [], "]d201000360002913601723060010HS2206", "EXPIRED", "expired on 2023-06-30"),
    ("ORD-10026", [], "]d201059012304129821746113010IF25031", "RECALLED", "IF25031"),
    ("ORD-10028", [SERIAL_ITEM], SERIAL_ITEM, "SAME SERIAL TWICE", "SN000123457"),
]


@pytest.mark.parametrize("order,before,bad,headline,words", BLOCKING_CASES, ids=[c[3] for c in BLOCKING_CASES])
def test_each_blocking_verdict_is_red_loud_and_explained(qtbot, window, order, before, bad, headline, words):
    scan(qtbot, window, order)
    for code in before:
        assert scan(qtbot, window, code).headline in ("OK", "COMPLETE")
    style = scan(qtbot, window, bad)
    assert style.headline == headline
    assert words in window.verdict_panel.sentence.text()
    assert style.tone is Tone.BLOCKED and style.icon == "cross"
    assert TONE_COLOURS[Tone.BLOCKED][0] in window.verdict_panel.styleSheet()
    assert window.sound.last_played == "blocked"
    assert "Supervisor: scan your badge to clear" in window.verdict_panel.details.text()
    assert window.incidents_box.isVisible()
    assert window.incidents_list.count() == 1
    assert window.service.state is BenchState.BLOCKED


def test_seal_refused_when_short_lists_what_is_missing(qtbot, window):
    scan(qtbot, window, "ORD-10030")
    scan(qtbot, window, TOY_4003)
    style = scan(qtbot, window, "CMD:SEAL")
    assert style.headline == "SHORT"
    assert "2 units still missing" in window.verdict_panel.sentence.text()
    assert "TOY-4003 Watercolour paint set, 24 colours: 2 missing (1 of 3)" in window.verdict_panel.details.text()
    assert window.service.state is BenchState.BLOCKED


def test_blocked_cannot_be_dismissed_by_the_packer(qtbot, window):
    scan(qtbot, window, "ORD-10030")
    scan(qtbot, window, NOTEBOOK)
    for code in ("CMD:SEAL", "CMD:UNDO", "CMD:CANCEL", TOY_4003):
        style = scan(qtbot, window, code)
        assert style.headline == "WRONG ITEM"  # what blocked it stays the headline
        assert style.tone is Tone.BLOCKED
        assert style.also.startswith(f"Also scanned: {code}")
    # Keyboard and buttons: nothing dismisses it either.
    qtbot.keyClick(window, Qt.Key.Key_Escape)
    assert not window.seal_button.isEnabled() and not window.undo_button.isEnabled()
    assert not window.cancel_button.isEnabled()
    assert "border: 10px solid" in window.centralWidget().styleSheet()
    assert window.service.state is BenchState.BLOCKED
    assert window.verdict_panel.headline.text() == "WRONG ITEM"
    assert window.lines_table.counts() == [("TOY-4003", 0, 3)]  # the ignored item was not counted


def test_clearance_elsewhere_is_picked_up_and_the_red_goes(qtbot, window):
    scan(qtbot, window, "ORD-10030")
    scan(qtbot, window, NOTEBOOK)
    incident = window.service.open_incidents()[0]
    # Another screen (supervisor desk) clears it in the same database.
    window.service.clear(incident.id, "SUP1", "removed the notebook", "item_swapped")
    window.refresh()
    assert not window.incidents_box.isVisible()
    assert window.seal_button.isEnabled()


def test_undo_by_command_barcode_and_by_shortcut(qtbot, window):
    scan(qtbot, window, "ORD-10030")
    scan(qtbot, window, TOY_4003)
    scan(qtbot, window, TOY_4003)
    style = scan(qtbot, window, "CMD:UNDO")
    assert style.headline == "UNDONE"
    assert "now 1 of 3" in window.verdict_panel.sentence.text()
    with qtbot.waitSignal(window.verdict_shown, timeout=2000):
        qtbot.keyClick(window, Qt.Key.Key_F8)
    assert window.lines_table.counts() == [("TOY-4003", 0, 3)]
    assert scan(qtbot, window, "CMD:UNDO").headline == "NOTHING TO UNDO"


def test_cancel_command_resets_the_bench(qtbot, window):
    scan(qtbot, window, "ORD-10030")
    scan(qtbot, window, TOY_4003)
    style = scan(qtbot, window, "CMD:CANCEL")
    assert style.headline == "CANCELLED"
    assert window.order_label.text() == "No order on the bench"
    assert window.lines_table.rowCount() == 0
    assert scan(qtbot, window, "CMD:FLY").headline == "UNKNOWN COMMAND"


def test_seal_shortcut_and_item_before_order(qtbot, window):
    assert scan(qtbot, window, TOY_4003).headline == "SCAN ORDER FIRST"
    scan(qtbot, window, "ORD-10030")
    with qtbot.waitSignal(window.verdict_shown, timeout=2000) as blocker:
        qtbot.keyClick(window, Qt.Key.Key_F12)
    assert blocker.args[0].headline == "SHORT"


def test_storage_error_shows_not_saved_and_the_station_keeps_running(qtbot, window, monkeypatch):
    scan(qtbot, window, "ORD-10030")

    def refuse(*args, **kwargs):
        raise StorageError(StorageReason.DISK_FULL, "database or disk is full")

    monkeypatch.setattr(window.service, "handle_scan", refuse)
    style = scan(qtbot, window, TOY_4003)
    assert style.headline == "NOT SAVED"
    assert window.verdict_panel.sentence.text() == "Not saved: the disk is full: nothing was saved"
    assert style.tone is Tone.BLOCKED
    assert window.lines_table.counts() == [("TOY-4003", 0, 3)]
    monkeypatch.undo()
    assert scan(qtbot, window, TOY_4003).headline == "OK"


def test_typed_code_in_the_manual_box(qtbot, window):
    window.focus_entry()
    qtbot.keyClicks(window.entry, "ORD-10030")
    with qtbot.waitSignal(window.verdict_shown, timeout=2000) as blocker:
        qtbot.keyClick(window.entry, Qt.Key.Key_Return)
    assert blocker.args[0].headline == "ORDER LOADED"
    assert window.entry.text() == ""
    with qtbot.waitSignal(window.verdict_shown, timeout=2000) as blocker:
        qtbot.keyClick(window.entry, Qt.Key.Key_Return)  # empty: a clear message, nothing recorded
    assert blocker.args[0].headline == "SCAN AGAIN"
    assert "empty code" in window.verdict_panel.sentence.text()


def test_badge_prompt_then_packer_shown_and_recorded(qtbot, make_window):
    window = make_window(packer=None)
    assert window.verdict_panel.headline.text() == "WHO IS PACKING?"
    assert window.packer_box.isVisible()
    style = scan(qtbot, window, "P7")
    assert style.headline == "HELLO"
    assert window.packer_status_text() == "Packer: P7"
    assert window.service.packer_id == "P7"
    assert not window.packer_box.isVisible()
    # The next scan is an order again, not a badge.
    assert scan(qtbot, window, "ORD-10030").headline == "ORDER LOADED"


def test_sync_status_and_device_states_in_the_status_bar(qtbot, window):
    window.set_sync_status("Sync: 3 waiting", ok=False)
    assert window._sync_label.text() == "Sync: 3 waiting"
    with qtbot.waitSignal(window.bridge.state_changed, timeout=2000):
        from hardware.scanning import DeviceState

        window.bridge.listener.state_changed("serial:/dev/ttyACM0", DeviceState.DISCONNECTED, "unplugged")
    assert "serial:/dev/ttyACM0: reconnecting" in window.device_status_text()


def test_sound_on_offscreen_does_not_fail(qtbot, make_window):
    window = make_window(muted=False)
    style = scan(qtbot, window, "ORD-10030")
    assert style.sound == "info" and window.sound.last_played == "info"
    window.toggle_mute()
    assert window.sound.muted
    assert window.station.settings.section("sound")["muted"] is True


def test_headline_and_lines_are_big_enough_for_2_metres(window):
    assert window.verdict_panel.headline.font().pixelSize() >= 48
    assert window.lines_table.font().pixelSize() >= 20


def test_f9_and_a_supervisor_badge_open_the_clearing_dialog(qtbot, make_window, monkeypatch):
    from ui.packer_window import UserInfo

    calls = []

    def fake_clearance(parent, station, badge=None):
        calls.append(badge)
        incident = station.service.open_incidents()[0]
        return station.service.clear(incident.id, "SUP1", "notebook removed", "item_swapped")

    monkeypatch.setattr("ui.supervisor.clearing.request_clearance", fake_clearance)
    window = make_window()
    window.users = [UserInfo("SUP1", "Sam Supervisor", "supervisor", "BADGE-SUP1")]
    window.service.packers.set_roster(window.users)
    scan(qtbot, window, "ORD-10030")
    scan(qtbot, window, NOTEBOOK)
    style = scan(qtbot, window, "BADGE-SUP1")
    assert calls == ["BADGE-SUP1"]
    assert style.headline == "CLEARED" and window.service.state is not BenchState.BLOCKED
    assert not window.incidents_box.isVisible()
    scan(qtbot, window, NOTEBOOK)
    with qtbot.waitSignal(window.verdict_shown, timeout=2000):
        qtbot.keyClick(window, Qt.Key.Key_F9)
    assert calls == ["BADGE-SUP1", None]


def test_a_scanner_that_cannot_start_is_named_on_the_panel(qtbot, make_window, tmp_path):
    from ui.scan_sources import parse_specs

    missing = tmp_path / "no-such-script.txt"  # a scripted source whose file is gone cannot start
    window = make_window(specs=parse_specs([f"file:{missing}"]))
    headline, sentence, details = panel(window)
    assert headline == "SCANNER PROBLEM"
    assert str(missing) in sentence + details
