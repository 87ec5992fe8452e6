"""Keyboard wedge: scanner bursts vs a person typing, first as a pure classifier, then on real widgets."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import QApplication, QLineEdit, QVBoxLayout, QWidget
from pytestqt.qtbot import QtBot

from hardware.simulated import CollectingListener
from hardware.wedge import BurstScanned, TypedKeys, WedgeBurstDetector, WedgeEventFilter

# ---------------------------------------------------------------------------- the pure classifier


def feed_all(detector: WedgeBurstDetector, keys: str, gaps_ms: list[float] | float, start_ms: float = 0.0):
    """Feed `keys` with the given gaps; return every decision, the final poll well after included."""
    gaps = gaps_ms if isinstance(gaps_ms, list) else [gaps_ms] * len(keys)
    t = start_ms
    decisions = []
    for char, gap in zip(keys, gaps, strict=True):
        t += gap
        decisions += detector.feed(char, t)
    decisions += detector.poll(t + 1000)
    return decisions


def typed_text(decisions) -> str:
    return "".join(k for d in decisions if isinstance(d, TypedKeys) for k in d.keys)


def scans(decisions) -> list[str]:
    return [d.code for d in decisions if isinstance(d, BurstScanned)]


@pytest.mark.parametrize("per_key_ms", [2, 8, 15, 29])
def test_scanner_speed_burst_is_a_scan(per_key_ms: float) -> None:
    decisions = feed_all(WedgeBurstDetector(), "4006381333931\r", per_key_ms)
    assert scans(decisions) == ["4006381333931"]
    assert typed_text(decisions) == ""


@pytest.mark.parametrize("per_key_ms", [40, 80, 150])
def test_person_typing_then_enter_is_typing(per_key_ms: float) -> None:
    decisions = feed_all(WedgeBurstDetector(), "4006381333931\r", per_key_ms)
    assert scans(decisions) == []
    assert typed_text(decisions) == "4006381333931\r"


def test_a_lucky_fast_pair_inside_typing_stays_typing() -> None:
    # "th" rolled at 12 ms, the rest at typing speed: never 4 fast keys in a row ending in Enter
    decisions = feed_all(WedgeBurstDetector(), "the box\r", [0, 12, 90, 110, 95, 12, 100, 120])
    assert scans(decisions) == []
    assert typed_text(decisions) == "the box\r"


def test_short_fast_burst_below_min_length_is_typing() -> None:
    decisions = feed_all(WedgeBurstDetector(min_length=4), "123\t", 5)
    assert scans(decisions) == []
    assert typed_text(decisions) == "123\t"


def test_typing_scan_typing_keeps_each_in_order() -> None:
    detector = WedgeBurstDetector()
    decisions = feed_all(detector, "ab", 120)
    decisions += feed_all(detector, "X-12345\r", 6, start_ms=2000)
    decisions += feed_all(detector, "c\r", 130, start_ms=4000)
    assert scans(decisions) == ["X-12345"]
    assert typed_text(decisions) == "abc\r"


def test_a_slow_gap_in_the_middle_breaks_a_burst() -> None:
    # 4 fast keys, a 60 ms pause, 4 fast keys + Enter: the first four are typing, the rest a scan
    decisions = feed_all(WedgeBurstDetector(), "1234ABCD\r", [0, 5, 5, 5, 60, 5, 5, 5, 5])
    assert typed_text(decisions) == "1234"
    assert scans(decisions) == ["ABCD"]


def test_held_keys_are_released_only_after_the_gap() -> None:
    detector = WedgeBurstDetector(max_gap_ms=30)
    assert detector.feed("a", 100.0) == []
    assert detector.deadline_ms == 130.0
    assert detector.poll(130.0) == []  # exactly max_gap: could still be a scanner
    assert detector.poll(130.5) == [TypedKeys(("a",))]
    assert not detector.pending and detector.deadline_ms is None


def test_interrupt_and_carry() -> None:
    detector = WedgeBurstDetector()
    assert detector.carry("release-x") is False  # nothing held: deliver at once
    detector.feed("a", 0.0)
    assert detector.carry("release-a") is True
    assert detector.interrupt() == [TypedKeys(("a", "release-a"))]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [({"max_gap_ms": 0}, "max_gap_ms"), ({"min_length": 0}, "min_length"), ({"terminators": ()}, "terminator")],
)
def test_bad_detector_settings(kwargs: dict, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        WedgeBurstDetector(**kwargs)


# ---------------------------------------------------------------------------- on real Qt widgets


class FakeClock:
    """Milliseconds that move only when the test says so: key timing without real sleeps."""

    def __init__(self) -> None:
        self.now = 1_000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, ms: float) -> None:
        self.now += ms


class Bench:
    """A window with two line edits, the wedge filter on the app, and a way to type with timings."""

    def __init__(self, qtbot: QtBot) -> None:
        self.qtbot = qtbot
        self.clock = FakeClock()
        self.listener = CollectingListener()
        self.window = QWidget()
        layout = QVBoxLayout(self.window)
        self.order_field = QLineEdit()
        self.note_field = QLineEdit()
        layout.addWidget(self.order_field)
        layout.addWidget(self.note_field)
        qtbot.addWidget(self.window)
        self.window.show()
        qtbot.waitExposed(self.window)
        self.window.activateWindow()
        self.focus(self.order_field)
        self.wedge = WedgeEventFilter(self.listener, clock=self.clock)
        self.wedge.install()

    def focus(self, field: QLineEdit) -> None:
        field.setFocus()
        self.qtbot.waitUntil(lambda: QApplication.focusObject() is field)

    def key(self, key: Qt.Key, text: str = "", modifiers=Qt.KeyboardModifier.NoModifier) -> None:
        """Press and release one key at the current clock, the way the platform delivers it."""
        target = QApplication.focusObject()
        for etype in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(target, QKeyEvent(etype, key, modifiers, text))

    def type(self, text: str, gap_ms: float) -> None:
        """Type `text` with `gap_ms` before every key; capitals with Shift like a US-layout wedge."""
        shift = Qt.KeyboardModifier.ShiftModifier
        for char in text:
            self.clock.advance(gap_ms)
            if char == "\r":
                self.key(Qt.Key.Key_Return, "\r")
            elif char == "\t":
                self.key(Qt.Key.Key_Tab, "\t")
            elif char.isupper():
                target = QApplication.focusObject()
                QApplication.sendEvent(target, QKeyEvent(QEvent.Type.KeyPress, Qt.Key.Key_Shift, shift))
                self.key(Qt.Key(ord(char)), char, shift)
                QApplication.sendEvent(
                    target, QKeyEvent(QEvent.Type.KeyRelease, Qt.Key.Key_Shift, Qt.KeyboardModifier.NoModifier)
                )
            else:
                self.key(Qt.Key(ord(char.upper())), char)

    def settle(self) -> None:
        """Let time pass so held keys count as typing, and wait until the filter has let them go."""
        self.clock.advance(1000)
        self.qtbot.waitUntil(lambda: not self.wedge.detector.pending, timeout=2000)

    def close(self) -> None:
        self.wedge.uninstall()


@pytest.fixture
def bench(qtbot: QtBot) -> Iterator[Bench]:
    b = Bench(qtbot)
    yield b
    b.close()


def test_scan_into_a_focused_line_edit_is_a_scan_and_the_field_stays_empty(bench: Bench) -> None:
    returns: list[str] = []
    bench.order_field.returnPressed.connect(lambda: returns.append(bench.order_field.text()))
    bench.type("4006381333931\r", gap_ms=8)
    assert bench.listener.codes == ["4006381333931"]
    assert bench.listener.scans[0].source == "wedge"
    bench.settle()
    assert bench.order_field.text() == ""
    assert returns == []  # the scanner's Enter did not submit the form


def test_slow_typing_reaches_the_field_and_is_no_scan(bench: Bench) -> None:
    returns: list[str] = []
    bench.order_field.returnPressed.connect(lambda: returns.append(bench.order_field.text()))
    bench.type("Box 12\r", gap_ms=120)
    bench.settle()
    assert bench.order_field.text() == "Box 12"
    assert returns == ["Box 12"]
    assert bench.listener.scans == []


def test_fast_typist_at_40ms_is_still_typing(bench: Bench) -> None:
    bench.type("4006381333931\r", gap_ms=40)
    bench.settle()
    assert bench.order_field.text() == "4006381333931"
    assert bench.listener.scans == []


def test_last_typed_key_arrives_after_the_gap_without_another_key(bench: Bench) -> None:
    bench.type("a", gap_ms=150)
    assert bench.order_field.text() == ""  # held: could be the start of a burst
    bench.clock.advance(31)
    bench.qtbot.waitUntil(lambda: bench.order_field.text() == "a", timeout=2000)


def test_capitals_with_shift_and_gs1_separator_in_a_burst(bench: Bench) -> None:
    bench.type("]C1010950123456789217250101", gap_ms=4)
    bench.clock.advance(4)
    bench.key(Qt.Key.Key_BracketRight, "\x1d", Qt.KeyboardModifier.ControlModifier)  # GS as Ctrl+]
    bench.type("10ABC\r", gap_ms=4)
    assert [(s.code, s.symbology) for s in bench.listener.scans] == [("010950123456789217250101\x1d10ABC", "]C1")]
    bench.settle()
    assert bench.order_field.text() == ""


def test_typing_then_scan_then_typing_in_another_field(bench: Bench) -> None:
    bench.type("ab", gap_ms=120)
    bench.clock.advance(400)  # the packer picks up the scanner
    bench.type("SKU-778899\t", gap_ms=6)
    bench.settle()
    bench.focus(bench.note_field)
    bench.type("ok", gap_ms=110)
    bench.settle()
    assert bench.order_field.text() == "ab"
    assert bench.note_field.text() == "ok"
    assert bench.listener.codes == ["SKU-778899"]
    assert QApplication.focusObject() is bench.note_field  # the scanner's Tab did not move focus


def test_shortcut_still_works_and_sees_the_typing_before_it(bench: Bench, qtbot: QtBot) -> None:
    seen: list[str] = []
    shortcut = QShortcut(QKeySequence(Qt.Key.Key_F5), bench.window)
    shortcut.activated.connect(lambda: seen.append(bench.order_field.text()))
    bench.type("x", gap_ms=150)  # held when F5 comes 5 ms later
    bench.clock.advance(5)
    qtbot.keyClick(bench.order_field, Qt.Key.Key_F5)
    assert seen == ["x"]
    assert not bench.wedge.detector.pending


def test_ctrl_shortcut_in_line_edit_is_not_swallowed(bench: Bench, qtbot: QtBot) -> None:
    bench.type("abc", gap_ms=120)
    bench.clock.advance(5)
    qtbot.keyClick(bench.order_field, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)  # select all
    bench.type("z", gap_ms=120)
    bench.settle()
    assert bench.order_field.text() == "z"


def test_auto_repeat_is_a_person_holding_a_key(bench: Bench) -> None:
    target = bench.order_field
    for i in range(6):
        bench.clock.advance(0 if i == 0 else 25 if i == 1 else 3)  # repeat delay, then fast repeats
        QApplication.sendEvent(
            target, QKeyEvent(QEvent.Type.KeyPress, Qt.Key.Key_7, Qt.KeyboardModifier.NoModifier, "7", i > 0)
        )
    bench.clock.advance(3)
    bench.key(Qt.Key.Key_Return, "\r")
    bench.settle()
    assert bench.listener.scans == []
    assert bench.order_field.text() == "777777"


def test_uninstall_delivers_held_keys_and_stops_filtering(bench: Bench) -> None:
    bench.type("q", gap_ms=150)
    bench.wedge.uninstall()
    assert bench.order_field.text() == "q"
    bench.type("1234\r", gap_ms=5)
    assert bench.order_field.text() == "q1234"
    assert bench.listener.scans == []


def test_an_unusable_burst_is_rejected_and_kept_out_of_the_field(bench: Bench) -> None:
    """A misconfigured scanner's burst is reported with a reason, not typed into the form."""
    bench.type("]!!12345\r", gap_ms=5)
    bench.settle()
    assert bench.listener.scans == []
    assert [(src, reason) for src, reason, _raw in bench.listener.rejections] == [
        ("wedge", "malformed AIM symbology prefix")
    ]
    assert bench.order_field.text() == ""


def test_three_fast_keys_are_below_min_length_and_are_typed(bench: Bench) -> None:
    bench.type("]E0\r", gap_ms=5)
    bench.settle()
    assert bench.listener.scans == [] and bench.listener.rejections == []
    assert bench.order_field.text() == "]E0"
