"""Fixtures for the packer screen: a real window on a fresh demo station (frozen clock), muted, with only
the manual-entry scanner unless a test asks for more, closed and its station closed at teardown."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from station.clock import FrozenClock
from ui.app import build_window
from ui.bootstrap import Station
from ui.demo import open_demo_station
from ui.packer_window import PackerWindow


@pytest.fixture
def station(tmp_path) -> Iterator[Station]:
    st, _ = open_demo_station(tmp_path / "data", "T1", clock=FrozenClock())
    yield st
    st.close()


@pytest.fixture
def make_window(qtbot, station):
    made: list[PackerWindow] = []

    def make(packer: str | None = "P1", specs=(), demo: bool = False, muted: bool = True) -> PackerWindow:
        window = build_window(station, list(specs), packer=packer, muted=muted, demo=demo)
        qtbot.addWidget(window)
        window.resize(1280, 800)
        window.show()
        made.append(window)
        return window

    yield make
    for w in made:
        w.close()


@pytest.fixture
def window(make_window) -> PackerWindow:
    return make_window()


def scan(qtbot, window: PackerWindow, code: str):
    """Scan through the manual scanner -> bridge (queued) -> window, like a device; wait for the verdict."""
    with qtbot.waitSignal(window.verdict_shown, timeout=2000) as blocker:
        window.sources.manual.submit(code)
    return blocker.args[0]
