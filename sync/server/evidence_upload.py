"""The upload half of evidence at central: ``PUT /api/v1/evidence/{sha256}`` streamed into a partial, and
``GET /api/v1/evidence/{sha256}/upload`` saying how much of it central holds. Resumable after a failure.

Every upload is streamed, as it arrives, into this station's partial of that hash (the blob store's
staging area, ``sync/server/blob_partials.py``), never held whole in memory by the guard. When the
connection breaks halfway (a station's Wi-Fi, a proxy's timeout, a restart of the station) the bytes that
arrived stay there. The station asks ``GET …/upload`` → ``{"received": N}`` and sends only the rest with
``Content-Range: bytes N-<last>/<total>``. Without ``Content-Range`` a PUT starts again at byte 0.

The blob is only accepted once the partial holds ``total`` bytes and those bytes, all of them, hash to the
path's SHA-256 and pass the image check (``sync.server.evidence``): a wrong tail, or a prefix that was not
what the station thinks, is **422** and the partial is discarded (the station then sends from byte 0 once).

Answers besides the ones of ``sync.server.evidence``: **202** (a ``Content-Range`` part that does not end
the file: ``{"received": N, …}``), **416** (the part does not start where the partial ends: the
``Upload-Offset`` header says where it does), **423** (an upload of the same bytes from the same station is
streaming right now: retry later), **413** (a declared total or a partial over the evidence cap: the
partial is discarded).
"""

# No "from __future__ import annotations": FastAPI resolves the handler annotations (aliases passed in).

import logging
import re
import uuid
from collections.abc import Callable
from datetime import datetime
from typing import Annotated, Any

import anyio.to_thread
from fastapi import APIRouter, Header, HTTPException, Query, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session
from starlette.requests import ClientDisconnect

from sync.evidence_wire import (
    EVIDENCE_PATH,
    UPLOAD_OFFSET_HEADER,
    UPLOAD_SUFFIX,
    EvidenceOutcome,
    EvidenceStored,
    EvidenceUploadStatus,
)
from sync.server.blob_partials import Partial, PartialBusy
from sync.server.blobs import SHA256_HEX, BlobStore
from sync.server.evidence import EvidenceRefused, check_link, prepare_evidence, record_evidence
from sync.server.models import EvidenceBlob
from sync.server.responses import ERROR_BODY

logger = logging.getLogger(__name__)

#: Seconds without a byte after which an upload counts as cut (its partial kept, its lock released).
STALL_S = 30.0

_RANGE = re.compile(r"^bytes (\d{1,12})-(\d{1,12})/(\d{1,12})$")

_IMAGE_BODY = {
    "requestBody": {
        "required": True,
        "content": {t: {"schema": {"type": "string", "format": "binary"}} for t in ("image/jpeg", "image/png")},
    }
}


def parse_content_range(value: str | None) -> tuple[int, int, int] | None:
    """``(first, last, total)`` of ``Content-Range: bytes first-last/total``; None without the header."""
    if value is None:
        return None
    found = _RANGE.match(value.strip())
    if found is None:
        raise EvidenceRefused(422, "Content-Range must read 'bytes <first>-<last>/<total>'")
    first, last, total = (int(g) for g in found.groups())
    if not first <= last < total:
        raise EvidenceRefused(422, f"Content-Range {value!r}: need first <= last < total")
    return first, last, total


def _refused(
    exc: EvidenceRefused, station_id: str, sha256: str, headers: dict[str, str] | None = None
) -> HTTPException:
    logger.warning("station %s: evidence %s refused: %s", station_id, sha256[:64], exc)
    return HTTPException(exc.status_code, str(exc), headers=headers)


def router(
    session_dep: Any,
    station_dep: Any,
    blobs: Callable[[], BlobStore],
    write_lock: Any,
    clock: Callable[[], datetime],
    responses: dict[int | str, dict],
) -> APIRouter:
    api = APIRouter()  # included by sync.server.evidence.router, under its API_PREFIX

    def finish(db: Session, station_id: str, sha256: str, data: bytes, incident_id: uuid.UUID | None) -> EvidenceStored:
        image = prepare_evidence(db, blobs(), station_id, sha256, data, incident_id)
        db.rollback()  # end the read: the write starts afresh under the lock (an SQLite snapshot could not)
        with write_lock:
            answer = record_evidence(db, station_id, sha256, len(data), image, incident_id, clock())
            db.commit()
        return answer

    def first_checks(db: Session, station_id: str, sha256: str, incident_id: uuid.UUID | None) -> None:
        if incident_id is not None:
            check_link(db, station_id, sha256, incident_id)  # refused before a byte is read
        db.rollback()

    async def stream_into(request: Request, partial: Partial, expected: int | None) -> bool:
        """Append the body to ``partial``; False when the station went away halfway (what came is kept)."""
        got = 0
        chunks = request.stream().__aiter__()
        try:
            while True:
                # A station that vanished without a FIN or RST (Wi-Fi gone) would hold the partial's lock
                # for as long as the socket lives: a stalled body counts as a cut one.
                with anyio.move_on_after(STALL_S) as waited:
                    try:
                        chunk = await chunks.__anext__()
                    except StopAsyncIteration:
                        break
                if waited.cancelled_caught:
                    logger.warning("evidence upload stalled for %.0f s: treated as cut", STALL_S)
                    raise ClientDisconnect
                if len(chunk) > partial.room():
                    raise EvidenceRefused(
                        413,
                        f"request body too large; the limit is {partial.max_bytes} bytes: "
                        "an evidence image may not be larger",
                    )
                if expected is not None and got + len(chunk) > expected:
                    raise EvidenceRefused(422, "more bytes than Content-Range names")
                partial.append(chunk)
                got += len(chunk)
        except ClientDisconnect:
            await anyio.to_thread.run_sync(partial.sync)
            return False
        return True

    @api.put(
        EVIDENCE_PATH + "/{sha256}",
        response_model=EvidenceStored,
        status_code=201,
        openapi_extra=_IMAGE_BODY,
        responses={
            **responses,
            200: {"description": "The same bytes were stored already: nothing written.", "model": EvidenceStored},
            202: {"description": "A part that does not end the file: kept.", "model": EvidenceUploadStatus},
            409: {"description": "The incident already has other evidence.", **ERROR_BODY},
            415: {"description": "Not a JPEG or PNG that decodes; nothing stored.", **ERROR_BODY},
            416: {"description": "The part does not start where the partial ends (see Upload-Offset).", **ERROR_BODY},
            422: {"description": "Bad hash in the path, empty body, or the bytes hash otherwise.", **ERROR_BODY},
            423: {"description": "An upload of these bytes from this station is in progress.", **ERROR_BODY},
        },
    )
    async def put_evidence(
        sha256: str,
        request: Request,
        who: station_dep,
        db: session_dep,
        incident_id: Annotated[uuid.UUID | None, Query(description="The incident this is the evidence of.")] = None,
        content_range: Annotated[
            str | None, Header(description="`bytes <first>-<last>/<total>`: the rest of an interrupted upload.")
        ] = None,
    ) -> Response:
        """Store an incident's evidence image, addressed by its SHA-256 (station token). Idempotent and
        resumable: see sync/PROTOCOL.md."""
        sha256 = sha256.lower()
        station_id = who.subject
        store = blobs()
        try:
            if not SHA256_HEX.match(sha256):
                raise EvidenceRefused(422, "the path must end in the image's SHA-256: 64 lower-case hex characters")
            part = parse_content_range(content_range)
            declared = request.headers.get("content-length")
            if part is not None and (declared is None or int(declared) != part[1] - part[0] + 1):
                raise EvidenceRefused(422, "Content-Length must equal the size of the Content-Range part")
            total = part[2] if part is not None else (int(declared) if declared is not None else None)
            await anyio.to_thread.run_sync(first_checks, db, station_id, sha256, incident_id)
        except EvidenceRefused as exc:
            raise _refused(exc, station_id, sha256) from exc
        try:
            with store.partials.hold(station_id, sha256) as partial:
                try:
                    if part is None:
                        partial.restart()
                    elif part[0] != partial.size:
                        held = partial.size
                        raise _refused(
                            EvidenceRefused(416, f"central holds {held} bytes of this upload: send from byte {held}"),
                            station_id,
                            sha256,
                            {UPLOAD_OFFSET_HEADER: str(held)},
                        )
                    if total is not None and total > partial.max_bytes:
                        raise EvidenceRefused(
                            413,
                            f"request body too large ({total} bytes); the limit is {partial.max_bytes} bytes: "
                            "an evidence image may not be larger",
                        )
                    if not await stream_into(request, partial, None if part is None else part[1] - part[0] + 1):
                        logger.info(
                            "station %s: evidence %s upload cut at %d bytes; kept for a resume",
                            station_id,
                            sha256[:12],
                            partial.size,
                        )
                        return Response(status_code=400)  # nobody is listening any more
                    held = partial.size
                    if total is not None and held < total:
                        await anyio.to_thread.run_sync(partial.sync)
                        status = EvidenceUploadStatus(sha256=sha256, received=held, stored=False)
                        return Response(status.model_dump_json(), status_code=202, media_type="application/json")
                    data = await anyio.to_thread.run_sync(partial.read)
                    answer = await anyio.to_thread.run_sync(finish, db, station_id, sha256, data, incident_id)
                except EvidenceRefused as exc:
                    partial.discard()  # the bytes were judged: a resume of them could only fail again
                    db.rollback()
                    raise _refused(exc, station_id, sha256) from exc
                partial.discard()
        except PartialBusy as exc:
            raise HTTPException(423, f"{exc}: retry in a moment", headers={"Retry-After": "5"}) from exc
        status_code = 201 if answer.outcome is EvidenceOutcome.STORED else 200
        return Response(answer.model_dump_json(), status_code=status_code, media_type="application/json")

    @api.get(EVIDENCE_PATH + "/{sha256}" + UPLOAD_SUFFIX, response_model=EvidenceUploadStatus, responses=responses)
    def upload_status(sha256: str, who: station_dep, db: session_dep) -> EvidenceUploadStatus:
        """How many bytes of this station's upload of ``sha256`` central holds, or whether it is stored."""
        sha256 = sha256.lower()
        if not SHA256_HEX.match(sha256):
            raise HTTPException(422, "the path must end in the image's SHA-256: 64 lower-case hex characters")
        store = blobs()
        stored = db.get(EvidenceBlob, sha256) is not None and store.exists(sha256)
        return EvidenceUploadStatus(
            sha256=sha256,
            received=0 if stored else store.partials.received(station_id=who.subject, sha256=sha256),
            stored=stored,
        )

    return api
