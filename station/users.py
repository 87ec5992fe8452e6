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
someone else's badge must not lock a supervisor out for a day); an admin can lift it (`unlock`). How an
attempt is reserved and judged is in `station.user_auth`. Expiry is judged by the injected clock, never by
sleeping.

Every login, failed login, lockout, refusal and logout is written to the audit trail and to the outbox
(`audit.recorded`) in the same transaction, with the station it happened on (`station.user_store`).
Refusals are typed (`UserError.problem`, `ClearanceRefused.reason`); `ui.user_words` says them in words.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from station.clock import Clock
from station.db import Database
from station.order_keys import order_using_code
from station.orm import UserRecord
from station.settings import Settings, min_pin_digits
from station.user_auth import UserAuthenticator
from station.user_rules import (
    _NAME,
    AUTH_FAILED_MESSAGE,
    CLEARING_ROLES,
    MAX_FAILED_ATTEMPTS,
    MAX_LOCKOUT,
    ROLES,
    AccountLocked,
    AuthError,
    ClearanceRefused,
    CredentialStoreError,
    IncidentLike,
    PinChangeRequired,
    RefusalReason,
    Role,
    Task,
    User,
    UserError,
    UserProblem,
    _view,
    authorize_clearance,
    lockout_period,
    validate_password,
    validate_pin,
)

__all__ = [  # the users API is station.users; the rules without storage are station.user_rules'
    "AUTH_FAILED_MESSAGE",
    "AccountLocked",
    "AuthError",
    "ClearanceRefused",
    "CredentialStoreError",
    "DEMO_PACKER",
    "DEMO_SUPERVISOR",
    "MAX_FAILED_ATTEMPTS",
    "MAX_LOCKOUT",
    "PinChangeRequired",
    "ROLES",
    "RefusalReason",
    "Role",
    "Task",
    "User",
    "UserDirectory",
    "UserError",
    "UserProblem",
    "authorize_clearance",
    "demo_users",
    "lockout_period",
    "site_directory",
]

logger = logging.getLogger(__name__)


class UserDirectory(UserAuthenticator):
    """Managing and authenticating the station's users. Each method is its own short transaction.
    The constructor's arguments are `station.user_store.UserStore`'s; `site_directory` makes one with the
    site's minimum PIN length from the settings.
    """

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
            raise UserError(UserProblem.BAD_NAME)
        if role not in ROLES:
            raise UserError(UserProblem.UNKNOWN_ROLE, role=role)
        badge = badge.strip() if badge else None
        if pin is not None:
            validate_pin(pin, self.min_pin_digits)
            if not badge:
                raise UserError(UserProblem.PIN_NEEDS_BADGE)
        if password is not None:
            validate_password(password)
        if role in CLEARING_ROLES and pin is None and password is None:
            raise UserError(UserProblem.SECRET_REQUIRED, role=role)
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
                    raise UserError(UserProblem.NAME_TAKEN, name=name)
                if badge and s.scalar(select(UserRecord.name).where(UserRecord.badge == badge)) is not None:
                    raise UserError(UserProblem.BADGE_TAKEN)
                clash = order_using_code(s, badge) if badge else None
                if clash is not None:
                    raise UserError(UserProblem.BADGE_IS_ORDER_CODE, order_id=clash[0], code_field=clash[1])
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
            raise UserError(UserProblem.NAME_OR_BADGE_TAKEN, name=name) from exc
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
            raise UserError(UserProblem.UNKNOWN_ROLE, role=role)
        with self.db.session() as s:
            r = self._require(s, name)
            if role in CLEARING_ROLES and r.pin_hash is None and r.password_hash is None:
                raise UserError(UserProblem.SET_SECRET_FIRST, role=role)
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
                raise UserError(UserProblem.NO_BADGE, name=name)
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
                reason=exc.reason.value,
                role=user.role,
            )
            raise

    def record_logout(self, user: User, reason: str) -> None:
        """A supervisor session ended (`reason`: done, idle, cancelled)."""
        self._audit_only("logout", user.name, reason=reason)

    def record_event(self, action: str, actor: str | None, order_id: str | None = None, **detail: Any) -> None:
        """An audited supervisor action that has no other home (hand-over, report export)."""
        self._audit_only(action, actor, order_id=order_id, **detail)


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


def site_directory(db: Database, clock: Clock, station_id: str, settings: Settings, **options: Any) -> UserDirectory:
    """The user directory of a station, with the site's minimum PIN length from its settings (the one place
    that reads it for a directory); `options` are `UserStore`'s (`hasher`, `key_file`)."""
    return UserDirectory(db, clock, station_id, min_pin_digits=min_pin_digits(settings), **options)
