"""Test-image helpers: render barcodes with zxing-cpp's writer, degrade them like a bench camera would,
compose frames and write them to a video file. No dependency on ``../shared/``.

Formats for ``render_barcode``: "ean13", "upca", "code128", "gs1-128", "qr", "datamatrix",
"gs1-datamatrix". GS1 content is written in parenthesised form ("(01)09506000134352(10)ABC").
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from pathlib import Path

import cv2
import numpy as np
import zxingcpp

logger = logging.getLogger(__name__)


def frame_to_rgb(frame: np.ndarray) -> np.ndarray:
    """A contiguous RGB copy of a BGR (or gray) frame: the work one preview frame costs (bench_decoding)."""
    if frame.ndim == 2:
        return np.ascontiguousarray(cv2.cvtColor(frame, cv2.COLOR_GRAY2RGB))
    return np.ascontiguousarray(cv2.cvtColor(frame, cv2.COLOR_BGR2RGB))


_FORMATS = {
    "ean13": (zxingcpp.BarcodeFormat.EAN13, {}),
    "upca": (zxingcpp.BarcodeFormat.UPCA, {}),
    "code128": (zxingcpp.BarcodeFormat.Code128, {}),
    "gs1-128": (zxingcpp.BarcodeFormat.Code128, {"gs1": True}),
    "qr": (zxingcpp.BarcodeFormat.QRCode, {}),
    "datamatrix": (zxingcpp.BarcodeFormat.DataMatrix, {}),
    "gs1-datamatrix": (zxingcpp.BarcodeFormat.DataMatrix, {"gs1": True}),
}


def render_barcode(text: str, fmt: str, scale: int = 3, margin: int = 20) -> np.ndarray:
    """A clean grayscale (uint8) rendering with quiet zones plus a white ``margin``."""
    try:
        barcode_format, options = _FORMATS[fmt]
    except KeyError:
        raise ValueError(f"unknown test format {fmt!r}; known: {', '.join(_FORMATS)}") from None
    barcode = zxingcpp.create_barcode(text, barcode_format, **options)
    img = np.array(barcode.to_image(scale=scale, add_quiet_zones=True), dtype=np.uint8)
    if fmt in ("ean13", "upca", "code128", "gs1-128"):
        # zxing-cpp renders 1D codes short; a printed label's bars are at least a quarter as tall as wide.
        img = cv2.resize(img, (img.shape[1], max(img.shape[0], img.shape[1] // 4)), interpolation=cv2.INTER_NEAREST)
    return cv2.copyMakeBorder(img, margin, margin, margin, margin, cv2.BORDER_CONSTANT, value=255)


def degrade(
    img: np.ndarray, rotate: float = 0.0, blur: float = 0.0, noise: float = 0.0, seed: int = 0, contrast: float = 1.0
) -> np.ndarray:
    """Rotate (degrees, white fill, canvas grown to fit), Gaussian-blur (sigma px), lower contrast, and
    add Gaussian noise (sigma in grey levels), reproducibly from ``seed``."""
    out = img
    if rotate:
        h, w = out.shape[:2]
        m = cv2.getRotationMatrix2D((w / 2, h / 2), rotate, 1.0)
        cos, sin = abs(m[0, 0]), abs(m[0, 1])
        nw, nh = int(h * sin + w * cos), int(h * cos + w * sin)
        m[0, 2] += nw / 2 - w / 2
        m[1, 2] += nh / 2 - h / 2
        out = cv2.warpAffine(out, m, (nw, nh), flags=cv2.INTER_LINEAR, borderValue=255)
    if blur:
        out = cv2.GaussianBlur(out, (0, 0), blur)
    out = out.astype(np.float32)
    if contrast != 1.0:
        out = 128 + (out - 128) * contrast
    if noise:
        out = out + np.random.default_rng(seed).normal(0, noise, out.shape)
    return np.clip(out, 0, 255).astype(np.uint8)


def blank_frame(width: int = 1280, height: int = 720, noise: float = 8.0, seed: int = 0) -> np.ndarray:
    """An empty bench: smooth shading plus sensor noise, BGR."""
    rng = np.random.default_rng(seed)
    yy, xx = np.mgrid[0:height, 0:width]
    base = 120 + 30 * np.sin(xx / 310.0) * np.cos(yy / 190.0)
    gray = np.clip(base + rng.normal(0, noise, (height, width)), 0, 255).astype(np.uint8)
    return cv2.cvtColor(gray, cv2.COLOR_GRAY2BGR)


def place(frame: np.ndarray, patch: np.ndarray, x: int, y: int) -> np.ndarray:
    """A copy of the BGR ``frame`` with the grayscale/BGR ``patch`` pasted at (x, y), clipped to the frame."""
    out = frame.copy()
    if patch.ndim == 2:
        patch = cv2.cvtColor(patch, cv2.COLOR_GRAY2BGR)
    h = min(patch.shape[0], out.shape[0] - y)
    w = min(patch.shape[1], out.shape[1] - x)
    if h > 0 and w > 0:
        out[y : y + h, x : x + w] = patch[:h, :w]
    return out


def write_video(path: Path, frames: Iterable[np.ndarray], fps: float) -> Path:
    """Write BGR frames to an MJPG ``.avi`` (always available in opencv-python-headless); returns path."""
    frames = list(frames)
    if not frames:
        raise ValueError("no frames to write")
    h, w = frames[0].shape[:2]
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter.fourcc(*"MJPG"), fps, (w, h))
    if not writer.isOpened():
        raise RuntimeError(f"OpenCV cannot write video {path}")
    try:
        for f in frames:
            writer.write(f if f.ndim == 3 else cv2.cvtColor(f, cv2.COLOR_GRAY2BGR))
    finally:
        writer.release()
    return path
