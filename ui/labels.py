"""Printed barcode labels as pictures, for the screenshot script, the demo clips and the camera benchmark.

zxing-cpp renders the symbol (it writes EAN/UPC, Code 128 incl. GS1-128, QR and DataMatrix); we make the
1D bars as tall as on a printed label and turn the label on the desk without cutting its corners.
"""

from __future__ import annotations

import cv2
import numpy as np
import zxingcpp

LINEAR = {"EAN13", "UPCA", "Code128", "GS1-128"}


def render_label(
    text: str, fmt: str, *, scale: int = 3, margin: int = 20, angle: float = 0.0, fill: int = 255, bar_ratio: int = 4
) -> np.ndarray:
    """A grayscale label: `fmt` is a `zxingcpp.BarcodeFormat` name, or "GS1-128" (Code 128 with FNC1).
    1D bars are at least 1/`bar_ratio` of the symbol's width tall; `fill` paints what rotation uncovers."""
    gs1 = fmt == "GS1-128"
    barcode_format = zxingcpp.BarcodeFormat.Code128 if gs1 else getattr(zxingcpp.BarcodeFormat, fmt)
    symbol = (
        zxingcpp.create_barcode(text, barcode_format, gs1=gs1) if gs1 else zxingcpp.create_barcode(text, barcode_format)
    )
    img: np.ndarray = np.array(symbol.to_image(scale=scale, add_quiet_zones=True), np.uint8)
    if fmt in LINEAR:
        img = cv2.resize(
            img, (img.shape[1], max(img.shape[0], img.shape[1] // bar_ratio)), interpolation=cv2.INTER_NEAREST
        )
    img = cv2.copyMakeBorder(img, margin, margin, margin, margin, cv2.BORDER_CONSTANT, value=255)
    if not angle:
        return img
    h, w = img.shape
    m = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
    cos, sin = abs(m[0, 0]), abs(m[0, 1])
    nw, nh = int(h * sin + w * cos), int(h * cos + w * sin)  # grow the canvas: the corners stay on it
    m[0, 2] += nw / 2 - w / 2
    m[1, 2] += nh / 2 - h / 2
    return cv2.warpAffine(img, m, (nw, nh), borderValue=fill)
