"""The station side of evidence upload: each incident's camera frame goes to central, content-addressed.

Called from the sync worker's cycle (``SyncWorker.run_cycle``) right after the outbox drain:
``EvidenceUploader.upload_due()`` takes the incidents whose evidence is not uploaded yet (or is due for a
retry) from ``station.evidence_uploads``, reads each file, hashes it (SHA-256) and sends
``PUT /api/v1/evidence/{sha256}?incident_id=…`` with the bytes. Central recomputes the hash, checks that
the bytes are a JPEG/PNG that decodes, stores the blob and links it to the incident.

Order: the events first, the images after, independently. The incident.opened event is small and the
case clock at central starts with it (the customer must be told within 2 h), so it must never wait behind
megabytes of images or an image central refuses; the image is not needed to open the case. The link is
made by the upload itself, after the blob is stored, so a case at central has either no evidence yet or
evidence that is really there -- never a pointer to a missing blob. The evidence event field
``evidence_file`` stays the station's path (informative only).

Answers, filed in the station's table (the only state, so a restart carries on):
- 200/201: uploaded (a 200 means central had the bytes already: a lost answer, a restart);
- 413, 415, 422, 403, 409: refused for good, with central's reason (an image too large or not an image;
  an incident of another station), never retried; a file missing from disk: the same;
- anything else (5xx, 429, 401, a timeout, refused connection): kept, retried after the sync's backoff
  (``backoff_delay``: 1 s, 2 s, 4 s ... at most 5 min, + up to 1 s jitter) stored in the row. The round
  stops at the first such failure: the service is probably down, the next cycle tries again.
- 404 for the endpoint (an old central without evidence): retried with at least a 5-minute backoff.

Resumable: central keeps the bytes of an upload that broke off (sync/server/evidence_upload.py). A retry
first asks ``GET /evidence/{sha256}/upload`` how many it holds and sends only the rest (``Content-Range``);
when central refuses that part (416: it holds another amount; 422: the whole does not hash right, its
partial is gone) the whole image is sent once more in the same attempt. A first attempt sends the whole
image without asking (one request per image in the common case).
"""

from __future__ import annotations

import hashlib
import logging
import threading
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import httpx
from pydantic import ValidationError
from sqlalchemy.orm import Session, sessionmaker

from station.clock import Clock
from station.evidence_uploads import DueEvidence, EvidenceUploads
from sync.evidence_wire import EVIDENCE_PATH, EVIDENCE_TYPES, UPLOAD_SUFFIX, EvidenceUploadStatus
from sync.transport import backoff_delay, response_detail

logger = logging.getLogger(__name__)

DEFAULT_PER_CYCLE = 20
_REFUSED_FOR_GOOD = {403, 409, 413, 415, 422}
_MIME = {b"\xff\xd8\xff": EVIDENCE_TYPES[0], b"\x89PNG\r\n\x1a\n": EVIDENCE_TYPES[1]}


@dataclass(frozen=True)
class EvidenceResult:
    uploaded: int = 0
    refused: int = 0
    failed: int = 0
    error: str | None = None  # why the round stopped early


class EvidenceUploader:
    def __init__(self, http: httpx.Client, sessions: sessionmaker[Session], clock: Clock) -> None:
        self._http = http
        self.uploads = EvidenceUploads(sessions)
        self._clock = clock

    def upload_due(self, stop: threading.Event | None = None, limit: int = DEFAULT_PER_CYCLE) -> EvidenceResult:
        """Upload what is due (at most ``limit`` images); never raises for a network or server problem."""
        uploaded = refused = 0
        for due in self.uploads.due(self._clock.now(), limit):
            if stop is not None and stop.is_set():
                break
            try:
                data = Path(due.path).read_bytes()
            except OSError as exc:
                reason = f"evidence file {due.path} cannot be read: {exc.strerror or exc}"
                logger.error("incident %s: %s; not uploaded", due.incident_id, reason)
                self.uploads.mark_refused(due.incident_id, reason)
                refused += 1
                continue
            sha256 = hashlib.sha256(data).hexdigest()
            content_type = next((t for magic, t in _MIME.items() if data.startswith(magic)), "application/octet-stream")
            try:
                response = self._send(due, sha256, data, content_type)
            except httpx.TransportError as exc:
                return self._failed(
                    due.incident_id, due.attempts, sha256, f"{type(exc).__name__}: {exc}", uploaded, refused
                )
            status = response.status_code
            if status in (200, 201):
                self.uploads.mark_uploaded(due.incident_id, sha256, len(data), self._clock.now())
                uploaded += 1
                logger.info("incident %s: evidence %s uploaded (%d bytes)", due.incident_id, sha256[:12], len(data))
            elif status in _REFUSED_FOR_GOOD:
                reason = f"HTTP {status}: {response_detail(response)}"
                logger.error("incident %s: central refused the evidence for good: %s", due.incident_id, reason)
                self.uploads.mark_refused(due.incident_id, reason, sha256)
                refused += 1
            else:
                minimum = 300.0 if status == 404 else 0.0
                return self._failed(
                    due.incident_id,
                    due.attempts,
                    sha256,
                    f"HTTP {status}: {response_detail(response)}",
                    uploaded,
                    refused,
                    minimum,
                )
        return EvidenceResult(uploaded=uploaded, refused=refused)

    def _send(self, due: DueEvidence, sha256: str, data: bytes, content_type: str) -> httpx.Response:
        """PUT the image; after a failed attempt, only the bytes central does not hold yet."""
        url = f"{EVIDENCE_PATH}/{sha256}"
        params = {"incident_id": due.incident_id}
        headers = {"Content-Type": content_type}
        start = self._resume_point(url, len(data)) if due.attempts > 0 else 0
        if start > 0:
            rest = {**headers, "Content-Range": f"bytes {start}-{len(data) - 1}/{len(data)}"}
            response = self._http.put(url, params=params, content=data[start:], headers=rest)
            if response.status_code not in (416, 422):
                logger.info("incident %s: evidence %s resumed at byte %d", due.incident_id, sha256[:12], start)
                return response
            # Central's partial was not what this station holds (or moved on): the whole file, once.
            logger.warning(
                "incident %s: resuming at byte %d refused (HTTP %d: %s); sending the whole image",
                due.incident_id,
                start,
                response.status_code,
                response_detail(response),
            )
        return self._http.put(url, params=params, content=data, headers=headers)

    def _resume_point(self, url: str, size: int) -> int:
        """The byte to go on from: what central holds of an interrupted upload (0: from the start, also
        when central cannot say: an older central, a refused question)."""
        response = self._http.get(url + UPLOAD_SUFFIX)
        if response.status_code != 200:
            return 0
        try:
            status = EvidenceUploadStatus.model_validate_json(response.content)
        except ValidationError:
            return 0
        return status.received if not status.stored and 0 < status.received < size else 0

    def _failed(
        self,
        incident_id: str,
        attempts: int,
        sha256: str,
        error: str,
        uploaded: int,
        refused: int,
        minimum: float = 0.0,
    ) -> EvidenceResult:
        delay = max(minimum, backoff_delay(attempts + 1))
        logger.warning("incident %s: evidence upload failed, retry in %.1f s: %s", incident_id, delay, error)
        self.uploads.mark_failed(incident_id, error, self._clock.now() + timedelta(seconds=delay), sha256)
        return EvidenceResult(uploaded=uploaded, refused=refused, failed=1, error=error)
