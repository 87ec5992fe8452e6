"""Where the station keeps its files: one module owns the data dir.

Resolution order: an explicit `--data-dir`, then the `PACKGATE_DATA_DIR` environment variable, then the
per-user data dir from `platformdirs` (e.g. `~/.local/share/packgate` on Linux), which follows each OS's
conventions without us hard-coding them.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import platformdirs

ENV_DATA_DIR = "PACKGATE_DATA_DIR"
APP_NAME = "packgate"


def resolve_data_dir(explicit: str | os.PathLike[str] | None = None) -> Path:
    if explicit:
        return Path(explicit).expanduser().resolve()
    env = os.environ.get(ENV_DATA_DIR)
    if env:
        return Path(env).expanduser().resolve()
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


class DataDirError(RuntimeError):
    """The data directory cannot be created or written; the message names it and says why."""


@dataclass(frozen=True)
class StationPaths:
    root: Path

    @property
    def database(self) -> Path:
        return self.root / "station.sqlite3"

    @property
    def evidence_dir(self) -> Path:
        return self.root / "evidence"

    @property
    def settings_file(self) -> Path:
        return self.root / "settings.json"

    @property
    def log_dir(self) -> Path:
        return self.root / "logs"

    def ensure(self) -> "StationPaths":
        for d in (self.root, self.evidence_dir, self.log_dir):
            try:
                d.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise DataDirError(f"cannot use the data directory {self.root}: {exc.strerror}") from exc
        return self
