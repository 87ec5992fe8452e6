"""The remediation console: the web pages customer-service staff and operations leads work from,
served by ``packgate-central serve`` itself under ``/console/``.

Server-rendered Jinja2 templates (autoescape on) with a few lines of plain JavaScript for live ageing;
the CSS and JS are files of this package, so nothing is built or downloaded. Staff sign in with a name
and password (``packgate-central staff add``); see ``auth`` for sessions, lockout and CSRF, ``web`` for
what every page shares, and docs/changes/2026-12-01-console.md for why this approach.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import Response
from fastapi.staticfiles import StaticFiles
from sqlalchemy.orm import Session, sessionmaker

from sync.server.blobs import BlobStore
from sync.server.console import routes_admin, routes_auth, routes_cases, routes_kpis, routes_webhooks
from sync.server.console.auth import DEFAULT_IDLE_TIMEOUT
from sync.server.console.web import HERE, PREFIX, Console, NeedSignIn, Refused, make_env, redirect, sign_in_url
from sync.server.limits import FailedAuthLimiter

logger = logging.getLogger(__name__)

__all__ = ["DEFAULT_IDLE_TIMEOUT", "PREFIX", "mount"]


def mount(
    app: FastAPI,
    *,
    sessions: Callable[[], sessionmaker[Session]],
    write_lock: contextlib.AbstractContextManager[Any],
    clock: Callable[[], datetime],
    idle_timeout: timedelta = DEFAULT_IDLE_TIMEOUT,
    limiter: FailedAuthLimiter | None = None,
    blobs: Callable[[], BlobStore | None] = lambda: None,
    wake_dispatcher: Callable[[], None] = lambda: None,
) -> None:
    """Add the console's routes, static files and error pages to ``app``. ``limiter`` is the service's
    per-address budget of failed authentications: failed console sign-ins spend from it too; ``blobs``
    is the evidence image store (the case page shows an incident's image from it); ``wake_dispatcher``
    tells the webhook dispatcher that deliveries were just queued (a case action, "send again")."""
    console = Console(
        sessions=sessions,
        write_lock=write_lock,
        clock=clock,
        idle_timeout=idle_timeout,
        env=make_env(),
        limiter=limiter or FailedAuthLimiter(),
        blobs=blobs,
        wake_dispatcher=wake_dispatcher,
    )

    @app.exception_handler(NeedSignIn)
    async def _need_sign_in(_request: Request, exc: NeedSignIn) -> Response:
        return redirect(sign_in_url(exc.next_path))

    @app.exception_handler(Refused)
    async def _refused(request: Request, exc: Refused) -> Response:
        return console.page(request, "message.html", status=403, title=exc.title, message=exc.message)

    @app.get("/", include_in_schema=False)
    def _root() -> Response:
        return redirect(PREFIX + "/")

    @app.get("/favicon.ico", include_in_schema=False)
    def _favicon() -> Response:
        # Browsers ask for it on their own; unanswered it was a 401 that spent the address's failed-auth budget.
        return redirect(PREFIX + "/static/favicon.svg", status=301)

    @app.get(PREFIX, include_in_schema=False)
    def _console_root() -> Response:
        return redirect(PREFIX + "/")

    for module in (routes_auth, routes_cases, routes_kpis, routes_admin, routes_webhooks):
        app.include_router(module.router(console))
    app.mount(PREFIX + "/static", StaticFiles(directory=HERE / "static"), name="console-static")
