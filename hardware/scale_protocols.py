"""What a bench scale says on its serial line, turned into typed readings: pure functions, no port, no thread.

Three protocols, chosen per device (`ScaleProtocol`):

* ``mtsics`` -- Mettler Toledo MT-SICS level 0: the host sends ``SI`` (weight now, stable or not) and reads
  ``S S     1.234 kg`` (stable), ``S D     1.234 kg`` (dynamic: in motion), ``S +`` (overload), ``S -``
  (underload), ``S I`` (busy, cannot answer now), ``ES`` / ``ET`` / ``EL`` (syntax, transmission, logical
  error).
* ``sma`` -- the Scale Manufacturers Association protocol (SCP-01): the host sends ``<LF>W<CR>`` and reads
  ``<LF><s><r><n><m><f><xxxxxx.xxx><uuu><CR>``: status (``Z`` zero, ``O`` over, ``U`` under, ``E``/``I``
  zero errors, ``T`` tare error, space), range, gross/net, motion (``M`` or space), a reserved character, a
  weight of ten characters and a unit of three (``lb ``, ``kg ``, ``g  ``, ``oz ``); ``?`` for a command it
  does not know, ``!`` for a communication error.
* ``continuous`` -- the common stream of bench scales (A&D, Ohaus, many OEM indicators): ``ST,GS,+  1.234kg``
  with ``ST`` stable, ``US`` unstable, ``OL`` overload; the gross/net field is optional.

Every line becomes a `ScaleReading`: a weight in grams only when the scale stated one (stable or in
motion); overload, underload, device errors and lines that are not the protocol are readings with a
`ScaleProblem` and no weight. Nothing here holds words for a person: `ui` turns the kinds into words.
"""

from __future__ import annotations

import enum
import math
import re
from dataclasses import dataclass

__all__ = [
    "GRAMS_PER_UNIT",
    "MAX_SCALE_LINE_BYTES",
    "ReadingKind",
    "ScaleProblem",
    "ScaleProtocol",
    "ScaleReading",
    "parse_scale_line",
    "to_grams",
]

#: A scale line longer than this is not one of these protocols (the longest real one is about 25 bytes).
MAX_SCALE_LINE_BYTES = 64

#: The largest weight believed (grams): 10 t. A bench scale above it is a misread number, not a parcel.
MAX_GRAMS = 10_000_000.0

GRAMS_PER_UNIT: dict[str, float] = {
    "g": 1.0,
    "kg": 1000.0,
    "lb": 453.59237,  # the international avoirdupois pound, exactly
    "oz": 28.349523125,  # 1/16 lb, exactly
}


class ScaleProtocol(enum.StrEnum):
    MTSICS = "mtsics"
    SMA = "sma"
    CONTINUOUS = "continuous"

    @property
    def request(self) -> bytes | None:
        """What the host sends to ask for a weight (None: the scale streams on its own)."""
        return _REQUESTS[self]


_REQUESTS: dict[ScaleProtocol, bytes | None] = {
    ScaleProtocol.MTSICS: b"SI\r\n",
    ScaleProtocol.SMA: b"\nW\r",
    ScaleProtocol.CONTINUOUS: None,
}


class ReadingKind(enum.Enum):
    STABLE = "stable"  # a weight the scale calls settled
    MOTION = "motion"  # a weight still moving (MT-SICS "D", SMA "M", continuous "US")
    OVERLOAD = "overload"
    UNDERLOAD = "underload"
    DEVICE_ERROR = "device_error"  # the scale answered with an error (see `ScaleProblem`)
    GARBAGE = "garbage"  # a line that is not the protocol
    SILENT = "silent"  # the reader heard nothing for a while (set by the reader, never by the parser)


class ScaleProblem(enum.Enum):
    """Why a reading carries no weight. `ui.scale_words` says each in words."""

    OVERLOAD = "overload"
    UNDERLOAD = "underload"
    BUSY = "busy"  # MT-SICS "S I": cannot answer now
    COMMAND_ERROR = "command_error"  # MT-SICS "ES" / "S L", SMA "?": the scale does not take our request
    TRANSMISSION_ERROR = "transmission_error"  # MT-SICS "ET", SMA "!": it heard garbled bytes
    LOGICAL_ERROR = "logical_error"  # MT-SICS "EL"
    ZERO_ERROR = "zero_error"  # SMA "E" / "I"
    TARE_ERROR = "tare_error"  # SMA "T"
    NOT_TEXT = "not_text"  # bytes that are not ASCII text
    OVERLONG = "overlong"
    UNKNOWN_FORMAT = "unknown_format"
    UNKNOWN_UNIT = "unknown_unit"
    BAD_NUMBER = "bad_number"  # a number that is not one, or beyond `MAX_GRAMS`
    NO_ANSWER = "no_answer"  # SILENT: nothing heard


@dataclass(frozen=True)
class ScaleReading:
    """One line from the scale. `grams` is set exactly when `kind` is STABLE or MOTION.

    `source` and `at` (a `time.monotonic()` value) are filled in by the reader that received it."""

    kind: ReadingKind
    grams: float | None = None
    problem: ScaleProblem | None = None
    raw: bytes = b""
    source: str = ""
    at: float = 0.0

    @property
    def has_weight(self) -> bool:
        return self.grams is not None

    @property
    def stable(self) -> bool:
        return self.kind is ReadingKind.STABLE


def to_grams(value: float, unit: str) -> float | None:
    """`value` in `unit` (g, kg, lb, oz; any case) as grams; None for a unit this station does not know."""
    factor = GRAMS_PER_UNIT.get(unit.strip().lower())
    return None if factor is None else value * factor


_NUMBER = re.compile(r"([+-]?)\s*([0-9]{1,9}(?:\.[0-9]{0,6})?|\.[0-9]{1,6})")
_MTSICS_WEIGHT = re.compile(r"S\s+([SD])\s+(?P<num>[+-]?\s*[0-9.]+)\s+(?P<unit>[A-Za-z]{1,3})\s*")
_CONTINUOUS = re.compile(
    r"(?P<state>ST|US|OL)\s*,\s*(?:(?:GS|NT|TR|GW|NW|G|N|T)\s*,\s*)?(?P<num>[+-]?\s*[0-9.]+)\s*(?P<unit>[A-Za-z]{1,3})\s*",
    re.IGNORECASE,
)
_MTSICS_STATUS = {
    "S +": (ReadingKind.OVERLOAD, ScaleProblem.OVERLOAD),
    "S -": (ReadingKind.UNDERLOAD, ScaleProblem.UNDERLOAD),
    "S I": (ReadingKind.DEVICE_ERROR, ScaleProblem.BUSY),
    "S L": (ReadingKind.DEVICE_ERROR, ScaleProblem.COMMAND_ERROR),
    "SI I": (ReadingKind.DEVICE_ERROR, ScaleProblem.BUSY),
    "SI +": (ReadingKind.OVERLOAD, ScaleProblem.OVERLOAD),
    "SI -": (ReadingKind.UNDERLOAD, ScaleProblem.UNDERLOAD),
    "ES": (ReadingKind.DEVICE_ERROR, ScaleProblem.COMMAND_ERROR),
    "ET": (ReadingKind.DEVICE_ERROR, ScaleProblem.TRANSMISSION_ERROR),
    "EL": (ReadingKind.DEVICE_ERROR, ScaleProblem.LOGICAL_ERROR),
}
_SMA_STATUS = {
    "O": (ReadingKind.OVERLOAD, ScaleProblem.OVERLOAD),
    "U": (ReadingKind.UNDERLOAD, ScaleProblem.UNDERLOAD),
    "E": (ReadingKind.DEVICE_ERROR, ScaleProblem.ZERO_ERROR),
    "I": (ReadingKind.DEVICE_ERROR, ScaleProblem.ZERO_ERROR),
    "T": (ReadingKind.DEVICE_ERROR, ScaleProblem.TARE_ERROR),
}


def _problem(kind: ReadingKind, problem: ScaleProblem, raw: bytes) -> ScaleReading:
    return ScaleReading(kind, None, problem, raw)


def _garbage(problem: ScaleProblem, raw: bytes) -> ScaleReading:
    return ScaleReading(ReadingKind.GARBAGE, None, problem, raw)


def _weight(number: str, unit: str, stable: bool, raw: bytes) -> ScaleReading:
    match = _NUMBER.fullmatch(number.strip())
    if match is None:
        return _garbage(ScaleProblem.BAD_NUMBER, raw)
    value = float(match.group(2))
    if match.group(1) == "-":
        value = -value
    grams = to_grams(value, unit)
    if grams is None:
        return _garbage(ScaleProblem.UNKNOWN_UNIT, raw)
    if not math.isfinite(grams) or abs(grams) > MAX_GRAMS:
        return _garbage(ScaleProblem.BAD_NUMBER, raw)
    grams = round(grams, 3) + 0.0  # + 0.0: never a negative zero
    return ScaleReading(ReadingKind.STABLE if stable else ReadingKind.MOTION, grams, None, raw)


def _text(raw: bytes) -> str | ScaleReading:
    """The line without its terminators, or the garbage reading it is."""
    body = raw.strip(b"\r\n")
    if len(body) > MAX_SCALE_LINE_BYTES:
        return _garbage(ScaleProblem.OVERLONG, raw)
    if not body.isascii() or any(byte < 0x20 or byte == 0x7F for byte in body):
        return _garbage(ScaleProblem.NOT_TEXT, raw)
    return body.decode("ascii")


def _mtsics(text: str, raw: bytes) -> ScaleReading:
    line = text.strip()
    status = _MTSICS_STATUS.get(" ".join(line.split()))
    if status is not None:
        return _problem(*status, raw)
    match = _MTSICS_WEIGHT.fullmatch(line)
    if match is None:
        return _garbage(ScaleProblem.UNKNOWN_FORMAT, raw)
    return _weight(match.group("num"), match.group("unit"), match.group(1) == "S", raw)


def _sma(text: str, raw: bytes) -> ScaleReading:
    line = text.rstrip(" ")
    if line.strip() == "?":
        return _problem(ReadingKind.DEVICE_ERROR, ScaleProblem.COMMAND_ERROR, raw)
    if line.strip() == "!":
        return _problem(ReadingKind.DEVICE_ERROR, ScaleProblem.TRANSMISSION_ERROR, raw)
    # <s><r><n><m><f> then ten characters of weight then the unit (trailing spaces of the unit trimmed).
    if len(line) < 15 or line[1] not in "123456789" or line[2] not in "GTNgn":
        return _garbage(ScaleProblem.UNKNOWN_FORMAT, raw)
    status, motion, weight, unit = line[0], line[3], line[5:15], line[15:].strip()
    if status in _SMA_STATUS:
        return _problem(*_SMA_STATUS[status], raw)
    if status not in " Z" or motion not in " M":
        return _garbage(ScaleProblem.UNKNOWN_FORMAT, raw)
    if not unit:
        return _garbage(ScaleProblem.UNKNOWN_UNIT, raw)
    return _weight(weight, unit, motion == " ", raw)


def _continuous(text: str, raw: bytes) -> ScaleReading:
    match = _CONTINUOUS.fullmatch(text.strip())
    if match is None:
        return _garbage(ScaleProblem.UNKNOWN_FORMAT, raw)
    state = match.group("state").upper()
    if state == "OL":
        return _problem(ReadingKind.OVERLOAD, ScaleProblem.OVERLOAD, raw)
    return _weight(match.group("num"), match.group("unit"), state == "ST", raw)


_PARSERS = {ScaleProtocol.MTSICS: _mtsics, ScaleProtocol.SMA: _sma, ScaleProtocol.CONTINUOUS: _continuous}


def parse_scale_line(raw: bytes, protocol: ScaleProtocol) -> ScaleReading | None:
    """One framed line -> its reading; None for an empty line (a lone terminator: SMA answers start with LF).

    Never raises, whatever the bytes."""
    text = _text(raw)
    if isinstance(text, ScaleReading):
        return text
    if not text.strip():
        return None
    return _PARSERS[protocol](text, raw)
