"""``packgate-central serve --workers N``: N uvicorn worker processes on one port, over one PostgreSQL.

Every worker is a whole central service (``create_app``); they share nothing but the database, which is
what makes them safe to multiply: each event is stored once by the events table's primary key, a case
moves by a conditional UPDATE on its version, a webhook delivery is claimed by a conditional UPDATE, and
the schema is migrated once by the parent before the workers start (and under an advisory lock,
``sync.server.db.upgrade``, when separate processes start at once).

SQLite is refused: it allows one writer, and a single process queues its writers fairly with a process lock
(``sync.server.app``); N processes would fight over the file lock with sleeps instead.

What each worker keeps for itself: the failed-authentication budget per address (so with N workers an
address gets up to N times the burst before a 429) and its webhook dispatcher thread (the claims keep
them from sending one delivery twice).

The options reach the workers (which uvicorn starts by importing ``FACTORY``) as JSON in the environment
variable ``PACKGATE_CENTRAL_SERVE``.
"""

from __future__ import annotations

import json
import logging
import os
from dataclasses import asdict, dataclass
from datetime import timedelta
from pathlib import Path

from fastapi import FastAPI

from sync.server.blobs import FileBlobStore

logger = logging.getLogger(__name__)

ENV_VAR = "PACKGATE_CENTRAL_SERVE"
FACTORY = "sync.server.workers:worker_app"
MAX_WORKERS = 64
#: Seconds a worker has to start serving (and to answer uvicorn's liveness pings) before it is replaced.
START_TIMEOUT_S = 60


@dataclass(frozen=True)
class AppOptions:
    """What ``serve`` passes to ``create_app``, in a form that survives the trip to a worker process."""

    db_url: str
    max_body_bytes: int
    docs: bool
    console_idle_minutes: float
    blob_dir: str | None = None
    webhook_private_targets: bool = False

    def app(self, *, migrate: bool = True) -> FastAPI:
        from sync.server.app import create_app

        return create_app(
            self.db_url,
            migrate=migrate,
            max_body_bytes=self.max_body_bytes,
            docs=self.docs,
            console_idle_timeout=timedelta(minutes=self.console_idle_minutes),
            blobs=FileBlobStore(Path(self.blob_dir)) if self.blob_dir else None,
            webhook_private_targets=self.webhook_private_targets,
        )


def refusal(db_url: str, workers: int) -> str | None:
    """Why ``--workers`` cannot be used with ``db_url``, or None."""
    if not 1 <= workers <= MAX_WORKERS:
        return f"--workers must be between 1 and {MAX_WORKERS}, got {workers}"
    if workers > 1 and db_url.startswith("sqlite"):
        return (
            "--workers needs PostgreSQL: SQLite allows one writer at a time and one process queues them "
            "fairly, so more processes would only wait on each other; run one worker, or use --db postgresql://..."
        )
    return None


def prepare(options: AppOptions) -> None:
    """Migrate the schema once and hand the options to the workers (through the environment)."""
    from sync.server.db import make_engine, upgrade

    engine = make_engine(options.db_url)
    try:
        upgrade(engine)
    finally:
        engine.dispose()
    os.environ[ENV_VAR] = json.dumps(asdict(options))


def worker_app() -> FastAPI:
    """The app of one worker process (uvicorn's factory); the parent already migrated the schema."""
    raw = os.environ.get(ENV_VAR)
    if not raw:
        raise RuntimeError(f"{ENV_VAR} is not set: start workers with 'packgate-central serve --workers N'")
    options = AppOptions(**json.loads(raw))
    logger.info("worker %d starting", os.getpid())
    return options.app(migrate=False)
