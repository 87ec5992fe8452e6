"""The station side of the site view: fetch the flagged incidents of every bench in this station's site.

The supervisor's flagged queue calls ``fetch_site_incidents(settings)`` (off the GUI thread) with the
station's own sync settings: the same URL, token and CA bundle as the outbox drain, because the central
service decides the site from that token. Every way of failing -- sync not configured, the service
unreachable, the token refused, an answer that cannot be read -- raises ``SiteViewUnavailable`` with a
reason short enough to show as it is ("site view unavailable: <reason>"), so the screen needs to know
nothing about HTTP.

One short-lived connection per fetch: the queue refreshes every half minute at most, so a pooled client
kept open beside the sync worker's would only hold a socket for nothing.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import httpx
from pydantic import ValidationError

from sync.transport import (
    ConnectionState,
    SyncConfigError,
    SyncError,
    response_detail,
    state_for_status,
    tls_verify,
    unreachable,
    unreadable,
)
from sync.wire import API_PREFIX
from sync.wire.incidents import BenchStatus, SiteIncident, SiteIncidentList
from sync.worker import SyncSettings

logger = logging.getLogger(__name__)

SITE_INCIDENTS_PATH = "/site/incidents"
DEFAULT_LIMIT = 500


class SiteViewUnavailable(SyncError):
    """The site view cannot be shown; ``str(exc)`` is the reason for the screen, ``state`` the kind."""


@dataclass(frozen=True)
class SiteView:
    """What the service answered: the site (None: this station has none, so only its own incidents are
    listed), its incidents oldest first, and whether the list was cut at the limit."""

    site: str | None
    incidents: tuple[SiteIncident, ...]
    truncated: bool = False


def fetch_site_view(
    settings: SyncSettings, status: BenchStatus = BenchStatus.OPEN, limit: int = DEFAULT_LIMIT
) -> SiteView:
    """``GET /api/v1/site/incidents`` with the station's token; raises ``SiteViewUnavailable``."""
    if not settings.configured:
        raise SiteViewUnavailable(
            ConnectionState.NOT_CONFIGURED, "sync is not configured (packgate sync configure --url URL --token TOKEN)"
        )
    url = (settings.url or "").rstrip("/")
    if not url.startswith(("http://", "https://")):
        raise SiteViewUnavailable(
            ConnectionState.NOT_CONFIGURED, f"the central service URL must start with http:// or https://, got {url!r}"
        )
    try:
        verify = tls_verify(settings.ca_bundle)
    except SyncConfigError as exc:
        raise SiteViewUnavailable(ConnectionState.ERROR, str(exc)) from exc
    try:
        with httpx.Client(
            base_url=url + API_PREFIX,
            headers={"Authorization": f"Bearer {settings.token}", "User-Agent": "packgate-station"},
            timeout=httpx.Timeout(settings.timeout, connect=min(settings.timeout, 5.0)),
            verify=verify,
        ) as http:
            response = http.get(SITE_INCIDENTS_PATH, params={"status": status.value, "limit": limit})
    except httpx.TransportError as exc:  # refused, reset, timed out, TLS failure
        logger.warning("site view: central service at %s unreachable: %s", url, exc)
        raise SiteViewUnavailable(*unreachable(exc, url)) from exc
    except OSError as exc:  # e.g. a CA bundle path that does not exist
        raise SiteViewUnavailable(ConnectionState.ERROR, f"cannot connect: {exc}") from exc
    if response.status_code != 200:
        state = state_for_status(response.status_code)
        detail = response_detail(response)
        if response.status_code == 401:
            reason = f"the central service refused the station token ({detail})"
        elif response.status_code == 404:
            reason = "the central service has no site view (an older version?)"
        else:
            reason = f"HTTP {response.status_code} from the central service: {detail}"
        logger.warning("site view: %s", reason)
        raise SiteViewUnavailable(state, reason)
    try:
        body = SiteIncidentList.model_validate_json(response.content)
    except ValidationError as exc:
        raise SiteViewUnavailable(ConnectionState.ERROR, unreadable(exc)) from exc
    return SiteView(site=body.site, incidents=tuple(body.incidents), truncated=body.truncated)


def fetch_site_incidents(settings: SyncSettings, status: BenchStatus = BenchStatus.OPEN) -> list[SiteIncident]:
    """The incidents of the site alone (see ``fetch_site_view`` for the site and the truncation flag)."""
    return list(fetch_site_view(settings, status).incidents)


__all__ = ["SiteView", "SiteViewUnavailable", "fetch_site_incidents", "fetch_site_view"]
