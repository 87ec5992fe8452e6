"""Demo evidence images for the console's demo data: a drawn "camera frame" of the bench per incident
(the tote, the items on the scale, the station's stamp), stored through the real upload path
(``evidence.prepare_evidence`` + ``record_evidence``: the same checks and blob write as a station's PUT)."""

from __future__ import annotations

import hashlib
import io
import logging
import random
from datetime import datetime, timedelta

from PIL import Image, ImageDraw, ImageFont
from sqlalchemy import select
from sqlalchemy.orm import Session

from sync.server import evidence
from sync.server.blobs import BlobStore
from sync.server.models import Incident

logger = logging.getLogger(__name__)

SIZE = (960, 540)


def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    try:
        return ImageFont.truetype("DejaVuSans.ttf", size)
    except OSError:  # no DejaVu on this machine: Pillow's own bitmap font
        return ImageFont.load_default()


def frame(inc: Incident, seed: int) -> bytes:
    """A JPEG of the bench seen from above when the incident was detected."""
    rnd = random.Random(seed)
    image = Image.new("RGB", SIZE, (58, 62, 68))
    draw = ImageDraw.Draw(image)
    w, h = SIZE
    draw.rectangle((40, 60, w - 40, h - 40), fill=(120, 110, 96))  # the bench top
    draw.rectangle((90, 110, 470, 450), fill=(196, 160, 108), outline=(120, 90, 50), width=6)  # the open box
    draw.rectangle((110, 130, 450, 430), fill=(170, 135, 88))
    for n in range(rnd.randint(2, 3)):  # what is in the box
        x, y = 140 + n * 100, 170 + rnd.randint(0, 120)
        draw.rounded_rectangle((x, y, x + 80, y + 110), radius=10, fill=(60 + n * 50, 90, 160 - n * 30))
    draw.rounded_rectangle((560, 170, 860, 400), radius=14, fill=(210, 214, 220), outline=(90, 90, 90), width=4)
    draw.rounded_rectangle((640, 210, 790, 350), radius=12, fill=(200, 40, 50))  # the scanned item, on the scale
    draw.rectangle((655, 320, 775, 340), fill=(255, 255, 255))
    for x in range(660, 770, 6):  # its barcode
        draw.line((x, 322, x, 338), fill=(0, 0, 0), width=2 if rnd.random() < 0.5 else 1)
    stamp = f"{inc.station_id}  {inc.detected_at:%Y-%m-%d %H:%M:%S} UTC  order {inc.order_id or '-'}"
    draw.rectangle((0, 0, w, 44), fill=(0, 0, 0))
    draw.text((16, 10), stamp, fill=(255, 255, 255), font=_font(22))
    draw.text(
        (16, h - 34),
        f"scanned {inc.code or '-'}  ({(inc.kind or '').replace('_', ' ')})",
        fill=(255, 230, 80),
        font=_font(20),
    )
    out = io.BytesIO()
    image.save(out, "JPEG", quality=82)
    return out.getvalue()


def seed_evidence(session: Session, blobs: BlobStore, now: datetime) -> int:
    """Give every demo incident its camera frame; returns how many were stored. Commits."""
    stored = 0
    for n, inc in enumerate(session.scalars(select(Incident).order_by(Incident.detected_at))):
        data = frame(inc, n)
        digest = hashlib.sha256(data).hexdigest()
        image = evidence.prepare_evidence(session, blobs, inc.station_id, digest, data, inc.incident_id)
        uploaded = min(now, (inc.detected_at or now) + timedelta(seconds=4))  # the station uploads it at once
        evidence.record_evidence(session, inc.station_id, digest, len(data), image, inc.incident_id, uploaded)
        stored += 1
    session.commit()
    logger.info("demo data: %d evidence images", stored)
    return stored
