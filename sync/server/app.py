"""The FastAPI application of the central remediation service (wire v1, under ``/api/v1``).

``create_app(db_url)`` builds the app; the engine is created and the Alembic migrations run in the
lifespan (not at import or construction), so exporting the OpenAPI document needs no database.

Limits come before work (``sync.server.limits.GuardMiddleware``): the token is checked and failed
attempts are rate-limited before the body is read, and the body is capped as it streams.

``/docs`` and ``/openapi.json`` are served without a token by default: they describe the wire format,
which is public in the repository anyway (sync/PROTOCOL.md, sync/openapi.json), hold no data, and are
what an integrator reads first. ``docs=False`` (``packgate-central serve --no-docs``) turns them off
for a deployment that wants no unauthenticated surface but ``/api/v1/health``.

Handlers are plain ``def``: FastAPI runs them in its thread pool, which suits the blocking SQLAlchemy
session, one per request, committed once.
"""

# No "from __future__ import annotations": FastAPI resolves the handler annotations, some of which are
# aliases local to create_app().

import contextlib
import gc
import json
import logging
import threading
import time
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta
from typing import Annotated

from fastapi import Depends, FastAPI, HTTPException, Query, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from sync.server import anchors, console, evidence, incident_api, ingest, metrics, orders, resolution, webhook_api
from sync.server import health as health_probes
from sync.server import site as site_view
from sync.server.blobs import BlobStore, FileBlobStore, default_blob_dir
from sync.server.db import make_engine, make_session_factory, retry_later, upgrade
from sync.server.dispatch import RetryPolicy, WebhookDispatcher
from sync.server.limits import (
    DEFAULT_AUTH_BURST,
    DEFAULT_AUTH_PER_SECOND,
    DEFAULT_MAX_BODY_BYTES,
    FailedAuthLimiter,
    GuardMiddleware,
)
from sync.server.responses import AUTH_RESPONSES, ERROR_BODY
from sync.server.tokens import ADMIN, METRICS, STATION, Principal
from sync.wire import API_PREFIX, WIRE_VERSION
from sync.wire.events import BatchResult, EventBatch
from sync.wire.kpis import Health
from sync.wire.orders import MAX_ORDERS_PAGE, OrdersPage, OrdersUpsert, OrdersUpsertResult

logger = logging.getLogger(__name__)

Clock = Callable[[], datetime]

_bearer = HTTPBearer(auto_error=False, description="Station or admin token from `packgate-central token issue`.")


def _retry_later_response(exc: DBAPIError) -> JSONResponse:
    # Locked, deadlocked, or the database went away: the whole request was rolled back, so the
    # client must retry; a 5xx-with-Retry-After tells the station's drain loop exactly that.
    logger.warning("database unavailable: %s", exc.orig)
    return JSONResponse(
        {"detail": "database busy or unavailable, retry later"}, status_code=503, headers={"Retry-After": "1"}
    )


def _utcnow() -> datetime:
    return datetime.now(UTC)


_frozen: list[bool] = []


def freeze_startup_objects() -> None:
    """Once per process, when the service is up: move the objects alive now (modules, the ORM's and the
    templates' machinery) out of the garbage collector's sight. Without it every full collection walked
    them all, pausing a request for ~130 ms: measured as the KPI page's p95 (231 ms against 96 ms with it,
    docs/changes/2026-12-02-kpi-page.md). Objects made later are collected as usual."""
    if not _frozen:
        _frozen.append(True)
        gc.collect()
        gc.freeze()


def create_app(
    db_url: str,
    *,
    clock: Clock = _utcnow,
    migrate: bool = True,
    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES,
    auth_burst: int = DEFAULT_AUTH_BURST,
    auth_per_second: float = DEFAULT_AUTH_PER_SECOND,
    docs: bool = True,
    console_idle_timeout: timedelta = console.DEFAULT_IDLE_TIMEOUT,
    blobs: BlobStore | None = None,
    webhook_policy: RetryPolicy | None = None,
    webhook_private_targets: bool = False,
) -> FastAPI:
    """Build the service for ``db_url``. ``clock`` is injectable so tests can pin "now" for due times.

    ``max_body_bytes`` caps every request body; ``auth_burst``/``auth_per_second`` size the per-address
    budget of failed authentications (see ``sync.server.limits``); ``docs`` serves /docs and
    /openapi.json without a token; ``console_idle_timeout`` signs a console session out after that long
    without a request (the web console, ``sync.server.console``, under /console/).
    ``blobs`` stores evidence images (default: ``blobs/`` beside an SQLite database); ``webhook_policy`` is
    the webhook dispatcher's retry schedule and timeout; ``webhook_private_targets`` lets webhooks go to
    private and loopback addresses (see ``sync.server.webhook_targets``)."""
    state: dict[str, sessionmaker[Session]] = {}
    blob_store: list[BlobStore] = [blobs] if blobs is not None else []
    dispatcher: list[WebhookDispatcher] = []
    # SQLite allows one writer; its busy handler retries by sleeping, which starves unlucky requests
    # (a 3 s p99 in bench_central). A process-wide lock queues writers fairly instead.
    write_lock: threading.Lock | contextlib.nullcontext[None] = (
        threading.Lock() if db_url.startswith("sqlite") else contextlib.nullcontext()
    )

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        engine = make_engine(db_url)
        if migrate:
            upgrade(engine)
        state["sessions"] = make_session_factory(engine)
        if not blob_store:
            blob_store.append(FileBlobStore(default_blob_dir(db_url)))
        dispatcher[:] = [
            WebhookDispatcher(
                state["sessions"], webhook_policy, write_lock=write_lock, private_targets=webhook_private_targets
            )
        ]
        dispatcher[0].start()
        freeze_startup_objects()
        logger.info("central service ready on %s", engine.url.render_as_string(hide_password=True))
        try:
            yield
        finally:
            dispatcher[0].stop()
            engine.dispose()

    def wake_dispatcher() -> None:
        if dispatcher:
            dispatcher[0].wake()

    app = FastAPI(
        title="PackGate central remediation service",
        version=f"{WIRE_VERSION}.0",
        description="Wire format v1: see sync/PROTOCOL.md.",
        lifespan=lifespan,
        # FastAPI's own paths, or none when the docs are off.
        docs_url="/docs" if docs else None,
        redoc_url="/redoc" if docs else None,
        openapi_url="/openapi.json" if docs else None,
    )
    public = {f"{API_PREFIX}/health", *health_probes.PATHS, "/", "/favicon.ico", console.PREFIX}
    limiter = FailedAuthLimiter(auth_burst, auth_per_second)  # shared with the console's sign-in
    figures = metrics.CentralMetrics(lambda: state["sessions"], clock)
    if docs:
        public |= {"/docs", "/docs/oauth2-redirect", "/redoc", "/openapi.json"}
    app.add_middleware(
        GuardMiddleware,
        sessions=lambda: state["sessions"],
        public_paths=public,
        public_prefixes=(console.PREFIX + "/",),
        max_body_bytes=max_body_bytes,
        limiter=limiter,
        scope_check=resolution.scope_check,
    )

    @app.exception_handler(RequestValidationError)
    async def _invalid_request(_request: Request, exc: RequestValidationError) -> Response:
        # FastAPI's own handler echoes the input, and a lone surrogate in it cannot be encoded as UTF-8:
        # the 422 became a 500. ASCII-escaped JSON can carry any string.
        body = json.dumps({"detail": jsonable_encoder(exc.errors())}, ensure_ascii=True)
        return Response(body, status_code=422, media_type="application/json")

    @app.exception_handler(OperationalError)
    async def _db_unavailable(_request: Request, exc: OperationalError) -> JSONResponse:
        return _retry_later_response(exc)

    @app.exception_handler(DBAPIError)
    async def _db_error(_request: Request, exc: DBAPIError) -> JSONResponse:
        if retry_later(exc):  # serialization failure, deadlock
            return _retry_later_response(exc)
        sqlstate = getattr(exc.orig, "sqlstate", "") or ""
        if sqlstate.startswith("22"):  # data exception: a value validation should have refused
            logger.error("the database refused a value: %s", exc.orig)
            return JSONResponse(
                {"detail": f"a value cannot be stored: {str(exc.orig).splitlines()[0][:300]}"}, status_code=422
            )
        raise exc

    def session() -> Iterator[Session]:
        with state["sessions"]() as s:
            yield s

    SessionDep = Annotated[Session, Depends(session)]

    def principal(
        request: Request, creds: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]
    ) -> Principal:
        # Verified by GuardMiddleware before the body was read; ``creds`` only documents the scheme.
        found = getattr(request.state, "principal", None)
        if not isinstance(found, Principal):
            raise HTTPException(401, "missing, unknown or revoked token", headers={"WWW-Authenticate": "Bearer"})
        return found

    def station_principal(who: Annotated[Principal, Depends(principal)]) -> Principal:
        if who.kind != STATION:
            raise HTTPException(403, "this endpoint takes a station token")
        return who

    def admin_principal(who: Annotated[Principal, Depends(principal)]) -> Principal:
        if who.kind != ADMIN:
            raise HTTPException(403, "this endpoint takes an admin token")
        return who

    StationDep = Annotated[Principal, Depends(station_principal)]
    AdminDep = Annotated[Principal, Depends(admin_principal)]

    @app.get(f"{API_PREFIX}/health", response_model=Health, responses={503: AUTH_RESPONSES[503]})
    def health(db: SessionDep) -> Health:
        """Liveness and database reachability; no token needed."""
        db.execute(text("SELECT 1"))
        return Health(status="ok", wire_version=WIRE_VERSION, database=db.get_bind().dialect.name)

    @app.post(f"{API_PREFIX}/events", response_model=BatchResult, responses=AUTH_RESPONSES)
    def post_events(batch: EventBatch, who: StationDep, db: SessionDep) -> BatchResult:
        """Store a batch of events; each is validated on its own and stored once (idempotent on event_id)."""
        if batch.station_id != who.subject:
            raise HTTPException(403, f"the token belongs to station {who.subject!r}, not {batch.station_id!r}")
        started = time.perf_counter()
        with write_lock:
            result = ingest.ingest_batch(db, who.subject, batch, clock())
            db.commit()
        figures.observe_batch(result, time.perf_counter() - started)
        if db.info.pop(ingest.DELIVERIES_QUEUED, False):  # only a batch that queued a delivery wakes it
            wake_dispatcher()
        return result

    @app.get(
        resolution.METRICS_PATH,
        response_class=Response,
        responses={**AUTH_RESPONSES, 200: {"content": {"text/plain": {}}, "description": "Prometheus text format."}},
    )
    def get_metrics(who: Annotated[Principal, Depends(principal)]) -> Response:
        """Central's figures for Prometheus (metrics or admin token); see sync/server/metrics.py."""
        if who.kind not in (ADMIN, METRICS):
            raise HTTPException(403, "/metrics takes a metrics or an admin token")
        return Response(figures.render(), media_type=metrics.CONTENT_TYPE)

    @app.get(
        f"{API_PREFIX}/orders",
        response_model=OrdersPage,
        responses={**AUTH_RESPONSES, 422: {"description": "Bad cursor or limit.", **ERROR_BODY}},
    )
    def get_orders(
        who: Annotated[Principal, Depends(principal)],
        db: SessionDep,
        cursor: Annotated[str | None, Query(max_length=40, description="Opaque; from the previous page.")] = None,
        limit: Annotated[int, Query(ge=1, le=MAX_ORDERS_PAGE)] = 100,
    ) -> OrdersPage:
        """Orders created or changed after ``cursor``, oldest change first."""
        try:
            return orders.orders_since(db, cursor, limit, site=_order_scope(db, who))
        except orders.CursorError as exc:
            raise HTTPException(422, str(exc)) from exc

    def _order_scope(db: Session, who: Principal) -> str | None | orders.AllSites:
        """A station reads only its own site's orders (a station without a site: orders without one)."""
        return orders.ALL_SITES if who.kind == ADMIN else site_view.site_of(db, who.subject)

    @app.put(
        f"{API_PREFIX}/orders",
        response_model=OrdersUpsertResult,
        responses={
            **AUTH_RESPONSES,
            422: {"description": "An order a station would refuse; nothing stored.", **ERROR_BODY},
        },
    )
    def put_orders(body: OrdersUpsert, who: AdminDep, db: SessionDep) -> OrdersUpsertResult:
        """Create or replace orders of one site (admin); each change gets a new revision so station cursors
        see it. Refused whole, with every problem, when any order breaks the station's order-file rules."""
        problems = orders.order_file_problems(body.orders)
        if problems:
            raise HTTPException(422, problems)
        with write_lock:
            result = orders.upsert_orders(db, body.orders, clock(), site=body.site)
            db.commit()
        return result

    app.include_router(
        incident_api.router(
            SessionDep, StationDep, AdminDep, write_lock, lambda: clock(), wake_dispatcher, AUTH_RESPONSES
        )
    )
    app.include_router(
        evidence.router(SessionDep, StationDep, AdminDep, lambda: blob_store[0], write_lock, clock, AUTH_RESPONSES)
    )
    app.include_router(health_probes.router(lambda: state["sessions"]))
    app.include_router(webhook_api.router(SessionDep, AdminDep, AUTH_RESPONSES))
    app.include_router(resolution.router(SessionDep, principal, AUTH_RESPONSES))
    app.include_router(anchors.router(SessionDep, StationDep, AdminDep, write_lock, lambda: clock(), AUTH_RESPONSES))
    console.mount(
        app,
        sessions=lambda: state["sessions"],
        write_lock=write_lock,
        clock=clock,
        idle_timeout=console_idle_timeout,
        limiter=limiter,
        blobs=lambda: blob_store[0] if blob_store else None,
        wake_dispatcher=wake_dispatcher,
    )
    return app
