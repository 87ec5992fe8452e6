"""Why a supervisor operation is refused: a typed reason the ui turns into words (ui/refusal_words.py)."""

from __future__ import annotations

import enum

__all__ = ["NotAllowed", "Refusal"]


class Refusal(str, enum.Enum):
    UNKNOWN_RESOLUTION = "unknown_resolution"  # `resolution` is not one of model.RESOLUTIONS
    REASON_REQUIRED = "reason_required"
    NO_SUCH_INCIDENT = "no_such_incident"
    ALREADY_RESOLVED = "already_resolved"  # `status` says how
    FOUR_EYES = "four_eyes"  # the packer who caused an incident cannot clear it
    NOT_ON_THIS_BENCH = "not_on_this_bench"  # ship short, pull or escalate only at the order's own bench


class NotAllowed(RuntimeError):
    """A domain rule refuses the operation. `reason` says which; the other fields name what it is about."""

    def __init__(
        self,
        reason: Refusal,
        *,
        incident_id: str | None = None,
        order_id: str | None = None,
        status: str | None = None,
        resolution: str | None = None,
    ) -> None:
        self.reason = reason
        self.incident_id = incident_id
        self.order_id = order_id
        self.status = status
        self.resolution = resolution
        named = ", ".join(
            f"{k}={v}"
            for k, v in (("incident", incident_id), ("order", order_id), ("status", status), ("resolution", resolution))
            if v is not None
        )
        super().__init__(f"{reason.value} ({named})" if named else reason.value)
