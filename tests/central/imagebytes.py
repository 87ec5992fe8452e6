"""Real JPEG/PNG bytes for the evidence tests (encoded by Pillow), and things that only look like them."""

from __future__ import annotations

import hashlib
import io
import os

from PIL import Image


def jpeg(seed: int = 0, size: tuple[int, int] = (64, 48)) -> bytes:
    """A real JPEG, different for every seed (a gradient with the seed in it)."""
    image = Image.new("RGB", size, ((seed * 37) % 256, (seed * 91) % 256, 128))
    for x in range(0, size[0], 4):
        image.putpixel((x, seed % size[1]), (255, 255, 255))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=85)
    return out.getvalue()


def png(seed: int = 0) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (32, 32), (seed % 256, 10, 200)).save(out, "PNG")
    return out.getvalue()


def gif() -> bytes:
    out = io.BytesIO()
    Image.new("P", (8, 8)).save(out, "GIF")
    return out.getvalue()


def fake_jpeg(size: int = 4096) -> bytes:
    """A JPEG magic number followed by random bytes: what a renamed file or an attacker sends."""
    return b"\xff\xd8\xff\xe0" + os.urandom(size)


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
