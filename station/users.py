"""Users, roles and their credentials: who may clear a blocked package.

Roles are `packer`, `supervisor` and `admin`. Supervisors and admins authenticate with a badge scan plus
a PIN, or a user name plus a password; a packer may hold a badge (it names who packs) and even a PIN,
but a packer's credential never clears anything (`authorize_clearance`).

Secrets are hashed with argon2id over an HMAC keyed with a pepper kept outside the database
(`station.credentials`), so a copied database alone gives nothing to guess against. The encoded hash
carries its own parameters and salt; the next successful login upgrades a hash whose parameters moved on,
and one made before peppering. A PIN shorter than the site's minimum (`min_pin_digits`, 6 by default) or
hashed without the pepper is accepted once more, but only to set a new one (`PinChangeRequired`, then
`change_pin_*`). Nothing here stores or logs a PIN or password in clear.

Online guessing is stopped by lockout: after `MAX_FAILED_ATTEMPTS` consecutive failures the account is
locked for `BASE_LOCKOUT` x 2^(lockouts so far), capped at `MAX_LOCKOUT` (60 min: five guesses with
someone else's badge must not lock a supervisor out for a day); an admin can lift it (`unlock`). Each
attempt is *reserved* before its hash is checked: one BEGIN IMMEDIATE transaction checks the lock and
counts the attempt, so parallel guesses (threads, processes, benches on one file) can never verify more
than `MAX_FAILED_ATTEMPTS` guesses, and the outcome is written in a second such transaction that checks
the lock again, so a right PIN that arrives during a lockout started by parallel guesses is refused.
Expiry is judged by the injected clock, never by sleeping.

Every login, failed login, lockout, refusal and logout is written to the audit trail and to the outbox
(`audit.recorded`) in the same transaction, with the station it happened on.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from argon2 import PasswordHasher
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from rules import events
from station import audit, outbox
from station.clock import Clock, SystemClock, as_utc
from station.credentials import KEY_FILE_NAME, PepperKeyError, SecretHasher
from station.db import Database
from station.order_keys import order_using_code
from station.orm import UserRecord
from station.paths import resolve_config_dir
from station.settings import MAX_PIN_DIGITS, MIN_PIN_DIGITS_FLOOR
from station.user_rules import (  # noqa: F401 - re-exported: the users API is station.users
    _NAME,
    AUTH_FAILED_MESSAGE,
    BASE_LOCKOUT,
    CLEARING_ROLES,
    MAX_FAILED_ATTEMPTS,
    MAX_LOCKOUT,
    MIN_PASSWORD_LENGTH,
    MIN_PIN_DIGITS,
    ROLES,
    AccountLocked,
    AuthError,
    ClearanceRefused,
    CredentialStoreError,
    IncidentLike,
    PinChangeRequired,
    Role,
    User,
    UserError,
    _locked,
    _view,
    authorize_clearance,
    lockout_period,
    validate_password,
    validate_pin,
)

logger = logging.getLogger(__name__)


class UserDirectory:
    """Managing and authenticating the station's users. Each method is its own short transaction.

    `hasher` (an argon2 `PasswordHasher`) is injectable so tests can use cheap parameters; production uses
    the library defaults (RFC 9106 "low memory" profile). `key_file` is the pepper key (default: in the
    config dir); `min_pin_digits` the site's minimum PIN length (settings key `min_pin_digits`).
    """

    def __init__(
        self,
        db: Database,
        clock: Clock | None = None,
        station_id: str = "",
        hasher: PasswordHasher | None = None,
        key_file: Path | None = None,
        min_pin_digits: int = MIN_PIN_DIGITS,
    ) -> None:
        self.db = db
        self.clock = clock or SystemClock()
        self.station_id = station_id
        self.hasher = SecretHasher(key_file or resolve_config_dir() / KEY_FILE_NAME, hasher)
        self.min_pin_digits = max(MIN_PIN_DIGITS_FLOOR, min(int(min_pin_digits), MAX_PIN_DIGITS))
        self._decoy_hash: str | None = None

    # ------------------------------------------------------------------ management
    def add(
        self,
        name: str,
        role: str,
        badge: str | None = None,
        pin: str | None = None,
        password: str | None = None,
        display_name: str | None = None,
        actor: str | None = None,
    ) -> User:
        """Create a user. Supervisors and admins need a PIN (with a badge) or a password to log in."""
        if not _NAME.match(name or ""):
            raise UserError("a user name is 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit")
        if role not in ROLES:
            raise UserError(f"unknown role {role!r}; choose one of {', '.join(ROLES)}")
        badge = badge.strip() if badge else None
        if pin is not None:
            validate_pin(pin, self.min_pin_digits)
            if not badge:
                raise UserError("a PIN goes with a badge: give --badge too")
        if password is not None:
            validate_password(password)
        if role in CLEARING_ROLES and pin is None and password is None:
            raise UserError(f"a {role} needs a PIN or a password to log in")
        now = self.clock.now()
        record = UserRecord(
            name=name,
            display_name=(display_name or name).strip() or name,
            role=role,
            badge=badge,
            pin_hash=self._hash(pin) if pin is not None else None,
            password_hash=self._hash(password) if password is not None else None,
            disabled=False,
            failed_attempts=0,
            lockouts=0,
            locked_until=None,
            created_at=now,
        )
        try:
            with self.db.session() as s:
                if s.get(UserRecord, name) is not None:
                    raise UserError(f"user {name} already exists")
                if badge and s.scalar(select(UserRecord.name).where(UserRecord.badge == badge)) is not None:
                    raise UserError("that badge is already assigned to another user")
                clash = order_using_code(s, badge) if badge else None
                if clash is not None:
                    raise UserError(
                        f"that badge is the {clash[1]} of order {clash[0]}: scanned at the bench it "
                        "would open that order, not sign anyone in; choose another badge"
                    )
                s.add(record)
                s.flush()
                self._record(
                    s,
                    now,
                    "user.added",
                    actor,
                    name=name,
                    role=role,
                    badge_set=badge is not None,
                    pin_set=pin is not None,
                    password_set=password is not None,
                )
        except IntegrityError as exc:  # a concurrent add won the race
            raise UserError(f"user {name} or that badge already exists") from exc
        logger.info("user added", extra={"user": name, "role": role})
        return _view(record)

    def get(self, name: str) -> User | None:
        with self.db.sessions() as s:
            r = s.get(UserRecord, name)
            return _view(r) if r else None

    def list(self) -> list[User]:
        with self.db.sessions() as s:
            return [_view(r) for r in s.scalars(select(UserRecord).order_by(UserRecord.role, UserRecord.name))]

    def has_admin(self) -> bool:
        """Whether an enabled admin who can sign in exists (then user changes need an admin's credential)."""
        with self.db.sessions() as s:
            return (
                s.scalar(
                    select(UserRecord.name)
                    .where(
                        UserRecord.role == Role.ADMIN.value,
                        UserRecord.disabled.is_(False),
                        (UserRecord.pin_hash.is_not(None)) | (UserRecord.password_hash.is_not(None)),
                    )
                    .limit(1)
                )
                is not None
            )

    def disable(self, name: str, actor: str | None = None) -> User:
        """Stop a user logging in (kept, not deleted: the audit trail names them)."""
        return self._update(name, "user.disabled", actor, disabled=True)

    def enable(self, name: str, actor: str | None = None) -> User:
        return self._update(name, "user.enabled", actor, disabled=False)

    def unlock(self, name: str, actor: str | None = None) -> User:
        """Lift a lockout now (an admin vouches for the user); the PIN stays as it is."""
        return self._update(name, "user.unlocked", actor, failed_attempts=0, locked_until=None)

    def set_role(self, name: str, role: str, actor: str | None = None) -> User:
        if role not in ROLES:
            raise UserError(f"unknown role {role!r}; choose one of {', '.join(ROLES)}")
        with self.db.session() as s:
            r = self._require(s, name)
            if role in CLEARING_ROLES and r.pin_hash is None and r.password_hash is None:
                raise UserError(f"a {role} needs a PIN or a password to log in: set one first")
            previous, r.role = r.role, role
            self._record(s, self.clock.now(), "user.role_changed", actor, name=name, previous=previous, role=role)
            return _view(r)

    def _update(self, name: str, action: str, actor: str | None, **values: Any) -> User:
        now = self.clock.now()
        with self.db.session() as s:
            r = self._require(s, name)
            for key, value in values.items():
                setattr(r, key, value)
            self._record(s, now, action, actor, name=name)
            return _view(r)

    def reset_pin(self, name: str, pin: str, actor: str | None = None) -> User:
        """Set a new PIN and lift any lockout; the growing lockout count starts again from zero."""
        validate_pin(pin, self.min_pin_digits)
        new_hash = self._hash(pin)
        now = self.clock.now()
        with self.db.session() as s:
            r = self._require(s, name)
            if not r.badge:
                raise UserError(f"{name} has no badge: a PIN is used with a badge scan")
            r.pin_hash = new_hash
            r.failed_attempts = 0
            r.lockouts = 0
            r.locked_until = None
            self._record(s, now, "user.pin_reset", actor, name=name)
            return _view(r)

    def set_password(self, name: str, password: str, actor: str | None = None) -> User:
        validate_password(password)
        new_hash = self._hash(password)
        now = self.clock.now()
        with self.db.session() as s:
            r = self._require(s, name)
            r.password_hash = new_hash
            r.failed_attempts = 0
            r.locked_until = None
            self._record(s, now, "user.password_set", actor, name=name)
            return _view(r)

    # ------------------------------------------------------------------ authentication
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
            raise ClearanceRefused("role", f"{user.display_name} is a {user.role}: only an admin changes users")
        return user

    def _authenticate(self, method: str, where: Any, hash_field: str, secret: str, new_pin: str | None = None) -> User:
        if new_pin is not None:
            validate_pin(new_pin, self.min_pin_digits)
            if new_pin == secret:
                raise UserError("the new PIN must differ from the old one")
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
            elif _locked(r, now):
                self._record(
                    s,
                    now,
                    "login.failed",
                    r.name,
                    method=method,
                    reason="locked",
                    locked_until=as_utc(r.locked_until).isoformat(),
                )
                refused = AccountLocked(as_utc(r.locked_until))
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
            if _locked(r, now):
                self._record(
                    s,
                    now,
                    "login.failed",
                    name,
                    method=method,
                    reason="locked",
                    locked_until=as_utc(r.locked_until).isoformat(),
                )
                outcome = AccountLocked(as_utc(r.locked_until))
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

    def _hash(self, secret: str) -> str:
        try:
            return self.hasher.hash(secret)
        except PepperKeyError as exc:
            raise CredentialStoreError(str(exc)) from exc

    def _burn(self, secret: str) -> None:
        """Verify against a decoy when a badge or name is unknown, so a miss costs as long as a wrong PIN
        and timing does not reveal which badges exist."""
        if self._decoy_hash is None:
            self._decoy_hash = self.hasher.argon.hash("decoy-not-a-credential")
        self.hasher.verify(self._decoy_hash, secret)  # an unpeppered decoy: no key file needed

    # ------------------------------------------------------------------ clearance and sessions
    def check_clearance(self, user: User, incident: IncidentLike, order_id: str | None = None) -> None:
        """`authorize_clearance`, with a refusal recorded in the audit trail (`clearance.refused`)."""
        try:
            authorize_clearance(user, incident)
        except ClearanceRefused as exc:
            self._audit_only(
                "clearance.refused",
                user.name,
                order_id=order_id,
                incident=incident.id,
                reason=exc.reason,
                role=user.role,
            )
            raise

    def record_logout(self, user: User, reason: str) -> None:
        """A supervisor session ended (`reason`: done, idle, cancelled)."""
        self._audit_only("logout", user.name, reason=reason)

    def record_event(self, action: str, actor: str | None, order_id: str | None = None, **detail: Any) -> None:
        """An audited supervisor action that has no other home (hand-over, report export)."""
        self._audit_only(action, actor, order_id=order_id, **detail)

    # ------------------------------------------------------------------ helpers
    def _require(self, s: Session, name: str) -> UserRecord:
        r = s.get(UserRecord, name)
        if r is None:
            raise UserError(f"no user {name}")
        return r

    def _audit_only(self, action: str, actor: str | None, order_id: str | None = None, **detail: Any) -> None:
        with self.db.session() as s:
            self._record(s, self.clock.now(), action, actor, order_id=order_id, **detail)

    def _record(
        self, s: Session, now: datetime, action: str, actor: str | None, order_id: str | None = None, **detail: Any
    ) -> None:
        """One audit row plus its outbox event, in the caller's transaction."""
        outbox.enqueue(
            s,
            events.AuditRecorded(
                action=action, actor=actor, station_id=self.station_id, order_id=order_id, at=now, detail=detail
            ),
            now,
        )
        audit.append(
            s, at=now, station_id=self.station_id, actor=actor, action=action, order_id=order_id, detail=detail
        )  # after the event, so it binds the event's payload hash


DEMO_PACKER = ("P1", "Pat Packer", "BADGE-P1", "135791")
DEMO_SUPERVISOR = ("S1", "Sam Supervisor", "BADGE-S1", "246802")


def demo_users(directory: UserDirectory) -> Sequence[User]:
    """The demo's people: packer P1 "Pat Packer" (badge BADGE-P1, PIN 135791, which proves a packer's
    credential clears nothing) and supervisor S1 "Sam Supervisor" (badge BADGE-S1, PIN 246802).
    Existing users are left as they are, so the demo can call this on every start."""
    users = []
    for (name, display, badge, pin), role in ((DEMO_PACKER, "packer"), (DEMO_SUPERVISOR, "supervisor")):
        existing = directory.get(name)
        users.append(existing or directory.add(name, role, badge=badge, pin=pin, display_name=display))
    return users
