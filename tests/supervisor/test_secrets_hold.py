"""Secrets that hold: a pepper outside the database, a site minimum PIN length, and a lockout that holds
under parallel attempts. Real SQLite files, real argon2 (cheap parameters), real threads."""

from __future__ import annotations

import re
import stat
import threading
from datetime import timedelta
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from argon2.exceptions import VerifyMismatchError

from station.clock import FrozenClock
from station.db import Database
from station.orm import UserRecord
from station.settings import Settings, min_pin_digits
from station.users import (
    MAX_LOCKOUT,
    AccountLocked,
    AuthError,
    CredentialStoreError,
    PinChangeRequired,
    UserDirectory,
    UserError,
    lockout_period,
)
from tests.supervisor.conftest import audit_rows, cheap_hasher
from ui.bootstrap import Station
from ui.user_words import user_error_text


def stored(station: Station, name: str) -> UserRecord:
    with station.db.sessions() as s:
        row = s.get(UserRecord, name)
        assert row is not None
        return row


def test_a_copied_database_alone_cannot_check_a_pin(station: Station, directory: UserDirectory) -> None:
    """The offline search: every 6-digit PIN against the stored hash. Without the key file no candidate
    matches, not even the right one (before: the plain argon2 hash verified the PIN directly)."""
    pin_hash = stored(station, "S1").pin_hash
    assert pin_hash is not None
    inner = pin_hash[pin_hash.index("$argon2id$") :]
    with pytest.raises(VerifyMismatchError):
        PasswordHasher().verify(inner, "246802")
    assert directory.authenticate_badge("BADGE-S1", "246802").name == "S1"  # with the key it does
    key = directory.hasher.key_file
    assert key.exists() and stat.S_IMODE(key.stat().st_mode) == 0o600
    assert station.paths.root not in key.parents  # not in the data dir: a copy of it does not carry the key


def test_old_unpeppered_4_digit_pin_still_verifies_but_must_be_changed(
    station: Station, directory: UserDirectory
) -> None:
    with station.db.session() as s:  # a user from before this change: plain argon2id of a 4-digit PIN
        s.get(UserRecord, "S1").pin_hash = cheap_hasher().hash("2468")  # type: ignore[union-attr]
    with pytest.raises(PinChangeRequired) as exc:
        directory.authenticate_badge("BADGE-S1", "2468")
    assert exc.value.min_digits == 6
    with pytest.raises(AuthError):  # a wrong old PIN changes nothing
        directory.change_pin_badge("BADGE-S1", "1111", "807060")
    with pytest.raises(UserError) as refused:
        directory.change_pin_badge("BADGE-S1", "2468", "1357")
    assert re.search("6 to 12 digits", user_error_text(refused.value))
    user = directory.change_pin_badge("BADGE-S1", "2468", "807060")
    assert user.name == "S1"
    assert stored(station, "S1").pin_hash.startswith("$pgpepper1$")  # type: ignore[union-attr]
    assert directory.authenticate_badge("BADGE-S1", "807060").name == "S1"  # no more change asked
    with pytest.raises(AuthError):
        directory.authenticate_badge("BADGE-S1", "2468")
    actions = [a for _, a, _ in audit_rows(station)]
    assert actions.count("login.pin_change_required") == 1 and actions.count("user.pin_changed") == 1


def test_unpeppered_password_is_migrated_at_the_next_sign_in(station: Station, directory: UserDirectory) -> None:
    with station.db.session() as s:
        s.get(UserRecord, "S2").password_hash = cheap_hasher().hash("correct horse")  # type: ignore[union-attr]
    assert directory.authenticate_password("S2", "correct horse").name == "S2"
    assert stored(station, "S2").password_hash.startswith("$pgpepper1$")  # type: ignore[union-attr]
    assert directory.authenticate_password("S2", "correct horse").name == "S2"


def test_the_minimum_pin_length_is_a_site_setting(station: Station, tmp_path: Path) -> None:
    settings = Settings(tmp_path / "settings.json")
    assert min_pin_digits(settings) == 6
    settings.set("min_pin_digits", 8)
    assert min_pin_digits(settings) == 8
    for bad in (2, "8", True, 40):
        settings.set("min_pin_digits", bad)
        assert min_pin_digits(settings) == 6
    eight = UserDirectory(station.db, station.clock, station.station_id, hasher=cheap_hasher(), min_pin_digits=8)
    with pytest.raises(UserError) as refused:
        eight.add("S8", "supervisor", badge="BADGE-S8", pin="246802")
    assert re.search("8 to 12", user_error_text(refused.value))
    eight.add("S8", "supervisor", badge="BADGE-S8", pin="24680246")
    six = UserDirectory(station.db, station.clock, station.station_id, hasher=cheap_hasher(), min_pin_digits=6)
    six.add("S6", "supervisor", badge="BADGE-S6", pin="246802")
    with pytest.raises(PinChangeRequired):  # the site raised its minimum: the 6-digit PIN must change
        eight.authenticate_badge("BADGE-S6", "246802")


def test_another_key_file_is_named_and_counts_no_failure(
    station: Station, directory: UserDirectory, tmp_path: Path
) -> None:
    other = UserDirectory(
        station.db,
        station.clock,
        station.station_id,
        hasher=cheap_hasher(),
        key_file=tmp_path / "elsewhere" / "pin-pepper.key",
    )
    with pytest.raises(CredentialStoreError, match="pin-pepper.key"):
        other.authenticate_badge("BADGE-S1", "246802")
    assert stored(station, "S1").failed_attempts == 0


class GatedHasher(PasswordHasher):
    """Real argon2; `verify` calls are counted and can be held at a barrier or gate, to line threads up."""

    def __init__(self, barrier: threading.Barrier | None = None) -> None:
        super().__init__(time_cost=1, memory_cost=1024, parallelism=1)
        self.barrier = barrier
        self.gate = threading.Event()
        self.gated_entered = threading.Event()
        self.calls = 0
        self._lock = threading.Lock()

    def verify(self, hash, password):
        with self._lock:
            self.calls += 1
        if threading.current_thread().name == "gated":
            self.gated_entered.set()
            assert self.gate.wait(20)
        elif self.barrier is not None:
            self.barrier.wait(20)
        return super().verify(hash, password)


def bench_directory(station: Station, hasher: PasswordHasher) -> tuple[Database, UserDirectory]:
    """Another connection pool on the same SQLite file: like a second bench or a CLI process."""
    db = Database.open(station.db.path)
    return db, UserDirectory(
        db, station.clock, station.station_id, hasher=hasher, key_file=UserDirectory(station.db).hasher.key_file
    )


def test_ten_parallel_wrong_guesses_verify_only_five_and_lock_once(station: Station, directory: UserDirectory) -> None:
    hasher = GatedHasher(threading.Barrier(5))  # before the fix 10 got here: two rounds of 5
    results: list[str] = []
    dbs = []

    def guess(i: int) -> None:
        db, d = bench_directory(station, hasher)
        dbs.append(db)
        try:
            d.authenticate_badge("BADGE-S1", f"{100000 + i}")
            results.append("signed in")
        except AccountLocked:
            results.append("locked")
        except AuthError:
            results.append("wrong")

    threads = [threading.Thread(target=guess, args=(i,)) for i in range(10)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    for db in dbs:
        db.close()
    assert hasher.calls == 5
    user = directory.get("S1")
    assert user is not None and user.lockouts == 1 and user.locked_at(station.clock.now())
    assert sorted(results).count("signed in") == 0 and len(results) == 10
    wrong = [d for _, _, d in audit_rows(station, "login.failed") if d["reason"] == "wrong_secret"]
    assert len(wrong) <= 5


def test_the_right_pin_verified_while_a_parallel_lockout_began_is_refused(
    station: Station, directory: UserDirectory
) -> None:
    hasher = GatedHasher()
    db, d = bench_directory(station, hasher)
    outcome: list[object] = []

    def right_pin() -> None:
        try:
            outcome.append(d.authenticate_badge("BADGE-S1", "246802"))
        except AuthError as exc:
            outcome.append(exc)

    t = threading.Thread(target=right_pin, name="gated")
    t.start()
    assert hasher.gated_entered.wait(20)  # the right PIN is being checked...
    for _ in range(4):  # ...while someone else guesses with S1's badge at another bench
        with pytest.raises(AuthError):
            directory.authenticate_badge("BADGE-S1", "111111")
    with pytest.raises(AccountLocked):
        directory.authenticate_badge("BADGE-S1", "111111")
    hasher.gate.set()
    t.join(20)
    db.close()
    assert isinstance(outcome[0], AccountLocked)  # before the fix: signed in, and the lockout was lifted
    user = directory.get("S1")
    assert user is not None and user.locked_at(station.clock.now())


def test_lockout_is_capped_at_an_hour_and_an_admin_can_lift_it(
    station: Station, directory: UserDirectory, clock: FrozenClock
) -> None:
    assert [lockout_period(n) for n in range(6)] == [timedelta(minutes=m) for m in (5, 10, 20, 40, 60, 60)]
    for _ in range(7):
        for _ in range(5):
            with pytest.raises(AuthError):
                directory.authenticate_badge("BADGE-S1", "111111")
        user = directory.get("S1")
        assert user is not None and user.locked_until is not None
        assert user.locked_until - clock.now() <= MAX_LOCKOUT
        clock.advance(minutes=61)
    for _ in range(5):
        with pytest.raises(AuthError):
            directory.authenticate_badge("BADGE-S1", "111111")
    assert directory.get("S1").locked_until - clock.now() == MAX_LOCKOUT  # type: ignore[union-attr,operator]
    directory.unlock("S1", actor="A1")
    assert directory.authenticate_badge("BADGE-S1", "246802").name == "S1"
    assert audit_rows(station, "user.unlocked") == [("A1", "user.unlocked", {"name": "S1"})]


GUESSER = """
import sys, time
from pathlib import Path
from argon2 import PasswordHasher
from station.db import Database
from station.users import AuthError, UserDirectory
db = Database.open(Path(sys.argv[1]), upgrade=False)
d = UserDirectory(db, station_id="BENCH-07", hasher=PasswordHasher(time_cost=3, memory_cost=8192, parallelism=1),
                  key_file=Path(sys.argv[2]))
go = Path(sys.argv[3])
while not go.exists():
    time.sleep(0.005)
try:
    d.authenticate_badge("BADGE-S1", sys.argv[4])
    print("signed in")
except AuthError as exc:
    print(type(exc).__name__)
"""


def test_ten_processes_guessing_at_once_get_five_guesses_checked(
    station: Station, directory: UserDirectory, tmp_path: Path
) -> None:
    import os
    import subprocess
    import sys

    root = Path(__file__).resolve().parents[2]
    go = tmp_path / "go"
    procs = [
        subprocess.Popen(
            [
                sys.executable,
                "-c",
                GUESSER,
                str(station.db.path),
                str(directory.hasher.key_file),
                str(go),
                f"{300000 + i}",
            ],
            cwd=root,
            stdout=subprocess.PIPE,
            text=True,
            env={**os.environ, "PYTHONPATH": str(root)},
        )
        for i in range(10)
    ]
    go.touch()
    outcomes = [p.communicate(timeout=120)[0].strip() for p in procs]
    assert "signed in" not in outcomes and len(outcomes) == 10
    checked = [d for _, _, d in audit_rows(station, "login.failed") if d["reason"] == "wrong_secret"]
    assert len(checked) <= 5
    user = directory.get("S1")
    assert user is not None and user.lockouts == 1 and user.locked_until is not None
