"""Webhook pages (lead role and above): the endpoints with their delivery counts, add, remove, and each
endpoint's delivery log (paged back by delivery id), with "send again" for failed deliveries and "rotate
the signing secret" (sync/server/webhook_secrets.py). The work is done by ``sync.server.webhooks``, the same functions as
``packgate-central webhook ...`` and the JSON API use."""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.orm import Session

from sync.server import webhook_secrets, webhooks
from sync.server.console import auth
from sync.server.console.web import PREFIX, Console, redirect
from sync.server.models import Webhook

logger = logging.getLogger(__name__)

LOG_LIMIT = 100  # newest deliveries shown on a log page


def router(c: Console) -> APIRouter:
    r = APIRouter(prefix=PREFIX)

    def _list_page(
        request: Request,
        who: auth.SignedIn,
        *,
        status: int = 200,
        error: str = "",
        added: Webhook | None = None,
        secret: str = "",
        form: dict[str, object] | None = None,
    ) -> Response:
        show_all = request.query_params.get("all") == "1"
        with c.db() as s:
            hooks = webhooks.list_webhooks(s, include_removed=show_all)
        return c.page(
            request,
            "webhooks.html",
            status=status,
            who=who,
            hooks=hooks,
            show_all=show_all,
            event_types=webhooks.EVENT_TYPES,
            error=error,
            added=added,
            secret=secret,
            form=form or {"url": "", "events": list(webhooks.EVENT_TYPES)},
        )

    c.get_page(r, "/webhooks", auth.LEAD, _list_page)

    @r.post("/webhooks", response_class=HTMLResponse, include_in_schema=False)
    def webhook_add(
        request: Request,
        csrf: Annotated[str, Form()] = "",
        url: Annotated[str, Form()] = "",
        events: Annotated[list[str] | None, Form()] = None,
        secret: Annotated[str, Form()] = "",
    ) -> Response:
        who = c.posted(request, auth.LEAD, csrf)
        chosen = [e for e in events or [] if e in webhooks.EVENT_TYPES]
        form: dict[str, object] = {"url": url[:2100], "events": chosen}
        if not chosen:
            return _list_page(request, who, status=422, error="Tick at least one event to send.", form=form)

        def add(s: Session) -> Webhook:
            hook = webhooks.add_webhook(s, url, chosen, secret.strip() or None, now=c.now())
            s.flush()
            s.expunge(hook)  # shown after the session is gone
            return hook

        try:
            hook = c.write(add)
        except webhooks.WebhookError as exc:
            return _list_page(request, who, status=422, error=f"Not added: {exc}.", form=form)
        logger.info("console: %s added webhook %s for %s", who.name, hook.id, hook.url)
        # A generated secret is shown on this one answer only (no redirect: a reload must not show it again).
        return _list_page(request, who, added=hook, secret=hook.secret if not secret.strip() else "")

    @r.post("/webhooks/remove", response_class=HTMLResponse, include_in_schema=False)
    def webhook_remove(
        request: Request,
        csrf: Annotated[str, Form()] = "",
        webhook_id: Annotated[str, Form()] = "",
        confirm: Annotated[str, Form()] = "",
    ) -> Response:
        who = c.posted(request, auth.LEAD, csrf)
        if confirm != "yes":
            return _log_page(request, who, webhook_id, status=422, error="Tick the box to confirm the removal.")
        try:
            _hook, cancelled = c.write(lambda s: webhooks.remove_webhook(s, webhook_id, now=c.now()))
        except webhooks.WebhookError as exc:
            return _list_page(request, who, status=404, error=str(exc))
        logger.info("console: %s removed webhook %s (%d pending cancelled)", who.name, webhook_id, cancelled)
        return redirect(f"{PREFIX}/webhooks?done=removed+{webhook_id[:20]}")

    @r.post("/webhooks/{webhook_id}/send-again", response_class=HTMLResponse, include_in_schema=False)
    def webhook_send_again(
        request: Request,
        webhook_id: str,
        csrf: Annotated[str, Form()] = "",
        delivery_id: Annotated[str, Form()] = "",
    ) -> Response:
        who = c.posted(request, auth.LEAD, csrf)
        one = int(delivery_id) if delivery_id.isdigit() and len(delivery_id) < 19 else None
        if delivery_id and one is None:
            return _log_page(request, who, webhook_id, status=422, error="That is not a delivery number.")
        try:
            queued = c.write(lambda s: webhooks.send_again(s, webhook_id, who.name, one, now=c.now()))
        except webhooks.WebhookError as exc:
            return _log_page(request, who, webhook_id, status=422, error=f"Not sent again: {exc}.")
        c.wake_dispatcher()
        logger.info("console: %s sent %d failed deliveries of %s again", who.name, queued, webhook_id)
        return redirect(f"{PREFIX}/webhooks/{webhook_id[:20]}?done=queued+{queued}")

    @r.post("/webhooks/{webhook_id}/rotate-secret", response_class=HTMLResponse, include_in_schema=False)
    def webhook_rotate_secret(
        request: Request,
        webhook_id: str,
        csrf: Annotated[str, Form()] = "",
        secret: Annotated[str, Form()] = "",
        overlap_hours: Annotated[str, Form()] = "24",
    ) -> Response:
        who = c.posted(request, auth.LEAD, csrf)
        try:
            hours = float(overlap_hours.strip() or "24")
        except ValueError:
            hours = float("nan")
        if not 0 <= hours <= webhook_secrets.MAX_OVERLAP.total_seconds() / 3600:
            return _log_page(
                request, who, webhook_id, status=422, error="Not rotated: the overlap must be 0 to 720 hours."
            )
        chosen = secret.strip() or None

        def rotate(s: Session) -> Webhook:
            hook = webhook_secrets.rotate_secret(s, webhook_id, chosen, timedelta(hours=hours), now=c.now())
            s.flush()
            s.expunge(hook)
            return hook

        try:
            hook = c.write(rotate)
        except webhooks.WebhookError as exc:
            return _log_page(request, who, webhook_id, status=422, error=f"Not rotated: {exc}.")
        logger.info("console: %s rotated the secret of webhook %s (overlap %.1f h)", who.name, webhook_id, hours)
        # A generated secret is shown on this one answer only (no redirect: a reload must not show it again).
        return _log_page(request, who, webhook_id, rotated=True, new_secret=hook.secret if chosen is None else "")

    def _log_page(
        request: Request,
        who: auth.SignedIn,
        webhook_id: str,
        *,
        status: int = 200,
        error: str = "",
        rotated: bool = False,
        new_secret: str = "",
    ) -> Response:
        wanted = request.query_params.get("status", "")
        raw_before = request.query_params.get("before", "")
        before = int(raw_before) if raw_before.isdigit() and len(raw_before) < 19 else None
        done = request.query_params.get("done", "")
        with c.db() as s:
            try:
                hook = webhooks.get_webhook(s, webhook_id)
                rows = webhooks.deliveries(s, webhook_id, wanted or None, LOG_LIMIT + 1, before)
            except webhooks.WebhookError as exc:
                return c.page(request, "message.html", status=404, who=who, title="No such webhook", message=str(exc))
            counts = dict(webhooks.list_webhooks(s, include_removed=True)).get(hook, {})
            older = rows[LOG_LIMIT - 1].id if len(rows) > LOG_LIMIT else None  # more below this page
            return c.page(
                request,
                "webhook_log.html",
                status=status,
                who=who,
                hook=hook,
                counts=counts,
                rows=rows[:LOG_LIMIT],
                wanted=wanted,
                limit=LOG_LIMIT,
                before=before,
                older=older,
                queued=done.removeprefix("queued ") if done.startswith("queued ") else "",
                error=error,
                rotated=rotated,
                new_secret=new_secret,
            )

    @r.get("/webhooks/{webhook_id}", response_class=HTMLResponse, include_in_schema=False)
    def webhook_log(request: Request, webhook_id: str) -> Response:
        who = c.require(request, auth.LEAD)
        if request.query_params.get("status", "") not in ("", *webhooks.DELIVERY_STATUSES):
            return redirect(f"{PREFIX}/webhooks/{webhook_id[:20]}")
        return _log_page(request, who, webhook_id)

    return r
