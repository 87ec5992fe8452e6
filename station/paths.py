"""Where the station keeps its files: one module owns the data dir.

Resolution order: an explicit `--data-dir`, then the `PACKGATE_DATA_DIR` environment variable, then the
per-user data dir from `platformdirs` (e.g. `~/.local/share/packgate` on Linux), which follows each OS's
conventions without us hard-coding them.

Everything in the data dir is private to the station's OS account: the directories are 0700 and the files
0600 (database and its -wal/-shm, logs, settings, evidence), whatever the umask. A warehouse PC is shared,
and the database holds PIN hashes, the audit trail and customers' addresses.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from pathlib import Path

import platformdirs

logger = logging.getLogger(__name__)

ENV_DATA_DIR = "PACKGATE_DATA_DIR"
ENV_CONFIG_DIR = "PACKGATE_CONFIG_DIR"
APP_NAME = "packgate"
PRIVATE_DIR = 0o700
PRIVATE_FILE = 0o600


def resolve_config_dir() -> Path:
    """Where machine secrets live (the PIN pepper key): `PACKGATE_CONFIG_DIR`, else the per-user config dir
    (`~/.config/packgate`). Deliberately *not* the data dir, so a copy of the data dir does not carry it."""
    env = os.environ.get(ENV_CONFIG_DIR)
    if env:
        return Path(env).expanduser().resolve()
    return Path(platformdirs.user_config_dir(APP_NAME, appauthor=False))


def make_private_dir(path: Path) -> None:
    """Create `path` (and parents) and make it 0700; an existing directory is tightened too."""
    path.mkdir(parents=True, exist_ok=True, mode=PRIVATE_DIR)
    _tighten(path, PRIVATE_DIR)


def _tighten(path: Path, mode: int) -> None:
    try:
        if path.stat().st_mode & 0o077:
            os.chmod(path, mode)
    except FileNotFoundError:
        pass
    except OSError as exc:  # read-only mount, someone else's file: run on, but say so
        logger.warning("could not make private", extra={"path": str(path), "error": str(exc)})


def create_private_file(path: Path) -> None:
    """Create `path` empty with mode 0600 if it does not exist; tighten it (and its SQLite -wal/-shm) if it
    does. SQLite gives a database's -wal and -shm the mode of the database file, so this covers them."""
    fd = os.open(path, os.O_CREAT | os.O_RDONLY, PRIVATE_FILE)
    os.close(fd)
    for p in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
        _tighten(p, PRIVATE_FILE)


def write_private(path: Path, data: bytes) -> None:
    """Write `data` to a new 0600 file and fsync it (evidence frames)."""
    fd = os.open(path, os.O_CREAT | os.O_WRONLY | os.O_TRUNC, PRIVATE_FILE)
    with os.fdopen(fd, "wb") as f:
        f.write(data)
        f.flush()
        os.fsync(f.fileno())


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

    def ensure(self) -> StationPaths:
        for d in (self.root, self.evidence_dir, self.log_dir):
            try:
                make_private_dir(d)
            except OSError as exc:
                raise DataDirError(f"cannot use the data directory {self.root}: {exc.strerror}") from exc
        return self
