"""The status bar of the packer screen (`BenchStatus`): who packs, the station, the state of each scan
device and of the sync with the central service (red when events are not getting through)."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QLabel, QStatusBar

from ui.i18n import QT_TRANSLATE_NOOP, translate

DEVICE_MARKS = {"connected": "●", "connecting": "◌", "disconnected": "✖", "stopped": "■"}
#: A scan source's state as the status bar says it (a disconnected source is being reconnected).
DEVICE_WORDS = {
    "connected": QT_TRANSLATE_NOOP("PackerWindow", "connected"),
    "connecting": QT_TRANSLATE_NOOP("PackerWindow", "connecting"),
    "disconnected": QT_TRANSLATE_NOOP("PackerWindow", "reconnecting"),
    "stopped": QT_TRANSLATE_NOOP("PackerWindow", "stopped"),
}


class BenchStatus:
    """Fills `bar` with its labels; `device_states` starts from the scanner bridge's."""

    def __init__(self, bar: QStatusBar, station_id: str, device_states: dict[str, tuple[str, str]]) -> None:
        self.packer_label = QLabel(translate("PackerWindow", "Packer: —"))
        self.station_label = QLabel(translate("PackerWindow", "Station: {station}").format(station=station_id))
        self.devices_label = QLabel("")
        self.sync_label = QLabel(translate("PackerWindow", "Sync: not configured"))
        for lab in (self.packer_label, self.station_label, self.devices_label):
            bar.addWidget(lab)
        bar.addPermanentWidget(self.sync_label)
        self.device_states: dict[str, tuple[str, str]] = dict(device_states)
        self.paint_devices()

    def set_device_state(self, source: str, state: str, detail: str) -> None:
        self.device_states[source] = (state, detail)
        self.paint_devices()

    def paint_devices(self) -> None:
        parts = []
        for source, (state, _detail) in sorted(self.device_states.items()):
            word = translate("PackerWindow", DEVICE_WORDS[state]) if state in DEVICE_WORDS else state
            parts.append(f"{DEVICE_MARKS.get(state, '?')} {source}: {word}")
        self.devices_label.setText("   ".join(parts) or translate("PackerWindow", "No scanner"))
        self.devices_label.setToolTip("\n".join(f"{s}: {st} ({d})" for s, (st, d) in self.device_states.items()))

    def set_sync_status(self, text: str, ok: bool) -> None:
        """A short text ("Sync: 3 waiting") and whether all is well (red if not)."""
        self.sync_label.setText(text)
        self.sync_label.setStyleSheet("" if ok else "color: #b3261e; font-weight: bold;")

    def show_sync_status(self, status: Any) -> None:
        """A `sync.client` status: stand-alone (not configured) is a normal way to run; offline, refused or
        parked events are not."""
        from sync.client import ConnectionState
        from ui.commands.sync import describe_sync_status

        ok = (
            status.state in (ConnectionState.CONNECTED, ConnectionState.IDLE, ConnectionState.NOT_CONFIGURED)
            and not status.parked
        )
        self.set_sync_status(
            translate("PackerWindow", "Sync: {status}").format(status=describe_sync_status(status)), ok
        )
