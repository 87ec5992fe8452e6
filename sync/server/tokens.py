"""Credentials: issue, revoke, list and verify bearer tokens.

A token is ``pgt_`` + ``secrets.token_urlsafe(32)`` (256 random bits). Only its SHA-256 is stored: a slow password
hash (argon2, bcrypt) protects *low-entropy* secrets against guessing after a database leak, but nobody
can brute-force 256 random bits, so a fast hash is as safe here and keeps every request cheap. The token
id (``tok_`` + 12 hex chars) is printed beside the token and is what revocation and logs use, so the
secret itself never has to be shown again.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime

from pydantic import TypeAdapter, ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from rules.fields import Ident, StationId
from sync.server.models import Station, Token

logger = logging.getLogger(__name__)

TOKEN_PREFIX = "pgt_"  # PackGate token
STATION = "station"
ADMIN = "admin"
#: Read-only, for customer-facing systems: ``GET /api/v1/orders/{order_id}/resolution`` and nothing else
#: (enforced before the body is read: ``sync.server.resolution.scope_check``).
RESOLUTION = "resolution"
#: Read-only, for Prometheus: ``GET /metrics`` and nothing else (``sync.server.resolution.scope_check``).
METRICS = "metrics"

_station_id = TypeAdapter(StationId)
_admin_name = TypeAdapter(Ident)


class TokenError(ValueError):
    """A token cannot be issued or revoked; the message is meant for the person at the command line."""


@dataclass(frozen=True)
class IssuedToken:
    """The one moment the secret exists in clear: show it to the operator, store nowhere."""

    token_id: str
    secret: str
    kind: str
    subject: str


@dataclass(frozen=True)
class Principal:
    """Who is calling: a station (subject = station id) or central staff/systems (subject = name)."""

    token_id: str
    kind: str
    subject: str


def hash_token(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def issue_station_token(session: Session, station_id: str, site: str | None = None) -> IssuedToken:
    """Issue a token for ``station_id``, registering the station (and its site) on first use."""
    try:
        station_id = _station_id.validate_python(station_id)
    except ValidationError as exc:
        raise TokenError(
            f"invalid station id {station_id!r}: use 1-64 letters, digits and . _ : - (starting with a letter or digit)"
        ) from exc
    now = datetime.now(UTC)
    station = session.get(Station, station_id)
    if station is None:
        session.add(Station(station_id=station_id, site=site, created_at=now))
    elif site is not None:
        station.site = site
    return _issue(session, STATION, station_id, now)


def issue_admin_token(session: Session, name: str) -> IssuedToken:
    """Issue a token for central staff or a system (customer-service tool, KPI dashboard)."""
    return issue_named_token(session, ADMIN, name)


def issue_named_token(session: Session, kind: str, name: str) -> IssuedToken:
    """Issue a token of ``kind`` for its holder ``name``: admin (staff and systems), resolution (a shop or
    helpdesk: order resolutions only), metrics (Prometheus: ``/metrics`` only)."""
    if kind not in (ADMIN, RESOLUTION, METRICS):
        raise TokenError(f"no token kind {kind!r}")
    try:
        name = _admin_name.validate_python(name)
    except ValidationError as exc:
        raise TokenError(f"invalid name {name!r}: 1-128 characters") from exc
    return _issue(session, kind, name, datetime.now(UTC))


def _issue(session: Session, kind: str, subject: str, now: datetime) -> IssuedToken:
    # A fixed prefix: the token never starts with '-' (token_urlsafe's alphabet has it, and then
    # `packgate sync run --token -Xy…` reads as a missing argument, 1 time in 64), and secret scanners
    # and people can tell a PackGate token at a glance.
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token_id = "tok_" + secrets.token_hex(6)
    session.add(Token(id=token_id, token_hash=hash_token(secret), kind=kind, subject=subject, created_at=now))
    logger.info("issued %s token %s for %s", kind, token_id, subject)
    return IssuedToken(token_id=token_id, secret=secret, kind=kind, subject=subject)


def revoke_token(session: Session, token_id: str) -> Token:
    """Revoke by id; revoking twice is harmless. Raises ``TokenError`` for an unknown id."""
    token = session.get(Token, token_id)
    if token is None:
        raise TokenError(f"no token with id {token_id!r} (see 'packgate-central token list')")
    if token.revoked_at is None:
        token.revoked_at = datetime.now(UTC)
        logger.info("revoked token %s (%s %s)", token.id, token.kind, token.subject)
    return token


def list_tokens(session: Session) -> list[Token]:
    return list(session.scalars(select(Token).order_by(Token.created_at, Token.id)))


def verify_token(session: Session, secret: str) -> Principal | None:
    """The principal for a presented secret, or None when unknown or revoked."""
    token = session.scalar(select(Token).where(Token.token_hash == hash_token(secret)))
    if token is None or token.revoked_at is not None:
        return None
    return Principal(token_id=token.id, kind=token.kind, subject=token.subject)
