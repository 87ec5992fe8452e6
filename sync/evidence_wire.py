"""Wire models of evidence upload (``PUT /api/v1/evidence/{sha256}``), shared by the station's uploader
(``sync.evidence``) and the central service (``sync.server.evidence``). Kept apart from ``sync.wire`` (the
event schema), which another change is retyping.
"""

from __future__ import annotations

import enum

from pydantic import BaseModel, ConfigDict

EVIDENCE_PATH = "/evidence"  # under API_PREFIX; + "/{sha256}"
EVIDENCE_TYPES = ("image/jpeg", "image/png")


class EvidenceOutcome(enum.StrEnum):
    STORED = "stored"  # new bytes, written now (201)
    ALREADY_STORED = "already_stored"  # the same bytes were there (200): nothing written


class EvidenceStored(BaseModel):
    """The answer to an upload: what central holds under that hash now, and the incident it is linked to."""

    model_config = ConfigDict(extra="forbid")

    sha256: str
    size: int
    content_type: str
    width: int
    height: int
    outcome: EvidenceOutcome
    incident_id: str | None = None


#: ``GET /api/v1/evidence/{sha256}/upload``: how much of an upload central holds (resumable uploads).
UPLOAD_SUFFIX = "/upload"
#: The header of a 416 answer (and of the status) saying where the station must go on from.
UPLOAD_OFFSET_HEADER = "Upload-Offset"


class EvidenceUploadStatus(BaseModel):
    """How far central has an upload of these bytes from this station: ``received`` bytes of a partial
    (0: none; resume with ``Content-Range: bytes <received>-<last>/<total>``), or ``stored`` already."""

    model_config = ConfigDict(extra="forbid")

    sha256: str
    received: int
    stored: bool
