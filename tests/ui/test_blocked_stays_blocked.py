"""A blocked package looks blocked until a supervisor clears it, whatever a packer throws at the bench.

Driven as a hostile packer would, on the real window (offscreen): codes typed into the Code box and
Enter pressed, command barcodes, another order's barcode, badges, a full disk, keyboard shortcuts,
unreadable scanner input. None of it may replace the red WRONG ITEM panel: each is recorded (where it is a
scan) and shown as a secondary line inside the red panel. Then a restart: a blocked package is red from
the first painted frame, before anyone signs in.
"""

from __future__ import annotations

import itertools

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QApplication
from sqlalchemy import func, select

from station.clock import FrozenClock
from station.model import BenchState
from station.orm import ScanRecord
from station.users import demo_users
from tests.ui.conftest import scan
from ui.app import build_window
from ui.bootstrap import bootstrap
from ui.demo import open_demo_station
from ui.supervisor.session import make_directory
from ui.verdict_panel import VerdictPanel
from ui.verdict_style import TONE_COLOURS, Tone

TOY_4003 = "5901230413194"  # order 10030: TOY-4003 x3
NOTEBOOK = "5901230412357"  # OFF-2001: on 10023/10024, not on 10030
RED = QColor(TONE_COLOURS[Tone.BLOCKED][0])
WRONG_SENTENCE = f"Wrong item: {NOTEBOOK} is not on order 10030"


@pytest.fixture
def users(station):
    """The demo's packer (BADGE-P1) and supervisor (BADGE-S1) on this station, before the window reads them."""
    return demo_users(make_directory(station))


@pytest.fixture
def blocked(qtbot, users, make_window):
    window = make_window()
    scan(qtbot, window, "ORD-10030")
    scan(qtbot, window, TOY_4003)
    style = scan(qtbot, window, NOTEBOOK)
    assert style.headline == "WRONG ITEM" and window.service.state is BenchState.BLOCKED
    return window


def panel_colour(panel: VerdictPanel) -> QColor:
    """The colour a person sees at the panel's left edge, half-way down (left of the icon)."""
    return panel.grab().toImage().pixelColor(8, panel.height() // 2)


def assert_not_squashed(panel: VerdictPanel) -> None:
    """Every visible line of the panel gets the height its wrapped text needs, and none overlaps the next."""
    labels = [lab for lab in (panel.headline, panel.sentence, panel.details, panel.also) if lab.isVisible()]
    for label in labels:
        assert label.height() >= label.heightForWidth(label.width()) - 2, (label.objectName(), label.text())
    for upper, lower in itertools.pairwise(labels):
        assert upper.geometry().bottom() <= lower.geometry().top(), (upper.objectName(), lower.objectName())
    assert labels[-1].geometry().bottom() <= panel.contentsRect().bottom()


def assert_still_red(window, *also_words: str) -> None:
    p = window.verdict_panel
    assert p.headline.text() == "WRONG ITEM"
    assert p.sentence.text() == WRONG_SENTENCE
    assert p.style_shown.tone is Tone.BLOCKED and p.style_shown.icon == "cross"
    assert panel_colour(p) == RED
    assert "Supervisor: scan your badge to clear" in p.details.text()
    assert window.incidents_box.isVisible() and window.incidents_list.count() == 1
    assert "border: 10px solid" in window.centralWidget().styleSheet()
    assert window.service.state is BenchState.BLOCKED
    assert window.lines_table.counts() == [("TOY-4003", 1, 3)]  # nothing more was counted
    assert_not_squashed(p)
    if also_words:
        assert p.also.isVisible(), "the further input is shown inside the red panel"
        assert p.also.parentWidget() is p
        for words in also_words:
            assert words in p.also.text()
        assert "package still blocked" in p.also.text()


def still_blocked_scans(window) -> int:
    with window.station.db.sessions() as s:
        return s.scalar(select(func.count()).select_from(ScanRecord).where(ScanRecord.verdict == "still_blocked"))


def type_and_enter(qtbot, window, text: str):
    window.focus_entry()
    if text:
        qtbot.keyClicks(window.entry, text)
    with qtbot.waitSignal(window.verdict_shown, timeout=2000) as shown:
        qtbot.keyClick(window.entry, Qt.Key.Key_Return)
    return shown.args[0]


def test_empty_enter_keeps_the_red_panel_and_says_so_inside_it(qtbot, blocked):
    style = type_and_enter(qtbot, blocked, "")
    assert style.tone is Tone.BLOCKED and style.headline == "WRONG ITEM"
    assert_still_red(blocked, "Also scanned: nothing (an empty code)")
    assert blocked.sound.last_played == "blocked"
    # It stays: the periodic reload while blocked does not take the red or the line away.
    blocked.refresh_quietly()
    assert_still_red(blocked, "Also scanned: nothing (an empty code)")


TYPED = [
    # (what the packer types, words of the secondary line)
    ("CMD:SEAL", "Also scanned: CMD:SEAL – seal refused"),
    ("CMD:UNDO", "Also scanned: CMD:UNDO – not done"),
    ("CMD:CANCEL", "Also scanned: CMD:CANCEL – not done"),
    ("CMD:FORMAT-DISK", "Also scanned: CMD:FORMAT-DISK – not a command this station knows"),
    ("ORD-10023", "Also scanned: ORD-10023 – not counted"),  # another order's barcode
    (TOY_4003, f"Also scanned: {TOY_4003} – not counted"),  # the right item, while blocked
    ("5901230412709", "Also scanned: 5901230412709"),  # a bad check digit
    ("%%% garbage ))) <b>bold</b>", "Also scanned: %%% garbage ))) <b>bold</b>"),
    ("BADGE-P1", "Also scanned: BADGE-P1"),  # the packer's own badge
    ("BADGE-NOBODY", "Also scanned: BADGE-NOBODY"),
]


@pytest.mark.parametrize("text,words", TYPED, ids=[t for t, _ in TYPED])
def test_typed_input_is_recorded_and_shown_inside_the_red_panel(qtbot, blocked, text, words):
    before = still_blocked_scans(blocked)
    style = type_and_enter(qtbot, blocked, text)
    assert style.headline == "WRONG ITEM" and style.tone is Tone.BLOCKED
    assert_still_red(blocked, words)
    assert blocked.sound.last_played == "blocked"
    if not text.startswith("CMD:"):  # commands are audited as refusals; codes are recorded as scans
        assert still_blocked_scans(blocked) == before + 1


def test_a_code_with_a_group_separator_reads_as_gs_in_the_line(qtbot, blocked):
    style = type_and_enter(qtbot, blocked, "0105901234123457<GS>10L1")
    assert_still_red(blocked, "Also scanned: 0105901234123457<GS>10L1")
    assert style.also.count("<GS>") == 1


def test_a_stream_of_scans_keeps_one_line_and_the_red(qtbot, blocked):
    for code in ("CMD:SEAL", TOY_4003, "", "CMD:UNDO"):
        type_and_enter(qtbot, blocked, code)
    assert_still_red(blocked, "Also scanned: CMD:UNDO – not done")
    assert "CMD:SEAL" not in blocked.verdict_panel.also.text()  # the latest input, not a growing list


def test_a_500_character_scan_keeps_the_panel_on_the_screen(qtbot, blocked):
    style = type_and_enter(qtbot, blocked, "X" * 500)
    assert_still_red(blocked, "Also scanned: XXXX")
    assert len(style.also) <= 130 and style.also.endswith("package still blocked")
    assert blocked.lines_table.height() > 150  # the order lines are still there to read


def test_short_at_seal_then_more_scans_and_a_restart_stay_short_and_readable(qtbot, users, make_window, station):
    window = make_window()
    scan(qtbot, window, "ORD-10023")  # a six-line order
    scan(qtbot, window, NOTEBOOK)
    assert scan(qtbot, window, "CMD:SEAL").headline == "SHORT"
    p = window.verdict_panel
    assert_not_squashed(p)
    assert "Supervisor: scan your badge to clear" in p.details.text()
    style = type_and_enter(qtbot, window, "CMD:SEAL")
    assert style.headline == "SHORT" and p.sentence.text().startswith("Cannot seal order 10023")
    assert "Also scanned: CMD:SEAL – seal refused" in p.also.text()
    assert "Supervisor: scan your badge to clear" in p.details.text()
    assert_not_squashed(p)
    window.close()
    # After a restart, told from the incident: the same headline, the missing lines.
    again = make_window(packer=None)
    qtbot.waitExposed(again)
    p = again.verdict_panel
    assert p.headline.text() == "SHORT" and p.style_shown.tone is Tone.BLOCKED
    assert p.sentence.text() == "Cannot seal order 10023: 38 units still missing"
    assert "OFF-2001 A5 dotted notebook, black: 9 missing" in p.details.text()
    assert_not_squashed(p)


def test_unreadable_scanner_input_does_not_turn_it_amber(qtbot, blocked):
    with qtbot.waitSignal(blocked.verdict_shown, timeout=2000):
        blocked.sources.manual.submit("AB\x07\x08CD")  # control characters: rejected by the scanner layer
    assert_still_red(blocked, "Also scanned: unreadable input from manual")


def test_shortcuts_and_change_packer_do_not_replace_the_headline(qtbot, blocked):
    for key in (Qt.Key.Key_F12, Qt.Key.Key_F8, Qt.Key.Key_F4, Qt.Key.Key_Escape):
        qtbot.keyClick(blocked, key)
    assert_still_red(blocked)
    with qtbot.waitSignal(blocked.verdict_shown, timeout=2000):
        qtbot.keyClick(blocked, Qt.Key.Key_F2)  # Change packer
    assert blocked.packer_box.isVisible()
    assert_still_red(blocked, "Who is packing?")
    # A name typed at the prompt: not on this station's list.
    type_and_enter(qtbot, blocked, "BADGE-NOBODY")
    assert_still_red(blocked, "Badge BADGE-NOBODY is not registered")
    # The packer's own badge: signed in, and the package is still blocked, in red.
    type_and_enter(qtbot, blocked, "BADGE-P1")
    assert not blocked.packer_box.isVisible()
    assert_still_red(blocked, "Pat Packer is packing")


def test_a_full_disk_while_blocked_says_not_saved_inside_the_red_panel(qtbot, blocked):
    db = blocked.station.db
    with db.engine.connect() as conn:  # SQLite's own "database or disk is full": cap the file at its size
        pages = conn.exec_driver_sql("PRAGMA page_count").scalar()
        conn.exec_driver_sql(f"PRAGMA max_page_count={pages}")
        conn.commit()
    for _ in range(400):  # enough scan and audit rows to need a new page
        style = type_and_enter(qtbot, blocked, TOY_4003)
        assert style.headline == "WRONG ITEM" and style.tone is Tone.BLOCKED
        if "NOT SAVED" in style.also:
            break
    else:
        pytest.fail("the capped database never filled up")
    assert_still_red(blocked, f"Also scanned: {TOY_4003} – NOT SAVED", "full")


def _cancel_modal(titles: list[str]) -> None:
    """Press Cancel on the modal dialog once it is up (the sign-in dialog runs its own event loop)."""
    dialog = QApplication.activeModalWidget()
    if dialog is None:
        QTimer.singleShot(20, lambda: _cancel_modal(titles))
        return
    titles.append(dialog.windowTitle())
    dialog.reject()


def test_a_supervisor_badge_then_cancelled_sign_in_leaves_it_red(qtbot, blocked):
    closed: list[str] = []
    QTimer.singleShot(0, lambda: _cancel_modal(closed))
    type_and_enter(qtbot, blocked, "BADGE-S1")
    assert closed == ["Sign in to clear order 10030"]
    assert_still_red(blocked)


def test_a_scanner_problem_message_while_blocked_is_a_line_not_a_headline(qtbot, blocked, tmp_path):
    from ui.scan_sources import parse_spec

    problems = blocked.replace_sources([parse_spec(f"file:{tmp_path / 'no-such-script.txt'}")])
    assert problems
    assert_still_red(blocked, "Scanner problem: ", "no-such-script.txt")


def test_a_camera_read_while_blocked_is_a_line_inside_the_red_panel(qtbot, station, tmp_path):
    """The real camera pipeline (a generated clip: order label, an item, a wrong item, then the right item
    again): the read after the block is recorded and shown as the secondary line, the headline stays."""
    from tests.imaging import blank_frame, degrade, place, render_barcode, write_video
    from ui.scan_sources import parse_spec

    def held(code: str, fmt: str, seed: int, frames: int = 8) -> list:
        patch = degrade(render_barcode(code, fmt), rotate=3, blur=0.7, noise=5, seed=seed)
        return [place(blank_frame(seed=seed * 100 + i), patch, 380 + 4 * i, 160 + 2 * i) for i in range(frames)]

    def empty(seed: int, frames: int = 6) -> list:
        return [blank_frame(seed=seed * 100 + 50 + i) for i in range(frames)]

    frames = empty(0, 3) + held("ORD-10030", "code128", 1) + empty(2) + held(TOY_4003, "ean13", 3) + empty(4)
    frames += held(NOTEBOOK, "ean13", 5) + empty(6, 14) + held(TOY_4003, "ean13", 7) + empty(8, 4)
    clip = write_video(tmp_path / "bench.avi", frames, 20.0)
    station.settings.set_section("camera", {"dedupe_s": 0.3, "seen_needed": 2})
    window = build_window(station, [parse_spec(f"camera:{clip}")], packer="P1", muted=True)
    qtbot.addWidget(window)
    try:
        window.resize(1280, 800)
        window.show()
        source = f"camera:{clip}"
        qtbot.waitUntil(lambda: window.bridge.states.get(source, ("",))[0] == "stopped", timeout=20_000)
        assert window.sources.devices[source].wait_finished(timeout=5)
        qtbot.waitUntil(lambda: "Also scanned" in window.verdict_panel.also.text(), timeout=5_000)
        assert window.last_verdict.code == TOY_4003 and window.last_verdict.kind.value == "still_blocked"
        assert_still_red(window, f"Also scanned: {TOY_4003} – not counted")
        assert still_blocked_scans(window) == 1
    finally:
        window.close()


# ---------------------------------------------------------------------- after a restart
def _blocked_data_dir(tmp_path):
    """A data dir whose bench holds a package blocked by a wrong item, made through the service."""
    data = tmp_path / "bench"
    station, _ = open_demo_station(data, "T1", clock=FrozenClock())
    try:
        demo_users(make_directory(station))
        svc = station.service
        svc.set_packer("P1")
        svc.load_order("ORD-10030")
        assert svc.handle_scan(TOY_4003).is_ok
        assert svc.handle_scan(NOTEBOOK).blocking
    finally:
        station.close()
    return data


def test_after_a_restart_the_first_frame_is_the_red_blocked_panel(qtbot, tmp_path, monkeypatch):
    data = _blocked_data_dir(tmp_path)
    painted: list[tuple[str, str, Tone]] = []
    original = VerdictPanel.paintEvent

    def record_paint(panel, event):  # what each painted frame of the panel showed
        style = panel.style_shown
        painted.append((panel.headline.text(), panel.sentence.text(), style.tone if style else None))
        original(panel, event)

    monkeypatch.setattr(VerdictPanel, "paintEvent", record_paint)
    # As `packgate` starts: the composition root, no --packer (so it asks who packs).
    station = bootstrap(data, "T1", FrozenClock())
    window = build_window(station, [], packer=None, muted=True)
    try:
        qtbot.addWidget(window)
        window.resize(1280, 800)
        window.show()
        qtbot.waitExposed(window)
        qtbot.waitUntil(lambda: bool(painted))
        headline, sentence, tone = painted[0]
        assert (headline, tone) == ("WRONG ITEM", Tone.BLOCKED)
        assert sentence == f"Wrong item: {NOTEBOOK} — not on order 10030"  # told from the incident
        assert all(t is Tone.BLOCKED and h == "WRONG ITEM" for h, _s, t in painted), painted
        p = window.verdict_panel
        assert panel_colour(p) == RED
        assert "Who is packing?" in p.also.text()  # it still asks, inside the red panel
        assert window.packer_box.isVisible()
        assert window.incidents_box.isVisible()
        assert [window.incidents_list.item(i).text() for i in range(window.incidents_list.count())] == [
            f"Wrong item: {NOTEBOOK} — not on order 10030"
        ]
        assert "border: 10px solid" in window.centralWidget().styleSheet()
        # A supervisor's badge before anyone signed in is for clearing, not for packing.
        opened = []
        QTimer.singleShot(0, lambda: _cancel_modal(opened))
        type_and_enter(qtbot, window, "BADGE-S1")
        assert opened == ["Sign in to clear order 10030"]
        assert window.packer_box.isVisible() and window.verdict_panel.headline.text() == "WRONG ITEM"
    finally:
        window.close()
        station.close()
