"""Audit-chain anchors: central keeps the history of every station's chain head and refuses, and flags, a head
that does not extend the last one it accepted.

"Extends" is checked without the chain. The station posts its head (seq, hash) and, for the seq of the last
head central accepted, the hash its chain has *there now*. Central compares that hash with the one it stored:

- the chain only grew: the row at the anchored seq is untouched, so its hash is the stored one → accepted;
- rows up to the anchor were edited and everything after re-hashed, or deleted and renumbered, or the newest
  rows deleted and others appended in their place: the hash at the anchored seq differs → refused;
- the chain was truncated below the anchor (newest 5,000 rows, or all of them, deleted): the station has no
  row at that seq (``hash: null``) or its head is below it → refused.

A refused head is stored as a flag (``status = refused``), logged as a WARNING, listed by
``GET /api/v1/admin/anchors?flagged=1`` (admin) and ``GET /api/v1/site/anchor-flags`` (the site's stations),
and never replaces the last accepted head, so the station keeps being refused until it shows the old chain
again or an admin resets the station's anchor (``POST /api/v1/admin/anchors/{station}/reset``: a rebuilt
station). Events are judged apart from anchors: a refused anchor never stops a station's events.

A station whose first head arrives is trusted (there is nothing to compare with): anchoring protects what
happened before the last sync, not before the first one.
"""

# No "from __future__ import annotations": FastAPI resolves the handler annotations (aliases passed in).

import logging
from collections.abc import Callable
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query
from sqlalchemy import ColumnElement, Date, cast, func, select
from sqlalchemy.orm import Session

from rules.fields import StationId, Text
from sync.anchors import (
    AcceptedAnchor,
    AnchorAnswer,
    AnchorFlag,
    AnchorFlagList,
    AnchorPost,
    AnchorState,
    AnchorStatus,
)
from sync.server.models import Anchor, Station
from sync.server.site import site_of, site_scope
from sync.wire import API_PREFIX

logger = logging.getLogger(__name__)

ACCEPTED, REFUSED, RESET = "accepted", "refused", "reset"


def last_accepted(session: Session, station_id: str) -> Anchor | None:
    """The head new ones must extend: the newest accepted row, unless an admin reset came after it."""
    row = session.scalar(
        select(Anchor)
        .where(Anchor.station_id == station_id, Anchor.status.in_((ACCEPTED, RESET)))
        .order_by(Anchor.id.desc())
        .limit(1)
    )
    return row if row is not None and row.status == ACCEPTED else None


def judge(last: Anchor | None, post: AnchorPost) -> tuple[AnchorStatus, str | None]:
    """Does ``post`` extend ``last``? (status, reason for a refusal)."""
    if last is None:
        return AnchorStatus.ACCEPTED, None
    assert last.seq is not None and last.hash is not None
    proof = post.at_last
    if proof is None or proof.seq != last.seq:
        return AnchorStatus.STALE, f"prove the chain at seq {last.seq}, the last accepted anchor"
    if proof.hash is None or post.head.seq < last.seq:
        return AnchorStatus.REFUSED, (
            f"chain truncated: the station has no audit row {last.seq} any more (head "
            f"now {post.head.seq}), central accepted that row on {last.received_at:%Y-%m-%d %H:%M} UTC"
        )
    if proof.hash != last.hash:
        return AnchorStatus.REFUSED, (
            f"chain rewritten: the station's audit row {last.seq} is not the one central "
            f"accepted on {last.received_at:%Y-%m-%d %H:%M} UTC (rows up to it were "
            "changed, deleted or replaced)"
        )
    if post.head.seq == last.seq:
        if post.head.hash != last.hash:
            return AnchorStatus.REFUSED, f"head {last.seq} has another hash than the one accepted"
        return AnchorStatus.UNCHANGED, None
    return AnchorStatus.ACCEPTED, None


def record_anchor(session: Session, station_id: str, post: AnchorPost, now: datetime) -> AnchorAnswer:
    """Judge and store one posted head. Does not commit."""
    # One judgement at a time per station (PostgreSQL; SQLite writers are serialised by the app's lock).
    session.execute(select(Station.station_id).where(Station.station_id == station_id).with_for_update())
    last = last_accepted(session, station_id)
    status, reason = judge(last, post)
    if status is AnchorStatus.ACCEPTED:
        last = Anchor(
            station_id=station_id,
            status=ACCEPTED,
            seq=post.head.seq,
            hash=post.head.hash,
            proof_seq=post.at_last.seq if post.at_last else None,
            proof_hash=post.at_last.hash if post.at_last else None,
            received_at=now,
            last_seen_at=now,
            times=1,
        )
        session.add(last)
        session.flush()
    elif status is AnchorStatus.REFUSED:
        _flag(session, station_id, post, reason or "refused", now)
    return AnchorAnswer(status=status, reason=reason, last=_accepted(last))


def _flag(session: Session, station_id: str, post: AnchorPost, reason: str, now: datetime) -> None:
    proof_seq = post.at_last.seq if post.at_last else None
    proof_hash = post.at_last.hash if post.at_last else None
    newest = session.scalar(select(Anchor).where(Anchor.station_id == station_id).order_by(Anchor.id.desc()).limit(1))
    if (
        newest is not None
        and newest.status == REFUSED
        and newest.seq == post.head.seq
        and newest.hash == post.head.hash
        and newest.proof_hash == proof_hash
        and newest.proof_seq == proof_seq
    ):
        newest.times += 1  # the same refused head again (every sync): one flag, counted
        newest.last_seen_at = now
    else:
        session.add(
            Anchor(
                station_id=station_id,
                status=REFUSED,
                seq=post.head.seq,
                hash=post.head.hash,
                proof_seq=proof_seq,
                proof_hash=proof_hash,
                reason=reason,
                received_at=now,
                last_seen_at=now,
                times=1,
            )
        )
    logger.warning(
        "station %s: audit chain anchor REFUSED and flagged (head %d): %s", station_id, post.head.seq, reason
    )


def _accepted(row: Anchor | None) -> AcceptedAnchor | None:
    if row is None or row.seq is None or row.hash is None:
        return None
    return AcceptedAnchor(seq=row.seq, hash=row.hash, accepted_at=row.received_at)


def _flag_view(row: Anchor, site: str | None) -> AnchorFlag:
    return AnchorFlag(
        id=row.id,
        station_id=row.station_id,
        site=site,
        status=row.status,
        seq=row.seq,
        hash=row.hash,
        proof_seq=row.proof_seq,
        proof_hash=row.proof_hash,
        reason=row.reason or "",
        first_at=row.received_at,
        last_at=row.last_seen_at,
        times=row.times,
    )


def state(session: Session, station_id: str) -> AnchorState:
    last = last_accepted(session, station_id)
    after = last.id if last is not None else 0
    flags = select(Anchor).where(Anchor.station_id == station_id, Anchor.status == REFUSED, Anchor.id > after)
    count = session.scalar(select(func.count()).select_from(flags.subquery())) or 0
    newest = session.scalar(flags.order_by(Anchor.id.desc()).limit(1))
    site = site_of(session, station_id)
    return AnchorState(
        station_id=station_id,
        last=_accepted(last),
        flags_since_last=count,
        last_flag=_flag_view(newest, site) if newest is not None else None,
        checkpoints=checkpoints(session, station_id) if last is not None else [],
    )


def checkpoints(session: Session, station_id: str, days: int = 400) -> list[AcceptedAnchor]:
    """The first accepted anchor of each UTC day since the last reset (at most `days`), oldest first.

    The last anchor alone can be replaced by whoever holds the station's token (post the stored hash as proof,
    then any head); the anchors of past days cannot, so `audit verify` checks the chain against these too."""
    since = session.scalar(select(func.max(Anchor.id)).where(Anchor.station_id == station_id, Anchor.status == RESET))
    day = (
        func.date(Anchor.received_at) if session.get_bind().dialect.name == "sqlite" else cast(Anchor.received_at, Date)
    )
    firsts = (
        select(func.min(Anchor.id))
        .where(Anchor.station_id == station_id, Anchor.status == ACCEPTED, Anchor.id > (since or 0))
        .group_by(day)
    )
    rows = session.scalars(select(Anchor).where(Anchor.id.in_(firsts)).order_by(Anchor.id.desc()).limit(days)).all()
    return [a for a in (_accepted(r) for r in reversed(rows)) if a is not None]


def flag_list(
    session: Session, *, scope: ColumnElement[bool] | None = None, flagged: bool = True, limit: int = 100
) -> AnchorFlagList:
    """Anchors newest first (``flagged``: only the refused ones); ``scope``: a condition on ``Anchor.station_id``."""
    query = select(Anchor, Station.site).outerjoin(Station, Station.station_id == Anchor.station_id)
    query = query.where(Anchor.status == REFUSED) if flagged else query.where(Anchor.status != RESET)
    if scope is not None:
        query = query.where(scope)
    rows = session.execute(query.order_by(Anchor.id.desc()).limit(limit)).all()
    return AnchorFlagList(flags=[_flag_view(a, site) for a, site in rows])


def router(
    session_dep: Any,
    station_dep: Any,
    admin_dep: Any,
    write_lock: Any,
    clock: Callable[[], datetime],
    responses: dict[int | str, dict],
) -> APIRouter:
    """The anchor endpoints, built with the app's dependencies (see ``create_app``)."""
    api = APIRouter(prefix=API_PREFIX)

    @api.post("/anchors", response_model=AnchorAnswer, responses=responses)
    def post_anchor(body: AnchorPost, who: station_dep, db: session_dep) -> AnchorAnswer:
        """Anchor the station's audit chain head; refused (and flagged) when it does not extend the last one."""
        if body.station_id != who.subject:
            raise HTTPException(403, f"the token belongs to station {who.subject!r}, not {body.station_id!r}")
        with write_lock:
            answer = record_anchor(db, who.subject, body, clock())
            db.commit()
        return answer

    @api.get("/anchors/last", response_model=AnchorState, responses=responses)
    def get_last_anchor(who: station_dep, db: session_dep) -> AnchorState:
        """The last accepted anchor of the calling station, and refusals since (for `packgate audit verify`)."""
        return state(db, who.subject)

    @api.get("/admin/anchors", response_model=AnchorFlagList, responses=responses)
    def list_anchors(
        who: admin_dep,
        db: session_dep,
        flagged: Annotated[bool, Query(description="only refused (flagged) anchors")] = False,
        station: Annotated[StationId | None, Query()] = None,
        limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    ) -> AnchorFlagList:
        """Anchors of all stations (or one), newest first; ``flagged=1``: only the refused ones (admin)."""
        scope = Anchor.station_id == station if station is not None else None
        return flag_list(db, scope=scope, flagged=flagged, limit=limit)

    @api.post("/admin/anchors/{station_id}/reset", response_model=AnchorState, responses=responses)
    def reset_anchor(
        station_id: StationId, who: admin_dep, db: session_dep, note: Annotated[Text, Query(min_length=1)]
    ) -> AnchorState:
        """Accept the station's next head as a fresh start (a rebuilt or restored station); flags stay (admin)."""
        now = clock()
        with write_lock:
            db.add(
                Anchor(
                    station_id=station_id,
                    status=RESET,
                    reason=f"reset by {who.subject}: {note}",
                    received_at=now,
                    last_seen_at=now,
                    times=1,
                )
            )
            db.commit()
        logger.warning("station %s: audit chain anchor reset by %s: %s", station_id, who.subject, note)
        return state(db, station_id)

    @api.get("/site/anchor-flags", response_model=AnchorFlagList, responses=responses)
    def site_anchor_flags(
        who: station_dep, db: session_dep, limit: Annotated[int, Query(ge=1, le=1000)] = 100
    ) -> AnchorFlagList:
        """Refused anchors of the stations in the caller's site (only its own without a site), newest first."""
        _site, scope = site_scope(db, who.subject, Anchor.station_id)
        return flag_list(db, scope=scope, flagged=True, limit=limit)

    return api
