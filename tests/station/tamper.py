"""What an attacker with the station's database file does, with plain sqlite3 (no PackGate code path):
drop the append-only triggers, edit rows, delete rows, re-hash the chain after an edit, append forged rows."""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from station.audit import GENESIS, canonical_json, row_hash


def connect(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("DROP TRIGGER IF EXISTS audit_log_no_update")
    conn.execute("DROP TRIGGER IF EXISTS audit_log_no_delete")
    return conn


def execute(path: Path, sql: str, *params: Any) -> int:
    conn = connect(path)
    try:
        return conn.execute(sql, params).rowcount
    finally:
        conn.close()


def rehash_from(conn: sqlite3.Connection, first_id: int = 1) -> None:
    """Recompute prev_hash and hash of every row from `first_id` on, as the chain code does."""
    prev = (
        GENESIS
        if first_id == 1
        else conn.execute("SELECT hash FROM audit_log WHERE id = ?", (first_id - 1,)).fetchone()[0]
    )
    rows = conn.execute(
        "SELECT id, at, station_id, actor, action, order_id, detail FROM audit_log WHERE id >= ? ORDER BY id",
        (first_id,),
    ).fetchall()
    for row_id, at, station, actor, action, order_id, detail in rows:
        h = row_hash(prev, row_id, _at(at), station, actor, action, order_id, detail)
        conn.execute("UPDATE audit_log SET prev_hash = ?, hash = ? WHERE id = ?", (prev, h, row_id))
        prev = h


def renumber_and_rehash(conn: sqlite3.Connection) -> None:
    """Close the gaps left by deleted rows (ids 1..n again), then re-hash everything."""
    ids = [r[0] for r in conn.execute("SELECT id FROM audit_log ORDER BY id")]
    for new_id, old_id in enumerate(ids, start=1):
        if new_id != old_id:
            conn.execute("UPDATE audit_log SET id = ? WHERE id = ?", (new_id, old_id))
    rehash_from(conn, 1)


def append_forged(
    conn: sqlite3.Connection,
    action: str,
    detail: dict[str, Any],
    *,
    actor: str | None = "S1",
    order_id: str | None = None,
) -> int:
    """Append a row that chains correctly from the current head."""
    last = conn.execute("SELECT id, hash, station_id, at FROM audit_log ORDER BY id DESC LIMIT 1").fetchone()
    row_id, prev, station, at_text = (last[0] + 1, last[1], last[2], last[3]) if last else (1, GENESIS, "S1", None)
    at = _at(at_text) if at_text else datetime.now(UTC)
    text = canonical_json(detail)
    h = row_hash(prev, row_id, at, station, actor, action, order_id, text)
    conn.execute(
        "INSERT INTO audit_log (id, at, station_id, actor, action, order_id, detail, prev_hash, hash) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (row_id, at.strftime("%Y-%m-%d %H:%M:%S.%f"), station, actor, action, order_id, text, prev, h),
    )
    return row_id


def detail_of(conn: sqlite3.Connection, row_id: int) -> dict[str, Any]:
    return json.loads(conn.execute("SELECT detail FROM audit_log WHERE id = ?", (row_id,)).fetchone()[0])


def _at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)
