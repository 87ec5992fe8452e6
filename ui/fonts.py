"""Fonts of the packer screen, sized in pixels so the bench reads the same from arm's length on any screen."""

from __future__ import annotations

from PySide6.QtGui import QFont
from PySide6.QtWidgets import QWidget

LINES_PX = 22  # order lines >= 20 px


def pixel_font(widget: QWidget, px: int, bold: bool = False) -> QFont:
    """`widget`'s font at `px` pixels (bold if asked); set it with `setFont`."""
    font = QFont(widget.font())
    font.setPixelSize(px)
    if bold:
        font.setBold(True)
    return font
