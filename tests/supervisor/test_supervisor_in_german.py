"""The supervisor screens in German: the clearing dialog, the flagged queue and the shift view show no English
word of PackGate's own (names, SKUs and the sample orders' descriptions are data, not words)."""

from __future__ import annotations

import re

import pytest
from PySide6.QtWidgets import QAbstractButton, QLabel, QTableWidget, QTabWidget, QWidget
from pytestqt.qtbot import QtBot

from station.users import UserDirectory
from tests.supervisor.conftest import ORDERS_CSV
from tests.ui.test_translations import _english_words
from ui import i18n
from ui.bootstrap import Station
from ui.supervisor.clearing import ClearanceDialog
from ui.supervisor.queue import FlaggedQueueWindow
from ui.supervisor.shift_view import ShiftView

pytestmark = pytest.mark.usefixtures("ui_directory")
WORD = re.compile(r"[A-Za-z]{4,}")


@pytest.fixture
def german(qapp):
    i18n.install_language("de")
    yield
    i18n.install_language("en")


def shown(widget: QWidget) -> set[str]:
    texts = [w.text() for w in widget.findChildren(QLabel) if w.isVisible()]
    texts += [w.text() for w in widget.findChildren(QAbstractButton) if w.isVisible()]
    for tabs in widget.findChildren(QTabWidget):
        texts += [tabs.tabText(i) for i in range(tabs.count())]
    for table in widget.findChildren(QTableWidget):
        texts += [table.horizontalHeaderItem(c).text() for c in range(table.columnCount())]
        texts += [
            table.item(r, c).text()
            for r in range(table.rowCount())
            for c in range(table.columnCount())
            if table.item(r, c)
        ]
    texts.append(widget.windowTitle())
    return {w.lower() for w in WORD.findall(re.sub(r"<[^>]+>", " ", " ".join(texts)))}


@pytest.mark.usefixtures("german")
def test_the_supervisor_screens_speak_german(blocked: Station, directory: UserDirectory, qtbot: QtBot) -> None:
    people = " ".join(f"{u.name} {u.display_name}" for u in directory.list()) + f" {blocked.station_id}"  # data
    english = _english_words() - {w.lower() for w in WORD.findall(ORDERS_CSV + people)}
    sam = directory.authenticate_badge("BADGE-S1", "246802")
    dialog = ClearanceDialog(blocked, sam, blocked.service.open_incidents()[0])
    queue = FlaggedQueueWindow(blocked)
    view = ShiftView(blocked)
    for screen in (dialog, queue, view):
        qtbot.addWidget(screen)
        screen.show()
        qtbot.waitExposed(screen)
        left = shown(screen) & english
        assert left == set(), f"{type(screen).__name__}: English on the German screen: {sorted(left)}"
    assert "Falscher Artikel" in " ".join(w.text() for w in dialog.findChildren(QLabel))
