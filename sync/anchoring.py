"""The station side of audit-chain anchoring (see `sync.server.anchors` for what central checks and why).

After a drain has emptied the outbox, `Anchorer.anchor()` posts the chain head with the hash the chain now
has at the last head central accepted. It runs on its own endpoint (``POST /api/v1/anchors``), not inside
the event batch: the chain moves with every scan while most scans send no event, so a station must be able
to anchor with nothing to send; and a refused anchor must never hold back the events (the evidence is still
worth having). A central service without the endpoint (404) only means "not anchored", logged once.

At most one anchor per ``min_interval`` seconds unless forced (``packgate sync run``), so a busy bench does
not write a row at central every few seconds; the head a person sees as "anchored" is at most that old.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

import httpx
from pydantic import ValidationError
from sqlalchemy.orm import Session, sessionmaker

from station import audit
from sync.anchors import AcceptedAnchor, AnchorAnswer, AnchorPost, AnchorState, AnchorStatus, ChainHead, ChainProof
from sync.transport import unreachable, unreadable

logger = logging.getLogger(__name__)

DEFAULT_MIN_INTERVAL_S = 30.0


class AnchorError(RuntimeError):
    """Central could not be asked (network, auth, an old central without anchors); the message says why."""

    def __init__(self, message: str, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status


class Anchorer:
    def __init__(
        self,
        http: httpx.Client,
        sessions: sessionmaker[Session],
        station_id: str,
        min_interval: float = DEFAULT_MIN_INTERVAL_S,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self._http = http
        self._sessions = sessions
        self._station_id = station_id
        self._min_interval = min_interval
        self._monotonic = monotonic
        # Central's last accepted anchor as last heard (None: none heard of yet, so ask central first).
        self._last: AcceptedAnchor | None = None
        self._tried_at: float | None = None
        self._unsupported = False

    def last_state(self) -> AnchorState:
        """``GET /anchors/last``: central's last accepted anchor for this station; raises `AnchorError`."""
        response = self._request("GET", "/anchors/last")
        try:
            found = AnchorState.model_validate_json(response.content)
        except ValidationError as exc:
            raise AnchorError(unreadable(exc)) from exc
        self._last = found.last
        return found

    def anchor(self, force: bool = False) -> AnchorStatus | None:
        """Post the head if it moved (and the interval passed, unless `force`). Never raises: returns the
        status, or None when nothing was posted (or it could not be)."""
        now = self._monotonic()
        if self._unsupported and not force:
            return None
        if not force and self._tried_at is not None and now - self._tried_at < self._min_interval:
            return None
        self._tried_at = now
        try:
            return self._anchor()
        except AnchorError as exc:
            if exc.status == 404:
                if not self._unsupported:
                    logger.warning(
                        "the central service does not take audit anchors (HTTP 404): this station's audit "
                        "trail is not anchored; upgrade the central service"
                    )
                self._unsupported = True
            else:
                logger.warning("audit chain not anchored this time: %s", exc)
            return None

    def _anchor(self) -> AnchorStatus | None:
        with self._sessions() as s:
            head = audit.head(s)
        if head is None:
            return None
        if self._last is not None and (self._last.seq, self._last.hash) == head:
            return AnchorStatus.UNCHANGED
        if self._last is None:
            self.last_state()
        answer = self._post(head)
        if answer.status is AnchorStatus.STALE:  # another process anchored meanwhile: prove the new one
            self._last = answer.last
            answer = self._post(head)
        self._last = answer.last  # central's last accepted anchor, whatever the answer (a stale one too)
        if answer.status is AnchorStatus.REFUSED:
            logger.error(
                "the central service REFUSED this station's audit chain head %d and flagged it: %s",
                head[0],
                answer.reason,
            )
        else:
            logger.debug("audit chain head %d anchored: %s", head[0], answer.status.value)
        return answer.status

    def _post(self, head: tuple[int, str]) -> AnchorAnswer:
        proof = None
        if self._last is not None:
            with self._sessions() as s:
                proof = ChainProof(seq=self._last.seq, hash=audit.hash_at(s, self._last.seq))
        body = AnchorPost(station_id=self._station_id, head=ChainHead(seq=head[0], hash=head[1]), at_last=proof)
        response = self._request("POST", "/anchors", json=body.model_dump(mode="json"))
        try:
            return AnchorAnswer.model_validate_json(response.content)
        except ValidationError as exc:
            raise AnchorError(unreadable(exc)) from exc

    def _request(self, method: str, path: str, **kwargs: object) -> httpx.Response:
        try:
            response = self._http.request(method, path, **kwargs)  # type: ignore[arg-type]
        except httpx.TransportError as exc:
            raise AnchorError(unreachable(exc, str(self._http.base_url))[1]) from exc
        if response.status_code != 200:
            raise AnchorError(
                f"HTTP {response.status_code} from the central service: {response.text[:200]}", response.status_code
            )
        return response
