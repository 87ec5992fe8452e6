"""Barcode decoding for the bench camera: the chosen pipeline, the raw decoders it is built from, and
the stability filter that turns per-frame reads into scans.

Decoders compared (figures in docs/decoding.md, produced by ``bench/bench_decoding.py``):

* zxing-cpp (``zxingcpp``) — reads every format we need, including DataMatrix and GS1 DataBar, returns
  the AIM symbology identifier and keeps GS1 FNC1 as ASCII 29 in ``TextMode.Plain``. It is the primary
  decoder because it is the only one that covers all site formats and it is fast when told which
  formats to look for.
* pyzbar (libzbar) — the project's baseline; slower on large frames but it reads some blurred 1D codes
  zxing-cpp misses, so it is the fallback, run only on crops where a barcode is likely.
* OpenCV's ``cv2.barcode.BarcodeDetector`` — measured, not used (lower recall and no extra hits).

The pipeline (``Decoder.decode``):

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
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np
import zxingcpp
from pyzbar import pyzbar
from pyzbar.pyzbar import ZBarSymbol

from rules.scan_text import GS, aim_for_decoder, expand_upce, is_upce_shape

logger = logging.getLogger(__name__)

Polygon = tuple[tuple[int, int], ...]


@dataclass(frozen=True)
class DecodedCode:
    """One code read from one image.

    ``text`` is the scanner text: GS1 FNC1 separators as ASCII 29, a UPC-A in its 13-digit EAN form
    (leading 0) whichever decoder read it. ``symbology`` is the AIM identifier ("]E0", "]C1", "]d2",
    "]Q1", ...) or None when the decoder cannot tell (pyzbar cannot tell Code 128 from GS1-128 when the
    data holds no inner FNC1). ``polygon`` is the outline in the coordinates of the image given to
    ``decode`` (the full frame, also when a ROI is set), for the live preview.
    """

    text: str
    symbology: str | None
    polygon: Polygon
    decoder: str
    #: the decoder's own name for the symbol type ("EAN-13", "UPCE", ...): diagnostics and verification
    format: str = ""

    @property
    def is_linear(self) -> bool:
        """True for 1D symbologies (AIM ]E ]C ]e ]A ]I ]G ]F ]X...), where misreads are possible."""
        return self.symbology is None or self.symbology[1:2] not in {"d", "Q", "z", "L"}


@dataclass(frozen=True)
class _FormatSpec:
    zxing: str  # names for zxingcpp.barcode_formats_from_str
    zbar: tuple[ZBarSymbol, ...]


#: Site setting names → what each decoder calls them. zxing-cpp's "DataBar" is the whole family
#: (omni, stacked, limited, expanded).
FORMATS: dict[str, _FormatSpec] = {
    "ean_upc": _FormatSpec("EAN13,EAN8,UPCA,UPCE", (ZBarSymbol.EAN13, ZBarSymbol.EAN8, ZBarSymbol.UPCA, ZBarSymbol.UPCE)),
    "code128": _FormatSpec("Code128", (ZBarSymbol.CODE128,)),
    "databar": _FormatSpec("DataBar", (ZBarSymbol.DATABAR, ZBarSymbol.DATABAR_EXP)),
    "datamatrix": _FormatSpec("DataMatrix", ()),
    "qr": _FormatSpec("QRCode", (ZBarSymbol.QRCODE,)),
    "code39": _FormatSpec("Code39", (ZBarSymbol.CODE39,)),
    "code93": _FormatSpec("Code93", (ZBarSymbol.CODE93,)),
    "itf": _FormatSpec("ITF", (ZBarSymbol.I25,)),
    "codabar": _FormatSpec("Codabar", (ZBarSymbol.CODABAR,)),
    "pdf417": _FormatSpec("PDF417", ()),
    "aztec": _FormatSpec("Aztec", ()),
}

DEFAULT_FORMATS: frozenset[str] = frozenset({"ean_upc", "code128", "databar", "datamatrix", "qr"})



def check_formats(formats: Iterable[str]) -> frozenset[str]:
    """Validate a site format setting; raises ValueError naming the unknown entries."""
    chosen = frozenset(f.strip().lower() for f in formats)
    unknown = sorted(chosen - FORMATS.keys())
    if unknown:
        raise ValueError(f"unknown barcode format(s): {', '.join(unknown)}; known: {', '.join(sorted(FORMATS))}")
    if not chosen:
        raise ValueError("at least one barcode format must be enabled")
    return chosen


def _to_gray(image: np.ndarray) -> np.ndarray:
    if not isinstance(image, np.ndarray) or image.size == 0:
        raise ValueError("image must be a non-empty numpy array")
    if image.ndim == 2:
        gray = image
    elif image.ndim == 3 and image.shape[2] == 3:
        gray = cv2.cvtColor(image, cv2.COLOR_BGR2GRAY)
    elif image.ndim == 3 and image.shape[2] == 4:
        gray = cv2.cvtColor(image, cv2.COLOR_BGRA2GRAY)
    elif image.ndim == 3 and image.shape[2] == 1:
        gray = image[:, :, 0]
    else:
        raise ValueError(f"unsupported image shape {image.shape}")
    if gray.dtype != np.uint8:
        gray = cv2.normalize(gray, None, 0, 255, cv2.NORM_MINMAX).astype(np.uint8)
    return np.ascontiguousarray(gray)


def _normalise_text(text: str, symbology: str | None) -> str:
    text = text.strip("\r\n")
    # UPC-A is EAN-13 with a leading 0: one form for every decoder so dedupe and order matching agree.
    if len(text) == 12 and text.isdigit() and (symbology is None or symbology.startswith("]E")):
        return "0" + text
    return text


# ---------------------------------------------------------------------------------------------------
# Raw decoders (also used by the benchmark to compare them)
# ---------------------------------------------------------------------------------------------------


def zxing_decode(
    gray: np.ndarray,
    formats: Iterable[str] | None = None,
    *,
    try_rotate: bool = True,
    try_downscale: bool = True,
    try_invert: bool = True,
    binarizer: zxingcpp.Binarizer = zxingcpp.Binarizer.LocalAverage,
) -> list[DecodedCode]:
    """zxing-cpp on a grayscale image; ``formats=None`` means every format zxing-cpp reads."""
    kwargs: dict[str, object] = {}
    if formats is not None:
        kwargs["formats"] = zxingcpp.barcode_formats_from_str(",".join(FORMATS[f].zxing for f in formats))
    results = zxingcpp.read_barcodes(
        gray,
        try_rotate=try_rotate,
        try_downscale=try_downscale,
        try_invert=try_invert,
        text_mode=zxingcpp.TextMode.Plain,
        binarizer=binarizer,
        **kwargs,
    )
    out = []
    for r in results:
        if not r.valid or not r.text:
            continue
        p = r.position
        poly = tuple((int(q.x), int(q.y)) for q in (p.top_left, p.top_right, p.bottom_right, p.bottom_left))
        sym = r.symbology_identifier or None
        out.append(DecodedCode(_normalise_text(r.text, sym), sym, poly, "zxing-cpp", str(r.format)))
    return out


def pyzbar_decode(gray: np.ndarray, formats: Iterable[str] | None = None) -> list[DecodedCode]:
    """pyzbar (libzbar) on a grayscale image; ``formats=None`` means zbar's defaults."""
    symbols = None
    if formats is not None:
        symbols = sorted({s for f in formats for s in FORMATS[f].zbar}, key=lambda s: s.value)
        if not symbols:
            return []
    return _zbar(gray, symbols)


def _zbar(gray: np.ndarray, symbols: list[ZBarSymbol] | None) -> list[DecodedCode]:
    out = []
    for r in pyzbar.decode(gray, symbols=symbols):
        try:
            text = r.data.decode("utf-8")
        except UnicodeDecodeError:
            text = r.data.decode("latin-1")
        sym = aim_for_decoder(r.type)  # pyzbar type name → AIM, only where zbar's output leaves no doubt
        if r.type == "CODE128" and GS in text:
            sym = "]C1"  # an inner FNC1 only occurs in GS1-128
        if r.type == "UPCE":
            text = ean13_from_upce(text)
        poly = tuple((int(p.x), int(p.y)) for p in r.polygon)
        out.append(DecodedCode(_normalise_text(text, sym), sym, poly, "pyzbar", r.type))
    return out


def ean13_from_upce(upce: str) -> str:
    """UPC-E (8 digits: number system, 6 data, check) → its 13-digit EAN form, as zxing-cpp reports it.

    The expansion is ``rules.scan_text.expand_upce`` (the station's too); left unchanged when it is not an
    8-digit UPC-E, and the check digit is passed on as read (the station judges it).
    """
    return "0" + expand_upce(upce) if is_upce_shape(upce) else upce


_cv_detector: cv2.barcode.BarcodeDetector | None = None


def opencv_decode(gray: np.ndarray) -> list[DecodedCode]:
    """OpenCV's barcode detector (EAN/UPC, Code 128, Code 39); measured in the benchmark only."""
    global _cv_detector
    if _cv_detector is None:
        _cv_detector = cv2.barcode.BarcodeDetector()
    ok, texts, types, points = _cv_detector.detectAndDecodeWithType(gray)
    out: list[DecodedCode] = []
    if not ok:
        return out
    for i, text in enumerate(texts):
        if not text:
            continue
        sym = aim_for_decoder(types[i])
        poly = tuple((int(x), int(y)) for x, y in points[i]) if points is not None else ()
        out.append(DecodedCode(_normalise_text(text, sym), sym, poly, "opencv", types[i]))
    return out


# ---------------------------------------------------------------------------------------------------
# The chosen pipeline
# ---------------------------------------------------------------------------------------------------

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
        gray = _to_gray(image)
        dx = dy = 0
        if self.roi is not None:
            x, y, w, h = self.roi
            gray = gray[y : y + h, x : x + w]
            dx, dy = x, y
            if gray.size == 0:
                raise ValueError(f"region of interest {self.roi} lies outside the {image.shape[1]}x{image.shape[0]} image")
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
        codes = self._verify_linear(gray, _unique(codes))
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
                    ok = {c.text for c in _zbar(big, [ZBarSymbol[code.format]])} == {code.text}
                else:
                    ok = True  # a full-length fallback read: nothing independent left to ask
            else:
                symbols = [ZBarSymbol.EAN13, ZBarSymbol.UPCA] if len(code.text) == 13 else [ZBarSymbol.EAN8]
                if code.format == "UPC-E":
                    symbols = [ZBarSymbol.UPCE]
                other = {c.text for c in _zbar(crop, symbols)}
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


def _unique(codes: Iterable[DecodedCode]) -> list[DecodedCode]:
    seen: dict[str, DecodedCode] = {}
    for c in codes:
        seen.setdefault(c.text, c)
    return list(seen.values())


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
        raise ValueError(f"cannot read image: {path}: too large or corrupt ({str(exc).strip().splitlines()[-1]})") from exc
    if image is None:
        raise ValueError(f"cannot read image: {path}: not a supported image file, or larger than "
                         f"{int(os.environ.get('OPENCV_IO_MAX_IMAGE_PIXELS', 0)) // 1_000_000} MP")
    return (decoder or Decoder()).decode(image)


# ---------------------------------------------------------------------------------------------------
# From per-frame reads to scans
# ---------------------------------------------------------------------------------------------------


class StableCodeFilter:
    """Turns per-frame decodes into scans.

    A code becomes a scan when it was read in ``seen_needed`` of the last ``window`` frames (a single
    frame's misread, even a check-digit-valid one, is ignored). While the item stays in view it is not
    reported again; once it has been absent for ``dedupe_s`` seconds, presenting it again counts a new
    unit. Several codes in one frame are tracked independently, so each item counts once.
    """

    def __init__(
        self,
        seen_needed: int = 2,
        window: int = 3,
        dedupe_s: float = 2.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if not 1 <= seen_needed <= window:
            raise ValueError(f"need 1 <= seen_needed <= window, got {seen_needed} of {window}")
        if dedupe_s < 0:
            raise ValueError("dedupe_s must not be negative")
        self.seen_needed = seen_needed
        self.window = window
        self.dedupe_s = dedupe_s
        self._clock = clock
        self._history: deque[frozenset[str]] = deque(maxlen=window)
        self._last_seen: dict[str, float] = {}  # reported codes → when last read (still "in view")

    def feed(self, codes: list[DecodedCode]) -> list[DecodedCode]:
        """Record one frame's codes; return the codes that become scans now."""
        now = self._clock()
        texts = frozenset(c.text for c in codes)
        self._history.append(texts)
        # Forget reported codes that left the view long enough: the next sighting is a new unit.
        for text, seen_at in list(self._last_seen.items()):
            if text not in texts and now - seen_at >= self.dedupe_s:
                del self._last_seen[text]
        out = []
        for code in _unique(codes):
            if code.text in self._last_seen:
                self._last_seen[code.text] = now
                continue
            if sum(code.text in frame for frame in self._history) >= self.seen_needed:
                self._last_seen[code.text] = now
                out.append(code)
        return out

    def reset(self) -> None:
        """Forget everything (e.g. a new order was loaded)."""
        self._history.clear()
        self._last_seen.clear()
