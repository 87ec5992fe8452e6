"""Sign-in and sign-out.

The sign-in form has no session yet, so its CSRF protection is a double submit: a random value in an
HttpOnly cookie and the same value in the form; a cross-site form cannot read or set the cookie. After
a good sign-in a *new* session id is issued (no session fixation) and the cookie is HttpOnly, SameSite=Lax,
and Secure when the console is served over https.
"""

from __future__ import annotations

import logging
import math
import secrets
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, Response

from sync.server.console import auth
from sync.server.console.web import (
    LOGIN_CSRF_COOKIE,
    PREFIX,
    SESSION_COOKIE,
    Console,
    Refused,
    redirect,
    safe_next,
    set_cookie,
)

logger = logging.getLogger(__name__)

MESSAGES = {
    auth.SignIn.BAD: "Wrong name or password.",
    auth.SignIn.DISABLED: "Wrong name or password.",
    auth.SignIn.LOCKED: (
        f"Too many failed attempts: this account is locked for {int(auth.LOCKOUT.total_seconds() // 60)} minutes. "
        "An admin can tell you more."
    ),
}


def router(c: Console) -> APIRouter:
    r = APIRouter(prefix=PREFIX)

    def _form(request: Request, *, status: int = 200, error: str = "", name: str = "", next_path: str = "") -> Response:
        token = request.cookies.get(LOGIN_CSRF_COOKIE) or secrets.token_urlsafe(32)
        response = c.page(
            request, "sign_in.html", status=status, error=error, name=name, next_path=safe_next(next_path), csrf=token
        )
        set_cookie(response, request, LOGIN_CSRF_COOKIE, token, max_age=3600)
        return response

    @r.get("/sign-in", response_class=HTMLResponse, include_in_schema=False)
    def sign_in_page(request: Request, next: str = "") -> Response:
        return _form(request, next_path=next)

    @r.post("/sign-in", response_class=HTMLResponse, include_in_schema=False)
    def sign_in(
        request: Request,
        name: Annotated[str, Form()] = "",
        password: Annotated[str, Form()] = "",
        csrf: Annotated[str, Form()] = "",
        next: Annotated[str, Form()] = "",
    ) -> Response:
        if not auth.tokens_match(request.cookies.get(LOGIN_CSRF_COOKIE), csrf):
            raise Refused(
                "The sign-in form has expired",
                "The sign-in form was not sent from this browser's sign-in page (its security token is missing or "
                "wrong). Reload the sign-in page and try again.",
            )
        address = (request.client.host if request.client else "unknown") or "unknown"
        wait = c.limiter.retry_after(address)
        if wait is not None:
            # Many failures from this address (across names: password spraying): refuse before any check.
            return _form(
                request,
                status=429,
                error=f"Too many failed sign-ins from this address: wait {max(1, math.ceil(wait))} s and try again.",
                name=name[:128],
                next_path=next,
            )
        if not name.strip() or not password:
            return _form(request, status=422, error="Enter your name and password.", name=name[:128], next_path=next)
        now = c.now()
        with c.db() as s:
            outcome, staff = auth.sign_in(s, name, password[: auth.MAX_PASSWORD + 1], now, c.write_lock)
            if outcome is not auth.SignIn.OK or staff is None:
                c.limiter.failed(address)
                return _form(request, status=401, error=MESSAGES[outcome], name=name[:128], next_path=next)
            with c.writing(s):
                secret = auth.start_session(s, staff, now)
                s.commit()
        response = redirect(safe_next(next))
        set_cookie(response, request, SESSION_COOKIE, secret)
        response.delete_cookie(LOGIN_CSRF_COOKIE, path=PREFIX)
        return response

    @r.post("/sign-out", include_in_schema=False)
    def sign_out(request: Request, csrf: Annotated[str, Form()] = "") -> Response:
        who = c.posted(request, auth.SERVICE, csrf)
        c.write(lambda s: auth.end_session(s, who.session_id, c.now()))
        logger.info("console sign-out: %s", who.name)
        response = redirect(f"{PREFIX}/sign-in")
        response.delete_cookie(SESSION_COOKIE, path=PREFIX)
        return response

    return r
