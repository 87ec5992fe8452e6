"""Admin pages: staff accounts and station/admin tokens (admin role only)."""

from __future__ import annotations

import logging
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.orm import Session

from sync.server.console import auth
from sync.server.console.web import PREFIX, Console, redirect
from sync.server.tokens import (
    IssuedToken,
    TokenError,
    issue_admin_token,
    issue_station_token,
    list_tokens,
    revoke_token,
)

logger = logging.getLogger(__name__)


def router(c: Console) -> APIRouter:
    r = APIRouter(prefix=PREFIX)

    def _staff_page(
        request: Request, who: auth.SignedIn, *, status: int = 200, error: str = "", **form: str
    ) -> Response:
        with c.db() as s:
            people = auth.list_staff(s)
        return c.page(
            request, "staff.html", status=status, who=who, people=people, roles=auth.ROLES, error=error, form=form
        )

    c.get_page(r, "/staff", auth.ADMIN, _staff_page)

    @r.post("/staff", response_class=HTMLResponse, include_in_schema=False)
    def staff_add(
        request: Request,
        csrf: Annotated[str, Form()] = "",
        name: Annotated[str, Form()] = "",
        role: Annotated[str, Form()] = "",
        password: Annotated[str, Form()] = "",
        password2: Annotated[str, Form()] = "",
    ) -> Response:
        who = c.posted(request, auth.ADMIN, csrf)
        try:
            if password != password2:
                raise auth.StaffError("The two passwords differ.")
            c.write(lambda s: auth.add_staff(s, name, role, password, c.now()))
        except auth.StaffError as exc:
            return _staff_page(request, who, status=422, error=str(exc), name=name, role=role)
        logger.info("console: %s added staff %s (%s)", who.name, name, role)
        return redirect(f"{PREFIX}/staff?done=added+{name.strip()[:100]}")

    @r.post("/staff/disable", response_class=HTMLResponse, include_in_schema=False)
    def staff_disable(
        request: Request, csrf: Annotated[str, Form()] = "", name: Annotated[str, Form()] = ""
    ) -> Response:
        who = c.posted(request, auth.ADMIN, csrf)
        try:
            if name == who.name:
                raise auth.StaffError("You cannot disable yourself while signed in.")
            c.write(lambda s: auth.disable_staff(s, name, c.now()))
        except auth.StaffError as exc:
            return _staff_page(request, who, status=422, error=str(exc))
        logger.info("console: %s disabled staff %s", who.name, name)
        return redirect(f"{PREFIX}/staff?done=disabled+{name[:100]}")

    def _tokens_page(
        request: Request, who: auth.SignedIn, *, status: int = 200, error: str = "", issued: IssuedToken | None = None
    ) -> Response:
        with c.db() as s:
            tokens = list_tokens(s)
        return c.page(request, "tokens.html", status=status, who=who, tokens=tokens, error=error, issued=issued)

    c.get_page(r, "/tokens", auth.ADMIN, _tokens_page)

    @r.post("/tokens", response_class=HTMLResponse, include_in_schema=False)
    def token_issue(
        request: Request,
        csrf: Annotated[str, Form()] = "",
        kind: Annotated[str, Form()] = "",
        subject: Annotated[str, Form()] = "",
        site: Annotated[str, Form()] = "",
    ) -> Response:
        who = c.posted(request, auth.ADMIN, csrf)

        def issue(s: Session) -> IssuedToken:
            if kind == "station":
                return issue_station_token(s, subject.strip(), site=site.strip()[:64] or None)
            if kind == "admin":
                return issue_admin_token(s, subject.strip())
            raise TokenError("choose a station token or an admin token")

        try:
            issued = c.write(issue)
        except TokenError as exc:
            return _tokens_page(request, who, status=422, error=str(exc))
        logger.info("console: %s issued %s token %s for %s", who.name, issued.kind, issued.token_id, issued.subject)
        # The secret is shown on this one answer only (no redirect: a reload must not show it again).
        return _tokens_page(request, who, issued=issued)

    @r.post("/tokens/revoke", response_class=HTMLResponse, include_in_schema=False)
    def token_revoke(
        request: Request, csrf: Annotated[str, Form()] = "", token_id: Annotated[str, Form()] = ""
    ) -> Response:
        who = c.posted(request, auth.ADMIN, csrf)
        try:
            c.write(lambda s: revoke_token(s, token_id[:64]))
        except TokenError as exc:
            return _tokens_page(request, who, status=422, error=str(exc))
        logger.info("console: %s revoked token %s", who.name, token_id)
        return redirect(f"{PREFIX}/tokens")

    return r
