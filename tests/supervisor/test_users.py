"""Users, argon2 secrets, lockout and clearance rights (no Qt)."""

from __future__ import annotations

import logging
import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from station import audit
from station.clock import FrozenClock
from station.orm import UserRecord
from station.users import (
    AUTH_FAILED_MESSAGE,
    AccountLocked,
    AuthError,
    ClearanceRefused,
    UserDirectory,
    UserError,
    authorize_clearance,
    demo_users,
)
from tests.supervisor.conftest import audit_rows, cheap_hasher, outbox_actions
from ui.bootstrap import Station
from ui.user_words import AUTH_FAILED, auth_error_text, user_error_text


def test_secrets_are_stored_only_as_peppered_argon2id_hashes(station: Station, directory: UserDirectory) -> None:
    with station.db.sessions() as s:
        row = s.get(UserRecord, "S2")
        assert row is not None
        assert row.pin_hash is not None and row.pin_hash.startswith("$pgpepper1$")
        assert "$argon2id$" in row.pin_hash and (row.password_hash or "").startswith("$pgpepper1$")
        assert "975319" not in row.pin_hash and "correct horse" not in (row.password_hash or "")
    assert directory.authenticate_badge("BADGE-S2", "975319").name == "S2"
    assert directory.authenticate_password("S2", "correct horse").name == "S2"


def test_failed_login_message_never_says_whether_the_user_exists(directory: UserDirectory) -> None:
    with pytest.raises(AuthError) as unknown:
        directory.authenticate_badge("BADGE-NOBODY", "246802")
    with pytest.raises(AuthError) as wrong_pin:
        directory.authenticate_badge("BADGE-S1", "000000")
    with pytest.raises(AuthError) as unknown_name:
        directory.authenticate_password("nobody", "whatever1")
    assert str(unknown.value) == str(wrong_pin.value) == str(unknown_name.value) == AUTH_FAILED_MESSAGE
    assert {auth_error_text(e.value) for e in (unknown, wrong_pin, unknown_name)} == {AUTH_FAILED}


def test_five_wrong_pins_lock_for_a_growing_period_that_expires_on_the_clock(
    station: Station, directory: UserDirectory, clock: FrozenClock
) -> None:
    for _ in range(4):
        with pytest.raises(AuthError) as exc:
            directory.authenticate_badge("BADGE-S1", "111111")
        assert not isinstance(exc.value, AccountLocked)
    with pytest.raises(AccountLocked) as locked:
        directory.authenticate_badge("BADGE-S1", "111111")
    assert locked.value.until == clock.now() + timedelta(minutes=5)

    # While locked even the right PIN is refused, and not checked.
    clock.advance(minutes=4, seconds=59)
    with pytest.raises(AccountLocked):
        directory.authenticate_badge("BADGE-S1", "246802")
    clock.advance(seconds=1)
    assert directory.authenticate_badge("BADGE-S1", "246802").name == "S1"

    # The second lockout lasts twice as long.
    for _ in range(5):
        with pytest.raises(AuthError):
            directory.authenticate_badge("BADGE-S1", "111111")
    user = directory.get("S1")
    assert user is not None and user.locked_until == clock.now() + timedelta(minutes=10)

    lockouts = audit_rows(station, "login.lockout")
    assert [(actor, d["lockouts"]) for actor, _, d in lockouts] == [("S1", 1), ("S1", 2)]
    assert [d["reason"] for _, _, d in audit_rows(station, "login.failed")].count("locked") == 1
    assert outbox_actions(station).count("login.lockout") == 2


def test_a_success_resets_the_count_of_consecutive_failures(directory: UserDirectory) -> None:
    for _ in range(4):
        with pytest.raises(AuthError):
            directory.authenticate_badge("BADGE-S1", "111111")
    directory.authenticate_badge("BADGE-S1", "246802")
    for _ in range(4):  # four more: still not five in a row
        with pytest.raises(AuthError) as exc:
            directory.authenticate_badge("BADGE-S1", "111111")
        assert not isinstance(exc.value, AccountLocked)


def test_reset_pin_lifts_the_lockout_and_the_old_pin_stops_working(
    directory: UserDirectory, clock: FrozenClock
) -> None:
    for _ in range(5):
        with pytest.raises(AuthError):
            directory.authenticate_badge("BADGE-S1", "111111")
    directory.reset_pin("S1", "864200", actor="admin")
    assert directory.authenticate_badge("BADGE-S1", "864200").name == "S1"
    with pytest.raises(AuthError):
        directory.authenticate_badge("BADGE-S1", "246802")


def test_disabled_user_cannot_log_in(station: Station, directory: UserDirectory) -> None:
    directory.disable("S1")
    with pytest.raises(AuthError) as exc:
        directory.authenticate_badge("BADGE-S1", "246802")
    assert str(exc.value) == AUTH_FAILED_MESSAGE and auth_error_text(exc.value) == AUTH_FAILED
    assert audit_rows(station, "login.failed")[-1][2]["reason"] == "disabled"


def test_every_login_path_is_audited_with_station_and_sent_to_the_outbox(
    station: Station, directory: UserDirectory
) -> None:
    directory.authenticate_badge("BADGE-S1", "246802")
    with pytest.raises(AuthError):
        directory.authenticate_password("S2", "wrong password")
    rows = audit_rows(station)
    assert ("S1", "login", {"method": "badge", "rehashed": False, "role": "supervisor"}) in rows
    assert rows[-1][:2] == ("S2", "login.failed")
    with station.db.sessions() as s:
        assert audit.verify_chain(s).ok
        from station.orm import AuditRecord

        assert {r.station_id for r in s.scalars(select(AuditRecord))} == {"BENCH-07"}
    assert outbox_actions(station)[-2:] == ["login", "login.failed"]


def test_secrets_never_reach_the_log_or_the_audit_trail(
    station: Station, directory: UserDirectory, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    directory.authenticate_badge("BADGE-S2", "975319")
    with pytest.raises(AuthError):
        directory.authenticate_password("S2", "sesame-wrong")
    text = caplog.text + repr(audit_rows(station)) + repr(outbox_actions(station))
    assert "975319" not in text and "sesame-wrong" not in text


def test_hash_is_upgraded_when_the_parameters_change(station: Station, directory: UserDirectory) -> None:
    stronger = UserDirectory(
        station.db,
        station.clock,
        station.station_id,
        hasher=type(cheap_hasher())(time_cost=2, memory_cost=2048, parallelism=1),
    )
    with station.db.sessions() as s:
        before = s.get(UserRecord, "S1").pin_hash  # type: ignore[union-attr]
    assert stronger.authenticate_badge("BADGE-S1", "246802").name == "S1"
    with station.db.sessions() as s:
        after = s.get(UserRecord, "S1").pin_hash  # type: ignore[union-attr]
    assert after != before and "t=2" in after and "m=2048" in after
    assert audit_rows(station, "login")[-1][2]["rehashed"] is True
    assert stronger.authenticate_badge("BADGE-S1", "246802").name == "S1"


@pytest.mark.parametrize("pin", ["123", "12a4", "１２３４", "", "1234", "12345"])
def test_pin_must_be_at_least_six_digits_by_default(directory: UserDirectory, pin: str) -> None:
    with pytest.raises(UserError):
        directory.add("S9", "supervisor", badge="BADGE-S9", pin=pin)
    assert directory.get("S9") is None


def test_add_refuses_duplicates_and_supervisors_without_a_secret(directory: UserDirectory) -> None:
    with pytest.raises(UserError) as refused:
        directory.add("S1", "supervisor", badge="BADGE-X", pin="123456")
    assert re.search("already exists", user_error_text(refused.value))
    with pytest.raises(UserError) as refused:
        directory.add("S5", "supervisor", badge="BADGE-S1", pin="123456")
    assert re.search("badge", user_error_text(refused.value))
    with pytest.raises(UserError) as refused:
        directory.add("S6", "supervisor", badge="BADGE-S6")
    assert re.search("PIN or a password", user_error_text(refused.value))
    with pytest.raises(UserError) as refused:
        directory.add("S7", "boss", badge="BADGE-S7", pin="123456")
    assert re.search("role", user_error_text(refused.value))
    assert [u.name for u in directory.list()] == ["P1", "S1", "S2"]


def test_packer_never_clears_and_nobody_clears_their_own_incident(blocked: Station, directory: UserDirectory) -> None:
    incident = blocked.service.open_incidents()[0]
    packer = directory.authenticate_badge("BADGE-P1", "135791")  # a valid credential...
    with pytest.raises(ClearanceRefused) as exc:
        directory.check_clearance(packer, incident, incident.order_id)  # ...that clears nothing
    assert exc.value.reason == "role"

    # P1 promoted to supervisor: still cannot clear the incident P1 caused.
    with blocked.db.session() as s:
        s.get(UserRecord, "P1").role = "supervisor"  # type: ignore[union-attr]
    promoted = directory.authenticate_badge("BADGE-P1", "135791")
    with pytest.raises(ClearanceRefused) as exc:
        authorize_clearance(promoted, incident)
    assert exc.value.reason == "four_eyes"

    authorize_clearance(directory.authenticate_badge("BADGE-S1", "246802"), incident)  # no exception
    refused = audit_rows(blocked, "clearance.refused")
    assert refused == [("P1", "clearance.refused", {"incident": incident.id, "reason": "role", "role": "packer"})]
    assert "clearance.refused" in outbox_actions(blocked)


def test_demo_users_are_created_once(station: Station) -> None:
    d = UserDirectory(station.db, station.clock, station.station_id, hasher=cheap_hasher())
    first = demo_users(d)
    again = demo_users(d)
    assert [(u.name, u.display_name, u.role, u.badge) for u in first] == [
        ("P1", "Pat Packer", "packer", "BADGE-P1"),
        ("S1", "Sam Supervisor", "supervisor", "BADGE-S1"),
    ]
    assert again == first
    assert d.authenticate_badge("BADGE-S1", "246802").can_clear
