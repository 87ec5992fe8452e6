"""The station's settings file: versioned JSON in the data dir, written atomically.

Atomic write (temp file in the same directory, fsync, `os.replace`) means a crash mid-save leaves either
the old or the new file, never half of one. Unknown keys are kept, so a newer version's settings survive
a downgrade. Sections are plain dicts owned by their users (e.g. "scanners", "camera", "sync", "sound").
"""

from __future__ import annotations

import json
import logging
import os
import socket
import tempfile
from pathlib import Path
from typing import Any

logger = logging.getLogger(__name__)

SETTINGS_VERSION = 1

#: Site setting `min_pin_digits`: the shortest PIN accepted (shorter ones must be changed at next sign-in).
DEFAULT_MIN_PIN_DIGITS = 6
MIN_PIN_DIGITS_FLOOR = 4
MAX_PIN_DIGITS = 12


def default_station_id() -> str:
    return socket.gethostname().split(".")[0] or "station"


class Settings:
    def __init__(self, path: Path, data: dict[str, Any] | None = None) -> None:
        self.path = path
        self.data: dict[str, Any] = data or {"version": SETTINGS_VERSION}

    @classmethod
    def load(cls, path: Path) -> "Settings":
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
            logger.error("settings file was not valid JSON; moved aside", extra={"path": str(backup), "error": str(exc)})
            return cls(path)
        return cls(path, _migrate(data))

    def section(self, name: str) -> dict[str, Any]:
        value = self.data.get(name)
        return dict(value) if isinstance(value, dict) else {}

    def set_section(self, name: str, values: dict[str, Any]) -> None:
        self.data[name] = dict(values)

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


def min_pin_digits(settings: "Settings") -> int:
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
