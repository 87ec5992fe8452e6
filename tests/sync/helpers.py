"""Helpers of the sync tests: fill a station's outbox, read the central store, a faulty reverse proxy.

The proxy is a real HTTP server on 127.0.0.1 that forwards to the real central service with httpx and,
per request, may answer 500 without forwarding, or forward and then cut the connection before the
answer (the server stored the batch, the station never hears so: the case idempotency exists for).
With ``fail_if`` it answers 500 to every request whose body matches (a poison event: a server that
fails on one event, as PostgreSQL did on a NUL).
"""

from __future__ import annotations

import contextlib
import logging
import threading
import uuid
from collections.abc import Callable, Iterator
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx
from sqlalchemy import select

from rules import events
from station import bindings, outbox
from station.db import Database
from station.orm import OutboxRecord
from sync.server.db import make_engine
from sync.server.models import Event

logger = logging.getLogger(__name__)

FORWARD = "forward"
FAIL_500 = "500"
DROP_AFTER = "drop-after"  # forward, let the server commit, then close without an answer
Plan = Callable[[int], str]


def fill_outbox(db: Database, count: int, *, start_minutes: int = 0) -> list[str]:
    """Write ``count`` realistic events (incident opened/cleared, pack sealed, in that rhythm) in one
    transaction, with the typed payloads ``station.service`` writes; returns their event ids."""
    from station.clock import SystemClock

    base = SystemClock().now() - timedelta(minutes=start_minutes)
    ids: list[str] = []
    with db.session() as s:
        for i in range(count):
            at = base + timedelta(milliseconds=i)
            order_id = f"SO-{i // 3:06d}"
            incident_id = uuid.uuid5(uuid.NAMESPACE_URL, f"{order_id}-{base.isoformat()}")
            payload: events.EventPayload
            if i % 3 == 0:
                payload = events.IncidentOpened(
                    incident_id=incident_id,
                    order_id=order_id,
                    kind=events.IncidentKind.WRONG_ITEM,
                    code="4006381333931",
                    packer_id="P-1",
                    detected_at=at,
                    expected=[events.ExpectedLine(sku="SKU-1", description="Mug", ordered=2, scanned=1)],
                    suggested_remediation="swap the item",
                )
            elif i % 3 == 1:
                payload = events.IncidentCleared(
                    incident_id=incident_id,
                    order_id=order_id,
                    supervisor_id="SUP-1",
                    resolution=events.ClearResolution.ITEM_SWAPPED,
                    reason="right mug packed",
                    cleared_at=at,
                )
            else:
                payload = events.PackSealed(
                    order_id=order_id,
                    packer_id="P-1",
                    sealed_at=at,
                    lines=[events.SealedLine(sku="SKU-1", ordered=2, scanned=2)],
                )
            ids.append(outbox.enqueue(s, payload, at).event_id)
    return ids


def enqueue_raw(db: Database, type_: str, payload: dict) -> str:
    """One outbox row with an arbitrary (possibly malformed) type and payload, written as an older version
    or an edit on disk would leave it: straight into the table, past the typed payloads."""
    from station.clock import SystemClock

    with db.session() as s:
        record = OutboxRecord(
            event_id=str(uuid.uuid4()),
            type=type_,
            occurred_at=SystemClock().now(),
            payload=payload,
            status="pending",
            attempts=0,
        )
        s.add(record)
        bindings.track(s, record)
        s.flush()
        return record.event_id


def outbox_statuses(db: Database) -> dict[str, str]:
    """event_id -> pending/sent/parked."""
    with db.sessions() as s:
        return {eid: status for eid, status in s.execute(select(OutboxRecord.event_id, OutboxRecord.status))}


def central_event_ids(db_url: str, station_id: str = "ST-1") -> list[str]:
    """Every stored event id of the station, with repeats if there were any (there must not be)."""
    engine = make_engine(db_url)
    try:
        with engine.connect() as conn:
            return [str(u) for u in conn.scalars(select(Event.event_id).where(Event.station_id == station_id))]
    finally:
        engine.dispose()


class FaultyProxy:
    """A threaded reverse proxy on 127.0.0.1; ``plan(n)`` decides the fate of the n-th request (1-based)."""

    def __init__(
        self,
        upstream: str,
        plan: Plan,
        fail_if: Callable[[bytes], bool] | None = None,
        route: Callable[[str, str], str | None] | None = None,
    ) -> None:
        self.upstream = upstream
        self.plan = plan
        self.fail_if = fail_if
        self.route = route  # (method, path) -> a fate, or None for the plan's
        self.requests: list[tuple[str, str, int]] = []  # (method, path, status answered)
        self.counts: dict[str, int] = {FORWARD: 0, FAIL_500: 0, DROP_AFTER: 0}
        self._n = 0
        self._lock = threading.Lock()
        self._http = httpx.Client(base_url=upstream, timeout=30)
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                proxy._handle(self)

            def do_POST(self) -> None:
                proxy._handle(self)

            def do_PUT(self) -> None:
                proxy._handle(self)

            def log_message(self, fmt: str, *args: object) -> None:
                logger.debug("proxy: " + fmt, *args)

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"
        self._thread = threading.Thread(target=self._server.serve_forever, name="test-faulty-proxy", daemon=True)

    def _handle(self, req: BaseHTTPRequestHandler) -> None:
        length = int(req.headers.get("Content-Length") or 0)
        body = req.rfile.read(length) if length else None
        with self._lock:
            self._n += 1
            fate = self.plan(self._n)
            if self.route is not None:
                fate = self.route(req.command, req.path) or fate
            if self.fail_if is not None and body is not None and self.fail_if(body):
                fate = FAIL_500
            self.counts[fate] += 1
        if fate == FAIL_500:
            self.requests.append((req.command, req.path, 500))
            body = b'{"detail": "injected failure"}'
            req.send_response(500)
            req.send_header("Content-Type", "application/json")
            req.send_header("Content-Length", str(len(body)))
            req.end_headers()
            req.wfile.write(body)
            return
        headers = {k: v for k, v in req.headers.items() if k.lower() in ("authorization", "content-type")}
        upstream = self._http.request(req.command, req.path, content=body, headers=headers)
        self.requests.append((req.command, req.path, upstream.status_code))
        if fate == DROP_AFTER:
            req.close_connection = True  # the server has committed; the station never learns it
            return
        req.send_response(upstream.status_code)
        for key in ("Content-Type", "Retry-After", "WWW-Authenticate"):
            if key in upstream.headers:
                req.send_header(key, upstream.headers[key])
        req.send_header("Content-Length", str(len(upstream.content)))
        req.end_headers()
        req.wfile.write(upstream.content)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(10)
        self._http.close()


@contextlib.contextmanager
def faulty_proxy(
    upstream: str,
    plan: Plan,
    fail_if: Callable[[bytes], bool] | None = None,
    route: Callable[[str, str], str | None] | None = None,
) -> Iterator[FaultyProxy]:
    proxy = FaultyProxy(upstream, plan, fail_if, route)
    proxy.start()
    try:
        yield proxy
    finally:
        proxy.stop()
