"""The camera frame of an incident, saved beside the database before the incident that names it."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from station.paths import make_private_dir, write_private

logger = logging.getLogger(__name__)

__all__ = ["Evidence", "save_evidence"]

# A camera frame for an incident: JPEG bytes, or a callable producing them only when needed.
Evidence = bytes | Callable[[], bytes | None] | None


def save_evidence(evidence_dir: Path, incident_id: str, evidence: Evidence, now: datetime) -> str | None:
    """Write the camera frame durably (fsync) before the incident that names it is committed.
    Losing the frame must not lose the incident: a failed write is logged and the incident goes on."""
    folder = evidence_dir / now.strftime("%Y-%m-%d")
    path = folder / f"{incident_id}.jpg"
    try:
        jpeg = evidence() if callable(evidence) else evidence
    except Exception:  # a frame that cannot be encoded must not stop the incident being logged
        logger.exception("evidence frame could not be encoded", extra={"incident": incident_id})
        return None
    if not jpeg:
        return None
    try:
        make_private_dir(folder)
        write_private(path, jpeg)  # 0600: frames show customers' goods and addresses
    except OSError as exc:
        logger.error("evidence frame not saved", extra={"incident": incident_id, "error": str(exc)})
        return None
    return str(path)
