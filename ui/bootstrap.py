"""The composition root: the one place that builds the station's parts and wires them together.

Nothing opens a database, a port or a thread at import time; `bootstrap()` does it, and tests call the
same function with a temporary data dir and a frozen clock.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from pathlib import Path

from station.clock import Clock, SystemClock
from station.db import Database
from station.paths import StationPaths, resolve_data_dir
from station.service import StationService
from station.settings import Settings, default_station_id

logger = logging.getLogger(__name__)

ENV_STATION = "PACKGATE_STATION"


@dataclass
class Station:
    paths: StationPaths
    settings: Settings
    db: Database
    service: StationService
    clock: Clock

    @property
    def station_id(self) -> str:
        return self.service.station_id

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Station:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()


def resolve_station_id(explicit: str | None, settings: Settings) -> str:
    return explicit or os.environ.get(ENV_STATION) or settings.get("station_id") or default_station_id()


def bootstrap(data_dir: str | Path | None = None, station_id: str | None = None, clock: Clock | None = None) -> Station:
    paths = StationPaths(resolve_data_dir(data_dir)).ensure()
    settings = Settings.load(paths.settings_file)
    sid = resolve_station_id(station_id, settings)
    clock = clock or SystemClock()
    db = Database.open(paths.database)
    service = StationService(db, sid, clock=clock, evidence_dir=paths.evidence_dir)
    logger.info("station ready", extra={"station": sid, "data_dir": str(paths.root)})
    return Station(paths=paths, settings=settings, db=db, service=service, clock=clock)
