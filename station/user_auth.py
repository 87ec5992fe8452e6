"""Signing in: a badge plus PIN or a name plus password, with lockout, against the stored hashes.

Each attempt is *reserved* before its hash is checked: one BEGIN IMMEDIATE transaction checks the lock and
counts the attempt, so parallel guesses (threads, processes, benches on one file) can never verify more
than `MAX_FAILED_ATTEMPTS` guesses, and the outcome is written in a second such transaction that checks
the lock again, so a right PIN that arrives during a lockout started by parallel guesses is refused. A PIN
shorter than the site's minimum or hashed without the pepper is accepted once more, but only to set a new
one (`PinChangeRequired`, then `change_pin_*`). `station.users.UserDirectory` builds on this.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from station.credentials import PepperKeyError
from station.orm import UserRecord
from station.user_rules import (
    MAX_FAILED_ATTEMPTS,
    AccountLocked,
    AuthError,
    ClearanceRefused,
    CredentialStoreError,
    PinChangeRequired,
    RefusalReason,
    Role,
    Task,
    User,
    UserError,
    UserProblem,
    _locked_until,
    _view,
    lockout_period,
    validate_pin,
)
from station.user_store import UserStore

logger = logging.getLogger(__name__)


class UserAuthenticator(UserStore):
    """The sign-in half of the user directory; every outcome is audited."""

    def authenticate_badge(self, badge: str, pin: str) -> User:
        """A badge scan plus PIN. Raises `AuthError` (or `AccountLocked`, `PinChangeRequired`); every
        outcome is audited."""
        return self._authenticate("badge", UserRecord.badge == (badge or "").strip(), "pin_hash", pin)

    def authenticate_password(self, name: str, password: str) -> User:
        """A user name plus password. Raises `AuthError` (or `AccountLocked`); every outcome is audited."""
        return self._authenticate("password", UserRecord.name == (name or "").strip(), "password_hash", password)

    def change_pin_badge(self, badge: str, old_pin: str, new_pin: str) -> User:
        """Sign in with the old PIN and set a new one in the same step (after `PinChangeRequired`)."""
        return self._authenticate("badge", UserRecord.badge == (badge or "").strip(), "pin_hash", old_pin, new_pin)

    def change_pin_name(self, name: str, old_pin: str, new_pin: str) -> User:
        """The same by user name (the command line: `packgate users change-pin NAME`)."""
        return self._authenticate("pin", UserRecord.name == (name or "").strip(), "pin_hash", old_pin, new_pin)

    def authenticate_admin(self, identifier: str, secret: str) -> User:
        """An admin's credential for the command line: a badge code with its PIN, or a name with its
        password. Raises `AuthError`, or `ClearanceRefused` when the user is not an admin."""
        identifier = (identifier or "").strip()
        with self.db.sessions() as s:
            by_badge = s.scalar(select(UserRecord.name).where(UserRecord.badge == identifier)) is not None
        user = (
            self.authenticate_badge(identifier, secret) if by_badge else self.authenticate_password(identifier, secret)
        )
        if user.role != Role.ADMIN.value:
            self._audit_only("clearance.refused", user.name, reason="role", role=user.role, needed="admin")
            raise ClearanceRefused(RefusalReason.ROLE, user.display_name, user.role, Task.CHANGE_USERS)
        return user

    def _authenticate(self, method: str, where: Any, hash_field: str, secret: str, new_pin: str | None = None) -> User:
        if new_pin is not None:
            validate_pin(new_pin, self.min_pin_digits)
            if new_pin == secret:
                raise UserError(UserProblem.SAME_PIN)
        # 1. Reserve the attempt: check the lock and count it, atomically (BEGIN IMMEDIATE), *before* the hash
        #    is checked. Parallel guesses beyond the limit lock the account here, unverified.
        now = self.clock.now()
        refused: AuthError | None = None
        burn = False
        with self.db.session() as s:
            r = s.scalar(select(UserRecord).where(where))
            if r is None:
                burn = True
                self._record(s, now, "login.failed", None, method=method, reason="unknown")
                refused = AuthError()
            elif (locked := self._refuse_if_locked(s, r, now, method)) is not None:
                refused = locked
            elif r.disabled or getattr(r, hash_field) is None:
                burn = True
                self._record(
                    s, now, "login.failed", r.name, method=method, reason="disabled" if r.disabled else "no_secret"
                )
                refused = AuthError()
            else:
                r.failed_attempts += 1
                if r.failed_attempts > MAX_FAILED_ATTEMPTS:  # the others in flight used up the budget
                    self._record(s, now, "login.failed", r.name, method=method, reason="too_many_in_flight")
                    refused = self._lock(s, r, now, method)
            if r is not None:
                name, stored_hash = r.name, getattr(r, hash_field)
        if refused is not None:
            if burn:
                self._burn(secret)
            raise refused
        # 2. Check the hash outside any transaction: argon2 takes ~0.1 s and must not hold the write lock.
        try:
            ok = self.hasher.verify(stored_hash, secret)
        except PepperKeyError as exc:
            self._release(name)
            logger.error("PIN key unusable", extra={"error": str(exc), "station": self.station_id})
            raise CredentialStoreError(str(exc)) from exc
        new_hash = None
        if ok and new_pin is not None:
            new_hash = self._hash(new_pin)
        elif ok and self.hasher.needs_rehash(stored_hash):
            new_hash = self._hash(secret)  # parameters moved on, or no pepper yet: upgrade while we hold it
        # 3. Record the outcome, checking the lock again: a lockout begun meanwhile refuses even the right PIN.
        return self._finish(name, method, hash_field, ok, secret, stored_hash, new_hash, new_pin is not None)

    def _finish(
        self,
        name: str,
        method: str,
        hash_field: str,
        ok: bool,
        secret: str,
        stored_hash: str,
        new_hash: str | None,
        changing: bool,
    ) -> User:
        now = self.clock.now()
        outcome: AuthError | None = None
        with self.db.session() as s:
            r = self._require(s, name)
            locked = self._refuse_if_locked(s, r, now, method)
            if locked is not None:
                outcome = locked
            elif not ok:
                self._record(
                    s,
                    now,
                    "login.failed",
                    name,
                    method=method,
                    reason="wrong_secret",
                    failed_attempts=r.failed_attempts,
                )
                outcome = self._lock(s, r, now, method) if r.failed_attempts >= MAX_FAILED_ATTEMPTS else AuthError()
            else:
                r.failed_attempts = 0
                weak_pin = (
                    hash_field == "pin_hash"
                    and not changing
                    and (len(secret) < self.min_pin_digits or not self.hasher.is_peppered(stored_hash))
                )
                if weak_pin:
                    # Proven, but not good enough to use: the dialog asks for a new PIN now.
                    self._record(s, now, "login.pin_change_required", name, method=method)
                    outcome = PinChangeRequired(name, self.min_pin_digits)
                else:
                    if new_hash is not None:
                        setattr(r, hash_field, new_hash)
                    if changing:
                        self._record(s, now, "user.pin_changed", name, name=name)
                    self._record(
                        s,
                        now,
                        "login",
                        name,
                        method=method,
                        role=r.role,
                        rehashed=new_hash is not None and not changing,
                    )
                    user = _view(r)
        if outcome is not None:
            raise outcome
        logger.info("login", extra={"user": name, "method": method, "station": self.station_id})
        return user

    def _refuse_if_locked(self, s: Session, r: UserRecord, now: datetime, method: str) -> AccountLocked | None:
        """The refusal, recorded, when `r` is locked at `now`; None when it is not."""
        until = _locked_until(r, now)
        if until is None:
            return None
        self._record(s, now, "login.failed", r.name, method=method, reason="locked", locked_until=until.isoformat())
        return AccountLocked(until)

    def _lock(self, s: Session, r: UserRecord, now: datetime, method: str) -> AccountLocked:
        until = now + lockout_period(r.lockouts)
        r.lockouts += 1
        r.failed_attempts = 0
        r.locked_until = until
        self._record(
            s, now, "login.lockout", r.name, method=method, locked_until=until.isoformat(), lockouts=r.lockouts
        )
        logger.warning("account locked", extra={"user": r.name, "until": until.isoformat(), "station": self.station_id})
        return AccountLocked(until)

    def _release(self, name: str) -> None:
        """Give back a reserved attempt that could not be judged (the key file is unusable: not a guess)."""
        with self.db.session() as s:
            r = self._require(s, name)
            r.failed_attempts = max(0, r.failed_attempts - 1)

    def _burn(self, secret: str) -> None:
        """Verify against a decoy when a badge or name is unknown, so a miss costs as long as a wrong PIN
        and timing does not reveal which badges exist."""
        if self._decoy_hash is None:
            self._decoy_hash = self.hasher.argon.hash("decoy-not-a-credential")
        self.hasher.verify(self._decoy_hash, secret)  # an unpeppered decoy: no key file needed
