"""`packgate sync parked drop ID`: only a supervisor, with a password, and always in the audit trail."""

from __future__ import annotations

import io

import pytest
from sqlalchemy import select, update

from station.orm import AuditRecord, OutboxRecord
from station.outbox import Outbox
from station.users import UserDirectory
from tests.sync.conftest import STATION_ID
from tests.sync.helpers import enqueue_raw
from ui.bootstrap import Station
from ui.cli import main


def drop(station: Station, monkeypatch: pytest.MonkeyPatch, ref: str, user: str, password: str) -> int:
    monkeypatch.setattr("sys.stdin", io.StringIO(password + "\n"))
    return main(
        [
            "sync",
            "parked",
            "drop",
            ref,
            "--supervisor",
            user,
            "--reason",
            "test order, never shipped",
            "--password-stdin",
            "--data-dir",
            str(station.paths.root),
            "--station",
            STATION_ID,
        ]
    )


def test_dropping_a_parked_event_needs_a_supervisor_and_is_audited(
    station: Station, outbox: Outbox, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    users = UserDirectory(station.db, station.clock, STATION_ID)
    users.add("S1", "supervisor", password="sup3r-secret-pw")
    users.add("P1", "packer", password="pack3r-secret-pw")
    bad = enqueue_raw(station.db, "incident.opened", {"incident_id": "x", "order_id": "SO-9"})
    outbox.park(bad, "rejected by the central service: payload.incident_id: Input should be a valid UUID")
    seq = outbox.parked()[0].seq

    assert drop(station, monkeypatch, str(seq), "S1", "wrong-password") == 2
    assert "not dropped: badge, name, PIN or password not accepted" in capsys.readouterr().err
    assert drop(station, monkeypatch, str(seq), "P1", "pack3r-secret-pw") == 2
    assert "not dropped: P1 is a packer" in capsys.readouterr().err
    assert [e.event_id for e in outbox.parked()] == [bad]

    assert drop(station, monkeypatch, bad[:8], "S1", "sup3r-secret-pw") == 0  # an id prefix, even if all digits
    assert f"dropped parked event #{seq} incident.opened {bad}" in capsys.readouterr().out
    assert outbox.parked() == [] and bad not in {e.event_id for e in outbox.pending(100)}  # never sent
    with station.db.sessions() as s:
        row = s.scalars(select(AuditRecord).where(AuditRecord.action == "sync.parked_dropped")).one()
    assert row.actor == "S1" and bad in row.detail and "test order, never shipped" in row.detail
    # The drop reaches the central service too, as an audit event.
    assert any(e.type == "audit.recorded" and e.payload["action"] == "sync.parked_dropped" for e in outbox.pending(100))
    assert drop(station, monkeypatch, str(seq), "S1", "sup3r-secret-pw") == 2  # gone: nothing to drop
    assert f"no parked event '{seq}'" in capsys.readouterr().err


def test_an_event_id_prefix_of_digits_only_still_finds_the_event(station: Station, outbox: Outbox) -> None:
    """Seen as a flaky CI run: the prefix '75519480' was read as seq 75519480 and nothing was found."""
    enqueued = enqueue_raw(station.db, "incident.opened", {"incident_id": "x", "order_id": "SO-9"})
    bad = "75519480-0000-4000-8000-000000000001"
    with station.db.session() as s:  # the id a uuid4 happened to have in that run
        s.execute(update(OutboxRecord).where(OutboxRecord.event_id == enqueued).values(event_id=bad))
    outbox.park(bad, "rejected")
    seq = outbox.parked()[0].seq
    assert outbox.find_parked("75519480").event_id == bad  # type: ignore[union-attr]
    assert outbox.find_parked(str(seq)).event_id == bad  # type: ignore[union-attr]
    assert outbox.find_parked("#75519480") is None  # '#' means a seq number, and there is no such seq


def test_an_empty_standard_input_is_named_not_tried_as_a_password(
    station: Station, outbox: Outbox, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    UserDirectory(station.db, station.clock, STATION_ID).add("S1", "supervisor", password="sup3r-secret-pw")
    bad = enqueue_raw(station.db, "incident.opened", {"incident_id": "x", "order_id": "SO-9"})
    outbox.park(bad, "rejected by the central service")
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    code = main(
        ["sync", "parked", "drop", bad[:8], "--supervisor", "S1", "--reason", "test order, never shipped"]
        + ["--password-stdin", "--data-dir", str(station.paths.root), "--station", STATION_ID]
    )
    err = capsys.readouterr().err
    assert code == 2 and "expected the password on standard input" in err and "not accepted" not in err
    assert [e.event_id for e in outbox.parked()] == [bad]  # nothing dropped
