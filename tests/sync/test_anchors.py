"""The audit chain anchored at the real central service (HTTP on 127.0.0.1, SQLite and PostgreSQL).

Every attack on the station's database is made with plain sqlite3 (tests/station/tamper.py) and must make
`packgate audit verify` fail: locally where the row bindings catch it, against central's last accepted
anchor where only the anchor can (the chain itself still checks after a rehash, a renumbering or deleting
the newest rows). The next sync is refused and flagged at central, and the events still sync.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from station import audit
from station.clock import SystemClock
from station.orders import import_orders
from station.outbox import Outbox
from sync.worker import SYNC_SECTION, SyncSettings
from tests.central.server import CentralServer
from tests.station import tamper
from tests.station.conftest import ORDERS
from tests.station.test_audit_binding import day_of_work
from tests.sync.helpers import central_event_ids
from ui.bootstrap import Station, bootstrap
from ui.cli import main

STATION_ID = "ST-1"


@dataclass
class Bench:
    central: CentralServer
    data_dir: Path
    station: Station
    admin: httpx.Client

    @property
    def db_path(self) -> Path:
        return self.station.db.path

    def sync(self) -> str | None:
        """One `packgate sync run`'s worth: drain, then anchor; returns how central judged the head."""
        settings = SyncSettings.from_section(self.station.settings.section(SYNC_SECTION))
        with settings.make_client(Outbox(self.station.db.sessions), STATION_ID) as client:
            result = client.drain_once(force=True)
        assert result.error is None, result.error
        return result.anchor

    def verify(self, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
        capsys.readouterr()
        code = main(["audit", "verify", "--data-dir", str(self.data_dir), "--station", STATION_ID])
        out, err = capsys.readouterr()
        return code, out + err

    def flags(self) -> list[dict]:
        return self.admin.get("/api/v1/admin/anchors", params={"flagged": 1}).raise_for_status().json()["flags"]


def filler(station: Station, rows: int) -> None:
    """Ordinary audit rows (what logins and settings changes write), to give the chain some length."""
    with station.db.session() as s:
        for i in range(rows):
            audit.append(s, at=SystemClock().now(), station_id=STATION_ID, actor="P1", action="note", detail={"i": i})


@pytest.fixture
def bench(central: CentralServer, tmp_path: Path) -> Iterator[Bench]:
    data_dir = tmp_path / "station"
    station = bootstrap(data_dir, STATION_ID, clock=SystemClock())
    import_orders(station.db, ORDERS, STATION_ID)
    station.service.set_packer("P1")
    station.settings.set_section(
        SYNC_SECTION, {"url": central.base_url, "token": central.issue_station_token(STATION_ID, site="SITE-A")}
    )
    station.settings.save()
    with httpx.Client(
        base_url=central.base_url, timeout=30, headers={"Authorization": f"Bearer {central.issue_admin_token()}"}
    ) as admin:
        b = Bench(central, data_dir, station, admin)
        try:
            yield b
        finally:
            station.close()


def anchored_day(bench: Bench, extra_rows: int = 30) -> int:
    """A day of work plus `extra_rows`, synced and anchored; returns the anchored head's seq."""
    day_of_work(bench.station.service)
    filler(bench.station, extra_rows)
    assert bench.sync() == "accepted"
    with bench.station.db.sessions() as s:
        head = audit.head(s)
    assert head is not None
    return head[0]


def test_a_clean_chain_that_only_grew_passes_against_central(bench: Bench, capsys) -> None:
    seq = anchored_day(bench)
    code, out = bench.verify(capsys)
    assert code == 0 and f"row {seq} is the head central accepted" in out
    filler(bench.station, 5)
    assert bench.sync() == "accepted"  # it only grew: extends the last anchor
    assert bench.sync() == "unchanged"
    assert bench.verify(capsys)[0] == 0 and bench.flags() == []


def _delete_newest(n: int) -> Callable[[sqlite3.Connection], None]:
    def attack(conn: sqlite3.Connection) -> None:
        conn.execute("DELETE FROM audit_log WHERE id > (SELECT MAX(id) FROM audit_log) - ?", (n,))

    return attack


def _delete_all(conn: sqlite3.Connection) -> None:
    conn.execute("DELETE FROM audit_log")


def _edit_and_rehash(conn: sqlite3.Connection) -> None:
    conn.execute("UPDATE audit_log SET actor = 'mallory' WHERE id = 3")
    tamper.rehash_from(conn, 3)


def _delete_and_renumber(conn: sqlite3.Connection) -> None:
    conn.execute("DELETE FROM audit_log WHERE id = 4")
    tamper.renumber_and_rehash(conn)


def _drop_trigger_edit_rehash(conn: sqlite3.Connection) -> None:
    # tamper.connect already dropped both triggers: a filler row's detail edited, the rest re-chained
    row = conn.execute("SELECT MAX(id) FROM audit_log").fetchone()[0] - 2
    conn.execute("UPDATE audit_log SET detail = '{\"i\":-1}' WHERE id = ?", (row,))
    tamper.rehash_from(conn, row)


ANCHOR_ATTACKS = [
    pytest.param(_delete_newest(1), 30, "is not the one central accepted", id="delete-newest-1"),
    pytest.param(_delete_newest(5000), 5100, "trail has only", id="delete-newest-5000"),
    pytest.param(_delete_all, 30, "trail has only", id="delete-all"),
    pytest.param(_edit_and_rehash, 30, "is not the one central accepted", id="edit-and-rehash"),
    pytest.param(_delete_and_renumber, 30, "is not the one central accepted", id="delete-and-renumber"),
    pytest.param(_drop_trigger_edit_rehash, 30, "is not the one central accepted", id="drop-trigger-edit-rehash"),
]


@pytest.mark.parametrize(("attack", "rows", "says"), ANCHOR_ATTACKS)
def test_a_rewritten_chain_that_checks_locally_fails_against_central(
    bench: Bench, capsys, caplog, attack: Callable[[sqlite3.Connection], None], rows: int, says: str
) -> None:
    seq = anchored_day(bench, rows)
    conn = tamper.connect(bench.db_path)
    attack(conn)
    conn.close()
    with bench.station.db.sessions() as s:
        assert audit.verify_chain(s).first_broken_id is None  # the chain alone cannot tell
    # The bench goes on working (and re-appends rows over the deleted ones): an incident and its event.
    bench.station.service.handle_scan("ORD-20002")
    wrong = bench.station.service.handle_scan("4006381333931")
    assert wrong.blocking
    with caplog.at_level(logging.WARNING, logger="sync.server.anchors"):
        assert bench.sync() == "refused"
    assert any("REFUSED" in r.getMessage() for r in caplog.records if r.name == "sync.server.anchors")
    # The evidence still reached central, and the refusal is a flag an admin (and the site) can see.
    assert wrong.incident_id in {e["payload"].get("incident_id") for e in _events(bench)}
    flags = bench.flags()
    assert len(flags) == 1 and flags[0]["station_id"] == STATION_ID and flags[0]["proof_seq"] == seq
    site = httpx.get(
        bench.central.base_url + "/api/v1/site/anchor-flags",
        headers={"Authorization": f"Bearer {bench.central.issue_station_token('ST-2', site='SITE-A')}"},
    ).json()["flags"]
    assert [f["id"] for f in site] == [flags[0]["id"]]
    assert bench.sync() == "refused" and bench.flags()[0]["times"] == 2  # still refused, counted, not repeated
    code, out = bench.verify(capsys)
    assert code == 1 and "BROKEN against central" in out and says in out and "FLAGGED" in out


def _events(bench: Bench) -> list[dict]:
    from sqlalchemy import select

    from sync.server.db import make_engine
    from sync.server.models import Event

    engine = make_engine(bench.central.db_url)
    try:
        with engine.connect() as conn:
            return [{"payload": p} for p in conn.scalars(select(Event.payload).where(Event.station_id == STATION_ID))]
    finally:
        engine.dispose()


LOCAL_ATTACKS = [
    pytest.param("UPDATE scans SET code = '4012345678901' WHERE id = 2", "scan 2 was changed", id="edit-scan"),
    pytest.param("UPDATE incidents SET status = 'open', reason = NULL", "incident", id="edit-incident"),
    pytest.param(
        "UPDATE outbox SET payload = json_set(payload, '$.kind', 'short') WHERE type = 'incident.opened'",
        "outbox event",
        id="edit-outbox-payload",
    ),
    pytest.param("UPDATE audit_log SET actor = 'mallory' WHERE id = 5", "BROKEN at row 5", id="drop-trigger-edit"),
]


@pytest.mark.parametrize(("sql", "says"), LOCAL_ATTACKS)
def test_edited_rows_fail_verify_locally(bench: Bench, capsys, sql: str, says: str) -> None:
    anchored_day(bench)
    tamper.execute(bench.db_path, sql)
    code, out = bench.verify(capsys)
    assert code == 1 and says in out, out


def test_a_forged_row_appended_after_the_anchor_is_caught_by_its_binding(bench: Bench, capsys) -> None:
    """Appending extends the chain, so central accepts it (the documented limit of anchoring); the forged
    clearance is caught because the incident row does not say what the forged row claims."""
    anchored_day(bench)
    bench.station.service.handle_scan("ORD-20002")
    wrong = bench.station.service.handle_scan("4006381333931")
    conn = tamper.connect(bench.db_path)
    tamper.append_forged(
        conn,
        "incident.cleared",
        {"incident": wrong.incident_id, "resolution": "false_alarm", "reason": "forged"},
        order_id="20002",
    )
    conn.close()
    assert bench.sync() == "accepted"
    code, out = bench.verify(capsys)
    assert code == 1 and f"incident {wrong.incident_id}" in out and "forged" in out


def test_verify_says_when_it_could_not_ask_central(bench: Bench, capsys) -> None:
    anchored_day(bench)
    bench.central.stop()
    code, out = bench.verify(capsys)
    assert code == 3 and "not checked against central: offline" in out
    bench.central.start()
    assert bench.verify(capsys)[0] == 0


def test_an_admin_reset_accepts_a_rebuilt_stations_new_chain(bench: Bench, capsys) -> None:
    anchored_day(bench)
    tamper.execute(bench.db_path, "DELETE FROM audit_log")
    filler(bench.station, 3)
    assert bench.sync() == "refused"
    bench.admin.post(f"/api/v1/admin/anchors/{STATION_ID}/reset", params={"note": "disk replaced"}).raise_for_status()
    assert bench.sync() == "accepted"
    assert bench.flags()[0]["reason"].startswith("chain truncated")  # the flag stays in the history


def test_an_old_central_without_anchors_still_takes_the_events(bench: Bench, sqlite_url: str) -> None:
    """A 404 for the anchor only means "not anchored": events are sent and acknowledged as before."""
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    upstream = bench.central.base_url

    class OldCentral(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self._answer()

        def do_POST(self) -> None:
            self._answer()

        def _answer(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            if "/anchors" in self.path:
                self.send_response(404)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            answer = httpx.request(
                self.command,
                upstream + self.path,
                content=body,
                headers={k: v for k, v in self.headers.items() if k.lower() in ("authorization", "content-type")},
            )
            self.send_response(answer.status_code)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(answer.content)))
            self.end_headers()
            self.wfile.write(answer.content)

        def log_message(self, *_args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), OldCentral)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        section = bench.station.settings.section(SYNC_SECTION)
        bench.station.settings.set_section(
            SYNC_SECTION, {**section, "url": f"http://127.0.0.1:{server.server_address[1]}"}
        )
        day_of_work(bench.station.service)
        assert bench.sync() is None
        assert Outbox(bench.station.db.sessions).counts().pending == 0
        assert len(central_event_ids(bench.central.db_url, STATION_ID)) > 0
    finally:
        server.shutdown()
        server.server_close()


def test_two_processes_anchoring_the_same_station_never_refuse_each_other(bench: Bench) -> None:
    """The GUI's worker and a `packgate sync run` each remember the last anchor they saw; the one that is
    behind is told "stale" and proves the newer anchor instead, so no honest station is ever flagged."""
    settings = SyncSettings.from_section(bench.station.settings.section(SYNC_SECTION))
    outbox = Outbox(bench.station.db.sessions)
    with settings.make_client(outbox, STATION_ID) as gui, settings.make_client(outbox, STATION_ID) as cli:
        filler(bench.station, 3)
        assert gui.drain_once(force=True).anchor == "accepted"
        filler(bench.station, 3)
        assert cli.drain_once(force=True).anchor == "accepted"
        filler(bench.station, 3)
        assert gui.drain_once(force=True).anchor == "accepted"  # its own last anchor was stale: retried
    assert bench.flags() == []
    history = bench.admin.get("/api/v1/admin/anchors").json()["flags"]
    assert [a["status"] for a in history] == ["accepted"] * 3


def test_history_rewritten_and_re_anchored_with_the_token_fails_on_an_earlier_days_anchor(
    db_url: str, tmp_path: Path, capsys
) -> None:
    """Whoever holds the station's token can post the stored hash as proof and then any head: central
    cannot tell. The anchors of earlier days still hold the old chain, and verify checks those too."""
    from datetime import UTC, datetime, timedelta

    from tests.central.server import run_central

    now = [datetime(2026, 12, 1, 9, 0, tzinfo=UTC)]
    with run_central(db_url, clock=lambda: now[0]) as central:
        data_dir = tmp_path / "station"
        station = bootstrap(data_dir, STATION_ID, clock=SystemClock())
        try:
            import_orders(station.db, ORDERS, STATION_ID)
            station.service.set_packer("P1")
            token = central.issue_station_token(STATION_ID)
            station.settings.set_section(SYNC_SECTION, {"url": central.base_url, "token": token})
            station.settings.save()
            with httpx.Client(
                base_url=central.base_url,
                timeout=30,
                headers={"Authorization": f"Bearer {central.issue_admin_token()}"},
            ) as admin:
                bench = Bench(central, data_dir, station, admin)
                anchored_day(bench)
                now[0] += timedelta(days=1)
                conn = tamper.connect(bench.db_path)
                _edit_and_rehash(conn)
                conn.close()
                filler(station, 1)  # the bench goes on: the head is past the anchored one
                # The forger: the stored hash as "proof", then the rewritten chain's head.
                last = httpx.get(
                    central.base_url + "/api/v1/anchors/last", headers={"Authorization": f"Bearer {token}"}
                ).json()["last"]
                with station.db.sessions() as s:
                    seq, digest = audit.head(s)
                forged = httpx.post(
                    central.base_url + "/api/v1/anchors",
                    headers={"Authorization": f"Bearer {token}"},
                    json={
                        "station_id": STATION_ID,
                        "head": {"seq": seq, "hash": digest},
                        "at_last": {"seq": last["seq"], "hash": last["hash"]},
                    },
                ).json()
                assert forged["status"] in ("accepted", "unchanged")
                code, out = bench.verify(capsys)
        finally:
            station.close()
    assert code == 1 and "though the newest anchor matches" in out, out
