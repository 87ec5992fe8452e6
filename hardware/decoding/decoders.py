"""The raw decoders the pipeline is built from (also used by the benchmark to compare them), the
decoded-code type they all return, and the site's format names.

Decoders compared (figures in docs/decoding.md, produced by ``bench/bench_decoding.py``):

* zxing-cpp (``zxingcpp``) — reads every format we need, including DataMatrix and GS1 DataBar, returns
  the AIM symbology identifier and keeps GS1 FNC1 as ASCII 29 in ``TextMode.Plain``. It is the primary
  decoder because it is the only one that covers all site formats and it is fast when told which
  formats to look for.
* pyzbar (libzbar) — the project's baseline; slower on large frames but it reads some blurred 1D codes
  zxing-cpp misses, so it is the fallback, run only on crops where a barcode is likely.
* OpenCV's ``cv2.barcode.BarcodeDetector`` — measured, not used (lower recall and no extra hits).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import cv2
import numpy as np
import zxingcpp
from pyzbar import pyzbar
from pyzbar.pyzbar import ZBarSymbol

from rules.scan_text import GS, aim_for_decoder, expand_upce, is_upce_shape

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
    "ean_upc": _FormatSpec(
        "EAN13,EAN8,UPCA,UPCE", (ZBarSymbol.EAN13, ZBarSymbol.EAN8, ZBarSymbol.UPCA, ZBarSymbol.UPCE)
    ),
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


def to_gray(image: np.ndarray) -> np.ndarray:
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
        # OpenCV's stubs require `dst`; None (allocate the output) is OpenCV's documented Python idiom.
        gray = cv2.normalize(gray, None, 0, 255, cv2.NORM_MINMAX).astype(np.uint8)  # type: ignore[call-overload]
    return np.ascontiguousarray(gray)


def _normalise_text(text: str, symbology: str | None) -> str:
    text = text.strip("\r\n")
    # UPC-A is EAN-13 with a leading 0: one form for every decoder so dedupe and order matching agree.
    if len(text) == 12 and text.isdigit() and (symbology is None or symbology.startswith("]E")):
        return "0" + text
    return text


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
    # No format named is zxing-cpp's own default: every format it reads.
    wanted = zxingcpp.barcode_formats_from_str("" if formats is None else ",".join(FORMATS[f].zxing for f in formats))
    results = zxingcpp.read_barcodes(
        gray,
        formats=wanted,
        try_rotate=try_rotate,
        try_downscale=try_downscale,
        try_invert=try_invert,
        text_mode=zxingcpp.TextMode.Plain,
        binarizer=binarizer,
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
    return zbar_symbols(gray, symbols)


def zbar_symbols(gray: np.ndarray, symbols: list[ZBarSymbol] | None) -> list[DecodedCode]:
    """pyzbar on a grayscale image for exactly these zbar ``symbols`` (None: zbar's defaults)."""
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


def unique_codes(codes: Iterable[DecodedCode]) -> list[DecodedCode]:
    """One code per text, the first one found (decoders and retries often read a symbol twice)."""
    seen: dict[str, DecodedCode] = {}
    for c in codes:
        seen.setdefault(c.text, c)
    return list(seen.values())
