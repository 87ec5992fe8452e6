"""What the flagged queue lists (`queue_rows`): one `QueueRow` per open incident, this station's from its own
database (the ones a supervisor can clear here) and the other benches' from the central service's site
view (read-only), oldest first; their age colour against the 2-hour target, and the site view's status line.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from station.remediation import NOTIFY_CUSTOMER_WITHIN
from station.shift import OpenFlag, open_flags
from sync.site import SiteView
from ui.bootstrap import Station
from ui.i18n import translate
from ui.supervisor.style import AGEING, FRESH, OVERDUE


@dataclass(frozen=True)
class QueueRow(OpenFlag):
    """One open incident as the queue lists it, whether from this station's database or the site view."""

    station_id: str
    own: bool  # this station's: may be cleared here


def age_colour(age: timedelta) -> str:
    if age >= NOTIFY_CUSTOMER_WITHIN:
        return OVERDUE
    if age >= NOTIFY_CUSTOMER_WITHIN / 2:
        return AGEING
    return FRESH


def queue_rows(station: Station, site_view: SiteView | None, now: datetime) -> list[QueueRow]:
    """This station's open incidents from its database, plus the other benches' from `site_view` (if any),
    oldest first."""
    own_id = station.station_id
    rows = [QueueRow(**vars(f), station_id=own_id, own=True) for f in open_flags(station.db, now)]
    if site_view is not None:
        for inc in site_view.incidents:
            if inc.station_id == own_id:
                continue  # the local rows are the authoritative ones (see the module docstring)
            rows.append(
                QueueRow(
                    incident_id=str(inc.incident_id),
                    order_id=inc.order_id or "–",
                    kind=inc.kind.value if inc.kind else "",
                    packer_id=inc.packer_id,
                    code=inc.code,
                    detected_at=inc.detected_at,
                    age=max(now - inc.detected_at, timedelta()),
                    station_id=inc.station_id,
                    own=False,
                )
            )
        rows.sort(key=lambda r: (r.detected_at, r.incident_id))
    return rows


def site_status_text(site_view: SiteView | None, site_error: str | None) -> str:
    """The line above the site view: what it shows, or why it cannot."""
    if site_error is not None:
        return translate("Supervisor", "site view unavailable: {error}").format(error=site_error)
    if site_view is None:
        return translate("Supervisor", "Loading the site view…")
    if site_view.site is None:
        return translate(
            "Supervisor", "This station belongs to no site at the central service: only its own incidents are listed."
        )
    text = translate("Supervisor", "Site {site}: other benches' incidents are read-only here.").format(
        site=site_view.site
    )
    if site_view.truncated:
        text += translate("Supervisor", " Only the oldest {count} are listed.").format(count=len(site_view.incidents))
    return text
