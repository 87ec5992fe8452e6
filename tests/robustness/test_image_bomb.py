"""A decompression bomb (a tiny PNG that decodes to a huge picture) is refused, not decoded into GBs."""

from __future__ import annotations

import struct
import subprocess
import sys
import zlib
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parents[2]


def png_bomb(path: Path, side: int) -> Path:
    """A grayscale PNG of side x side black pixels, compressed row by row (a few hundred kB on disk)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    comp = zlib.compressobj(9)
    row = b"\x00" * (side + 1)  # filter byte + pixels
    idat = b"".join(comp.compress(row) for _ in range(side)) + comp.flush()
    ihdr = struct.pack(">IIBBBBB", side, side, 8, 0, 0, 0, 0)
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat) + chunk(b"IEND", b""))
    return path


def test_png_bomb_is_refused_quickly_and_small(tmp_path: Path) -> None:
    bomb = png_bomb(tmp_path / "bomb.png", 9000)  # 81 MP, over the 64 MP limit
    assert bomb.stat().st_size < 1_000_000
    proc = subprocess.Popen(
        [sys.executable, "-m", "ui.cli", "decode", str(bomb), "--data-dir", str(tmp_path / "d")],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    peak = 0
    p = psutil.Process(proc.pid)
    while proc.poll() is None:
        try:
            peak = max(peak, p.memory_info().rss)
        except psutil.NoSuchProcess:
            break
    out, _ = proc.communicate(timeout=60)
    assert proc.returncode == 1
    assert "too large" in out or "larger than" in out
    assert peak < 400_000_000  # the decoded picture alone would be 243 MB as BGR
