"""One packer screen per data dir.

Two screens on one station would each hold the bench in memory and disagree until the next scan (the
service re-checks the disk before counting or sealing, so nothing wrong is sealed, but the packer would see
stale counts). The lock is an advisory `flock` on `<data dir>/packgate.lock`: the kernel drops it when the
process dies, even on kill -9, so a crash never leaves a stale lock behind.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import IO

logger = logging.getLogger(__name__)

try:
    import fcntl
except ImportError:  # not POSIX: run without the guard rather than not at all
    fcntl = None  # type: ignore[assignment]


class AlreadyRunning(RuntimeError):
    """Another packer screen holds this data dir; the message says which process."""


class InstanceLock:
    def __init__(self, data_dir: Path) -> None:
        self.path = data_dir / "packgate.lock"
        self._file: IO[str] | None = None

    def acquire(self) -> InstanceLock:
        if fcntl is None:
            logger.warning("no single-instance guard on this platform")
            return self
        f = open(self.path, "a+", encoding="utf-8")
        try:
            fcntl.flock(f.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            f.seek(0)
            holder = f.read().strip() or "another process"
            f.close()
            raise AlreadyRunning(
                f"the packer screen is already running on {self.path.parent} (pid {holder}); "
                "close it first, or use another --data-dir"
            ) from None
        f.seek(0)
        f.truncate()
        f.write(str(os.getpid()))
        f.flush()
        self._file = f
        return self

    def release(self) -> None:
        if self._file is not None:
            self._file.close()  # closing the descriptor releases the flock
            self._file = None
