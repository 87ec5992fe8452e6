"""The station's settings file: versioned JSON in the data dir, written atomically.

Atomic write (temp file in the same directory, fsync, `os.replace`) means a crash mid-save leaves either
the old or the new file, never half of one. Unknown keys are kept, so a newer version's settings survive
a downgrade.

Each section of the file has its name in :class:`Section` (the one place they are spelt) and one frozen
dataclass that reads it: ``settings.read(SoundSettings)`` gives a typed object with its defaults, a bad
hand-edited value logged and replaced by its default; ``settings.write(SoundSettings(muted=True))`` stores
it, keeping the section's keys the dataclass does not know (a newer version's, or hand-added ones). The
dataclasses of the pure sections live here; ``CameraSettings`` (``ui.camera_settings``) and
``SyncSettings`` (``sync.worker``) follow the same protocol (:class:`SectionSettings`) next to the code
that uses them. The file format is unchanged: each section is a JSON object under its name.
"""

from __future__ import annotations

import dataclasses
import enum
import json
import logging
import os
import socket
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar, Protocol, TypeVar

logger = logging.getLogger(__name__)

SETTINGS_VERSION = 1

#: Site setting `min_pin_digits`: the shortest PIN accepted (shorter ones must be changed at next sign-in).
DEFAULT_MIN_PIN_DIGITS = 6
MIN_PIN_DIGITS_FLOOR = 4
MAX_PIN_DIGITS = 12


class Section(enum.StrEnum):
    """The names of the settings file's sections."""

    SCANNERS = "scanners"  # the saved scan sources (ScannerSettings)
    CAMERA = "camera"  # the bench camera's options (ui.camera_settings.CameraSettings)
    SYNC = "sync"  # the central service (sync.worker.SyncSettings)
    SOUND = "sound"  # verdict sounds (SoundSettings)
    PRINTING = "printing"  # printers and which document goes where (station.printing.settings.PrintSettings)
    SCALE = "scale"  # the bench scale (ui.scale_spec.ScaleSettings)
    WEIGHING = "weighing"  # the weight check's tolerance, tare, cartons (station.weighing.WeighingSettings)
    LANGUAGE = "language"  # the screens' language, a site setting (LanguageSettings)


class SectionSettings(Protocol):
    """A typed settings section: its name, a lenient reader and the plain JSON it writes."""

    SECTION: ClassVar[Section]

    @classmethod
    def from_section(cls, section: Mapping[str, Any]) -> Any: ...

    def to_section(self) -> dict[str, Any]: ...


_S = TypeVar("_S", bound=SectionSettings)


def default_station_id() -> str:
    return socket.gethostname().split(".")[0] or "station"


class Settings:
    def __init__(self, path: Path, data: dict[str, Any] | None = None) -> None:
        self.path = path
        self.data: dict[str, Any] = data or {"version": SETTINGS_VERSION}

    @classmethod
    def load(cls, path: Path) -> Settings:
        try:
            raw = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return cls(path)
        except OSError as exc:
            logger.error("settings unreadable, using defaults", extra={"path": str(path), "error": str(exc)})
            return cls(path)
        try:
            data = json.loads(raw)
            if not isinstance(data, dict):
                raise ValueError("not a JSON object")
        except ValueError as exc:
            # Keep the broken file for a person to look at; start from defaults rather than refuse to run.
            backup = path.with_suffix(".broken.json")
            os.replace(path, backup)
            logger.error(
                "settings file was not valid JSON; moved aside", extra={"path": str(backup), "error": str(exc)}
            )
            return cls(path)
        return cls(path, _migrate(data))

    def section(self, name: Section | str) -> dict[str, Any]:
        """The raw section (a copy); prefer :meth:`read`, which types and checks it."""
        value = self.data.get(str(name))
        return dict(value) if isinstance(value, dict) else {}

    def set_section(self, name: Section | str, values: dict[str, Any]) -> None:
        self.data[str(name)] = dict(values)

    def read(self, kind: type[_S]) -> _S:
        """The section ``kind.SECTION`` as a ``kind``: defaults where absent, bad values logged and defaulted."""
        result: _S = kind.from_section(self.section(kind.SECTION))
        return result

    def write(self, value: SectionSettings) -> None:
        """Store a typed section (in memory; :meth:`save` writes the file).

        The dataclass's own keys are replaced by what ``to_section()`` gives (one it leaves out, e.g. a
        default, goes); keys it does not know (a newer version's, or hand-added ones) are kept."""
        own = {f.name for f in dataclasses.fields(value)}  # type: ignore[arg-type]
        kept = {key: item for key, item in self.section(value.SECTION).items() if key not in own}
        self.set_section(value.SECTION, {**kept, **value.to_section()})

    def get(self, key: str, default: Any = None) -> Any:
        return self.data.get(key, default)

    def set(self, key: str, value: Any) -> None:
        self.data[key] = value

    def save(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".settings-", suffix=".tmp", dir=self.path.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                json.dump(self.data, f, indent=2, sort_keys=True)
                f.flush()
                os.fsync(f.fileno())
            os.replace(tmp, self.path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise


@dataclass(frozen=True)
class SoundSettings:
    """Section "sound": whether verdict sounds are muted (the packer's mute button, the settings dialog)."""

    SECTION: ClassVar[Section] = Section.SOUND
    muted: bool = False

    @classmethod
    def from_section(cls, section: Mapping[str, Any]) -> SoundSettings:
        muted = section.get("muted", False)
        if not isinstance(muted, bool):
            logger.warning("sound setting muted=%r is not true or false; using false", muted)
            return cls()
        return cls(muted=muted)

    def to_section(self) -> dict[str, Any]:
        return {"muted": self.muted}


@dataclass(frozen=True)
class LanguageSettings:
    """Section "language": the language code the packer and supervisor screens speak ("en", "de", "pl").
    Which codes exist is the ui's business (``ui.i18n``): this only keeps the text as set; a value that is not
    text is logged and English used."""

    SECTION: ClassVar[Section] = Section.LANGUAGE
    code: str = "en"

    @classmethod
    def from_section(cls, section: Mapping[str, Any]) -> LanguageSettings:
        code = section.get("code", "en")
        if not isinstance(code, str) or not code.strip():
            logger.warning("language setting code=%r is not a language code; using English", code)
            return cls()
        return cls(code=code.strip())

    def to_section(self) -> dict[str, Any]:
        return {"code": self.code}


@dataclass(frozen=True)
class ScannerSettings:
    """Section "scanners": the saved scan source specs, as typed after ``--scanner`` (parsed in ``ui``)."""

    SECTION: ClassVar[Section] = Section.SCANNERS
    sources: tuple[str, ...] = ()

    @classmethod
    def from_section(cls, section: Mapping[str, Any]) -> ScannerSettings:
        sources = section.get("sources") or ()
        if not isinstance(sources, (list, tuple)):
            logger.error("scanner setting sources=%r is not a list; no saved scanners", sources)
            return cls()
        return cls(sources=tuple(str(text) for text in sources))

    def to_section(self) -> dict[str, Any]:
        return {"sources": list(self.sources)}


def min_pin_digits(settings: Settings) -> int:
    """The site's minimum PIN length (`"min_pin_digits": 6`); a value out of 4..12 is logged and the
    default used, so a typo never lets a 1-digit PIN in or locks everyone out."""
    value = settings.get("min_pin_digits", DEFAULT_MIN_PIN_DIGITS)
    if isinstance(value, int) and not isinstance(value, bool) and MIN_PIN_DIGITS_FLOOR <= value <= MAX_PIN_DIGITS:
        return value
    logger.warning("min_pin_digits must be a whole number 4..12; using the default", extra={"value": value})
    return DEFAULT_MIN_PIN_DIGITS


def _migrate(data: dict[str, Any]) -> dict[str, Any]:
    version = data.get("version", 0)
    if version < 1:
        data["version"] = 1
    return data
