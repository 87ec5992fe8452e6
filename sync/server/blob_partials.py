"""Partial evidence uploads: the bytes of an interrupted ``PUT /api/v1/evidence/{sha256}``, kept so the
station can send only the rest (``Content-Range``) instead of starting again from byte 0.

Where: the blob store's own staging area (``FileBlobStore.partials``: ``<blob root>/.partial/``), one
file per (station, sha256): ``.partial/<hash of the station id>/<sha256>``. Per station, because a
partial is the uploading station's claim on what it has sent: another station sending the same image at
the same moment (two benches photographing the same returned parcel) writes its own partial and cannot
poison this one with wrong bytes. When both finish, the blob is the same (content-addressed) and is
stored once.

Nothing in a partial is trusted: the blob is only accepted when the *whole* file hashes to its name and
passes the image check (``sync.server.evidence``). A partial is

- written under an exclusive ``flock`` (works across ``serve --workers N`` processes): a second request
  for the same (station, sha256) while one is streaming is answered "in progress" and retried later;
- capped: it never grows past ``max_bytes`` (the evidence cap), and a station keeps at most
  ``MAX_PARTIALS_PER_STATION`` of them (starting one more discards that station's oldest);
- expired: a partial untouched for ``PARTIAL_TTL_S`` (24 h) is removed by the next upload's sweep (at most
  one sweep per ``SWEEP_EVERY_S`` per process), so an abandoned upload does not keep its disk for ever;
- removed when the blob is stored, when the bytes are refused (wrong hash, not an image, too large), or
  when the station starts again from byte 0.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import hashlib
import logging
import os
import threading
import time
from collections.abc import Iterator
from pathlib import Path

logger = logging.getLogger(__name__)

PARTIAL_TTL_S = 24 * 3600.0
SWEEP_EVERY_S = 600.0
MAX_PARTIALS_PER_STATION = 4


class PartialBusy(RuntimeError):
    """Another request is writing this partial right now."""


def _station_dir_name(station_id: str) -> str:
    # Station ids are a safe alphabet already; hashed anyway so a name can never be a path.
    return hashlib.sha256(station_id.encode("utf-8")).hexdigest()[:24]


class Partial:
    """One partial upload, held open and locked by this request (see ``FilePartials.hold``)."""

    def __init__(self, path: Path, fd: int, max_bytes: int) -> None:
        self.path = path
        self._fd = fd
        self.max_bytes = max_bytes

    @property
    def size(self) -> int:
        return os.fstat(self._fd).st_size

    def restart(self) -> None:
        """Throw away what is held: the upload starts again at byte 0."""
        os.ftruncate(self._fd, 0)

    def append(self, chunk: bytes) -> None:
        """Write ``chunk`` at the end; the caller has checked the cap (``room``)."""
        view = memoryview(chunk)
        while view:
            written = os.write(self._fd, view)
            view = view[written:]

    def room(self) -> int:
        return self.max_bytes - self.size

    def sync(self) -> None:
        os.fsync(self._fd)

    def read(self) -> bytes:
        with open(self.path, "rb") as f:
            return f.read(self.max_bytes + 1)

    def discard(self) -> None:
        with contextlib.suppress(FileNotFoundError):
            self.path.unlink()


class FilePartials:
    """Partial uploads as files under ``root`` (see the module docstring)."""

    def __init__(
        self,
        root: Path,
        max_bytes: int,
        ttl_s: float = PARTIAL_TTL_S,
        per_station: int = MAX_PARTIALS_PER_STATION,
    ) -> None:
        self.root = root
        self.max_bytes = max_bytes
        self.ttl_s = ttl_s
        self.per_station = per_station
        self._last_sweep = float("-inf")
        self._sweep_lock = threading.Lock()

    def path(self, station_id: str, sha256: str) -> Path:
        return self.root / _station_dir_name(station_id) / sha256

    def received(self, station_id: str, sha256: str) -> int:
        """How many bytes of this upload central holds (0: none)."""
        try:
            return self.path(station_id, sha256).stat().st_size
        except FileNotFoundError:
            return 0

    @contextlib.contextmanager
    def hold(self, station_id: str, sha256: str) -> Iterator[Partial]:
        """The partial of (station, sha256), created when missing, locked for this request; raises
        ``PartialBusy`` when another request holds it."""
        self.sweep()
        path = self.path(station_id, sha256)
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        for _ in range(3):
            new = not path.exists()
            if new:
                self._make_room(path.parent)
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError as exc:
                os.close(fd)
                if exc.errno in (errno.EWOULDBLOCK, errno.EAGAIN):
                    raise PartialBusy(f"an upload of {sha256} from this station is in progress") from exc
                raise
            try:
                same = os.fstat(fd).st_ino == path.stat().st_ino
            except FileNotFoundError:
                same = False
            if not same:  # discarded by the request that held it while we waited for the lock: open again
                os.close(fd)
                continue
            try:
                yield Partial(path, fd, self.max_bytes)
            finally:
                os.close(fd)  # releases the lock
            return
        raise PartialBusy(f"the partial upload of {sha256} keeps changing; retry")

    def _make_room(self, station_dir: Path) -> None:
        """Keep at most ``per_station - 1`` partials before a new one: the oldest unlocked ones go."""
        try:
            entries = sorted(station_dir.iterdir(), key=lambda p: p.stat().st_mtime)
        except FileNotFoundError:
            return
        for old in entries[: max(0, len(entries) - self.per_station + 1)]:
            if self._remove_unless_held(old):
                logger.info(
                    "discarded the oldest partial evidence upload %s: at most %d per station",
                    old.name,
                    self.per_station,
                )

    def sweep(self, now: float | None = None, force: bool = False) -> int:
        """Remove partials untouched for ``ttl_s``; at most once per ``SWEEP_EVERY_S`` unless ``force``."""
        now = time.time() if now is None else now
        with self._sweep_lock:
            if not force and time.monotonic() - self._last_sweep < SWEEP_EVERY_S:
                return 0
            self._last_sweep = time.monotonic()
        removed = 0
        if not self.root.is_dir():
            return 0
        for station_dir in self.root.iterdir():
            for partial in station_dir.iterdir() if station_dir.is_dir() else ():
                try:
                    stale = now - partial.stat().st_mtime > self.ttl_s
                except FileNotFoundError:
                    continue
                if stale and self._remove_unless_held(partial):
                    removed += 1
        if removed:
            logger.info("removed %d partial evidence upload(s) untouched for %.0f h", removed, self.ttl_s / 3600)
        return removed

    @staticmethod
    def _remove_unless_held(path: Path) -> bool:
        try:
            fd = os.open(path, os.O_RDONLY)
        except FileNotFoundError:
            return False
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(fd)
            return False  # being written right now
        try:
            path.unlink()
            return True
        except FileNotFoundError:
            return False
        finally:
            os.close(fd)
