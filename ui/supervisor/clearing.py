"""Clearing a blocked package at the bench.

`request_clearance(parent, station, badge=None)` is what the packer screen calls when the package is
blocked (its button, F9, or a supervisor badge scanned while blocked): the supervisor signs in on the
packer's screen, sees each open incident of the order (scanned vs expected, the camera frame if any, the
packer, the time), chooses a resolution with a note, and clears or escalates. The station service applies
the effect (continue, ship short, pull for re-pick). The supervisor is signed out when done, when the
dialog is cancelled, or after a short idle time; the packer's session then resumes.

Who may clear is decided by `station.users.authorize_clearance` (role and four eyes); the service checks
four eyes once more against the incident's packer when it writes.
"""

from __future__ import annotations

import html
import logging
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QDialog,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from station.limits import MAX_NOTE_LENGTH, TextTooLong, clip
from station.model import BenchState, IncidentView, Verdict
from station.service import NotAllowed, StorageError
from station.users import ClearanceRefused, User, UserDirectory
from ui.bootstrap import Station
from ui.i18n import QT_TRANSLATE_NOOP, translate
from ui.incident_words import kind_label
from ui.refusal_words import words_for
from ui.supervisor import session as supervisor_session
from ui.supervisor.clearing_facts import (
    CHOICES,
    MIN_NOTE,
    ResolutionChoice,
    note_too_long,
    scanned_text,
    why_text,
)
from ui.supervisor.login import SupervisorLoginDialog
from ui.supervisor.session import SupervisorSession, idle_seconds
from ui.supervisor.style import STYLE_SHEET, duration, local_time
from ui.user_words import role_name

logger = logging.getLogger(__name__)


#: The facts' names (keys of `ClearingDialog.facts`), as shown.
FACT_NAMES = {
    "Scanned": QT_TRANSLATE_NOOP("Supervisor", "Scanned"),
    "Why": QT_TRANSLATE_NOOP("Supervisor", "Why"),
    "Packer": QT_TRANSLATE_NOOP("Supervisor", "Packer"),
    "When": QT_TRANSLATE_NOOP("Supervisor", "When"),
}


class ClearanceDialog(QDialog):
    """One incident, one decision. After it closes, `verdict` is the service's answer (or None) and
    `end_reason` says why it closed: `cleared`, `escalated`, `cancelled` or `idle`."""

    def __init__(
        self,
        station: Station,
        user: User,
        incident: IncidentView,
        session: SupervisorSession | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.station = station
        self.user = user
        self.incident = incident
        self.verdict: Verdict | None = None
        self.end_reason = "cancelled"
        self.setWindowTitle(translate("Supervisor", "Clear order {order}").format(order=incident.order_id))
        self.setStyleSheet(STYLE_SHEET)
        self.resize(1180, 860)
        self._build()
        if session is not None:
            session.signed_out.connect(self._on_session_signed_out)
        self._on_choice_changed()

    @classmethod
    def ask(
        cls,
        parent: QWidget | None,
        station: Station,
        user: User,
        incident: IncidentView,
        session: SupervisorSession | None = None,
    ) -> tuple[Verdict | None, str]:
        """Show modally; (verdict or None, end reason)."""
        dialog = cls(station, user, incident, session, parent)
        try:
            dialog.exec()
            return dialog.verdict, dialog.end_reason
        finally:
            dialog.deleteLater()

    # ------------------------------------------------------------------ layout
    def _build(self) -> None:
        inc = self.incident
        now = self.station.clock.now()
        title = QLabel(
            translate("Supervisor", "Order {order} blocked: {kind}").format(
                order=inc.order_id, kind=kind_label(inc.kind)
            )
        )
        title.setObjectName("title")
        title.setTextFormat(Qt.TextFormat.PlainText)
        who = QLabel(
            translate("Supervisor", "Signed in: <b>{name}</b> ({role})").format(
                name=html.escape(self.user.display_name), role=html.escape(role_name(self.user.role))
            )
        )

        facts = QGridLayout()
        rows = [  # rich text: every value from the data is escaped
            ("Scanned", scanned_text(self.station, inc)),
            ("Why", why_text(inc)),
            ("Packer", html.escape(inc.packer_id or translate("Supervisor", "unknown"))),
            (
                "When",
                translate("Supervisor", "{time} ({age} ago)").format(
                    time=local_time(inc.detected_at), age=duration(now - inc.detected_at)
                ),
            ),
        ]
        self.facts: dict[str, QLabel] = {}
        for i, (name, value) in enumerate(rows):
            key = QLabel(translate("Supervisor", FACT_NAMES[name]))
            key.setObjectName("hint")
            val = QLabel(value)
            val.setTextFormat(Qt.TextFormat.RichText)
            val.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            val.setWordWrap(True)
            self.facts[name] = val
            facts.addWidget(key, i, 0)
            facts.addWidget(val, i, 1)
        facts.setColumnStretch(1, 1)

        self.expected_table = QTableWidget(0, 4)
        self.expected_table.setHorizontalHeaderLabels(
            [
                translate("PackerWindow", "SKU"),
                translate("Supervisor", "Expected item"),
                translate("PackerWindow", "Ordered"),
                translate("PackerWindow", "Scanned"),
            ]
        )
        self.expected_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.expected_table.verticalHeader().setVisible(False)
        lines = self._current_lines()
        for line in lines:
            r = self.expected_table.rowCount()
            self.expected_table.insertRow(r)
            for c, cell in enumerate([line["sku"], line["description"], line["ordered"], line["scanned"]]):
                item = QTableWidgetItem(str(cell))
                if c >= 2:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                self.expected_table.setItem(r, c, item)
        header = self.expected_table.horizontalHeader()
        for column in (0, 2, 3):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)

        self.evidence = QLabel()
        self.evidence.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.evidence.setMinimumSize(320, 240)
        self.evidence.setStyleSheet("border: 1px solid #bbb; background: #eee;")
        pixmap = QPixmap(inc.evidence_file) if inc.evidence_file and Path(inc.evidence_file).is_file() else QPixmap()
        if pixmap.isNull():
            self.evidence.setText(translate("Supervisor", "No camera frame"))
        else:
            self.evidence.setPixmap(
                pixmap.scaled(320, 240, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation)
            )

        top = QHBoxLayout()
        left = QVBoxLayout()
        left.addLayout(facts)
        left.addWidget(self.expected_table, 1)
        top.addLayout(left, 1)
        top.addWidget(self.evidence, 0, Qt.AlignmentFlag.AlignTop)

        box = QGroupBox(translate("Supervisor", "Resolution"))
        box_layout = QVBoxLayout(box)
        self.choice_group = QButtonGroup(self)
        self.choice_buttons: dict[str, QRadioButton] = {}
        for i, choice in enumerate(CHOICES):
            button = QRadioButton(translate("Supervisor", choice.label))
            self.choice_group.addButton(button, i)
            self.choice_buttons[choice.code] = button
            box_layout.addWidget(button)
        self.choice_group.idToggled.connect(lambda *_: self._on_choice_changed())
        self.missing_label = QLabel("")
        self.missing_label.setObjectName("hint")
        self.missing_label.setWordWrap(True)
        box_layout.addWidget(self.missing_label)

        self.note_edit = QPlainTextEdit()
        self.note_edit.setPlaceholderText(translate("Supervisor", "Note (what you found, what you did)"))
        self.note_edit.setFixedHeight(80)
        self.note_edit.textChanged.connect(self._on_choice_changed)
        self.error_label = QLabel("")
        self.error_label.setObjectName("error")
        self.error_label.setWordWrap(True)

        self.clear_button = QPushButton(translate("Supervisor", "Clear package"))
        self.clear_button.setObjectName("primary")
        self.clear_button.clicked.connect(self._on_clear_clicked)
        self.escalate_button = QPushButton(translate("Supervisor", "Escalate to central"))
        self.escalate_button.setObjectName("danger")
        self.escalate_button.clicked.connect(self._on_escalate_clicked)
        self.cancel_button = QPushButton(translate("Supervisor", "Cancel"))
        self.cancel_button.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addWidget(self.escalate_button)
        buttons.addStretch(1)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.clear_button)

        layout = QVBoxLayout(self)
        title_row = QHBoxLayout()
        title_row.addWidget(title, 1)
        title_row.addWidget(who)
        layout.addLayout(title_row)
        layout.addLayout(top, 1)
        layout.addWidget(box)
        layout.addWidget(self.note_edit)
        layout.addWidget(self.error_label)
        layout.addLayout(buttons)

    def _current_lines(self) -> list[dict[str, object]]:
        """The order's lines now (a clearance may follow earlier scans), else as recorded at detection."""
        order = self.station.service.order
        if order is not None and order.order_id == self.incident.order_id:
            return [ln.as_dict() for ln in order.lines]
        return [dict(ln) for ln in self.incident.expected]

    # ------------------------------------------------------------------ behaviour
    def selected(self) -> ResolutionChoice | None:
        index = self.choice_group.checkedId()
        return CHOICES[index] if index >= 0 else None

    def choose(self, code: str) -> None:
        self.choice_buttons[code].setChecked(True)

    def missing_summary(self) -> str:
        """The lines still short, as recorded for credit / backorder when shipping short."""
        parts = []
        for line in self._current_lines():
            missing = int(line["ordered"]) - int(line["scanned"])  # type: ignore[call-overload]
            if missing > 0:
                parts.append(f"{line['sku']} x{missing}")
        return ", ".join(parts)

    def _note(self) -> str:
        return self.note_edit.toPlainText().strip()

    def _on_choice_changed(self) -> None:
        choice = self.selected()
        note = self._note()
        if choice is not None and choice.code == "short_shipped":
            missing = self.missing_summary()
            self.missing_label.setText(
                translate("Supervisor", "Missing, for credit / backorder: {missing}").format(missing=missing)
                if missing
                else translate("Supervisor", "Nothing is missing: the package is complete.")
            )
        else:
            self.missing_label.setText("")
        fits = len(note) <= MAX_NOTE_LENGTH  # central keeps no more: a longer note could never be sent
        ready = choice is not None and (not choice.needs_note or len(note) >= MIN_NOTE) and fits
        self.clear_button.setEnabled(ready)
        self.escalate_button.setEnabled(MIN_NOTE <= len(note) and fits)
        if not fits:
            self.error_label.setText(note_too_long(len(note)))
        elif choice is not None and choice.needs_note and len(note) < MIN_NOTE:
            self.error_label.setText(translate("Supervisor", "Write a note saying what you found."))
        else:
            self.error_label.setText("")

    def _reason(self, choice: ResolutionChoice) -> str:
        reason = self._note() or choice.label
        if choice.code == "short_shipped":
            missing = self.missing_summary()
            if missing:  # the list is on the incident too: cut it rather than refuse the clearance
                reason += clip(f" [backorder: {missing}]", max(0, MAX_NOTE_LENGTH - len(reason)))
        return reason

    def _on_clear_clicked(self) -> None:
        choice = self.selected()
        if choice is None:
            return
        self._apply(
            lambda: self.station.service.clear(self.incident.id, self.user.name, self._reason(choice), choice.code),
            "cleared",
        )

    def _on_escalate_clicked(self) -> None:
        self._apply(lambda: self.station.service.escalate(self.incident.id, self.user.name, self._note()), "escalated")

    def _apply(self, action: Callable[[], Verdict], end_reason: str) -> None:
        try:
            self.verdict = action()
        except (NotAllowed, StorageError) as exc:
            self.error_label.setText(translate("Supervisor", "Not done: {why}").format(why=words_for(exc)))
            return
        except TextTooLong as exc:
            self.error_label.setText(translate("Supervisor", "Not done: {why}").format(why=note_too_long(exc.length)))
            return
        logger.info(
            "incident resolved", extra={"incident": self.incident.id, "by": self.user.name, "outcome": end_reason}
        )
        self.end_reason = end_reason
        self.accept()

    def _on_session_signed_out(self, reason: str) -> None:
        if self.isVisible() and self.verdict is None:
            self.end_reason = reason
            self.reject()


def request_clearance(parent: QWidget | None, station: Station, badge: str | None = None) -> Verdict | None:
    """Let a supervisor clear the blocked package on the bench; the last verdict, or None if nothing was
    resolved (cancelled, refused, idle, or nothing open)."""
    incidents = station.service.open_incidents()
    if not incidents:
        return None
    directory = supervisor_session.make_directory(station)
    order_id = incidents[0].order_id

    def authorize(user: User) -> None:
        for incident in incidents:
            directory.check_clearance(user, incident, order_id)

    user = SupervisorLoginDialog.ask(
        parent,
        directory,
        badge,
        translate("Supervisor", "Sign in to clear order {order}").format(order=order_id),
        authorize,
    )
    if user is None:
        return None
    session = SupervisorSession(directory, int(idle_seconds(station) * 1000))
    session.sign_in(user)
    verdict: Verdict | None = None
    try:
        while session.user is not None:
            open_now = station.service.open_incidents(order_id)
            if not open_now:
                break
            result, end_reason = ClearanceDialog.ask(parent, station, user, open_now[0], session)
            if result is None:
                if end_reason != "idle":
                    session.sign_out(end_reason)
                break
            verdict = result
            if result.state is not BenchState.BLOCKED:
                break
    finally:
        session.close()
        session.deleteLater()
    return verdict


def clear_with_sign_in(
    parent: QWidget | None, station: Station, incident: IncidentView, session: SupervisorSession
) -> Verdict | None:
    """From the flagged queue: sign in if needed (authorized for this incident), then decide it."""
    directory: UserDirectory = session.directory
    if session.user is not None:
        try:
            directory.check_clearance(session.user, incident, incident.order_id)
        except ClearanceRefused:  # e.g. the signed-in supervisor packed this order: someone else signs in
            session.sign_out("refused")
    if session.user is None:
        user = SupervisorLoginDialog.ask(
            parent,
            directory,
            None,
            translate("Supervisor", "Sign in to decide order {order}").format(order=incident.order_id),
            lambda u: directory.check_clearance(u, incident, incident.order_id),
        )
        if user is None:
            return None
        session.sign_in(user)
    assert session.user is not None
    verdict, _reason = ClearanceDialog.ask(parent, station, session.user, incident, session)
    return verdict
