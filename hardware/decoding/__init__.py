"""Barcode decoding for the bench camera: the chosen pipeline, the raw decoders it is built from, and
the stability filter that turns per-frame reads into scans.

- ``hardware.decoding.decoders``: the raw decoders (zxing-cpp, pyzbar, OpenCV for the benchmark) and
  ``DecodedCode``;
- ``hardware.decoding.pipeline``: the chosen pipeline (region gating, retries, 1D verification);
- ``hardware.decoding.stability``: the stability filter (seen N times, dedupe while in view).

Everything callers use is re-exported here: ``from hardware.decoding import Decoder`` keeps working.
"""

from hardware.decoding.decoders import (
    DEFAULT_FORMATS,
    FORMATS,
    DecodedCode,
    Polygon,
    check_formats,
    ean13_from_upce,
    opencv_decode,
    pyzbar_decode,
    to_gray,
    zxing_decode,
)
from hardware.decoding.pipeline import Decoder, candidate_regions, decode_image_file
from hardware.decoding.stability import StableCodeFilter
from rules.scan_text import GS

__all__ = [
    "DEFAULT_FORMATS",
    "FORMATS",
    "GS",
    "DecodedCode",
    "Decoder",
    "Polygon",
    "StableCodeFilter",
    "candidate_regions",
    "check_formats",
    "decode_image_file",
    "ean13_from_upce",
    "opencv_decode",
    "pyzbar_decode",
    "to_gray",
    "zxing_decode",
]
