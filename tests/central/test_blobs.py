"""FileBlobStore: content-addressed files written atomically (temp + fsync + rename), nothing half-written."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from sync.server.blobs import FileBlobStore, default_blob_dir
from tests.central.imagebytes import jpeg, sha


def test_a_blob_is_stored_under_its_hash_once_and_read_back(tmp_path: Path) -> None:
    store = FileBlobStore(tmp_path / "blobs")
    data = jpeg(1)
    store.put(sha(data), data)
    store.put(sha(data), data)  # again: harmless
    assert store.exists(sha(data)) and store.get(sha(data)) == data
    (only,) = [p for p in (tmp_path / "blobs").rglob("*") if p.is_file()]
    assert only.relative_to(tmp_path / "blobs").parts == (sha(data)[:2], sha(data)[2:4], sha(data))
    assert only.stat().st_mode & 0o777 == 0o600
    assert store.get("0" * 64) is None and not store.exists("0" * 64)


@pytest.mark.parametrize("key", ["../../etc/passwd", "A" * 64, "abc", "0" * 63 + "/"])
def test_a_key_that_is_not_a_sha256_never_becomes_a_path(tmp_path: Path, key: str) -> None:
    with pytest.raises(ValueError, match="not a SHA-256 key"):
        FileBlobStore(tmp_path).put(key, b"x")


def test_a_write_that_fails_leaves_neither_the_blob_nor_a_temp_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = FileBlobStore(tmp_path / "blobs")
    data = jpeg(2)

    def disk_full(_fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", disk_full)
    with pytest.raises(OSError, match="No space left"):
        store.put(sha(data), data)
    assert not store.exists(sha(data))
    assert [p for p in (tmp_path / "blobs").rglob("*") if p.is_file()] == []


def test_blobs_sit_beside_an_sqlite_database(tmp_path: Path) -> None:
    assert default_blob_dir(f"sqlite:///{tmp_path / 'data' / 'central.db'}") == (tmp_path / "data" / "blobs").resolve()
