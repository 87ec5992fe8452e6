"""A supervisor clears or escalates an incident: the four-eyes rule, the incident's resolution, its outbox
event and audit row, and what happens to the package once no incident is left open (it continues, or is
sealed short, or is pulled and cancelled) -- all in one transaction of the service."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from sqlalchemy import func, select

from rules import events
from station import bindings, outbox
from station.bench_reads import session_for
from station.commands import Command
from station.limits import MAX_NOTE_LENGTH, TextField, check_note, clip
from station.model import RESOLUTIONS, BenchState, OrderStatus, Verdict, VerdictKind
from station.orm import IncidentRecord, Order, OrderLine
from station.pack_session import Action, PackSession
from station.refusals import NotAllowed, Refusal
from station.statuses import IncidentStatus

if TYPE_CHECKING:
    from station.service import StationService

__all__ = ["resolve"]


def resolve(
    service: StationService, incident_id: str, supervisor_id: str, reason: str, resolution: str, escalate: bool
) -> Verdict:
    if resolution not in RESOLUTIONS:
        raise NotAllowed(Refusal.UNKNOWN_RESOLUTION, resolution=resolution)
    reason = check_note(reason or "", TextField.ESCALATION_REASON if escalate else TextField.CLEARANCE_NOTE)
    if not reason:
        raise NotAllowed(Refusal.REASON_REQUIRED)
    now = service.clock.now()
    bench_order = service.order
    verdict_kind = VerdictKind.ESCALATED if escalate else VerdictKind.CLEARED
    adopted: PackSession | None = None  # the bench once committed, when the clearance changed it
    verdict: Verdict | None = None
    with service.write_bench() as s:
        incident = s.get(IncidentRecord, incident_id)
        if incident is None:
            raise NotAllowed(Refusal.NO_SUCH_INCIDENT, incident_id=incident_id)
        if incident.status != IncidentStatus.OPEN:
            raise NotAllowed(Refusal.ALREADY_RESOLVED, incident_id=incident_id, status=incident.status)
        if incident.packer_id and incident.packer_id == supervisor_id:
            raise NotAllowed(Refusal.FOUR_EYES, incident_id=incident_id)
        on_bench = bench_order is not None and bench_order.order_id == incident.order_id
        if (escalate or resolution in ("short_shipped", "pulled_for_repick")) and not on_bench:
            # Sealing short or pulling a package happens to the package: only its own bench can do it,
            # otherwise central would hear "pulled" while the other bench goes on and seals it.
            raise NotAllowed(Refusal.NOT_ON_THIS_BENCH, incident_id=incident_id, order_id=incident.order_id)
        incident.status = (IncidentStatus.ESCALATED if escalate else IncidentStatus.CLEARED).value
        incident.resolved_by = supervisor_id
        incident.resolved_at = now
        incident.resolution = resolution
        incident.reason = reason
        order_id = incident.order_id
        bindings.track(s, incident)
        if escalate:
            outbox.enqueue(
                s,
                events.IncidentEscalated(
                    incident_id=uuid.UUID(incident_id),
                    order_id=order_id,
                    supervisor_id=supervisor_id,
                    reason=reason,
                    escalated_at=now,
                ),
                now,
            )
        else:
            outbox.enqueue(
                s,
                events.IncidentCleared(
                    incident_id=uuid.UUID(incident_id),
                    order_id=order_id,
                    supervisor_id=supervisor_id,
                    resolution=events.ClearResolution(resolution),
                    reason=reason,
                    cleared_at=now,
                ),
                now,
            )
        writer = service.bench_writer()
        writer.audit(
            s,
            now,
            "incident.escalated" if escalate else "incident.cleared",
            order_id,
            actor=supervisor_id,
            incident=incident_id,
            kind=incident.kind,
            resolution=resolution,
            reason=reason,
        )
        still_open = s.scalar(
            select(func.count())
            .select_from(IncidentRecord)
            .where(IncidentRecord.order_id == order_id, IncidentRecord.status == IncidentStatus.OPEN.value)
        )
        order = s.get(Order, order_id)
        if order is not None and not still_open and order.status == OrderStatus.BLOCKED.value:
            any_counted = s.scalar(
                select(func.coalesce(func.sum(OrderLine.scanned), 0)).where(OrderLine.order_id == order_id)
            )
            order.status = OrderStatus.PACKING.value if any_counted else OrderStatus.NEW.value
            order.updated_at = now
            s.flush()
            if on_bench:
                unblocked = session_for(s, order)
                if resolution == "pulled_for_repick":
                    cancel = unblocked.judge_cancel(
                        check_note(
                            clip(f"pulled by {supervisor_id}: {reason}", MAX_NOTE_LENGTH), TextField.CANCEL_REASON
                        ),
                        by_supervisor=True,
                    )
                    assert cancel.action is Action.CANCEL
                    writer.cancel(s, now, order_id, cancel.reason, "manual", supervisor_id)
                    adopted = PackSession()
                    verdict = Verdict(
                        verdict_kind, BenchState.NO_ORDER, None, incident_id=incident_id, detail=resolution
                    )
                elif resolution == "false_alarm" and incident.kind == VerdictKind.WEIGHT_MISMATCH.value:
                    # The supervisor checked the parcel and accepts the weight: sealed as weighed (weighing
                    # again would block it again). Any other resolution sends it back to be weighed.
                    measured = (incident.weight or {}).get("measured_g")
                    sealed = unblocked.sealed(short_shipped=False)
                    assert unblocked.order is not None and sealed.order is not None
                    writer.seal(s, now, unblocked.order, False, "supervisor", measured)
                    adopted = unblocked.after(sealed)
                    verdict = Verdict(
                        verdict_kind,
                        BenchState.SEALED,
                        sealed.order,
                        code=Command.SEAL.barcode,
                        incident_id=incident_id,
                        detail=resolution,
                    )
                elif resolution == "short_shipped":
                    sealed = unblocked.sealed(short_shipped=True)
                    assert unblocked.order is not None and sealed.order is not None
                    writer.seal(s, now, unblocked.order, True, "supervisor")
                    adopted = unblocked.after(sealed)
                    verdict = Verdict(
                        verdict_kind,
                        BenchState.SEALED,
                        sealed.order,
                        code=Command.SEAL.barcode,
                        incident_id=incident_id,
                        detail=sealed.detail,
                        short_shipped=True,
                    )
    if adopted is not None and verdict is not None:
        service.adopt(adopted)
        return verdict
    if not on_bench:
        return Verdict(verdict_kind, service.state, service.order, incident_id=incident_id, detail=resolution)
    service.reload()
    return Verdict(
        verdict_kind,
        service.state,
        service.order,
        incident_id=incident_id,
        detail=resolution,
        open_incidents=service.open_incidents(),
    )
