"""Liveness and readiness, for a load balancer, systemd's watchdog scripts or Kubernetes probes.

- ``GET /api/v1/health/live``: the process answers HTTP. It touches nothing else, so a database outage
  does not get a healthy process restarted in a loop.
- ``GET /api/v1/health/ready``: it can do its work: the database answers and its schema is the one this
  build expects (Alembic's head). Otherwise **503** with the reason, so a balancer sends stations to
  another process (a central started against a database migrated by a newer build, or not yet migrated,
  would refuse or mis-store events).
- ``GET /api/v1/health`` (older, kept for stations and scripts that use it): the database answers.

All three need no token.
"""

# No "from __future__ import annotations": FastAPI resolves the handler annotations.

import logging
from collections.abc import Callable
from typing import Literal

from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from fastapi import APIRouter
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from sync.server.db import alembic_config
from sync.wire import API_PREFIX, WIRE_VERSION

logger = logging.getLogger(__name__)

PATHS = (f"{API_PREFIX}/health/live", f"{API_PREFIX}/health/ready")


class Live(BaseModel):
    status: Literal["live"]


class Ready(BaseModel):
    status: Literal["ready", "not_ready"]
    wire_version: int
    database: str | None
    schema_revision: str | None
    expected_revision: str | None
    reason: str | None = None


def router(sessions: Callable[[], sessionmaker[Session]]) -> APIRouter:
    api = APIRouter(prefix=API_PREFIX)
    expected: list[str | None] = []  # the head of the migrations shipped with this build, read once

    @api.get("/health/live", response_model=Live)
    def live() -> Live:
        """The process is up (nothing else is looked at; no token needed)."""
        return Live(status="live")

    @api.get(
        "/health/ready",
        response_model=Ready,
        responses={503: {"model": Ready, "description": "Not ready: the reason says why."}},
    )
    def ready() -> JSONResponse:
        """The database answers and its schema is current (503 with the reason otherwise; no token needed)."""
        dialect: str | None = None
        try:
            with sessions()() as s:
                connection = s.connection()
                dialect = connection.dialect.name
                current = MigrationContext.configure(connection).get_current_revision()
                if not expected:
                    expected.append(ScriptDirectory.from_config(alembic_config(connection.engine)).get_current_head())
        except (SQLAlchemyError, KeyError) as exc:  # KeyError: the app has not opened its database yet
            unreachable = f"database unreachable: {str(getattr(exc, 'orig', None) or exc).strip()[:200]}"
            logger.warning("not ready: %s", unreachable)
            body = Ready(
                status="not_ready",
                wire_version=WIRE_VERSION,
                database=dialect,
                schema_revision=None,
                expected_revision=expected[0] if expected else None,
                reason=unreachable,
            )
            return JSONResponse(body.model_dump(), status_code=503)
        head = expected[0]
        reason: str | None = None
        if current != head:
            reason = (
                f"the database schema is at {current or 'nothing (empty database)'}, this build needs {head}: "
                "run 'packgate-central db upgrade' (or the database was migrated by a newer build)"
            )
            logger.warning("not ready: %s", reason)
        body = Ready(
            status="not_ready" if reason else "ready",
            wire_version=WIRE_VERSION,
            database=dialect,
            schema_revision=current,
            expected_revision=head,
            reason=reason,
        )
        return JSONResponse(body.model_dump(), status_code=503 if reason else 200)

    return api
