"""``CMD:REPRINT`` (and the bench's Reprint button): the last sealed package's paperwork again, audited."""

from __future__ import annotations

from typing import TYPE_CHECKING

from station.commands import Command
from station.model import Verdict, VerdictKind
from station.printing.jobs import PrintJobs

if TYPE_CHECKING:
    from station.service import StationService


def reprint(service: StationService, source: str, actor: str | None = None) -> Verdict:
    """Queue the documents of the last package sealed on this bench again. ``named_order`` is that order
    (None: nothing was sealed here yet), ``detail`` the documents queued, comma-separated."""
    done = PrintJobs(service.db, service.station_id, service.clock).reprint_last(actor or service.packer_id, source)
    return Verdict(
        VerdictKind.REPRINTED,
        service.state,
        service.order,
        code=Command.REPRINT.barcode,
        named_order=done.order_id if done else None,
        detail=",".join(d.value for d in done.documents) if done else "",
    )
