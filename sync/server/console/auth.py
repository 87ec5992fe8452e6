"""Staff accounts and console sessions: argon2id passwords, lockout, server-side sessions, CSRF tokens.

- Passwords are hashed with argon2id (argon2-cffi's ``PasswordHasher``, its default type); a hash made
  with older parameters is re-hashed on the next good sign-in.
- Lockout: ``MAX_FAILED`` attempts in a row lock the account for ``LOCKOUT``. The attempt is *counted
  before the password is checked*, in one conditional UPDATE (``... WHERE failed_logins < MAX_FAILED``):
  ten guesses sent at once each need their own row update, and once the count reaches the limit the
  UPDATE matches no row and the guess is refused without being checked. A good password resets the
  count. An unknown name costs the same argon2 verification as a known one (no timing oracle).
- Sessions: the cookie carries 256 random bits; the ``staff_sessions`` row keeps only their SHA-256, the
  session's CSRF token and when it was last used. Sign-out, ``staff disable`` and the idle timeout end
  the row, so a copied cookie stops working whatever the browser keeps.
- Bearer tokens (stations, admin systems) are a different table and never a console credential.
"""

from __future__ import annotations

import enum
import hashlib
import hmac
import logging
import secrets
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from sync.server.models import Staff, StaffSession

logger = logging.getLogger(__name__)

SERVICE, LEAD, ADMIN = "service", "lead", "admin"
ROLES = (SERVICE, LEAD, ADMIN)
_RANK = {SERVICE: 0, LEAD: 1, ADMIN: 2}
MAX_FAILED = 5
LOCKOUT = timedelta(minutes=15)
SESSION_MAX_AGE = timedelta(hours=12)  # even an active session ends after a shift and a half
DEFAULT_IDLE_TIMEOUT = timedelta(minutes=30)
MIN_PASSWORD = 10
MAX_PASSWORD = 1024
_TOUCH_EVERY = timedelta(seconds=15)  # last_seen_at is written at most this often per session

_hasher = PasswordHasher()
_DUMMY_HASH = _hasher.hash(secrets.token_urlsafe(16))


class StaffError(ValueError):
    """A staff account cannot be added or changed; the message is for the person at the command line."""


class SignIn(enum.Enum):
    OK = "ok"
    BAD = "bad"  # unknown name or wrong password (not told apart)
    LOCKED = "locked"
    DISABLED = "disabled"


@dataclass(frozen=True)
class SignedIn:
    """The person behind a console request."""

    staff_id: int
    name: str
    role: str
    session_id: str
    csrf_token: str

    def may(self, role: str) -> bool:
        return _RANK[self.role] >= _RANK[role]


def role_rank(role: str) -> int:
    return _RANK[role]


def check_password_rules(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise StaffError(f"the password needs at least {MIN_PASSWORD} characters")
    if len(password) > MAX_PASSWORD:
        raise StaffError(f"the password may have at most {MAX_PASSWORD} characters")


def _check_name(name: str) -> str:
    name = name.strip()
    if not 1 <= len(name) <= 128 or any(c.isspace() and c != " " for c in name) or "\x00" in name:
        raise StaffError(f"invalid staff name {name!r}: 1-128 characters, no tabs or line breaks")
    return name


def add_staff(session: Session, name: str, role: str, password: str, now: datetime) -> Staff:
    name = _check_name(name)
    if role not in ROLES:
        raise StaffError(f"unknown role {role!r}: use one of {', '.join(ROLES)}")
    check_password_rules(password)
    if session.scalar(select(Staff.id).where(Staff.name == name)) is not None:
        raise StaffError(f"there is already a staff member called {name!r}")
    staff = Staff(name=name, role=role, password_hash=_hasher.hash(password), created_at=now, failed_logins=0)
    session.add(staff)
    session.flush()
    logger.info("added staff %s (%s)", name, role)
    return staff


def list_staff(session: Session) -> list[Staff]:
    return list(session.scalars(select(Staff).order_by(Staff.name)))


def disable_staff(session: Session, name: str, now: datetime) -> Staff:
    """Disable the account and end every session of it at once."""
    staff = session.scalar(select(Staff).where(Staff.name == name))
    if staff is None:
        raise StaffError(f"no staff member called {name!r} (see 'packgate-central staff list')")
    if staff.disabled_at is None:
        staff.disabled_at = now
    session.execute(
        update(StaffSession)
        .where(StaffSession.staff_id == staff.id, StaffSession.ended_at.is_(None))
        .values(ended_at=now)
        .execution_options(synchronize_session=False)
    )
    logger.info("disabled staff %s and ended their sessions", name)
    return staff


Lock = AbstractContextManager[object]


class Writing:
    """Take the writer lock for a write after reads: the read transaction is ended first. (SQLite in WAL
    mode cannot turn a read transaction into a write one once another writer committed after its
    snapshot: "database is locked" at once, no waiting.)"""

    def __init__(self, session: Session, lock: Lock | None) -> None:
        self.session = session
        self.lock = lock or nullcontext()

    def __enter__(self) -> None:
        self.session.commit()
        self.lock.__enter__()

    def __exit__(self, *exc: object) -> None:
        self.lock.__exit__(*exc)  # type: ignore[arg-type]


def sign_in(
    session: Session, name: str, password: str, now: datetime, lock: Lock | None = None
) -> tuple[SignIn, Staff | None]:
    """Check a name and password. Commits its attempt counting itself (a refused guess must count even
    though the caller answers with an error), so call it with a session that has nothing else pending.
    ``lock`` (the service's SQLite writer lock) is held around each write, never around argon2."""
    lock = Writing(session, lock)
    staff = session.scalar(select(Staff).where(Staff.name == name.strip())) if len(name) <= 128 else None
    if staff is None:
        _verify(_DUMMY_HASH, password)
        return SignIn.BAD, None
    if staff.disabled_at is not None:
        _verify(_DUMMY_HASH, password)
        return SignIn.DISABLED, None
    # A lock that has run out starts a fresh count (matches only an expired lock, so it cannot undo a
    # lock another request just set).
    with lock:
        session.execute(
            update(Staff)
            .where(Staff.id == staff.id, Staff.locked_until.is_not(None), Staff.locked_until <= now)
            .values(failed_logins=0, locked_until=None)
            .execution_options(synchronize_session=False)
        )
        reserved = session.execute(
            update(Staff)
            .where(Staff.id == staff.id, Staff.failed_logins < MAX_FAILED)
            .values(failed_logins=Staff.failed_logins + 1)
            .execution_options(synchronize_session=False)
        ).rowcount  # type: ignore[attr-defined]
        session.commit()
    if reserved != 1:
        return SignIn.LOCKED, None
    if not _verify(staff.password_hash, password):
        with lock:
            session.execute(
                update(Staff)
                .where(Staff.id == staff.id, Staff.failed_logins >= MAX_FAILED, Staff.locked_until.is_(None))
                .values(locked_until=now + LOCKOUT)
                .execution_options(synchronize_session=False)
            )
            session.commit()
        logger.warning("failed console sign-in for %s", staff.name)
        return SignIn.BAD, None
    values: dict[str, object] = {"failed_logins": 0, "locked_until": None, "last_login_at": now}
    if _hasher.check_needs_rehash(staff.password_hash):
        values["password_hash"] = _hasher.hash(password)
    with lock:
        session.execute(
            update(Staff).where(Staff.id == staff.id).values(**values).execution_options(synchronize_session=False)
        )
        session.commit()
    session.refresh(staff)
    logger.info("console sign-in: %s (%s)", staff.name, staff.role)
    return SignIn.OK, staff


def _verify(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def start_session(session: Session, staff: Staff, now: datetime) -> str:
    """Create a session row; return the cookie secret (the only place it exists in clear)."""
    secret = secrets.token_urlsafe(32)
    session.add(
        StaffSession(
            id=_digest(secret),
            staff_id=staff.id,
            csrf_token=secrets.token_urlsafe(32),
            created_at=now,
            last_seen_at=now,
        )
    )
    return secret


def resume_session(
    session: Session, secret: str | None, now: datetime, idle: timedelta, lock: Lock | None = None
) -> SignedIn | None:
    """The signed-in person for a cookie, or None (unknown, ended, idle too long, too old, disabled).
    An idle or expired session is ended here; a live one has its ``last_seen_at`` moved on."""
    if not secret or len(secret) > 200:
        return None
    row = session.execute(
        select(StaffSession, Staff)
        .join(Staff, Staff.id == StaffSession.staff_id)
        .where(StaffSession.id == _digest(secret), StaffSession.ended_at.is_(None))
    ).first()
    if row is None:
        return None
    sess, staff = row
    if staff.disabled_at is not None or now - sess.last_seen_at > idle or now - sess.created_at > SESSION_MAX_AGE:
        with Writing(session, lock):
            sess.ended_at = now
            session.commit()
        return None
    if now - sess.last_seen_at >= _TOUCH_EVERY:
        with Writing(session, lock):
            sess.last_seen_at = now
            session.commit()
    return SignedIn(staff.id, staff.name, staff.role, sess.id, sess.csrf_token)


def end_session(session: Session, session_id: str, now: datetime) -> None:
    session.execute(
        update(StaffSession)
        .where(StaffSession.id == session_id, StaffSession.ended_at.is_(None))
        .values(ended_at=now)
        .execution_options(synchronize_session=False)
    )


def tokens_match(expected: str | None, given: str | None) -> bool:
    """Constant-time comparison of CSRF tokens; a missing one never matches."""
    if not expected or not given:
        return False
    return hmac.compare_digest(expected.encode("utf-8"), given.encode("utf-8", "surrogatepass"))
