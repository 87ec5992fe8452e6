"""How the packer screen paints the bench (`BenchPainting`, a part of `PackerWindow`): the verdict panel,
whose red headline nothing replaces while the package is blocked (`_show` is the one gate; whatever comes
in meanwhile becomes its secondary line), the order header and lines, the command buttons that fit the
bench state, and the open incidents.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from station.db import QueryError
from station.model import BenchState, OrderView, Verdict, VerdictKind
from ui import blocked_style as bs
from ui import verdict_style as vs
from ui.packer_layout import PackerWidgets
from ui.verdict_panel import BlockedPanel

logger = logging.getLogger(__name__)


class BenchPainting(PackerWidgets):
    """Mixed into `PackerWindow`, which builds the widgets (`ui.packer_layout`) and decides the rest."""

    service: Any
    sound: Any
    blocked_panel: BlockedPanel
    last_verdict: Verdict | None
    last_style: vs.VerdictStyle | None
    verdict_shown: Any
    seal_action: Any
    undo_action: Any
    cancel_action: Any

    if TYPE_CHECKING:

        def _paint_blocked(self, blocked: bool) -> None: ...

    # ------------------------------------------------------------------ painting
    def show_verdict(self, verdict: Verdict) -> vs.VerdictStyle:
        self.last_verdict = verdict
        order = verdict.order if verdict.order is not None else self.service.order
        self._paint_order(order, verdict.line.line_id if verdict.line else None)
        style = vs.style_for(verdict)
        if verdict.state is BenchState.BLOCKED:
            if verdict.blocking:  # this scan blocked the package: its words stay until a supervisor clears
                style = self.blocked_panel.blocked_by(verdict, style)
            self._paint_incidents(verdict.open_incidents or self.service.open_incidents())
            if not verdict.blocking:
                style = bs.with_also(self.blocked_panel.panel(), self._also_for(verdict, style))
        else:
            self._paint_blocked(False)
        return self._show(style)

    def show_scanner_problems(self, problems: Sequence[str]) -> vs.VerdictStyle:
        """Tell the packer the scan sources that did not start (the panel keeps a block's red words)."""
        return self._show(vs.style_for_message("SCANNER PROBLEM", "; ".join(problems), vs.Tone.WAIT))

    def _also_for(self, verdict: Verdict, style: vs.VerdictStyle) -> str:
        """The secondary line for a verdict that came while the package is blocked."""
        if verdict.kind in (VerdictKind.STILL_BLOCKED, VerdictKind.UNKNOWN_COMMAND):
            return bs.also_scanned(verdict)
        if verdict.kind is VerdictKind.CLEARED:
            return bs.also_cleared_one(len(self.blocked_panel.incidents))
        if verdict.kind is VerdictKind.ORDER_LOADED:
            return ""
        return bs.also_message(style)

    def _blocked_style(self) -> vs.VerdictStyle:
        if not self.blocked_panel.known:
            self._paint_incidents(self._open_incidents())
        return self.blocked_panel.panel()

    def _open_incidents(self) -> tuple[Any, ...]:
        try:
            return self.service.open_incidents()
        except QueryError as exc:  # the red panel still shows; the list fills on the next reload
            logger.error("cannot read the open incidents: %s", exc)
            return ()

    def _show(
        self, style: vs.VerdictStyle, refresh: bool = False, also: str | None = None, silent: bool = False
    ) -> vs.VerdictStyle:
        """The one place that paints the panel. While the package is blocked nothing replaces its red
        headline: `style` then becomes the secondary line (`also`, or words made from `style`)."""
        if refresh:
            self._paint_order(self.service.order, None)
        if self.service.state is BenchState.BLOCKED and not style.holds_block:
            style = bs.with_also(
                self._blocked_style(), also if also is not None else bs.also_message(style), silent=silent
            )
        self.last_style = style
        self.verdict_panel.show_style(style)
        # Lay out and paint now, not at the next idle: the packer sees the verdict in the same event-loop
        # turn, and a panel that grew a line (details, the "also scanned" line) is not painted squashed.
        self.bench_layout.activate()
        self.verdict_panel.repaint()
        self.sound.play(style.sound)
        self.verdict_shown.emit(style)
        return style

    def _paint_order(self, order: OrderView | None, highlight: int | None) -> None:
        self.header.show_order(order)
        self.lines_table.show_order(order, highlight)
        state = self.service.state
        can_pack = state in (BenchState.ORDER_LOADED, BenchState.SCANNING, BenchState.COMPLETE)
        for w in (self.seal_button, self.cancel_button, self.seal_action, self.cancel_action):
            w.setEnabled(can_pack)
        self.undo_button.setEnabled(state in (BenchState.SCANNING, BenchState.COMPLETE))
        self.undo_action.setEnabled(self.undo_button.isEnabled())

    def _paint_incidents(self, incidents: tuple[Any, ...]) -> bool:
        """List the open incidents, frame the window red; True if the red panel's words change."""
        self.incidents_box.list_incidents(incidents)
        self._paint_blocked(True)
        order = self.service.order
        return self.blocked_panel.update(order.order_id if order else None, tuple(incidents))
