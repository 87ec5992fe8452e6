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

#: What a failed login says (`str` of an `AuthError`, for logs): never whether the badge or user exists. The
#: words a person reads are `ui.user_words.AUTH_FAILED`.
AUTH_FAILED_MESSAGE = "auth_failed"


class UserProblem(enum.Enum):
    """Why a user-management request was refused; `ui.user_words` says it in words."""

    BAD_NAME = "bad_name"
    UNKNOWN_ROLE = "unknown_role"  # role
    PIN_NEEDS_BADGE = "pin_needs_badge"
    SECRET_REQUIRED = "secret_required"  # role: a supervisor or admin added without a PIN or password
    SET_SECRET_FIRST = "set_secret_first"  # role: made a supervisor or admin before having a PIN or password
    NAME_TAKEN = "name_taken"  # name
    BADGE_TAKEN = "badge_taken"
    BADGE_IS_ORDER_CODE = "badge_is_order_code"  # order_id, code_field ("tracking number", "order barcode")
    NAME_OR_BADGE_TAKEN = "name_or_badge_taken"  # name: a concurrent add won the race
    NO_BADGE = "no_badge"  # name: a PIN without a badge to go with it
    SAME_PIN = "same_pin"
    NO_SUCH_USER = "no_such_user"  # name
    PIN_NOT_DIGITS = "pin_not_digits"
    PIN_LENGTH = "pin_length"  # low, high: the digits a PIN may have
    PASSWORD_TOO_SHORT = "password_too_short"  # low: the fewest characters


class UserError(ValueError):
    """A user-management request is invalid (bad name, short PIN, duplicate badge). `problem` says why and
    the fields it names are set; the words for the user are made in `ui.user_words`."""

    def __init__(
        self,
        problem: UserProblem,
        *,
        name: str = "",
        role: str = "",
        order_id: str = "",
        code_field: str = "",
        low: int = 0,
        high: int = 0,
    ) -> None:
        super().__init__(problem.value)
        self.problem, self.name, self.role, self.order_id = problem, name, role, order_id
        self.code_field, self.low, self.high = code_field, low, high


class AuthError(Exception):
    """Authentication failed; it never reveals whether the user exists. `ui.user_words.auth_error_text`
    says it in words (the subclasses carry what their sentence needs)."""

    def __init__(self, message: str = AUTH_FAILED_MESSAGE) -> None:
        super().__init__(message)


class AccountLocked(AuthError):
    """Too many wrong PINs or passwords: the account is locked until `until` (UTC)."""

    def __init__(self, until: datetime) -> None:
        self.until = until
        super().__init__("account_locked")


class PinChangeRequired(AuthError):
    """The PIN was right, but it is shorter than the site's minimum or was stored before peppering: the
    user is not signed in until they choose a new one (`change_pin_badge` / `change_pin_name`)."""

    def __init__(self, name: str, min_digits: int) -> None:
        self.name = name
        self.min_digits = min_digits
        super().__init__("pin_change_required")


class CredentialStoreError(AuthError):
    """The pepper key cannot be used (missing, damaged, another machine's): no PIN can be checked. The
    message is `station.credentials`' description of the key file's problem; no attempt is counted."""


class RefusalReason(str, enum.Enum):
    """Why a signed-in user may not do what they asked (the audit trail stores the value)."""

    ROLE = "role"
    FOUR_EYES = "four_eyes"
    DISABLED = "disabled"


class Task(enum.Enum):
    """What a refused user asked to do; `ui.user_words` names it."""

    CLEAR_PACKAGE = "clear_package"
    CHANGE_USERS = "change_users"  # on the command line
    MANAGE_USERS = "manage_users"  # in the users window
    SIGN_HANDOVER = "sign_handover"
    SHIFT_VIEW = "shift_view"
    CHANGE_SETTINGS = "change_settings"


class ClearanceRefused(Exception):
    """This user may not do `task` (by default: clear this incident), for `reason`; `display_name` and
    `role` are the refused user's, for the words `ui.user_words` makes."""

    def __init__(self, reason: RefusalReason, display_name: str, role: str, task: Task = Task.CLEAR_PACKAGE) -> None:
        self.reason = reason
        self.display_name = display_name
        self.role = role
        self.task = task
        super().__init__(f"{reason.value}: {task.value}")


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
    """What `authorize_clearance` needs of an incident (an `IncidentView` or an `IncidentRecord`).

    Read-only members: a frozen `IncidentView` satisfies them, as does a mapped record."""

    @property
    def id(self) -> str: ...

    @property
    def packer_id(self) -> str | None: ...


def authorize_clearance(user: User, incident: IncidentLike) -> None:
    """Raise `ClearanceRefused` unless `user` may clear or escalate `incident`.

    Two rules: only a supervisor or admin role clears, and never the packer who caused the incident (four
    eyes), even when that packer also holds the supervisor role.
    """
    if user.disabled:
        raise ClearanceRefused(RefusalReason.DISABLED, user.display_name, user.role)
    if user.role not in CLEARING_ROLES:
        raise ClearanceRefused(RefusalReason.ROLE, user.display_name, user.role)
    if incident.packer_id is not None and incident.packer_id == user.name:
        raise ClearanceRefused(RefusalReason.FOUR_EYES, user.display_name, user.role)


def lockout_period(lockouts_so_far: int) -> timedelta:
    """How long the next lockout lasts: 5 min, 10 min, 20 min, 40 min, then 60 min at most."""
    return min(BASE_LOCKOUT * (1 << min(lockouts_so_far, 8)), MAX_LOCKOUT)


def validate_pin(pin: str, min_digits: int = MIN_PIN_DIGITS) -> None:
    if not pin.isdigit() or not pin.isascii():
        raise UserError(UserProblem.PIN_NOT_DIGITS)
    if not min_digits <= len(pin) <= MAX_PIN_DIGITS:
        raise UserError(UserProblem.PIN_LENGTH, low=min_digits, high=MAX_PIN_DIGITS)


def validate_password(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise UserError(UserProblem.PASSWORD_TOO_SHORT, low=MIN_PASSWORD_LENGTH)


def _locked_until(r: UserRecord, now: datetime) -> datetime | None:
    """When the lockout of `r` ends (UTC), if it is locked at `now`."""
    until = as_utc(r.locked_until) if r.locked_until is not None else None
    return until if until is not None and now < until else None


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
