"""Wire models of the audit-chain anchors (wire v1, an addition; see sync/PROTOCOL.md "Audit chain anchors").

A station anchors its audit chain at the central service: it posts the chain's head (row id = ``seq``, and
that row's hash) together with the hash its chain has *now* at the seq of the last head central accepted.
Central compares that with the hash it stored, so it can tell "the chain only grew" from "rows up to the
last anchor were rewritten, deleted or re-appended" without ever seeing the chain.

Defined here, beside `sync.wire`, and used by both ends (`sync.anchoring` on the station,
`sync.server.anchors` at central).
"""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, Field, StringConstraints

from rules.fields import StationId

ChainHash = Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{64}$")]


class ChainHead(BaseModel):
    seq: int = Field(ge=1, le=2**62, description="Id of the newest audit row.")
    hash: ChainHash


class ChainProof(BaseModel):
    seq: int = Field(ge=1, le=2**62, description="The seq of the last head central accepted (from `last`).")
    hash: ChainHash | None = Field(description="The station's hash at that seq now; null: its chain has no such row.")


class AnchorPost(BaseModel):
    """``POST /api/v1/anchors`` body (station token)."""

    station_id: StationId
    head: ChainHead
    at_last: ChainProof | None = Field(default=None, description="Null only when central has no anchor yet.")


class AnchorStatus(enum.StrEnum):
    ACCEPTED = "accepted"  # the head extends the last accepted one (or is the first): stored
    UNCHANGED = "unchanged"  # the same head as last time
    REFUSED = "refused"  # it does not extend the last accepted head: flagged, the last accepted one stays
    STALE = "stale"  # ``at_last`` names another seq than central's last anchor: post again with ``last``


class AcceptedAnchor(BaseModel):
    seq: int
    hash: str
    accepted_at: datetime


class AnchorAnswer(BaseModel):
    status: AnchorStatus
    reason: str | None = None
    last: AcceptedAnchor | None = Field(description="The last accepted anchor after this request.")


class AnchorFlag(BaseModel):
    """A refused anchor: a head that did not extend the last accepted one (identical repeats are counted)."""

    id: int
    station_id: str
    site: str | None
    status: str = Field(description="refused (a flag); accepted in the unfiltered admin list")
    seq: int | None
    hash: str | None
    proof_seq: int | None
    proof_hash: str | None
    reason: str
    first_at: datetime
    last_at: datetime
    times: int


class AnchorState(BaseModel):
    """``GET /api/v1/anchors/last`` (station token): what central holds for the calling station."""

    station_id: str
    last: AcceptedAnchor | None
    flags_since_last: int = Field(description="Refused anchors after the last accepted one.")
    last_flag: AnchorFlag | None
    checkpoints: list[AcceptedAnchor] = Field(
        default_factory=list,
        description="The first accepted anchor of each UTC day (last 400 days, since the last "
        "reset), oldest first: a chain that still checks against `last` but was rewritten before it fails here.",
    )


class AnchorFlagList(BaseModel):
    flags: list[AnchorFlag]
