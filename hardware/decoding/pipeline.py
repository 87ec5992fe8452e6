"""The chosen decoding pipeline (``Decoder.decode``):

1. fast pass: zxing-cpp limited to the enabled formats, rotate + downscale retries, no invert;
2. only when the fast pass found nothing and the frame holds a high-contrast region (``candidate_regions``,
   a cheap blurred-gradient map on a downscaled copy): for each candidate crop, within a time budget,
   zxing-cpp with invert and an upscaled copy, then pyzbar, then a sharpened copy.

An empty bench frame therefore costs one limited zxing-cpp pass plus the gate, a few milliseconds.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable, Iterable
from pathlib import Path

import cv2
import numpy as np
from pyzbar.pyzbar import ZBarSymbol

from hardware.decoding.decoders import (
    DEFAULT_FORMATS,
    FORMATS,
    DecodedCode,
    Polygon,
    check_formats,
    pyzbar_decode,
    to_gray,
    unique_codes,
    zbar_symbols,
    zxing_decode,
)

logger = logging.getLogger("hardware.decoding")  # the name it logged under before the split: log filters and files

_GATE_WIDTH = 640  # the gate works on a copy this wide: cheap, and modules of 2 px at 1280 survive
_GATE_SMALL_IMAGE = 800 * 600  # below this, retries on the whole image are cheap: no gate needed


def candidate_regions(gray: np.ndarray, max_regions: int = 4) -> list[tuple[int, int, int, int]]:
    """Rectangles (x, y, w, h, full-image coordinates) where a barcode is likely, largest first.

    A barcode is a patch of dense high-contrast edges. On a blurred, downscaled copy sensor noise is
    averaged away while bars survive, so "edge density well above the frame's median and above an
    absolute floor" separates labels from an empty bench. Costs ~1-2 ms on 1280x720.
    """
    h, w = gray.shape
    scale = min(1.0, _GATE_WIDTH / w)
    small = cv2.resize(gray, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA) if scale < 1 else gray
    mask = _dense_edges(small)
    # A second, 3x coarser level of the pyramid catches codes with wide bars, whose edges are too
    # far apart to form one dense blob at the first level.
    coarse = cv2.resize(small, None, fx=1 / 3, fy=1 / 3, interpolation=cv2.INTER_AREA)
    if min(coarse.shape) >= 16:
        mask |= cv2.resize(_dense_edges(coarse), (small.shape[1], small.shape[0]), interpolation=cv2.INTER_NEAREST)
    n, _, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
    min_area = 0.002 * small.shape[0] * small.shape[1]
    boxes = []
    for i in range(1, n):
        x, y, bw, bh, area = stats[i]
        if area < min_area:
            continue
        pad = 12  # quiet zone and bars the blur cut off
        x0, y0 = max(0, x - pad), max(0, y - pad)
        x1, y1 = min(small.shape[1], x + bw + pad), min(small.shape[0], y + bh + pad)
        boxes.append((int(area), (int(x0 / scale), int(y0 / scale), int((x1 - x0) / scale), int((y1 - y0) / scale))))
    boxes.sort(reverse=True)
    return [b for _, b in boxes[:max_regions]]


def _dense_edges(small: np.ndarray) -> np.ndarray:
    """Mask of pixels in a patch of dense high-contrast edges (1) on a downscaled grayscale image."""
    small = cv2.GaussianBlur(small, (0, 0), 1.0)
    grad = cv2.morphologyEx(small, cv2.MORPH_GRADIENT, np.ones((3, 3), np.uint8))
    density = cv2.blur(grad, (15, 15))
    # Relative term: a textured or noisy scene raises the bar; capped so that a code filling most of
    # the image (its edge density *is* the median) still passes.
    threshold = max(15.0, min(3.0 * float(np.median(density)), 90.0))
    mask = (density > threshold).astype(np.uint8)
    # Close generously: the bars of a code leave low-density gaps between their edges.
    return cv2.morphologyEx(mask, cv2.MORPH_CLOSE, np.ones((25, 25), np.uint8))


def _shift(codes: list[DecodedCode], dx: int, dy: int, factor: float = 1.0) -> list[DecodedCode]:
    """Map polygons from a (scaled) crop back into full-image coordinates."""
    return [
        DecodedCode(
            c.text,
            c.symbology,
            tuple((int(round(x / factor)) + dx, int(round(y / factor)) + dy) for x, y in c.polygon),
            c.decoder,
            c.format,
        )
        for c in codes
    ]


def _neighbourhood(gray: np.ndarray, polygon: Polygon) -> tuple[np.ndarray, tuple[int, int]]:
    """The crop around a code's outline, padded so a second decoder sees the whole symbol."""
    xs = [p[0] for p in polygon]
    ys = [p[1] for p in polygon]
    w, h = max(xs) - min(xs), max(ys) - min(ys)
    # zxing-cpp outlines a 1D code by its scan lines, which can be nearly flat: pad by the width too.
    pad_x, pad_y = max(16, w // 8), max(16, h // 2, w // 3)
    x0, y0 = max(0, min(xs) - pad_x), max(0, min(ys) - pad_y)
    x1, y1 = min(gray.shape[1], max(xs) + pad_x), min(gray.shape[0], max(ys) + pad_y)
    return gray[y0:y1, x0:x1], (x0, y0)


def _sharpen(gray: np.ndarray) -> np.ndarray:
    blurred = cv2.GaussianBlur(gray, (0, 0), 2.0)
    return cv2.addWeighted(gray, 1.8, blurred, -0.8, 0)


class Decoder:
    """The chosen decoding pipeline (see the module docstring), configured by the site's formats.

    ``roi`` (x, y, w, h) limits decoding to the part of the frame where the packer presents items;
    polygons are still reported in full-frame coordinates. ``retry_budget_ms`` caps the time spent on
    retries in one frame so a cluttered frame cannot stall the camera.
    """

    def __init__(
        self,
        formats: Iterable[str] = DEFAULT_FORMATS,
        roi: tuple[int, int, int, int] | None = None,
        *,
        retries: bool = True,
        retry_budget_ms: float = 40.0,
    ) -> None:
        self.formats = check_formats(formats)
        if roi is not None:
            x, y, w, h = roi
            if w <= 0 or h <= 0 or x < 0 or y < 0:
                raise ValueError(f"region of interest must have non-negative origin and positive size, got {roi}")
        self.roi = roi
        self.retries = retries
        self.retry_budget_ms = retry_budget_ms
        self._zx_formats = sorted(self.formats)
        self._zbar_ok = any(FORMATS[f].zbar for f in self.formats)

    def decode(self, image: np.ndarray) -> list[DecodedCode]:
        """Decode every code in a BGR or grayscale image; one entry per distinct text."""
        gray = to_gray(image)
        dx = dy = 0
        if self.roi is not None:
            x, y, w, h = self.roi
            gray = gray[y : y + h, x : x + w]
            dx, dy = x, y
            if gray.size == 0:
                raise ValueError(
                    f"region of interest {self.roi} lies outside the {image.shape[1]}x{image.shape[0]} image"
                )
        h, w = gray.shape
        # Large frames: look only where a barcode is likely. An empty bench then costs the gate alone.
        regions = [(0, 0, w, h)] if h * w <= _GATE_SMALL_IMAGE else candidate_regions(gray)
        if sum(rw * rh for _, _, rw, rh in regions) > 0.5 * w * h:
            regions = [(0, 0, w, h)]  # crops would only cut off quiet zones, and save little
        deadline = time.perf_counter() + self.retry_budget_ms / 1000
        codes: list[DecodedCode] = []
        for x, y, rw, rh in regions:
            crop = gray[y : y + rh, x : x + rw]
            found = zxing_decode(crop, self._zx_formats, try_rotate=True, try_downscale=True, try_invert=False)
            if not found and self.retries:
                found = self._retry(crop, deadline)
            codes.extend(_shift(found, x, y))
        codes = self._verify_linear(gray, unique_codes(codes))
        return _shift(codes, dx, dy)

    def _retry(self, crop: np.ndarray, deadline: float) -> list[DecodedCode]:
        for attempt in self._attempts():
            if time.perf_counter() > deadline:
                logger.debug("retry budget of %.0f ms spent", self.retry_budget_ms)
                return []
            found = attempt(crop)
            if found:
                return found
        return []

    def _verify_linear(self, gray: np.ndarray, codes: list[DecodedCode]) -> list[DecodedCode]:
        """Drop 1D reads that an independent read of the same spot contradicts.

        EAN/UPC carry one mod-10 check digit, so a wrong scan line can decode to another valid code
        (seen in the corpus: zxing-cpp reading two different EANs off one label; pyzbar reading a UPC-A
        as a shorter UPC-E). A miss is better than a misread at the bench, so a 1D code is kept only
        when the other decoder, run on its neighbourhood, reads nothing or the same text, and a pyzbar
        (fallback) read must read the same again on an upscaled copy.
        """
        kept = []
        for code in codes:
            if not (code.symbology or "").startswith("]E") or not code.polygon:
                # Only EAN/UPC: Code 128 (mod 103), DataBar and the 2D codes carry strong checks.
                kept.append(code)
                continue
            crop, _ = _neighbourhood(gray, code.polygon)
            # Verify against the same symbol type only: a UPC-E hides inside the bars of a UPC-A.
            if code.decoder == "pyzbar":
                if code.format in ("UPCE", "EAN8"):
                    # A short symbol read by the fallback alone: it must read the same on an upscaled copy.
                    big = cv2.resize(crop, None, fx=2, fy=2, interpolation=cv2.INTER_CUBIC)
                    ok = {c.text for c in zbar_symbols(big, [ZBarSymbol[code.format]])} == {code.text}
                else:
                    ok = True  # a full-length fallback read: nothing independent left to ask
            else:
                symbols = [ZBarSymbol.EAN13, ZBarSymbol.UPCA] if len(code.text) == 13 else [ZBarSymbol.EAN8]
                if code.format == "UPC-E":
                    symbols = [ZBarSymbol.UPCE]
                other = {c.text for c in zbar_symbols(crop, symbols)}
                ok = not other or code.text in other
            if ok:
                kept.append(code)
            else:
                logger.info("dropped 1D read %r (%s): not confirmed by a second read", code.text, code.decoder)
        return kept

    def _attempts(self) -> list[Callable[[np.ndarray], list[DecodedCode]]]:
        fmts = self._zx_formats

        def zx_invert(crop: np.ndarray) -> list[DecodedCode]:
            return zxing_decode(crop, fmts, try_invert=True)

        def zx_upscaled(crop: np.ndarray) -> list[DecodedCode]:
            if max(crop.shape) > 700:  # big crops: upscaling costs more than it finds
                return []
            big = cv2.resize(crop, None, fx=2, fy=2, interpolation=cv2.INTER_CUBIC)
            return _shift(zxing_decode(big, fmts, try_downscale=False), 0, 0, 2.0)

        def zbar(crop: np.ndarray) -> list[DecodedCode]:
            return pyzbar_decode(crop, fmts) if self._zbar_ok else []

        def zx_sharpened(crop: np.ndarray) -> list[DecodedCode]:
            return zxing_decode(_sharpen(crop), fmts, try_invert=True)

        return [zx_invert, zx_upscaled, zbar, zx_sharpened]


def decode_image_file(path: Path, decoder: Decoder | None = None) -> list[DecodedCode]:
    """Run the pipeline on a still image file (``packgate decode``). Raises ValueError on unreadable files."""
    path = Path(path)
    # imdecode over imread: works with non-ASCII paths on Windows and never raises on garbage bytes.
    try:
        data = np.fromfile(path, dtype=np.uint8)
    except OSError as exc:
        raise ValueError(f"cannot read image: {path}: {exc.strerror or exc}") from exc
    try:
        image = cv2.imdecode(data, cv2.IMREAD_COLOR) if data.size else None
    except cv2.error as exc:  # over OPENCV_IO_MAX_IMAGE_PIXELS (see hardware/__init__.py), or corrupt
        raise ValueError(
            f"cannot read image: {path}: too large or corrupt ({str(exc).strip().splitlines()[-1]})"
        ) from exc
    if image is None:
        raise ValueError(
            f"cannot read image: {path}: not a supported image file, or larger than "
            f"{int(os.environ.get('OPENCV_IO_MAX_IMAGE_PIXELS', 0)) // 1_000_000} MP"
        )
    return (decoder or Decoder()).decode(image)
