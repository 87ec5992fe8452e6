"""The printable sheet of command barcodes (`write_command_sheet`): CMD:SEAL / UNDO / CANCEL / REPRINT as Code 128,
so a packer can run the whole flow from the scanner alone. PNG (150 dpi A4) or PDF."""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QMarginsF, QRect, Qt
from PySide6.QtGui import QFont, QImage, QPageSize, QPainter, QPdfWriter

from station.commands import Command
from ui.i18n import QT_TRANSLATE_NOOP, translate

logger = logging.getLogger(__name__)

#: (barcode payload, what it does): the payload is what the station matches and is NEVER translated; the
#: words under it are (context "CommandSheet"), in the site's language when the sheet is printed.
COMMANDS = (
    (Command.SEAL.barcode, QT_TRANSLATE_NOOP("CommandSheet", "Seal the package")),
    (Command.UNDO.barcode, QT_TRANSLATE_NOOP("CommandSheet", "Undo the last scan")),
    (Command.CANCEL.barcode, QT_TRANSLATE_NOOP("CommandSheet", "Cancel the order")),
    (Command.REPRINT.barcode, QT_TRANSLATE_NOOP("CommandSheet", "Reprint the last slip and label")),
)


def sheet_lines() -> list[tuple[str, str]]:
    """What the sheet prints: each barcode's payload (as is) and its caption (translated)."""
    return [(code, f"{code}  —  {translate('CommandSheet', what)}") for code, what in COMMANDS]


def _barcode_image(text: str) -> QImage:
    import zxingcpp

    barcode = zxingcpp.create_barcode(text, zxingcpp.BarcodeFormat.Code128)
    pixels = barcode.to_image(scale=4, add_hrt=False, add_quiet_zones=True)
    import numpy as np

    arr = np.ascontiguousarray(np.asarray(pixels, dtype=np.uint8))
    h, w = arr.shape[:2]
    return QImage(arr.data, w, h, w, QImage.Format.Format_Grayscale8).copy()


def _paint_sheet(p: QPainter, width: int, height: int) -> None:
    title = QFont("Sans")
    title.setPixelSize(max(24, width // 25))
    title.setBold(True)
    label = QFont("Sans")
    label.setPixelSize(max(18, width // 40))
    p.fillRect(QRect(0, 0, width, height), Qt.GlobalColor.white)
    p.setFont(title)
    p.drawText(
        QRect(0, height // 30, width, height // 12),
        Qt.AlignmentFlag.AlignCenter,
        translate("CommandSheet", "PackGate command barcodes"),
    )
    slot = (height - height // 8) // len(COMMANDS)
    for i, (code, caption) in enumerate(sheet_lines()):
        top = height // 8 + i * slot
        img = _barcode_image(code)
        bw = int(width * 0.7)
        bh = int(slot * 0.5)
        p.drawImage(QRect((width - bw) // 2, top, bw, bh), img)
        p.setFont(label)
        p.drawText(QRect(0, top + bh + 8, width, slot // 5), Qt.AlignmentFlag.AlignCenter, caption)


def write_command_sheet(path: Path) -> Path:
    """Save the command-barcode sheet as PNG (150 dpi A4) or PDF (by the file's suffix)."""
    suffix = path.suffix.lower()
    if suffix == ".pdf":
        writer = QPdfWriter(str(path))
        writer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
        writer.setPageMargins(QMarginsF(15, 15, 15, 15))
        writer.setResolution(150)
        p = QPainter(writer)
        try:
            _paint_sheet(p, writer.width(), writer.height())
        finally:
            p.end()
    elif suffix == ".png":
        image = QImage(1240, 1754, QImage.Format.Format_RGB32)
        p = QPainter(image)
        try:
            _paint_sheet(p, image.width(), image.height())
        finally:
            p.end()
        # PySide6 6.11's stubs type `format` as bytes, but at runtime it takes only str (bytes raises ValueError).
        if not image.save(str(path), "PNG"):  # type: ignore[call-overload]
            raise OSError(f"cannot write {path}")
    else:
        raise ValueError(f"save the sheet as .png or .pdf, not {suffix or 'no extension'}")
    logger.info("command sheet saved", extra={"path": str(path)})
    return path
