"""Who is packing at the bench (`BenchPacker`, a part of `PackerWindow`): the badge prompt, a badge or a
name from the picker, and the screen that follows. `station.packer_gate` decides what a badge scan means;
this part only paints it. A blocked package stays on screen as blocked while the bench asks who packs.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Slot

from station.model import BenchState
from station.packer_gate import GateAction, GateDecision
from station.service import StorageError
from ui import blocked_style as bs
from ui import verdict_style as vs
from ui.i18n import translate
from ui.packer_layout import PackerWidgets


class BenchPacker(PackerWidgets):
    """Mixed into `PackerWindow`, which builds the widgets (`ui.packer_layout`) and owns `_show`."""

    service: Any

    if TYPE_CHECKING:  # given by `ui.bench_painting.BenchPainting` and `PackerWindow`

        def _show(
            self, style: vs.VerdictStyle, refresh: bool = False, also: str | None = None, silent: bool = False
        ) -> vs.VerdictStyle: ...

        def _paint_bench(self, show: bool = True) -> None: ...

    @Slot()
    def ask_for_packer(self) -> None:
        """Ask who packs; a blocked package stays on screen as blocked (red, its incidents) meanwhile."""
        self.service.packers.ask()
        self.packer_box.setVisible(True)
        self.incidents_box.setVisible(self.service.state is BenchState.BLOCKED)
        self.clear_hint.setVisible(False)  # room for the name picker; the red panel says it big
        self._show(vs.style_for_badge_prompt(), also=bs.who_is_packing_blocked(), silent=True)

    def _handle_badge(self, code: str, gate: GateDecision) -> vs.VerdictStyle:
        if gate.action is GateAction.UNKNOWN_BADGE:
            return self._show(vs.style_for_unknown_badge(code))
        if gate.action is GateAction.ASK_AGAIN:
            return self._show(vs.style_for_badge_prompt(), also=bs.who_is_packing_blocked())
        assert gate.packer is not None
        return self.set_packer(gate.packer)

    @Slot()
    def _on_packer_start_clicked(self) -> None:
        name = self.packer_combo.currentData()
        if name:
            self.set_packer(name)

    def set_packer(self, packer_id: str) -> vs.VerdictStyle:
        try:
            self.service.set_packer(packer_id)
        except StorageError as exc:
            return self._show(vs.style_for_storage_error(exc))
        self.packer_box.setVisible(False)
        self.clear_hint.setVisible(True)
        self._packer_label.setText(translate("PackerWindow", "Packer: {name}").format(name=self._display(packer_id)))
        self._paint_bench(show=False)
        style = vs.style_for_packer(self._display(packer_id))
        if self.service.state is BenchState.BLOCKED:
            return self._show(style, also=bs.also_packer(self._display(packer_id)))
        if self.service.state is not BenchState.NO_ORDER:
            style = vs.style_for_state(self.service.state, self.service.order)
        return self._show(style)

    def _display(self, packer_id: str) -> str:
        return self.service.packers.display_name(packer_id)
