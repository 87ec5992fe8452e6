"""The boxes beside the order lines on the packer screen: the open incidents of a blocked package
(`IncidentsBox`, with the supervisor's way to clear them) and who is packing (`PackerPicker`: a name from
the station's users, or a badge scan). The window decides when each shows."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QFrame, QLabel, QListWidget, QPushButton, QVBoxLayout, QWidget

from ui import blocked_style as bs
from ui import verdict_style as vs
from ui.bench_users import UserInfo
from ui.fonts import pixel_font
from ui.i18n import translate

TITLE_PX = 22
LIST_PX = 18


class IncidentsBox(QFrame):
    """ "Open incidents" in a red frame, the supervisor prompt and a clear button (its words given)."""

    def __init__(self, clear_button_text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("incidentsBox")
        self.setStyleSheet("#incidentsBox { border: 4px solid #b3261e; border-radius: 6px; }")
        ib = QVBoxLayout(self)
        title = QLabel(translate("PackerWindow", "Open incidents"))
        title.setFont(pixel_font(title, TITLE_PX, bold=True))
        self.incidents_list = QListWidget()
        self.incidents_list.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        lf = pixel_font(self.incidents_list, LIST_PX)
        self.incidents_list.setFont(lf)
        self.incidents_list.setWordWrap(True)
        self.incidents_list.setMinimumHeight(int(lf.pixelSize() * 1.4 * 2 + 8))  # two lines of an incident
        self.clear_hint = QLabel(vs.supervisor_prompt())
        self.clear_hint.setWordWrap(True)
        self.clear_hint.setFont(
            pixel_font(title, LIST_PX, bold=True)
        )  # one line beside the list; the panel says it big
        self.supervisor_button = QPushButton(clear_button_text)
        self.supervisor_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        ib.addWidget(title)
        ib.addWidget(self.incidents_list, 1)
        ib.addWidget(self.clear_hint)
        ib.addWidget(self.supervisor_button)

    def list_incidents(self, incidents: Sequence[Any]) -> None:
        self.incidents_list.clear()
        for inc in incidents:
            self.incidents_list.addItem(bs.incident_line(inc))


class PackerPicker(QFrame):
    """ "Your name, or scan your badge:" with the names of the station's packers, supervisors and admins."""

    def __init__(self, users: Sequence[UserInfo], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        pb = QVBoxLayout(self)
        pl = QLabel(
            translate("PackerWindow", "Your name, or scan your badge:")
        )  # one line: beside the incidents after a restart
        pl.setFont(pixel_font(pl, TITLE_PX, bold=True))
        pl.setWordWrap(True)
        self.packer_combo = QComboBox()
        self.packer_combo.setFont(pixel_font(self.packer_combo, LIST_PX))
        for u in users:
            if u.role in ("packer", "supervisor", "admin"):
                self.packer_combo.addItem(u.display_name, u.name)
        self.packer_start = QPushButton(translate("PackerWindow", "Start shift"))
        self.packer_start.setEnabled(self.packer_combo.count() > 0)
        pb.addWidget(pl)
        pb.addWidget(self.packer_combo)
        pb.addWidget(self.packer_start)
        if not self.packer_combo.count():
            hint = QLabel(
                translate("PackerWindow", "No names registered on this station: scan your badge or type your id below.")
            )
            hint.setWordWrap(True)
            pb.addWidget(hint)
