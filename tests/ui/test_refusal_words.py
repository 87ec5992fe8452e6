"""The station raises typed reasons; the words a supervisor or packer reads come from ui.refusal_words and
are the sentences the station used to write itself."""

from __future__ import annotations

from pathlib import Path

import pytest

from station.db import Database
from station.model import RESOLUTIONS
from station.orders import import_orders
from station.service import NotAllowed, Refusal, StationService, StorageError, StorageReason
from tests.station.conftest import ORDERS, UNKNOWN_EAN
from ui.refusal_words import refusal_words, storage_words, words_for
from ui.verdict_style import style_for_storage_error


def test_a_refused_clearance_is_worded_from_its_reason(tmp_path: Path) -> None:
    db = Database.open(tmp_path / "station.sqlite3")
    import_orders(db, ORDERS, "S1")
    service = StationService(db, "S1", evidence_dir=tmp_path / "evidence")
    service.set_packer("P1")
    service.handle_scan("ORD-10001")
    incident_id = service.handle_scan(UNKNOWN_EAN).incident_id
    with pytest.raises(NotAllowed) as four_eyes:
        service.clear(incident_id, "P1", "I put it back")
    assert words_for(four_eyes.value) == "four eyes: the packer who caused an incident cannot clear it"
    with pytest.raises(NotAllowed) as bad:
        service.clear(incident_id, "SUP", "why", "lost_in_space")
    assert words_for(bad.value) == f"unknown resolution 'lost_in_space'; choose one of {', '.join(RESOLUTIONS)}"
    service.clear(incident_id, "SUP", "taken out", "item_swapped")
    with pytest.raises(NotAllowed) as again:
        service.clear(incident_id, "SUP", "again")
    assert words_for(again.value) == f"incident {incident_id} is already cleared"
    db.close()


@pytest.mark.parametrize(
    ("error", "words"),
    [
        (NotAllowed(Refusal.REASON_REQUIRED), "a reason is required"),
        (NotAllowed(Refusal.NO_SUCH_INCIDENT, incident_id="i-9"), "no incident i-9"),
        (
            NotAllowed(Refusal.NOT_ON_THIS_BENCH, order_id="20002"),
            "order 20002 is not on this bench: ship it short, pull it or escalate it at the bench where it is",
        ),
    ],
)
def test_every_refusal_has_its_sentence(error: NotAllowed, words: str) -> None:
    assert refusal_words(error) == words


@pytest.mark.parametrize(
    ("reason", "words"),
    [
        (StorageReason.DISK_FULL, "the disk is full: nothing was saved"),
        (StorageReason.LOCKED, "the database is busy (locked by another program): nothing was saved, scan again"),
        (StorageReason.READ_ONLY, "the database is read-only: nothing was saved"),
        (StorageReason.REFUSED, "the database refused the write (no such table: scans): nothing was saved"),
        (
            StorageReason.BENCH_CHANGING,
            "the order kept changing on another bench or program: nothing was saved, scan again",
        ),
    ],
)
def test_a_storage_refusal_is_worded_from_its_reason(reason: StorageReason, words: str) -> None:
    error = StorageError(reason, "no such table: scans")
    assert storage_words(error) == words
    assert style_for_storage_error(error).sentence == f"Not saved: {words}"
