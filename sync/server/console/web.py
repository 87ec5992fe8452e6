"""What every console page shares: the Jinja2 environment (autoescape on for every template), the
signed-in person, role checks, CSRF checks and the security headers.

Unauthenticated requests to a console page get a 303 to the sign-in page; a role too low gets a 403
page; a POST whose CSRF token does not match the session's gets a 403 page and changes nothing.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from jinja2 import Environment, FileSystemLoader, StrictUndefined
from sqlalchemy.orm import Session, sessionmaker

from sync.server.blobs import BlobStore
from sync.server.console import auth
from sync.server.console.queue import humanise
from sync.server.limits import FailedAuthLimiter

logger = logging.getLogger(__name__)
T = TypeVar("T")

PREFIX = "/console"
SESSION_COOKIE = "pg_console"
LOGIN_CSRF_COOKIE = "pg_console_login"
HERE = Path(__file__).resolve().parent

SECURITY_HEADERS = {
    # Everything the console loads is its own; no inline script, no framing, forms post only to us.
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
    ),
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Cache-Control": "no-store",
}


class NeedSignIn(Exception):
    def __init__(self, next_path: str) -> None:
        super().__init__(next_path)
        self.next_path = next_path


class Refused(Exception):
    """403 with a page saying why (role too low, CSRF token missing or wrong)."""

    def __init__(self, title: str, message: str) -> None:
        super().__init__(message)
        self.title = title
        self.message = message


def _when(value: datetime | None) -> str:
    return "–" if value is None else value.strftime("%Y-%m-%d %H:%M UTC")


def _iso(value: datetime | None) -> str:
    return "" if value is None else value.isoformat()


def make_env() -> Environment:
    env = Environment(
        loader=FileSystemLoader(HERE / "templates"),
        autoescape=True,  # every template, whatever its name: station and staff text is shown as text
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["when"] = _when
    env.filters["iso"] = _iso
    env.filters["span"] = humanise
    env.globals["prefix"] = PREFIX
    return env


@dataclass
class Console:
    """The console's wiring, built once by ``mount``."""

    sessions: Callable[[], sessionmaker[Session]]
    write_lock: contextlib.AbstractContextManager[Any]
    clock: Callable[[], datetime]
    idle_timeout: timedelta
    env: Environment
    limiter: FailedAuthLimiter
    blobs: Callable[[], BlobStore | None] = lambda: None
    wake_dispatcher: Callable[[], None] = lambda: None

    @contextlib.contextmanager
    def db(self) -> Iterator[Session]:
        with self.sessions()() as s:
            yield s

    def now(self) -> datetime:
        return self.clock()

    @contextlib.contextmanager
    def writing(self, s: Session) -> Iterator[None]:
        """Hold the writer lock for writes that follow reads in ``s`` (see ``auth.Writing``)."""
        with auth.Writing(s, self.write_lock):
            yield

    def write(self, work: Callable[[Session], T]) -> T:
        """Run ``work`` in a session of its own under the writers' lock and commit; an exception from it
        (a refusal with a message) leaves nothing written."""
        with self.db() as s, self.write_lock:
            result = work(s)
            s.commit()
            return result

    # ------------------------------------------------------------------ who is asking
    def signed_in(self, request: Request) -> auth.SignedIn:
        """The signed-in person, or ``NeedSignIn``. Bearer tokens are not looked at: a station or admin
        token is no console credential."""
        with self.db() as s:
            who = auth.resume_session(
                s, request.cookies.get(SESSION_COOKIE), self.now(), self.idle_timeout, self.write_lock
            )
        if who is None:
            raise NeedSignIn(_next_of(request))
        request.state.staff = who
        return who

    def require(self, request: Request, role: str) -> auth.SignedIn:
        who = self.signed_in(request)
        if not who.may(role):
            raise Refused(
                "Not for your role", f"This page is for the {role} role or above; you are signed in as {who.role}."
            )
        return who

    def posted(self, request: Request, role: str, csrf: str) -> auth.SignedIn:
        """The signed-in person behind a form POST: the role checked, then the form's CSRF token."""
        who = self.require(request, role)
        self.check_csrf(who, csrf)
        return who

    def check_csrf(self, who: auth.SignedIn, token: str) -> None:
        if not auth.tokens_match(who.csrf_token, token):
            logger.warning("console: CSRF token missing or wrong for %s", who.name)
            raise Refused(
                "The form has expired",
                "This form was not sent from a page of this console session (its security token is missing "
                "or wrong), so nothing was changed. Go back, reload the page and try again.",
            )

    def get_page(
        self, r: APIRouter, path: str, role: str, render: Callable[[Request, auth.SignedIn], Response]
    ) -> None:
        """Add ``GET path`` to ``r``: a page for ``role`` and above, drawn by ``render(request, who)``."""

        @r.get(path, response_class=HTMLResponse, include_in_schema=False)
        def _page(request: Request) -> Response:
            return render(request, self.require(request, role))

    # ------------------------------------------------------------------ answers
    def page(
        self, request: Request, template: str, *, status: int = 200, who: auth.SignedIn | None = None, **values: Any
    ) -> HTMLResponse:
        values.setdefault("done", request.query_params.get("done", "")[:200])  # what a redirect after a POST did
        body = self.env.get_template(template).render(
            who=who or getattr(request.state, "staff", None), now=self.now(), request_path=request.url.path, **values
        )
        return HTMLResponse(body, status_code=status, headers=SECURITY_HEADERS)


def _next_of(request: Request) -> str:
    path = request.url.path
    if request.method != "GET":
        return PREFIX + "/"
    return path + (f"?{request.url.query}" if request.url.query else "")


def safe_next(raw: str) -> str:
    """Only a path inside the console (no open redirect to another site)."""
    if raw.startswith(PREFIX + "/") and not raw.startswith("//") and "\\" not in raw and "\n" not in raw:
        return raw
    return PREFIX + "/"


def redirect(url: str, status: int = 303) -> RedirectResponse:
    return RedirectResponse(url, status_code=status, headers=SECURITY_HEADERS)


def sign_in_url(next_path: str) -> str:
    return f"{PREFIX}/sign-in?next={quote(next_path, safe='')}"


def set_cookie(response: Response, request: Request, name: str, value: str, *, max_age: int | None = None) -> None:
    response.set_cookie(
        name,
        value,
        max_age=max_age,
        path=PREFIX,
        httponly=True,
        samesite="lax",
        secure=request.url.scheme == "https",
    )
