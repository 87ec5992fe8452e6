"""Shift figures computed from stored rows, and the hand-over that drops nothing open."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from station.clock import FrozenClock
from station.handover import HandoverError, HandoverProblem, acknowledge_handover, create_handover, handovers
from station.orm import IncidentRecord
from station.shift import (
    ShiftWindow,
    open_flags,
    shift_stats,
    shift_window,
)
from station.users import UserDirectory
from tests.supervisor.conftest import WRONG_ITEM, audit_rows, outbox_actions
from ui.bootstrap import Station
from ui.supervisor.shift_words import handover_error_text

UTC = UTC
EARLY = ShiftWindow(datetime(2026, 11, 23, 6, tzinfo=UTC), datetime(2026, 11, 23, 14, tzinfo=UTC))


def pack_a_shift(station: Station, clock: FrozenClock) -> None:
    """08:00 P1 packs T1 with one wrong item, cleared 30 min later; 09:15 P2 blocks T2, left open."""
    svc = station.service
    svc.set_packer("P1")
    svc.load_order("ORD-T1")
    svc.handle_scan("5901230412357")
    clock.advance(minutes=10)
    incident = svc.handle_scan(WRONG_ITEM).incident_id
    assert incident
    clock.advance(minutes=30)
    svc.clear(incident, "S1", "paint set taken out", "item_swapped")
    svc.handle_scan("5901230412357")
    svc.handle_scan("036000291278")
    assert svc.seal().kind.value == "sealed"
    clock.set(datetime(2026, 11, 23, 9, 15, tzinfo=UTC))
    svc.set_packer("P2")
    svc.load_order("ORD-T2")
    assert svc.handle_scan("036000291278").blocking  # T1's mouse in T2


def test_shift_figures_per_packer_and_in_total(station: Station, clock: FrozenClock) -> None:
    pack_a_shift(station, clock)
    clock.set(datetime(2026, 11, 23, 10, 0, tzinfo=UTC))
    stats = shift_stats(station.db, EARLY, clock.now(), station.station_id)

    p1, p2 = stats.per_packer
    assert (p1.packer_id, p1.orders_packed, p1.lines_scanned, p1.units_scanned) == ("P1", 1, 2, 3)
    assert p1.incidents_by_kind == {"wrong_item": 1}
    assert p1.error_rate == pytest.approx(0.5)
    assert p1.mean_time_to_clearance == timedelta(minutes=30)
    assert (p2.packer_id, p2.orders_packed, p2.lines_scanned, p2.incidents) == ("P2", 0, 0, 1)
    assert p2.error_rate is None and p2.mean_time_to_clearance is None

    assert (stats.total.orders_packed, stats.total.incidents, stats.total.lines_scanned) == (1, 2, 2)
    assert stats.total.error_rate == pytest.approx(1.0)
    hours = dict(stats.incidents_per_hour)
    assert len(stats.incidents_per_hour) == 8
    assert hours[datetime(2026, 11, 23, 8, tzinfo=UTC)] == 1
    assert hours[datetime(2026, 11, 23, 9, tzinfo=UTC)] == 1
    assert sum(hours.values()) == 2
    [flag] = stats.open_flags
    assert (flag.order_id, flag.packer_id, flag.age, flag.overdue) == ("T2", "P2", timedelta(minutes=45), False)


def test_the_next_shift_sees_none_of_it_and_the_flag_ages_past_two_hours(station: Station, clock: FrozenClock) -> None:
    pack_a_shift(station, clock)
    late = shift_stats(station.db, EARLY.following(), datetime(2026, 11, 23, 14, 30, tzinfo=UTC))
    assert (late.total.orders_packed, late.total.incidents, late.per_packer) == (0, 0, ())
    [flag] = late.open_flags  # the open incident follows into the next shift
    assert flag.overdue and flag.age == timedelta(hours=5, minutes=15)
    assert open_flags(station.db, clock.now(), kind="expired") == ()
    assert [f.packer_id for f in open_flags(station.db, clock.now(), packer_id="P2")] == ["P2"]


def test_shift_window_follows_the_local_wall_clock() -> None:
    night = shift_window(datetime(2026, 11, 24, 3, 0, tzinfo=UTC), tz=UTC)
    assert (night.start, night.end) == (datetime(2026, 11, 23, 22, tzinfo=UTC), datetime(2026, 11, 24, 6, tzinfo=UTC))
    assert shift_window(datetime(2026, 11, 23, 6, 0, tzinfo=UTC), tz=UTC) == EARLY
    assert EARLY.previous().end == EARLY.start and EARLY.following().start == EARLY.end
    assert EARLY.previous().start == datetime(2026, 11, 22, 22, tzinfo=UTC)


def test_handover_lists_every_open_flag_and_the_next_supervisor_acknowledges(
    station: Station, directory: UserDirectory, clock: FrozenClock
) -> None:
    pack_a_shift(station, clock)
    sam = directory.authenticate_badge("BADGE-S1", "246802")
    sue = directory.authenticate_badge("BADGE-S2", "975319")
    packer = directory.authenticate_badge("BADGE-P1", "135791")
    open_ids = [f.incident_id for f in open_flags(station.db, clock.now())]

    with pytest.raises(HandoverError) as refused:
        create_handover(station.db, clock, station.station_id, packer, EARLY)
    assert handover_error_text(refused.value).endswith("is a packer: a supervisor signs the hand-over")
    made = create_handover(station.db, clock, station.station_id, sam, EARLY, note="T2 waits for the mouse")
    assert list(made.open_incident_ids) == open_ids
    assert [h.handover_id for h in handovers(station.db, pending_only=True)] == [made.handover_id]

    # An incident opened after the hand-over was made (a second bench on this station's database):
    # the acknowledgement still carries it.
    with station.db.session() as s:
        s.add(
            IncidentRecord(
                id="late-1",
                station_id=station.station_id,
                packer_id="P3",
                order_id="T9",
                kind="short",
                detected_at=clock.now(),
                status="open",
                expected=[],
                missing=[],
            )
        )
    with pytest.raises(HandoverError) as refused:
        acknowledge_handover(station.db, clock, station.station_id, made.handover_id, sam)
    assert refused.value.problem is HandoverProblem.OWN_HANDOVER
    assert "next supervisor" in handover_error_text(refused.value)
    clock.advance(minutes=5)
    acked = acknowledge_handover(station.db, clock, station.station_id, made.handover_id, sue)
    assert acked.acknowledged_by == "S2" and acked.acknowledged_at == clock.now()
    assert acked.also_open_at_acknowledgement == ("late-1",)
    assert handovers(station.db, pending_only=True) == []
    with pytest.raises(HandoverError) as refused:
        acknowledge_handover(station.db, clock, station.station_id, made.handover_id, sue)
    assert handover_error_text(refused.value) == "already acknowledged by S2"
    actions = [a for _, a, _ in audit_rows(station)]
    assert actions[-2:] == ["shift.handover", "shift.handover_acknowledged"]
    assert outbox_actions(station)[-2:] == ["shift.handover", "shift.handover_acknowledged"]


def test_site_shift_hours_of_unequal_length_step_back_and_forth_exactly() -> None:
    from datetime import datetime

    from station.shift import shift_window

    utc = UTC
    day = shift_window(datetime(2026, 11, 23, 9, 0, tzinfo=utc), (6, 18), tz=utc)
    assert (day.start.hour, day.end.hour) == (6, 18)
    night = day.following()
    assert (night.start, night.end) == (day.end, datetime(2026, 11, 24, 6, 0, tzinfo=utc))  # 12 h, not 8
    assert night.previous() == day and day.previous().end == day.start


def test_shift_hours_come_from_the_settings_and_bad_values_fall_back(station, caplog) -> None:
    from ui.supervisor.session import shift_starts

    station.settings.set("shift_starts", [18, 6])
    assert shift_starts(station) == (6, 18)
    station.settings.set("shift_starts", ["six", 25])
    assert shift_starts(station) == (6, 14, 22)
    assert "shift_starts" in caplog.text
