"""The menus and keyboard shortcuts of the packer screen (`SHORTCUTS`, `build_menus`): every command has a
key that works also when the menu bar is hidden (kiosk)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence

from ui.i18n import translate

SHORTCUTS = {
    "seal": "F12",
    "undo": "F8",
    "cancel": "F4",
    "supervisor": "F9",
    "packer": "F2",
    "entry": "Ctrl+L",
    "refresh": "F5",
    "fullscreen": "F11",
    "mute": "Ctrl+M",
    "settings": "Ctrl+,",
    "quit": "Ctrl+Q",
    "queue": "Ctrl+Shift+F",
    "shift": "Ctrl+Shift+S",
    "users": "Ctrl+Shift+U",
}


@dataclass(frozen=True)
class PackerActions:
    """The actions the window enables, disables or checks as the bench changes."""

    seal: QAction
    undo: QAction
    cancel: QAction
    mute: QAction


def build_menus(window: Any) -> PackerActions:
    """File, Pack, Supervisor and View menus on `window` (a `PackerWindow`), wired to its slots."""

    def action(text: str, key: str, slot: Any, menu: Any) -> QAction:
        act = QAction(text, window)
        act.setShortcut(QKeySequence(SHORTCUTS[key]))
        act.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        act.triggered.connect(slot)
        menu.addAction(act)
        window.addAction(act)  # shortcuts work even when the menu bar is hidden (kiosk)
        return act

    bar = window.menuBar()
    file_menu = bar.addMenu(translate("PackerWindow", "&File"))
    action(translate("PackerWindow", "Settings…"), "settings", window.open_settings, file_menu)
    sheet = QAction(translate("PackerWindow", "Print command sheet…"), window)
    sheet.triggered.connect(window.save_command_sheet)
    file_menu.addAction(sheet)
    file_menu.addSeparator()
    action(translate("PackerWindow", "Quit"), "quit", window.close, file_menu)
    pack = bar.addMenu(translate("PackerWindow", "&Pack"))
    seal = action(translate("PackerWindow", "Seal package"), "seal", window.seal, pack)
    undo = action(translate("PackerWindow", "Undo last scan"), "undo", window.undo, pack)
    cancel = action(translate("PackerWindow", "Cancel order"), "cancel", window.cancel, pack)
    pack.addSeparator()
    action(translate("PackerWindow", "Supervisor clearance…"), "supervisor", lambda: window.request_clearance(), pack)
    action(translate("PackerWindow", "Change packer…"), "packer", window.ask_for_packer, pack)
    action(translate("PackerWindow", "Type a code"), "entry", window.focus_entry, pack)
    action(translate("PackerWindow", "Reload bench"), "refresh", window.refresh, pack)
    supervisor = bar.addMenu(translate("PackerWindow", "&Supervisor"))
    action(translate("PackerWindow", "Flagged packages…"), "queue", window.open_flagged_queue, supervisor)
    action(translate("PackerWindow", "Shift view…"), "shift", window.open_shift_view, supervisor)
    action(translate("PackerWindow", "Users…"), "users", window.open_users, supervisor)
    view = bar.addMenu(translate("PackerWindow", "&View"))
    action(translate("PackerWindow", "Full screen"), "fullscreen", window.toggle_fullscreen, view)
    mute = action(translate("PackerWindow", "Mute sounds"), "mute", window.toggle_mute, view)
    mute.setCheckable(True)
    mute.setChecked(window.sound.muted)
    return PackerActions(seal, undo, cancel, mute)
