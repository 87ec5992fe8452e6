"""Where evidence images are kept: one small interface (``BlobStore``) and a file-system implementation.

Blobs are content-addressed: the key is the SHA-256 of the bytes (64 lower-case hex characters), so a
blob is written once and never changes, a second upload of the same bytes is a no-op, and an object store
(S3, GCS, MinIO) can be added later as another ``BlobStore`` without touching the routes.

``FileBlobStore`` writes atomically: a temporary file in the same directory, ``fsync``, ``os.replace`` to
the final name, then an ``fsync`` of the directory, so a crash leaves either the whole blob or none (a
left-over ``*.tmp`` is harmless and ignored). Files fan out as ``ab/cd/abcd…`` so no directory holds
millions of entries. The blob is written *before* its database row (``evidence_blobs``): a row never
names a blob that is not on disk; a crash between the two leaves an orphan file that the next upload of
the same bytes simply finds in place.
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
import secrets
from pathlib import Path
from typing import Protocol

from sync.server.blob_partials import FilePartials
from sync.server.limits import MAX_EVIDENCE_BYTES

logger = logging.getLogger(__name__)

SHA256_HEX = re.compile(r"^[0-9a-f]{64}$")


class BlobStore(Protocol):
    """Content-addressed storage of immutable blobs."""

    def put(self, sha256: str, data: bytes) -> None:
        """Store ``data`` under ``sha256`` (the caller has checked that it is the data's hash); atomic and
        durable when it returns; storing the same key again is harmless."""

    def get(self, sha256: str) -> bytes | None:
        """The bytes, or None when there is no such blob."""

    def exists(self, sha256: str) -> bool: ...

    #: Where interrupted uploads are kept until the rest arrives (sync/server/blob_partials.py); an object
    #: store would use its own (an S3 multipart upload, say) behind the same few calls.
    partials: FilePartials


class FileBlobStore:
    """Blobs as files under ``root`` (see the module docstring)."""

    def __init__(self, root: Path, max_partial_bytes: int | None = None) -> None:
        self.root = root
        self.partials = FilePartials(root / ".partial", max_partial_bytes or MAX_EVIDENCE_BYTES)

    def path(self, sha256: str) -> Path:
        if not SHA256_HEX.match(sha256):
            raise ValueError(f"not a SHA-256 key: {sha256!r}")
        return self.root / sha256[:2] / sha256[2:4] / sha256

    def put(self, sha256: str, data: bytes) -> None:
        final = self.path(sha256)
        if final.is_file() and final.stat().st_size == len(data):
            return  # content-addressed: the same key holds the same bytes
        final.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        tmp = final.with_name(f"{sha256}.{secrets.token_hex(4)}.tmp")
        try:
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "wb") as out:
                out.write(data)
                out.flush()
                os.fsync(out.fileno())
            os.replace(tmp, final)
        except BaseException:
            with contextlib.suppress(OSError):
                tmp.unlink()
            raise
        _fsync_dir(final.parent)
        logger.debug("stored blob %s (%d bytes)", sha256, len(data))

    def get(self, sha256: str) -> bytes | None:
        try:
            return self.path(sha256).read_bytes()
        except FileNotFoundError:
            return None

    def exists(self, sha256: str) -> bool:
        return self.path(sha256).is_file()


def _fsync_dir(directory: Path) -> None:
    """Make the rename durable (POSIX); a platform without directory fds just skips it."""
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def default_blob_dir(db_url: str) -> Path:
    """Beside the database for SQLite (``central.db`` -> ``blobs/`` in the same directory); for a server
    database, the service's data dir (``packgate-central serve --blob-dir`` overrides both)."""
    from sqlalchemy.engine import make_url

    url = make_url(db_url)
    if url.get_backend_name() == "sqlite" and url.database and url.database != ":memory:":
        return Path(url.database).resolve().parent / "blobs"
    import platformdirs

    return Path(platformdirs.user_data_dir("packgate-central", appauthor=False)) / "blobs"
