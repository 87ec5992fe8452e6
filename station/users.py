"""Users, roles and their credentials: who may clear a blocked package.

Roles are `packer`, `supervisor` and `admin`. Supervisors and admins authenticate with a badge scan plus
a PIN, or a user name plus a password; a packer may hold a badge (it names who packs) and even a PIN,
but a packer's credential never clears anything (`authorize_clearance`).

Secrets are hashed with argon2id through argon2-cffi's `PasswordHasher`: a memory-hard hash (64 MiB per
guess by default) makes an offline attack on a stolen station database slow even though PINs are short,
the library is maintained and its encoded hash carries its own parameters and salt, so
`check_needs_rehash` tells us when the defaults have moved on and the next successful login upgrades the
stored hash. Nothing here stores or logs a PIN or password in clear.

Online guessing is stopped by lockout: after `MAX_FAILED_ATTEMPTS` consecutive failures the account is
locked for `BASE_LOCKOUT` x 2^(lockouts so far), so each new lockout doubles the wait. The lockout count
only resets when an admin sets a new PIN (earlier guesses then say nothing about the new one). Expiry is
judged by the injected clock, never by sleeping.

Every login, failed login, lockout, refusal and logout is written to the audit trail and to the outbox
(`audit.recorded`) in the same transaction, with the station it happened on.
"""

from __future__ import annotations

import enum
import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Protocol

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from station import audit, outbox
from station.clock import Clock, SystemClock, as_utc
from station.db import Database
from station.orm import UserRecord

logger = logging.getLogger(__name__)


class Role(str, enum.Enum):
    PACKER = "packer"
    SUPERVISOR = "supervisor"
    ADMIN = "admin"


ROLES = tuple(r.value for r in Role)
#: Roles whose credential may clear or escalate an incident.
CLEARING_ROLES = frozenset({Role.SUPERVISOR.value, Role.ADMIN.value})

MAX_FAILED_ATTEMPTS = 5
BASE_LOCKOUT = timedelta(minutes=5)
#: Doubling stops here so a long-forgotten account is not locked for years; 5 min x 2^8 is about 21 hours.
MAX_LOCKOUT_DOUBLINGS = 8
MIN_PIN_DIGITS = 4
MAX_PIN_DIGITS = 12
MIN_PASSWORD_LENGTH = 8

_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")

#: The one message shown for any failed login: it never says whether the badge or user exists.
AUTH_FAILED_MESSAGE = "badge, name, PIN or password not accepted"


class UserError(ValueError):
    """A user-management request is invalid (bad name, short PIN, duplicate badge); safe to show."""


class AuthError(Exception):
    """Authentication failed. The message is safe to show: it never reveals whether the user exists."""

    def __init__(self, message: str = AUTH_FAILED_MESSAGE) -> None:
        super().__init__(message)


class AccountLocked(AuthError):
    """Too many wrong PINs or passwords: the account is locked until `until` (UTC)."""

    def __init__(self, until: datetime) -> None:
        self.until = until
        super().__init__(f"account locked until {until:%H:%M} UTC after {MAX_FAILED_ATTEMPTS} wrong attempts")


class ClearanceRefused(Exception):
    """This user may not clear this incident. `reason` is `role`, `four_eyes` or `disabled`."""

    def __init__(self, reason: str, message: str) -> None:
        self.reason = reason
        super().__init__(message)


@dataclass(frozen=True)
class User:
    """A user as the rest of the station sees it: never any hash."""

    name: str
    display_name: str
    role: str
    badge: str | None
    disabled: bool
    has_pin: bool
    has_password: bool
    locked_until: datetime | None
    lockouts: int
    created_at: datetime

    @property
    def can_clear(self) -> bool:
        return self.role in CLEARING_ROLES and not self.disabled

    def locked_at(self, now: datetime) -> bool:
        return self.locked_until is not None and now < self.locked_until


class IncidentLike(Protocol):
    """What `authorize_clearance` needs of an incident (an `IncidentView` or an `IncidentRecord`)."""

    id: str
    packer_id: str | None


def authorize_clearance(user: User, incident: IncidentLike) -> None:
    """Raise `ClearanceRefused` unless `user` may clear or escalate `incident`.

    Two rules: only a supervisor or admin role clears, and never the packer who caused the incident (four
    eyes), even when that packer also holds the supervisor role.
    """
    if user.disabled:
        raise ClearanceRefused("disabled", f"{user.display_name}'s account is disabled")
    if user.role not in CLEARING_ROLES:
        raise ClearanceRefused("role", f"{user.display_name} is a {user.role}: only a supervisor can clear a package")
    if incident.packer_id is not None and incident.packer_id == user.name:
        raise ClearanceRefused("four_eyes", f"{user.display_name} packed this order: another supervisor must clear it")


def lockout_period(lockouts_so_far: int) -> timedelta:
    """How long the next lockout lasts: 5 min, 10 min, 20 min, ... (capped)."""
    return BASE_LOCKOUT * (2 ** min(lockouts_so_far, MAX_LOCKOUT_DOUBLINGS))


def validate_pin(pin: str) -> None:
    if not pin.isdigit() or not pin.isascii():
        raise UserError("a PIN is digits only")
    if not MIN_PIN_DIGITS <= len(pin) <= MAX_PIN_DIGITS:
        raise UserError(f"a PIN has {MIN_PIN_DIGITS} to {MAX_PIN_DIGITS} digits")


def validate_password(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise UserError(f"a password has at least {MIN_PASSWORD_LENGTH} characters")


def _view(r: UserRecord) -> User:
    return User(
        name=r.name, display_name=r.display_name, role=r.role, badge=r.badge, disabled=bool(r.disabled),
        has_pin=r.pin_hash is not None, has_password=r.password_hash is not None,
        locked_until=as_utc(r.locked_until) if r.locked_until else None, lockouts=r.lockouts,
        created_at=as_utc(r.created_at),
    )


class UserDirectory:
    """Managing and authenticating the station's users. Each method is its own short transaction.

    `hasher` is injectable so tests can use cheap argon2 parameters; production uses the library
    defaults (RFC 9106 "low memory" profile).
    """

    def __init__(self, db: Database, clock: Clock | None = None, station_id: str = "",
                 hasher: PasswordHasher | None = None) -> None:
        self.db = db
        self.clock = clock or SystemClock()
        self.station_id = station_id
        self.hasher = hasher or PasswordHasher()
        self._decoy_hash: str | None = None

    # ------------------------------------------------------------------ management
    def add(self, name: str, role: str, badge: str | None = None, pin: str | None = None,
            password: str | None = None, display_name: str | None = None, actor: str | None = None) -> User:
        """Create a user. Supervisors and admins need a PIN (with a badge) or a password to log in."""
        if not _NAME.match(name or ""):
            raise UserError("a user name is 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit")
        if role not in ROLES:
            raise UserError(f"unknown role {role!r}; choose one of {', '.join(ROLES)}")
        badge = badge.strip() if badge else None
        if pin is not None:
            validate_pin(pin)
            if not badge:
                raise UserError("a PIN goes with a badge: give --badge too")
        if password is not None:
            validate_password(password)
        if role in CLEARING_ROLES and pin is None and password is None:
            raise UserError(f"a {role} needs a PIN or a password to log in")
        now = self.clock.now()
        record = UserRecord(
            name=name, display_name=(display_name or name).strip() or name, role=role, badge=badge,
            pin_hash=self.hasher.hash(pin) if pin is not None else None,
            password_hash=self.hasher.hash(password) if password is not None else None,
            disabled=False, failed_attempts=0, lockouts=0, locked_until=None, created_at=now,
        )
        try:
            with self.db.session() as s:
                if s.get(UserRecord, name) is not None:
                    raise UserError(f"user {name} already exists")
                if badge and s.scalar(select(UserRecord.name).where(UserRecord.badge == badge)) is not None:
                    raise UserError("that badge is already assigned to another user")
                s.add(record)
                s.flush()
                self._record(s, now, "user.added", actor, name=name, role=role, badge_set=badge is not None,
                             pin_set=pin is not None, password_set=password is not None)
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

    def disable(self, name: str, actor: str | None = None) -> User:
        """Stop a user logging in (kept, not deleted: the audit trail names them)."""
        now = self.clock.now()
        with self.db.session() as s:
            r = self._require(s, name)
            r.disabled = True
            self._record(s, now, "user.disabled", actor, name=name)
            return _view(r)

    def enable(self, name: str, actor: str | None = None) -> User:
        now = self.clock.now()
        with self.db.session() as s:
            r = self._require(s, name)
            r.disabled = False
            self._record(s, now, "user.enabled", actor, name=name)
            return _view(r)

    def reset_pin(self, name: str, pin: str, actor: str | None = None) -> User:
        """Set a new PIN and lift any lockout; the growing lockout count starts again from zero."""
        validate_pin(pin)
        new_hash = self.hasher.hash(pin)
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
        new_hash = self.hasher.hash(password)
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
        """A badge scan plus PIN. Raises `AuthError` (or `AccountLocked`); every outcome is audited."""
        return self._authenticate("badge", UserRecord.badge == (badge or "").strip(), "pin_hash", pin)

    def authenticate_password(self, name: str, password: str) -> User:
        """A user name plus password. Raises `AuthError` (or `AccountLocked`); every outcome is audited."""
        return self._authenticate("password", UserRecord.name == (name or "").strip(), "password_hash", password)

    def _authenticate(self, method: str, where: Any, hash_field: str, secret: str) -> User:
        now = self.clock.now()
        # Read in one short transaction and verify outside it: argon2 takes ~0.1 s and the station's
        # transactions hold SQLite's write lock, which must not stall the packer's scans.
        with self.db.sessions() as s:
            row = s.scalar(select(UserRecord).where(where))
            snapshot = (row.name, getattr(row, hash_field), bool(row.disabled),
                        as_utc(row.locked_until) if row.locked_until else None) if row else None
        if snapshot is None:
            self._burn(secret)
            self._audit_only("login.failed", None, method=method, reason="unknown")
            raise AuthError()
        name, stored_hash, disabled, locked_until = snapshot
        if locked_until is not None and now < locked_until:
            # No verification while locked: guesses during a lockout would otherwise still be oracles.
            self._audit_only("login.failed", name, method=method, reason="locked", locked_until=locked_until.isoformat())
            raise AccountLocked(locked_until)
        if disabled or stored_hash is None:
            self._burn(secret)
            self._audit_only("login.failed", name, method=method, reason="disabled" if disabled else "no_secret")
            raise AuthError()
        if not self._verify(stored_hash, secret):
            self._count_failure(name, method, now)  # raises
        return self._succeed(name, method, hash_field, stored_hash, secret, now)

    def _verify(self, stored_hash: str, secret: str) -> bool:
        try:
            return self.hasher.verify(stored_hash, secret or "")
        except VerifyMismatchError:
            return False
        except (VerificationError, InvalidHashError):
            logger.error("stored credential hash is unreadable", extra={"station": self.station_id})
            return False

    def _burn(self, secret: str) -> None:
        """Verify against a decoy when a badge or name is unknown, so a miss costs as long as a wrong PIN
        and timing does not reveal which badges exist."""
        if self._decoy_hash is None:
            self._decoy_hash = self.hasher.hash("decoy-not-a-credential")
        self._verify(self._decoy_hash, secret)

    def _count_failure(self, name: str, method: str, now: datetime) -> None:
        with self.db.session() as s:
            r = self._require(s, name)
            r.failed_attempts += 1
            self._record(s, now, "login.failed", name, method=method, reason="wrong_secret",
                         failed_attempts=r.failed_attempts)
            until: datetime | None = None
            if r.failed_attempts >= MAX_FAILED_ATTEMPTS:
                until = now + lockout_period(r.lockouts)
                r.lockouts += 1
                r.failed_attempts = 0
                r.locked_until = until
                self._record(s, now, "login.lockout", name, method=method, locked_until=until.isoformat(),
                             lockouts=r.lockouts)
        if until is not None:
            logger.warning("account locked", extra={"user": name, "until": until.isoformat(), "station": self.station_id})
            raise AccountLocked(until)
        raise AuthError()

    def _succeed(self, name: str, method: str, hash_field: str, stored_hash: str, secret: str, now: datetime) -> User:
        new_hash = None
        if self.hasher.check_needs_rehash(stored_hash):
            new_hash = self.hasher.hash(secret)  # parameters moved on: upgrade while we hold the secret
        with self.db.session() as s:
            r = self._require(s, name)
            r.failed_attempts = 0
            r.locked_until = None
            if new_hash is not None:
                setattr(r, hash_field, new_hash)
            self._record(s, now, "login", name, method=method, role=r.role, rehashed=new_hash is not None)
            user = _view(r)
        logger.info("login", extra={"user": name, "method": method, "station": self.station_id})
        return user

    # ------------------------------------------------------------------ clearance and sessions
    def check_clearance(self, user: User, incident: IncidentLike, order_id: str | None = None) -> None:
        """`authorize_clearance`, with a refusal recorded in the audit trail (`clearance.refused`)."""
        try:
            authorize_clearance(user, incident)
        except ClearanceRefused as exc:
            self._audit_only("clearance.refused", user.name, order_id=order_id, incident=incident.id,
                             reason=exc.reason, role=user.role)
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

    def _record(self, s: Session, now: datetime, action: str, actor: str | None, order_id: str | None = None,
                **detail: Any) -> None:
        """One audit row plus its outbox event, in the caller's transaction."""
        outbox.enqueue(s, outbox.AUDIT_RECORDED, {
            "action": action, "actor": actor, "station_id": self.station_id, "order_id": order_id,
            "at": now.isoformat(), "detail": detail,
        }, now)
        audit.append(s, at=now, station_id=self.station_id, actor=actor, action=action, order_id=order_id,
                     detail=detail)  # after the event, so it binds the event's payload hash


DEMO_PACKER = ("P1", "Pat Packer", "BADGE-P1", "1357")
DEMO_SUPERVISOR = ("S1", "Sam Supervisor", "BADGE-S1", "2468")


def demo_users(directory: UserDirectory) -> Sequence[User]:
    """The demo's people: packer P1 "Pat Packer" (badge BADGE-P1, PIN 1357, which proves a packer's
    credential clears nothing) and supervisor S1 "Sam Supervisor" (badge BADGE-S1, PIN 2468).
    Existing users are left as they are, so the demo can call this on every start."""
    users = []
    for (name, display, badge, pin), role in ((DEMO_PACKER, "packer"), (DEMO_SUPERVISOR, "supervisor")):
        existing = directory.get(name)
        users.append(existing or directory.add(name, role, badge=badge, pin=pin, display_name=display))
    return users
