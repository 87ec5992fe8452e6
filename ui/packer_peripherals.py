"""What the packer screen is attached to besides the package on the bench (`PackerPeripherals`, a part of
`PackerWindow`): the supervisor screens of its menus, the status bar's device and sync states, the camera
preview, swapping the scan sources after the settings changed, extra side panels, and the small View and
File actions (full screen, mute, settings, the command sheet). None of it decides a verdict.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Slot
from PySide6.QtWidgets import QMessageBox, QWidget

from station.settings import SoundSettings
from ui import verdict_style as vs
from ui.bootstrap import Station
from ui.camera_preview import CameraPreview
from ui.packer_layout import PackerWidgets
from ui.packer_menus import PackerActions
from ui.scan_sources import CAMERA_SECTION, ScanSources, camera_settings
from ui.sound_player import SoundPlayer
from ui.tool_windows import ToolWindows

logger = logging.getLogger(__name__)


class PackerPeripherals(PackerWidgets):
    """Mixed into `PackerWindow` (a QMainWindow), which sets these attributes and provides `refresh` and
    `show_scanner_problems`."""

    station: Station
    bridge: Any
    sources: ScanSources
    sound: SoundPlayer
    tools: ToolWindows
    menu_actions: PackerActions
    sync: Any
    camera_preview: Any
    scale: Any
    weigher: Any
    scale_panel: Any

    if TYPE_CHECKING:

        def refresh(self) -> None: ...

        def show_scanner_problems(self, problems: Sequence[str]) -> vs.VerdictStyle: ...

    # ------------------------------------------------------------------ supervisor screens
    @Slot()
    def open_flagged_queue(self) -> Any:
        return self.tools.flagged_queue()

    @Slot()
    def open_shift_view(self) -> Any:
        return self.tools.shift_view()

    @Slot()
    def open_users(self) -> Any:
        return self.tools.users()

    @Slot(object)
    def _on_queue_incident_resolved(self, _verdict: Any) -> None:
        self.refresh()

    def device_status_text(self) -> str:
        return self.status.devices_label.text()

    def packer_status_text(self) -> str:
        return self._packer_label.text()

    def attach_sync(self, sync: Any) -> None:
        """Show a `ui.sync_bridge.QtSyncWorker`'s status in the status bar; it is stopped with the window."""
        self.sync = sync
        sync.status_changed.connect(self._on_sync_status_changed)
        self._on_sync_status_changed(sync.status)

    @Slot(object)
    def _on_sync_status_changed(self, status: Any) -> None:
        self.status.show_sync_status(status)

    def attach_camera_preview(self, preview: CameraPreview, frame_bridge: Any) -> None:
        """Put the live camera picture in the side panel; frames arrive through `frame_bridge`."""
        self.camera_preview = preview
        frame_bridge.frame_ready.connect(preview.show_frame)
        self.preview_layout.addWidget(preview)
        self.preview_slot.setVisible(True)

    def attach_scale(self, scale: Any) -> None:
        """Weigh at seal with a `ui.bench_scale.BenchScale` (started here, stopped with the window): the live
        weight under the order header, its state in the status bar, and every SEAL waiting for a stable
        reading (`ui.scale_panel`). Without this the bench seals as it always did."""
        from ui.scale_panel import ScalePanel, WeighAndSeal

        self.detach_scale()
        self.scale = scale
        scale.bridge.setParent(self)
        self.service.use_weighing(scale.weighing)  # type: ignore[attr-defined]
        self.scale_panel = ScalePanel(scale, self)
        self.bench_layout.insertWidget(1, self.scale_panel)
        self.weigher = WeighAndSeal(scale, self.service, self.show_verdict, self._show, self)  # type: ignore[attr-defined]
        scale.bridge.state_changed.connect(self.status.set_device_state)
        if not getattr(self, "_scale_hooked", False):
            self.verdict_shown.connect(self._on_verdict_for_scale)  # type: ignore[attr-defined]
            self._scale_hooked = True
        self._on_verdict_for_scale(None)
        scale.start()

    def detach_scale(self) -> None:
        """Stop the bench scale and take its line off the screen; the bench seals without weighing again."""
        scale, self.scale = getattr(self, "scale", None), None
        if scale is None:
            return
        scale.stop()
        if self.weigher is not None:
            self.weigher.cancel()
            self.weigher.deleteLater()
        self.weigher = None
        if self.scale_panel is not None:
            self.bench_layout.removeWidget(self.scale_panel)
            self.scale_panel.deleteLater()
        self.scale_panel = None
        self.service.use_weighing(None)  # type: ignore[attr-defined]
        self.status.device_states.pop(scale.source, None)
        self.status.paint_devices()

    def replace_scale(self, spec: Any) -> None:
        """After the settings were saved: the new scale (or none), with the weighing rules as saved."""
        from station.weighing import WeighingSettings
        from ui.bench_scale import BenchScale

        if spec is None:
            self.detach_scale()
            return
        self.attach_scale(BenchScale(spec, self.station.settings.read(WeighingSettings)))

    def _on_verdict_for_scale(self, _style: Any) -> None:
        if self.weigher is None or self.scale_panel is None:
            return
        order = self.service.order  # type: ignore[attr-defined]
        self.weigher.package_changed(order)
        self.scale_panel.set_order(order)

    def set_sync_status(self, text: str, ok: bool) -> None:
        """For the sync worker: a short text ("Sync: 3 waiting") and whether all is well (red if not)."""
        self.status.set_sync_status(text, ok)

    def replace_sources(self, specs: list[Any]) -> list[str]:
        """Stop the running scan sources and start `specs` instead (settings saved); returns problems."""
        self.sources.stop()
        self.status.device_states.clear()
        # Camera options re-read too: the settings dialog saves them together with the sources.
        self.sources = ScanSources(
            self.bridge,
            specs,
            self.sources.frame_listener,
            camera_settings(specs, self.station.settings.section(CAMERA_SECTION)),
        )
        problems = self.sources.start()
        self.status.paint_devices()
        if problems:
            self.show_scanner_problems(problems)
        return problems

    def add_side_widget(self, widget: QWidget, stretch: int = 1) -> None:
        """Extra panels on the right (the demo helper, later the camera preview)."""
        self.side_layout.addWidget(widget, stretch)

    # ------------------------------------------------------------------ misc actions
    @Slot()
    def focus_entry(self) -> None:
        self.entry.setFocus()
        self.entry.selectAll()

    @Slot()
    def toggle_fullscreen(self) -> None:
        self.showNormal() if self.isFullScreen() else self.showFullScreen()

    @Slot()
    def toggle_mute(self) -> None:
        self.sound.muted = not self.sound.muted
        self.menu_actions.mute.setChecked(self.sound.muted)
        settings = self.station.settings
        settings.write(SoundSettings(muted=self.sound.muted))
        try:
            settings.save()
        except OSError as exc:
            logger.error("mute setting not saved: %s", exc)

    @Slot()
    def open_settings(self) -> None:
        from ui.settings_dialog import SettingsDialog

        SettingsDialog.edit(self, self.station.settings, self.sources)

    @Slot()
    def save_command_sheet(self) -> None:
        from PySide6.QtWidgets import QFileDialog

        from ui.command_sheet import write_command_sheet

        path, _ = QFileDialog.getSaveFileName(
            self, "Save command sheet", "packgate-commands.png", "PNG image (*.png);;PDF (*.pdf)"
        )
        if not path:
            return
        try:
            write_command_sheet(Path(path))
        except (OSError, ValueError) as exc:
            QMessageBox.warning(self, "Command sheet", f"Could not save the command sheet: {exc}")
