"""Evidence images at central: ``PUT /api/v1/evidence/{sha256}`` (station token) stores a station's camera
frame, ``GET /api/v1/incidents/{id}/evidence`` (admin) serves it.

An upload is checked before anything is written:

1. the path names a SHA-256 (64 hex) and the body hashes to it (recomputed here): a mismatch is **422**;
2. the body is at most ``MAX_EVIDENCE_BYTES`` (the guard middleware answers **413** as it streams past);
3. it is a JPEG or a PNG, judged from the bytes, never from ``Content-Type``: the magic number first, then
   the header's size (at most ``MAX_EVIDENCE_PIXELS``, so a decompression bomb is never decoded), then a
   full decode with Pillow (a dependency of the service), so random bytes behind a JPEG magic, a
   truncated file or a GIF renamed .jpg are **415**.

Idempotent: the same bytes again are a 200 no-op (``already_stored``); new bytes are written to the blob
store (atomically, sync/server/blobs.py) and *then* recorded in ``evidence_blobs`` (201). The slow half
(decode, blob write and fsync) runs before the writers' lock is taken, so an upload never holds up the
event ingest of other stations for longer than two small inserts. With
``?incident_id=`` the upload also links the blob to the incident (``incident_evidence``), so an incident
only ever points at a blob that is stored. The link may arrive before the incident's ``incident.opened``;
it is the uploading station's, and is only shown for an incident of the same station. A station cannot
link evidence to another station's incident (**403**), and an incident keeps its first evidence (another
hash for it is **409**).
"""

# No "from __future__ import annotations": FastAPI resolves the handler annotations (aliases passed in).

import hashlib
import io
import logging
import uuid
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from fastapi import APIRouter, HTTPException
from fastapi.responses import Response
from PIL import Image
from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from sync.evidence_wire import EvidenceOutcome, EvidenceStored
from sync.server.blobs import SHA256_HEX, BlobStore
from sync.server.limits import MAX_EVIDENCE_PIXELS
from sync.server.models import EvidenceBlob, Incident, IncidentEvidence
from sync.server.responses import ERROR_BODY
from sync.wire import API_PREFIX

logger = logging.getLogger(__name__)

_MAGIC = {b"\xff\xd8\xff": ("JPEG", "image/jpeg"), b"\x89PNG\r\n\x1a\n": ("PNG", "image/png")}


class EvidenceRefused(ValueError):
    """The upload is not a storable evidence image; ``status_code`` is the HTTP answer."""

    def __init__(self, status_code: int, message: str) -> None:
        super().__init__(message)
        self.status_code = status_code


def check_image(data: bytes) -> tuple[str, int, int]:
    """``(content_type, width, height)`` of a JPEG/PNG that decodes completely; raises ``EvidenceRefused``."""
    found = next(((fmt, ctype) for magic, (fmt, ctype) in _MAGIC.items() if data.startswith(magic)), None)
    if found is None:
        raise EvidenceRefused(415, "not a JPEG or PNG image (judged from its first bytes, not its name or type)")
    fmt, content_type = found
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data), formats=[fmt]) as image:
                width, height = image.size
                if width * height > MAX_EVIDENCE_PIXELS:
                    raise EvidenceRefused(
                        415, f"image of {width}x{height} pixels: more than {MAX_EVIDENCE_PIXELS} pixels is refused"
                    )
                image.load()  # a full decode: a broken or truncated body fails here
    except EvidenceRefused:
        raise
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise EvidenceRefused(415, f"not a readable {fmt} image: {str(exc)[:200]}") from exc
    return content_type, width, height


def _insert(session: Session, model: type) -> Any:
    dialect = session.get_bind().dialect.name
    return (postgresql.insert if dialect == "postgresql" else sqlite.insert)(model)


@dataclass(frozen=True)
class CheckedImage:
    content_type: str
    width: int
    height: int


def check_link(session: Session, station_id: str, sha256: str, incident_id: uuid.UUID) -> None:
    owner = session.scalar(select(Incident.station_id).where(Incident.incident_id == incident_id))
    linked = session.scalar(select(IncidentEvidence).where(IncidentEvidence.incident_id == incident_id))
    if (owner is not None and owner != station_id) or (linked is not None and linked.station_id != station_id):
        raise EvidenceRefused(403, f"incident {incident_id} is not one of station {station_id!r}'s")
    if linked is not None and linked.sha256 != sha256:
        raise EvidenceRefused(409, f"incident {incident_id} already has other evidence ({linked.sha256})")


def prepare_evidence(
    session: Session, blobs: BlobStore, station_id: str, sha256: str, data: bytes, incident_id: uuid.UUID | None
) -> CheckedImage | None:
    """The half of an upload that needs no writers' lock: the hash, the link's owner, and for new bytes the
    decode and the blob write (the slow parts). None: these bytes are stored already. Writes no row."""
    if not SHA256_HEX.match(sha256):
        raise EvidenceRefused(422, "the path must end in the image's SHA-256: 64 lower-case hex characters")
    if not data:
        raise EvidenceRefused(422, "empty body: send the image's bytes")
    actual = hashlib.sha256(data).hexdigest()
    if actual != sha256:
        raise EvidenceRefused(422, f"the body's SHA-256 is {actual}, not {sha256}: nothing stored (resend the file)")
    if incident_id is not None:
        check_link(session, station_id, sha256, incident_id)
    if session.get(EvidenceBlob, sha256) is not None and blobs.exists(sha256):
        return None
    image = CheckedImage(*check_image(data))
    blobs.put(sha256, data)  # first the bytes (atomic, fsynced), then the row that says they are there
    return image


def record_evidence(
    session: Session,
    station_id: str,
    sha256: str,
    size: int,
    image: CheckedImage | None,
    incident_id: uuid.UUID | None,
    now: datetime,
) -> EvidenceStored:
    """The database half (under the writers' lock): the link checked again (another upload may have won
    meanwhile), the blob's row and the link written. Does not commit."""
    if incident_id is not None:
        check_link(session, station_id, sha256, incident_id)
    if image is not None:
        session.execute(
            _insert(session, EvidenceBlob)
            .values(
                sha256=sha256,
                size=size,
                content_type=image.content_type,
                width=image.width,
                height=image.height,
                station_id=station_id,
                stored_at=now,
            )
            .on_conflict_do_nothing(index_elements=["sha256"])
        )
        logger.info("station %s: evidence %s stored (%s, %d bytes)", station_id, sha256[:12], image.content_type, size)
    blob = session.scalar(select(EvidenceBlob).where(EvidenceBlob.sha256 == sha256))
    if blob is None:  # pragma: no cover - the row is written above or was read by prepare_evidence
        raise EvidenceRefused(409, "the evidence vanished while it was stored: send it again")
    if incident_id is not None:
        session.execute(
            _insert(session, IncidentEvidence)
            .values(incident_id=incident_id, station_id=station_id, sha256=sha256, linked_at=now)
            .on_conflict_do_nothing(index_elements=["incident_id"])
        )
    return EvidenceStored(
        sha256=sha256,
        size=blob.size,
        content_type=blob.content_type,
        width=blob.width,
        height=blob.height,
        outcome=EvidenceOutcome.STORED if image is not None else EvidenceOutcome.ALREADY_STORED,
        incident_id=str(incident_id) if incident_id else None,
    )


def evidence_of(session: Session, incident_id: uuid.UUID) -> EvidenceBlob | None:
    """The stored evidence of an incident (linked by the incident's own station), or None."""
    return session.scalar(
        select(EvidenceBlob)
        .join(IncidentEvidence, IncidentEvidence.sha256 == EvidenceBlob.sha256)
        .join(Incident, Incident.incident_id == IncidentEvidence.incident_id)
        .where(IncidentEvidence.incident_id == incident_id, Incident.station_id == IncidentEvidence.station_id)
    )


def image_headers(sha256: str) -> dict[str, str]:
    """Headers of a served evidence image (API and console): never sniffed as anything else, cached
    privately (an incident keeps its first image, so the bytes behind a URL never change)."""
    return {
        "ETag": f'"{sha256}"',
        "Cache-Control": "private, max-age=86400, immutable",
        "X-Content-Type-Options": "nosniff",
        "Content-Security-Policy": "default-src 'none'",
    }


def router(
    session_dep: Any,
    station_dep: Any,
    admin_dep: Any,
    blobs: Callable[[], BlobStore],
    write_lock: Any,
    clock: Callable[[], datetime],
    responses: dict[int | str, dict],
) -> APIRouter:
    api = APIRouter(prefix=API_PREFIX)
    from sync.server import evidence_upload  # the upload routes use this module's checks

    api.include_router(evidence_upload.router(session_dep, station_dep, blobs, write_lock, clock, responses))

    @api.get(
        "/incidents/{incident_id}/evidence",
        response_class=Response,
        responses={
            **responses,
            200: {
                "content": {t: {"schema": {"type": "string", "format": "binary"}} for t in ("image/jpeg", "image/png")}
            },
            404: {"description": "No such incident, or no evidence uploaded for it (yet).", **ERROR_BODY},
        },
    )
    def get_evidence(incident_id: uuid.UUID, who: admin_dep, db: session_dep) -> Response:
        """The incident's evidence image, with its content type (admin)."""
        if db.get(Incident, incident_id) is None:
            raise HTTPException(404, f"no incident {incident_id}")
        blob = evidence_of(db, incident_id)
        data = blobs().get(blob.sha256) if blob is not None else None
        if blob is None or data is None:
            raise HTTPException(404, f"no evidence uploaded for incident {incident_id} (yet)")
        return Response(
            data,
            media_type=blob.content_type,
            headers=image_headers(blob.sha256),
        )

    return api
