"""One bad event never fails a batch: values the database cannot hold, dates that overflow, a failure
while storing, a reused event_id, another station's id — on SQLite and PostgreSQL, over real HTTP."""

from __future__ import annotations

import json
import uuid

import httpx
from sqlalchemy import select, text

from sync.server.db import make_engine
from sync.server.models import Event
from tests.central import factory as f
from tests.central.server import CentralServer

EVENTS = "/api/v1/events"


def post(client: httpx.Client, events: list[dict], station_id: str = "ST-1") -> httpx.Response:
    return client.post(EVENTS, json={"station_id": station_id, "events": events})


def stored(db_url: str, station_id: str | None = None) -> list[str]:
    engine = make_engine(db_url)
    try:
        with engine.connect() as conn:
            query = select(Event.event_id)
            if station_id:
                query = query.where(Event.station_id == station_id)
            return sorted(str(u) for u in conn.scalars(query))
    finally:
        engine.dispose()


def test_a_nul_or_a_lone_surrogate_rejects_that_event_only(station: httpx.Client, central: CentralServer) -> None:
    """A QR code holding 0x00 made PostgreSQL answer 500 for the whole batch, forever."""
    nul_code = f.incident_opened()
    nul_code["payload"]["code"] = "0400638\x001333931"
    surrogate = f.pack_sealed("SO-2")
    good = [f.incident_opened(), f.pack_sealed("SO-3")]
    # A lone surrogate cannot be produced by json= (it is not UTF-8); it arrives as a JSON escape.
    surrogate["payload"]["packer_id"] = "P-@@SURROGATE@@"
    nul_order = f.pack_cancelled("SO-\x00-4")
    nul_order["payload"]["reason"] = "free text"
    body = json.dumps({"station_id": "ST-1", "events": [good[0], nul_code, surrogate, nul_order, good[1]]})
    body = body.replace("@@SURROGATE@@", "\\udc80")
    response = station.post(EVENTS, content=body, headers={"Content-Type": "application/json"})
    assert response.status_code == 200, response.text
    answer = response.json()
    assert sorted(answer["accepted"]) == sorted(e["event_id"] for e in good)
    reasons = {r["index"]: r["errors"] for r in answer["rejected"]}
    assert sorted(reasons) == [1, 2, 3]
    assert reasons[1] == [
        "payload.code: Value error, contains a NUL character (U+0000) at position 7, which cannot be stored"
    ]
    assert reasons[2] == [
        "payload.packer_id: Input should be a valid string, unable to parse raw data as a unicode string"
    ]
    assert reasons[3][0].startswith("payload.order_id: Value error, contains a NUL")
    assert stored(central.db_url) == sorted(e["event_id"] for e in good)


def test_dates_near_year_9999_or_year_1_reject_that_event_only(station: httpx.Client, central: CentralServer) -> None:
    late, early, occurred = f.incident_opened(), f.incident_opened(), f.audit("login")
    late["payload"]["detected_at"] = "9999-12-31T23:00:00+00:00"  # + 72 h remedy target overflowed
    early["payload"]["detected_at"] = "0001-01-01T00:30:00+01:00"  # year 0 in UTC overflowed
    occurred["occurred_at"] = "9999-12-31T23:59:59-05:00"
    good = f.pack_sealed("SO-9")
    response = post(station, [late, good, early, occurred])
    assert response.status_code == 200, response.text
    answer = response.json()
    assert answer["accepted"] == [good["event_id"]]
    reasons = {r["index"]: r["errors"] for r in answer["rejected"]}
    assert reasons == {
        0: ["payload.detected_at: Value error, must lie between the years 1900 and 8999, got year 9999"],
        2: ["payload.detected_at: Value error, must lie between the years 1900 and 8999, got year 1"],
        3: ["occurred_at: Value error, must lie between the years 1900 and 8999, got year 9999"],
    }


def test_a_failure_while_storing_one_event_rejects_it_alone(station: httpx.Client, central: CentralServer) -> None:
    """Whatever validation misses and the database refuses stays that event's problem (a savepoint per
    event), never a 500 for a valid batch. A real trigger makes the database refuse one order id."""
    engine = make_engine(central.db_url)
    try:
        with engine.begin() as conn:
            if engine.dialect.name == "postgresql":
                conn.execute(
                    text(
                        "CREATE FUNCTION refuse_poison() RETURNS trigger AS $$ BEGIN "
                        "IF NEW.order_id = 'POISON' THEN RAISE EXCEPTION 'poison order'; END IF; "
                        "RETURN NEW; END $$ LANGUAGE plpgsql"
                    )
                )
                conn.execute(
                    text(
                        "CREATE TRIGGER refuse_poison BEFORE INSERT ON events FOR EACH ROW "
                        "EXECUTE FUNCTION refuse_poison()"
                    )
                )
            else:
                conn.execute(
                    text(
                        "CREATE TRIGGER refuse_poison BEFORE INSERT ON events WHEN NEW.order_id = 'POISON' "
                        "BEGIN SELECT RAISE(ABORT, 'poison order'); END"
                    )
                )
    finally:
        engine.dispose()
    events = [f.pack_sealed("SO-1"), f.pack_sealed("POISON"), f.incident_opened(order_id="SO-2")]
    response = post(station, events)
    assert response.status_code == 200, response.text
    answer = response.json()
    assert sorted(answer["accepted"]) == sorted([events[0]["event_id"], events[2]["event_id"]])
    assert [(r["index"], r["status"]) for r in answer["rejected"]] == [(1, 422)]
    assert "could not store this event" in answer["rejected"][0]["errors"][0]
    assert "poison order" in answer["rejected"][0]["errors"][0]
    assert stored(central.db_url) == sorted([events[0]["event_id"], events[2]["event_id"]])
    # The incident of the third event was projected: its savepoint was not rolled back with the second.
    assert len(station.get("/api/v1/site/incidents").json()["incidents"]) == 1


def test_a_reused_event_id_with_other_content_is_a_409_and_the_first_is_kept(
    station: httpx.Client, central: CentralServer
) -> None:
    first = f.pack_sealed("SO-1")
    assert post(station, [first]).json()["accepted"] == [first["event_id"]]
    again = json.loads(json.dumps(first))
    assert post(station, [again]).json()["duplicates"] == [first["event_id"]]  # the same event: a duplicate
    rewritten = json.loads(json.dumps(first))
    rewritten["payload"]["short_shipped"] = True
    answer = post(station, [rewritten]).json()
    assert answer["accepted"] == [] and answer["duplicates"] == []
    assert answer["rejected"] == [
        {
            "index": 0,
            "event_id": first["event_id"],
            "status": 409,
            "errors": [
                f"event_id: this station already sent event {first['event_id']} with other content "
                "(differs in payload); the first one is kept"
            ],
        }
    ]
    engine = make_engine(central.db_url)
    try:
        with engine.connect() as conn:
            payload = conn.scalar(select(Event.payload).where(Event.event_id == uuid.UUID(first["event_id"])))
    finally:
        engine.dispose()
    assert payload["short_shipped"] is False


def test_event_ids_are_scoped_to_their_station(station: httpx.Client, central: CentralServer) -> None:
    """Another station's id answered "duplicate", which told the caller the id exists, and dropped its
    event; now each station has its own ids."""
    ours = f.pack_sealed("SO-1")
    assert post(station, [ours]).json()["accepted"] == [ours["event_id"]]
    theirs = f.pack_sealed("SO-77", station_id="ST-2", event_id=ours["event_id"])
    with httpx.Client(
        base_url=central.base_url,
        timeout=30,
        headers={"Authorization": f"Bearer {central.issue_station_token('ST-2', site='SITE-B')}"},
    ) as c2:
        answer = post(c2, [theirs], station_id="ST-2").json()
    assert answer == {"accepted": [ours["event_id"]], "duplicates": [], "rejected": []}
    assert stored(central.db_url, "ST-1") == stored(central.db_url, "ST-2") == [ours["event_id"]]


def test_unknown_fields_are_refused_with_their_name(station: httpx.Client, central: CentralServer) -> None:
    """An unknown field was kept verbatim (``extra="allow"``): a 300 MB one was stored."""
    bloated = f.pack_sealed("SO-1")
    bloated["payload"]["blob"] = "x" * 1000
    bloated["attachment"] = "y"
    good = f.pack_sealed("SO-2")
    answer = post(station, [bloated, good]).json()
    assert answer["accepted"] == [good["event_id"]]
    assert sorted(answer["rejected"][0]["errors"]) == [
        "attachment: Extra inputs are not permitted",
        "payload.blob: Extra inputs are not permitted",
    ]
    whole = station.post(EVENTS, json={"station_id": "ST-1", "events": [], "padding": "z"})
    assert whole.status_code == 422 and "padding" in whole.text
    assert stored(central.db_url) == [good["event_id"]]


def test_free_form_audit_detail_must_be_storable(station: httpx.Client, central: CentralServer) -> None:
    nul, nan, deep, fine = (f.audit("login") for _ in range(4))
    nul["payload"]["detail"] = {"note": "a\x00b"}
    deep["payload"]["detail"] = {"a": json.loads("[" * 40 + "]" * 40)}
    body = json.dumps({"station_id": "ST-1", "events": [nul, nan, deep, fine]})
    body = body.replace('"detail": {"bench": 3}', '"detail": {"weight": NaN}', 1)
    answer = station.post(EVENTS, content=body, headers={"Content-Type": "application/json"}).json()
    assert answer["accepted"] == [fine["event_id"]]
    reasons = {r["index"]: r["errors"][0] for r in answer["rejected"]}
    assert "NUL" in reasons[0] and "finite" in reasons[1] and "nested deeper" in reasons[2]
    assert stored(central.db_url) == [fine["event_id"]]
