"""The vocabulary of users: roles, the `User` view, the typed refusals and the rules that need no storage
(who may clear what, what a valid PIN is, how long a lockout lasts). `station.users` re-exports all of it;
`UserDirectory` there stores and authenticates.
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

from station.clock import as_utc
from station.orm import UserRecord
from station.settings import DEFAULT_MIN_PIN_DIGITS, MAX_PIN_DIGITS


class Role(str, enum.Enum):
    PACKER = "packer"
    SUPERVISOR = "supervisor"
    ADMIN = "admin"


ROLES = tuple(r.value for r in Role)
#: Roles whose credential may clear or escalate an incident.
CLEARING_ROLES = frozenset({Role.SUPERVISOR.value, Role.ADMIN.value})

MAX_FAILED_ATTEMPTS = 5
BASE_LOCKOUT = timedelta(minutes=5)
#: The longest lockout: 5, 10, 20, 40, then 60 minutes.
MAX_LOCKOUT = timedelta(minutes=60)
MIN_PIN_DIGITS = DEFAULT_MIN_PIN_DIGITS
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


class PinChangeRequired(AuthError):
    """The PIN was right, but it is shorter than the site's minimum or was stored before peppering: the
    user is not signed in until they choose a new one (`change_pin_badge` / `change_pin_name`)."""

    def __init__(self, name: str, min_digits: int) -> None:
        self.name = name
        self.min_digits = min_digits
        super().__init__(f"choose a new PIN of at least {min_digits} digits to sign in")


class CredentialStoreError(AuthError):
    """The pepper key cannot be used (missing, damaged, another machine's): no PIN can be checked. The
    message names the key file; no attempt is counted against the user."""


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
    """How long the next lockout lasts: 5 min, 10 min, 20 min, 40 min, then 60 min at most."""
    return min(BASE_LOCKOUT * (2 ** min(lockouts_so_far, 8)), MAX_LOCKOUT)


def validate_pin(pin: str, min_digits: int = MIN_PIN_DIGITS) -> None:
    if not pin.isdigit() or not pin.isascii():
        raise UserError("a PIN is digits only")
    if not min_digits <= len(pin) <= MAX_PIN_DIGITS:
        raise UserError(f"a PIN has {min_digits} to {MAX_PIN_DIGITS} digits")


def validate_password(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise UserError(f"a password has at least {MIN_PASSWORD_LENGTH} characters")


def _locked(r: UserRecord, now: datetime) -> bool:
    return r.locked_until is not None and now < as_utc(r.locked_until)


def _view(r: UserRecord) -> User:
    return User(
        name=r.name,
        display_name=r.display_name,
        role=r.role,
        badge=r.badge,
        disabled=bool(r.disabled),
        has_pin=r.pin_hash is not None,
        has_password=r.password_hash is not None,
        locked_until=as_utc(r.locked_until) if r.locked_until else None,
        lockouts=r.lockouts,
        created_at=as_utc(r.created_at),
    )
