"""The durable-commit floor the station figures are measured against (issue 15).

A bare SQLite commit with the station's own durability settings (`journal_mode=WAL`, `synchronous=FULL`: the
WAL is fsynced at every commit) in the same directory, so on the same filesystem, as the database being
measured: `BEGIN IMMEDIATE`, one small INSERT, `COMMIT`, straight through the `sqlite3` module. No scan can be
durable faster than that on this disk; what a scan costs beyond it is the station's own work.

The benchmarks take one floor sample before each timed operation (`Floor.sample(into)`, outside the timed
region), so the floor and the figure share the same moment of a machine that other work also loads, and each
figure is printed as a ratio to the floor's percentile of the same rank (p50 to p50, p99 to p99).
"""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path
from typing import Any

from bench.common import percentile, summary_ms

PAYLOAD = "x" * 100  # about the size of one scan row


class Floor:
    """A bare `synchronous=FULL` WAL commit in `directory`; `sample(into)` times one."""

    def __init__(self, directory: Path) -> None:
        self.path = directory / "floor.sqlite3"
        self._conn = sqlite3.connect(self.path, isolation_level=None)
        mode = self._conn.execute("PRAGMA journal_mode=WAL").fetchone()[0]
        assert mode == "wal", mode
        self._conn.execute("PRAGMA synchronous=FULL")
        assert self._conn.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
        self._conn.execute("CREATE TABLE IF NOT EXISTS floor (id INTEGER PRIMARY KEY, v TEXT NOT NULL)")
        for _ in range(20):  # warm the page cache and the WAL file
            self._commit()

    def _commit(self) -> None:
        c = self._conn
        c.execute("BEGIN IMMEDIATE")
        c.execute("INSERT INTO floor (v) VALUES (?)", (PAYLOAD,))
        c.execute("COMMIT")

    def sample(self, into: list[float]) -> None:
        """Time one bare durable commit and append its seconds to `into` (one list per figure)."""
        t = time.perf_counter()
        self._commit()
        into.append(time.perf_counter() - t)

    def close(self) -> None:
        self._conn.close()


def ratios(figure_s: list[float], floor_s: list[float]) -> dict[str, float]:
    """The figure's p50 and p99 as multiples of the floor's p50 and p99."""
    out: dict[str, float] = {}
    for p in (50, 99):
        f = percentile(floor_s, p)
        out[f"p{p}_x_floor"] = round(percentile(figure_s, p) / f, 2) if f > 0 else float("nan")
    return out


def with_ratios(figure_s: list[float], floor_s: list[float]) -> dict[str, Any]:
    """`summary_ms` of the figure, its ratios to the floor sampled beside it, and that floor's own summary."""
    return {**summary_ms(figure_s), **ratios(figure_s, floor_s), "floor": summary_ms(floor_s)}
