"""The bench camera's site settings (settings section "camera") and how they become a `CameraScanner`.

Keys, all optional (missing or unusable values fall back to the default and are logged, so one typo in
the settings file costs a log line, not a station that will not start):

    device       "0"            camera device index, video file or stream URL used for `camera:` in the
                                sources list when the settings dialog adds the camera
    width/height 1280 / 720     resolution asked of the device (0 or null: the driver's default). 720p is
                                the default because most webcams start at 640x480, where the narrow bars
                                of an EAN held at arm's length are below two pixels
    fps          null           frame rate asked of the device (null: the driver's default)
    roi          null           [x, y, w, h]: decode only this part of the frame (where items are shown)
    dedupe_s     2.0            an item must leave the view this long before showing it again counts a
                                second unit
    seen_needed  2              frames (of the last 3) a code must be read in before it is a scan
    formats      site default   enabled symbologies, names of `hardware.decoding.FORMATS`; the default is
                                EAN/UPC, Code 128, GS1 DataBar, DataMatrix and QR

`ScanSources` builds the camera through `CameraSettings.build_scanner`, so the command line
(`--scanner camera:0`) and the saved sources use the same site options.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar

from hardware.camera import CameraScanner, FrameListener
from hardware.decoding import DEFAULT_FORMATS, Decoder, StableCodeFilter, check_formats
from hardware.scanning import ScanListener
from station.settings import Section

logger = logging.getLogger(__name__)

SECTION = Section.CAMERA
#: Frames the stability filter looks back over; `seen_needed` may not exceed it.
STABLE_WINDOW = 3
MAX_DEDUPE_S = 60.0  # longer than any packer holds an item still; a bigger number is a typo
MAX_SIDE = 8192  # no bench camera delivers more; bigger is a typo

#: Words for the settings dialog's format checkboxes, in the order they are shown (a format missing here
#: is still shown, under its setting name).
FORMAT_LABELS: dict[str, str] = {
    "ean_upc": "EAN / UPC",
    "code128": "Code 128 / GS1-128",
    "databar": "GS1 DataBar",
    "datamatrix": "DataMatrix",
    "qr": "QR Code",
    "code39": "Code 39",
    "code93": "Code 93",
    "itf": "ITF (Interleaved 2 of 5)",
    "codabar": "Codabar",
    "pdf417": "PDF417",
    "aztec": "Aztec",
}


@dataclass(frozen=True)
class CameraSettings:
    """The validated camera options; build with `from_section` (lenient) or directly (strict)."""

    SECTION: ClassVar[Section] = Section.CAMERA
    device: str = "0"
    width: int | None = 1280
    height: int | None = 720
    fps: float | None = None
    roi: tuple[int, int, int, int] | None = None
    dedupe_s: float = 2.0
    seen_needed: int = 2
    formats: frozenset[str] = field(default_factory=lambda: DEFAULT_FORMATS)

    def __post_init__(self) -> None:
        # Strict here so the dialog gets a clear error; `from_section` catches these per key.
        object.__setattr__(self, "formats", check_formats(self.formats))
        _check_side("width", self.width)
        _check_side("height", self.height)
        if self.fps is not None and not (0 < self.fps <= 240):
            raise ValueError(f"fps must be between 0 and 240, got {self.fps}")
        if self.roi is not None:
            object.__setattr__(self, "roi", _check_roi(self.roi))
        if not (isinstance(self.dedupe_s, (int, float)) and 0 <= self.dedupe_s <= MAX_DEDUPE_S):
            raise ValueError(f"dedupe_s must be 0..{MAX_DEDUPE_S:g} seconds, got {self.dedupe_s!r}")
        if not (isinstance(self.seen_needed, int) and 1 <= self.seen_needed <= STABLE_WINDOW):
            raise ValueError(f"seen_needed must be 1..{STABLE_WINDOW}, got {self.seen_needed!r}")
        if not str(self.device).strip():
            raise ValueError("camera device must be an index, a video file or a stream URL")

    @classmethod
    def from_section(cls, section: Mapping[str, Any] | None) -> CameraSettings:
        """Read the settings section leniently: each bad value is logged and replaced by its default."""
        default = cls()
        section = section or {}
        values: dict[str, Any] = {}
        readers = {
            "device": _read_device,
            "width": _read_side,
            "height": _read_side,
            "fps": _read_fps,
            "roi": _read_roi,
            "dedupe_s": _read_dedupe,
            "seen_needed": _read_seen,
            "formats": _read_formats,
        }
        for key, reader in readers.items():
            if key not in section:
                continue
            try:
                values[key] = reader(section[key])
            except (TypeError, ValueError) as exc:
                logger.warning(
                    "camera setting %s=%r ignored (%s); using %r", key, section[key], exc, getattr(default, key)
                )
        try:
            return cls(**values)
        except ValueError as exc:  # per-key checks passed but not together: should not happen, stay up anyway
            logger.error("camera settings unusable together (%s); using defaults", exc)
            return default

    def to_section(self) -> dict[str, Any]:
        """Plain JSON values for the settings file (formats sorted so the file diffs cleanly)."""
        return {
            "device": self.device,
            "width": self.width,
            "height": self.height,
            "fps": self.fps,
            "roi": list(self.roi) if self.roi else None,
            "dedupe_s": self.dedupe_s,
            "seen_needed": self.seen_needed,
            "formats": sorted(self.formats),
        }

    def decoder(self) -> Decoder:
        return Decoder(formats=self.formats, roi=self.roi)

    def stable_filter(self) -> StableCodeFilter:
        return StableCodeFilter(seen_needed=self.seen_needed, window=STABLE_WINDOW, dedupe_s=self.dedupe_s)

    def build_scanner(
        self, source: int | str, listener: ScanListener, frame_listener: FrameListener | None = None
    ) -> CameraScanner:
        """A `CameraScanner` for `source` (the spec's target, not `device`: `--scanner camera:X` wins)."""
        logger.info("camera options", extra={"source": str(source), **self.to_section()})
        return CameraScanner(
            source,
            listener,
            decoder=self.decoder(),
            width=self.width,
            height=self.height,
            fps=self.fps,
            frame_listener=frame_listener,
            stable_filter=self.stable_filter(),
        )


def _check_side(name: str, value: int | None) -> None:
    if value is not None and not (isinstance(value, int) and 16 <= value <= MAX_SIDE):
        raise ValueError(f"{name} must be 16..{MAX_SIDE} pixels, got {value!r}")


def _check_roi(roi: Any) -> tuple[int, int, int, int]:
    if isinstance(roi, (str, bytes)) or len(roi) != 4:
        raise ValueError("region of interest must be [x, y, w, h]")
    x, y, w, h = (_whole(v) for v in roi)
    if x < 0 or y < 0 or w <= 0 or h <= 0:
        raise ValueError(f"region of interest needs x, y >= 0 and w, h > 0, got {[x, y, w, h]}")
    return (x, y, w, h)


def _whole(value: Any) -> int:
    """An integer from JSON (7 or 7.0, not True, not "7"): a hand-edited file must say what it means."""
    if (
        isinstance(value, bool)
        or not isinstance(value, (int, float))
        or not math.isfinite(value)
        or int(value) != value
    ):
        raise ValueError(f"{value!r} is not a whole number")
    return int(value)


def _read_device(value: Any) -> str:
    text = str(value).strip() if isinstance(value, (str, int)) and not isinstance(value, bool) else ""
    if not text:
        raise ValueError("not a device index, file or URL")
    return text


def _read_side(value: Any) -> int | None:
    if value is None or value == 0:
        return None  # the driver's default
    side = _whole(value)
    _check_side("size", side)
    return side


def _read_fps(value: Any) -> float | None:
    if value is None or value == 0:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 < value <= 240:
        raise ValueError("not a frame rate between 0 and 240")
    return float(value)


def _read_roi(value: Any) -> tuple[int, int, int, int] | None:
    if value is None or value == [] or value == "":
        return None
    if not isinstance(value, (list, tuple)):
        raise ValueError("region of interest must be [x, y, w, h] or null")
    return _check_roi(value)


def _read_dedupe(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value <= MAX_DEDUPE_S:
        raise ValueError(f"not a number of seconds 0..{MAX_DEDUPE_S:g}")
    return float(value)


def _read_seen(value: Any) -> int:
    seen = _whole(value)
    if not 1 <= seen <= STABLE_WINDOW:
        raise ValueError(f"must be 1..{STABLE_WINDOW}")
    return seen


def _read_formats(value: Any) -> frozenset[str]:
    if isinstance(value, str):
        value = [part for part in value.split(",") if part.strip()]
    if not isinstance(value, (list, tuple)) or not all(isinstance(v, str) for v in value):
        raise ValueError("formats must be a list of format names")
    return check_formats(value)
