"""Which evidence images the station still has to upload: untried, due for a retry, or done for good."""

from __future__ import annotations

from datetime import timedelta

from station.clock import FrozenClock
from station.evidence_uploads import SWEEP_EVERY, EvidenceUploads, UploadState
from station.service import StationService

from .conftest import OTHER_UPC


def blocked_with_evidence(service: StationService, frame: bytes = b"\xff\xd8\xff frame") -> str:
    service.handle_scan("ORD-10001")
    incident_id = service.handle_scan(OTHER_UPC, evidence_jpeg=frame).incident_id
    assert incident_id is not None
    service.clear(incident_id, "SUP", "wrong item taken out", "item_swapped")
    service.handle_scan("CMD:CANCEL")
    return incident_id


def due_ids(uploads: EvidenceUploads, clock: FrozenClock) -> list[str]:
    return [d.incident_id for d in uploads.due(clock.now())]


def test_new_incidents_are_due_in_order_and_a_failed_one_waits_for_its_retry(
    service: StationService, clock: FrozenClock
) -> None:
    uploads = EvidenceUploads(service.db.sessions)
    first = blocked_with_evidence(service)
    clock.advance(minutes=1)
    second = blocked_with_evidence(service)
    service.handle_scan("ORD-10001")
    service.handle_scan(OTHER_UPC)  # no camera frame: nothing to upload
    assert due_ids(uploads, clock) == [first, second]

    uploads.mark_failed(first, "HTTP 500", retry_at=clock.now() + timedelta(seconds=2))
    uploads.mark_uploaded(second, "ab" * 32, 14, clock.now())
    assert due_ids(uploads, clock) == []
    clock.advance(seconds=2)
    assert due_ids(uploads, clock) == [first]
    uploads.mark_refused(first, "HTTP 415: not a readable JPEG image")
    assert due_ids(uploads, clock) == []
    state = uploads.state_of(first)
    assert state is not None and state[0] is UploadState.REFUSED and state[2] == 2
    counts = uploads.counts()
    assert (counts.uploaded, counts.refused, counts.waiting) == (1, 1, 0)


def test_an_incident_dated_before_the_newest_upload_is_found_by_the_periodic_sweep(
    service: StationService, clock: FrozenClock
) -> None:
    """The quick search starts at the newest upload; a station clock set back an hour must not hide the
    incidents it dates in the past for ever."""
    uploads = EvidenceUploads(service.db.sessions)
    done = blocked_with_evidence(service)
    assert due_ids(uploads, clock) == [done]  # the first call searches everything
    uploads.mark_uploaded(done, "cd" * 32, 14, clock.now())
    clock.advance(hours=-1)
    hidden = blocked_with_evidence(service)
    seen = [due_ids(uploads, clock) for _ in range(SWEEP_EVERY)]
    assert seen[0] == [] and seen[-1] == [hidden]
