"""The station's application service: every scan, command and clearance goes through here.

One call = one unit of work: read the facts, let the pack session (`station.pack_session`, pure rules) decide,
write the decision (`station.bench_writes`: the scan row, the counts, the incident and its outbox event, the
audit row) in one transaction (`station.db.write`: SQLite WAL, fsync on commit), and only then adopt the new
state and return the verdict, so whatever the screen shows as done survives a crash. If the commit fails
(disk full, database locked for too long) a `StorageError` with a typed reason is raised, nothing is counted
and the bench is re-read from disk.

A counted scan and an undo, most of a bench's day, are written by `station.count_writes` (the same rows and
the same transaction, in prepared statements instead of the ORM's flushes: issue 15).

The current order's lines are kept in memory between scans (they are re-read after any failure and on
start), so a scan costs one indexed look-up at most plus one commit. Before a count or a seal is written the
order on disk is compared with memory (under the write lock); when another process changed it the scan is
judged again on what the disk says, at most `MAX_JUDGEMENTS` times.
"""

from __future__ import annotations

import logging
import sqlite3
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import cast

from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from sqlalchemy.orm import Session

from station import audit, bench_reads, clearance, weight_writes
from station.barcodes import CodeKind, InvalidCode, parse_scan
from station.bench_reads import DbFacts, incident_view
from station.bench_writes import BenchWriter, ScanInput
from station.clock import Clock, SystemClock
from station.commands import COMMAND_PREFIX, Command
from station.count_writes import CountWriter, StaleOrder
from station.db import Database, write
from station.evidence import Evidence, save_evidence
from station.file_guard import DatabaseFileChanged, StorageError, StorageReason
from station.limits import TextField, check_note, storable_code
from station.model import BenchState, IncidentView, OrderView, Verdict, VerdictKind
from station.pack_session import Action, Decision, PackSession
from station.packer_gate import PackerGate
from station.printing.reprint import reprint
from station.refusals import NotAllowed, Refusal
from station.weighing import WeighingSettings, carton_keys

logger = logging.getLogger(__name__)

__all__ = [
    "MAX_JUDGEMENTS",
    "Evidence",
    "NotAllowed",
    "Refusal",
    "StationService",
    "StorageError",
    "StorageReason",
    "incident_view",
]

#: How many times one scan or seal is judged when the order keeps changing on disk under this process
#: (another `packgate` on the same data dir); then it is refused with `StorageReason.BENCH_CHANGING`.
MAX_JUDGEMENTS = 3


class _StaleBench(Exception):
    """The order on disk changed under this process; the write is rolled back and the scan judged again."""


class StationService:
    def __init__(
        self, db: Database, station_id: str, clock: Clock | None = None, evidence_dir: Path | None = None
    ) -> None:
        self.db = db
        self.station_id = station_id
        self.clock = clock or SystemClock()
        self.evidence_dir = evidence_dir or db.path.parent / "evidence"
        self.packer_id: str | None = None
        self.packers = PackerGate()  # who is packing: is the next scan a badge (the window only asks)
        # The weight check (a bench with a scale): set by `use_weighing`; None: seal without weighing.
        self.weighing: WeighingSettings | None = None
        self._cartons: dict[str, float] = {}
        self._session = PackSession()
        self._counts = CountWriter(db.engine)
        self.reload()

    # ------------------------------------------------------------------ state
    @property
    def state(self) -> BenchState:
        return self._session.state

    @property
    def order(self) -> OrderView | None:
        return self._session.order

    @property
    def pack_session(self) -> PackSession:
        """The pack session as committed (read-only: a new one replaces it after each commit)."""
        return self._session

    def reload(self) -> None:
        """Re-read the bench from the database (start-up, after a failed commit, after a clearance
        made elsewhere)."""
        exists, packer, session = bench_reads.bench_on_disk(self.db.sessions, self.station_id)
        if exists and self.packer_id is None:
            self.packer_id = packer
        self._session = session

    def adopt(self, session: PackSession) -> None:
        """Take `session` as the bench (after a commit that changed it, such as a clearance)."""
        self._session = session

    def set_packer(self, packer_id: str | None) -> None:
        """Who is packing from now on; every event carries it."""
        now = self.clock.now()
        with self.write_bench() as s:
            bench = self.bench_writer().bench_row(s, now)
            previous = bench.packer_id
            bench.packer_id = packer_id
            audit.append(
                s,
                at=now,
                station_id=self.station_id,
                actor=packer_id,
                action="packer.changed",
                detail={"previous": previous, "packer": packer_id},
            )
        self.packer_id = packer_id
        self.packers.signed_in()

    def use_weighing(self, weighing: WeighingSettings | None) -> None:
        """From now on every seal needs a stable reading that fits (None: no scale at this bench)."""
        self.weighing = weighing
        self._cartons = carton_keys(weighing.cartons) if weighing is not None else {}

    def open_incidents(self, order_id: str | None = None) -> tuple[IncidentView, ...]:
        order_id = order_id or (self.order.order_id if self.order else None)
        if order_id is None:
            return ()
        return bench_reads.open_incidents(self.db.sessions, order_id)

    # ------------------------------------------------------------------ scans
    def handle_scan(
        self, raw: str, symbology: str | None = None, source: str = "manual", evidence_jpeg: Evidence = None
    ) -> Verdict:
        """Check one scanned code against the bench and return its verdict, durably recorded.

        `evidence_jpeg` is the camera frame as JPEG bytes, or a callable returning them: encoding a frame
        costs milliseconds, so the camera passes a callable that runs only when the scan opens an incident.
        """
        try:
            parsed = parse_scan(raw, symbology)
        except InvalidCode as exc:
            # A lone surrogate cannot be stored as UTF-8 (the write failed and the package stayed
            # unblocked); NUL or 4 000 characters would be refused by central and parked for good.
            code = cast(str, storable_code(raw)) if isinstance(raw, str) else raw
            scan = ScanInput(code, symbology, source, None)
            reason = exc.reason
            return self._judged(lambda: self._session.judge_invalid(code, reason), scan, evidence_jpeg)

        if parsed.kind is CodeKind.COMMAND:
            return self.run_command(parsed.command or parsed.text[len(COMMAND_PREFIX) :], source=source)
        scan = ScanInput(raw, symbology, source, parsed)
        judge = lambda: self._session.judge_scan(parsed, self._facts(), self._cartons)  # noqa: E731
        return self._judged(judge, scan, evidence_jpeg)

    def load_order(self, ref: str, source: str = "manual") -> Verdict:
        """Put an order on the bench by its order barcode, tote barcode or order id (the same rules as
        scanning it: never away from a blocked package, nor from one with items already counted)."""
        try:
            parsed = parse_scan(ref)
        except InvalidCode as exc:
            return Verdict(VerdictKind.ORDER_NOT_FOUND, self.state, self.order, code=ref, detail=exc.reason)
        scan = ScanInput(parsed.raw, parsed.symbology, source, parsed)
        return self._judged(lambda: self._session.judge_load_request(parsed, self._facts()), scan)

    def _facts(self) -> DbFacts:
        # Best-before and expiry dates are calendar dates where the parcel is packed: the local date.
        return DbFacts(self.db.sessions, self.clock.now().astimezone().date())

    # ------------------------------------------------------------------ commands
    def run_command(self, command: Command | str, source: str = "manual") -> Verdict:
        """Run a bench command; a word the station does not know gives ``UNKNOWN_COMMAND``."""
        known = command if isinstance(command, Command) else Command.from_word(command)
        if known is Command.SEAL:
            return self.seal(source)
        if known is Command.UNDO:
            return self.undo(source)
        if known is Command.CANCEL:
            return self.cancel(source=source)
        if known is Command.REPRINT:
            return reprint(self, source)
        return Verdict(VerdictKind.UNKNOWN_COMMAND, self.state, self.order, code=COMMAND_PREFIX + command.upper())

    def seal(self, source: str = "manual", weight_g: float | None = None) -> Verdict:
        """Seal the package; at a bench with a scale (`use_weighing`) `weight_g` is the stable reading of
        the parcel (without one nothing is sealed: ``WEIGHT_NEEDED``)."""
        scan = ScanInput(Command.SEAL.barcode, None, source, None)
        return self._judged(lambda: self._session.judge_seal(weight_g, self.weighing), scan)

    def undo(self, source: str = "manual") -> Verdict:
        """Take back the last counted scan of the current order (the packer took the item out)."""
        refusal = self._session.undo_refusal()
        if refusal is not None:
            return self._verdict(refusal, self._session)
        order = self.order
        assert order is not None
        now = self.clock.now()
        with self._fast_write() as db:  # the undo's few statements (`station.count_writes`)
            decision = self._session.judge_undo(self._counts.last_counted(db, order.order_id))
            if decision.action is Action.UNDO:
                self._counts.undo(db, now, self.station_id, self.packer_id, decision, order.order_id, source)
        return self._commit(decision)

    def cancel(
        self, reason: str = "cancelled at the bench", source: str = "manual", actor: str | None = None
    ) -> Verdict:
        """Abandon the pack: counted items are taken out again (counts reset), the order returns to the
        queue as cancelled. A blocked package cannot be cancelled by the packer: a supervisor decides."""
        reason = check_note(reason, TextField.CANCEL_REASON)
        decision = self._session.judge_cancel(reason)
        if decision.action is Action.CANCEL:
            assert self.order is not None
            order_id = self.order.order_id
            now = self.clock.now()
            with self.write_bench() as s:
                self.bench_writer().cancel(s, now, order_id, reason, source, actor)
        return self._commit(decision)

    # ------------------------------------------------------------------ supervisor operations
    def clear(self, incident_id: str, supervisor_id: str, reason: str, resolution: str = "other") -> Verdict:
        """A supervisor clears an incident with a reason. When the order has no open incident left the
        package continues (or, per the resolution, is short-shipped and sealed, or pulled and cancelled)."""
        return clearance.resolve(self, incident_id, supervisor_id, reason, resolution, escalate=False)

    def escalate(self, incident_id: str, supervisor_id: str, reason: str) -> Verdict:
        """Hand the incident to the central team; the package is pulled from the bench."""
        return clearance.resolve(self, incident_id, supervisor_id, reason, "pulled_for_repick", escalate=True)

    # ------------------------------------------------------------------ the unit of work
    def _judged(self, judge: Callable[[], Decision], scan: ScanInput, evidence: Evidence = None) -> Verdict:
        """Judge and persist; when the order changed on disk meanwhile, re-read it and judge again (bounded)."""
        for attempt in range(1, MAX_JUDGEMENTS + 1):
            decision = judge()
            try:
                return self._persist(decision, scan, evidence)
            except _StaleBench:
                # Another process on this data dir changed the order (blocked it, counted items): judge
                # again on what the disk says, never on what this process remembered.
                logger.warning(
                    "order changed on disk: judging again",
                    extra={"station": self.station_id, "attempt": attempt, "code": scan.raw},
                )
                self.reload()
        logger.error(
            "order keeps changing on disk: scan refused",
            extra={"station": self.station_id, "attempts": MAX_JUDGEMENTS, "code": scan.raw},
        )
        raise StorageError(StorageReason.BENCH_CHANGING, f"the order changed on disk {MAX_JUDGEMENTS} times")

    def _persist(self, d: Decision, scan: ScanInput, evidence: Evidence) -> Verdict:
        if d.action is Action.REPLY:
            return self._verdict(d, self._session)
        now = self.clock.now()
        writer = self.bench_writer()
        current = self.order
        incident_id = str(uuid.uuid4()) if d.action is Action.BLOCK else None
        evidence_file = (
            save_evidence(self.evidence_dir, incident_id, evidence, now) if incident_id and evidence else None
        )
        if d.action is Action.COUNT:  # the hot path: its own few statements (`station.count_writes`)
            assert current is not None
            self._write_count(now, current, d, scan)
            return self._commit(d)
        loaded: PackSession | None = None
        with self.write_bench() as s:
            if d.action is Action.SEAL or d.kind is VerdictKind.WEIGHT_MISMATCH:
                assert current is not None
                if bench_reads.disk_differs(s, current):
                    raise _StaleBench
            if d.action is Action.RECORD:
                writer.record(s, now, d, scan)
            elif d.action is Action.IGNORE:
                writer.ignore(s, now, d, scan, current.order_id if current else None)
            elif d.action is Action.AUDIT:
                assert current is not None
                writer.audit(s, now, "seal.refused", current.order_id, reason="blocked", source=scan.source)
            elif d.action is Action.CARTON:
                weight_writes.set_carton(writer, s, now, d, scan.source)
            elif d.action is Action.BLOCK and d.kind is VerdictKind.WEIGHT_MISMATCH:
                assert incident_id is not None
                weight_writes.block_weight(writer, s, now, d, incident_id, scan.source)
            elif d.action is Action.BLOCK and d.kind is VerdictKind.SHORT:
                assert incident_id is not None
                writer.block_short(s, now, d, incident_id, scan.source)
            elif d.action is Action.BLOCK:
                assert incident_id is not None
                writer.block_scan(s, now, d, scan, incident_id, evidence_file)
            elif d.action is Action.LOAD:
                order = writer.load(s, now, d, scan.parsed.raw if scan.parsed else scan.raw, scan.source)
                loaded = bench_reads.session_for(s, order)
            elif d.action is Action.SEAL:
                assert current is not None
                measured = d.weight.measured_g if d.weight is not None else None
                writer.seal(s, now, current, d.short_shipped, scan.source, measured)
            else:  # UNDO and CANCEL have their own entry points
                raise AssertionError(f"no persistence for {d.action}")
        if d.action is Action.BLOCK:
            assert d.order is not None
            logger.info(
                "package blocked",
                extra={
                    "order": d.order.order_id,
                    "kind": d.kind.value,
                    "code": scan.raw,
                    "incident": incident_id,
                    "station": self.station_id,
                },
            )
        if loaded is not None:
            self.adopt(loaded)
            return self._verdict(d, loaded, order=loaded.order, with_incidents=loaded.state is BenchState.BLOCKED)
        return self._commit(d, incident_id)

    def _write_count(self, now: datetime, current: OrderView, d: Decision, scan: ScanInput) -> None:
        """Write a counted scan in one durable transaction (judged again when the order changed on disk)."""
        try:
            with self._fast_write() as db:
                self._counts.count(db, now, self.station_id, self.packer_id, current, d, scan)
        except StaleOrder:
            raise _StaleBench from None

    @contextmanager
    def _fast_write(self) -> Iterator[sqlite3.Connection]:
        """`CountWriter.transaction`, and on a storage failure re-read the bench (as `write_bench`)."""
        try:
            with self._counts.transaction() as db:
                yield db
        except DatabaseFileChanged:
            raise  # the bench has stopped: every read would be refused as well
        except StorageError:
            self._recover()
            raise

    def _commit(self, d: Decision, incident_id: str | None = None) -> Verdict:
        """Adopt a committed decision (REPLY: nothing to adopt) and say what it did."""
        if d.action not in (Action.REPLY, Action.RECORD, Action.IGNORE, Action.AUDIT):
            self.adopt(self._session.after(d))
        return self._verdict(d, self._session, incident_id=incident_id)

    def _verdict(
        self,
        d: Decision,
        session: PackSession,
        order: OrderView | None = None,
        with_incidents: bool | None = None,
        incident_id: str | None = None,
    ) -> Verdict:
        list_incidents = d.with_incidents if with_incidents is None else with_incidents
        return d.verdict(session.state, order, incident_id, self.open_incidents() if list_incidents else ())

    def bench_writer(self) -> BenchWriter:
        """The writer of bench rows for this station and the current packer."""
        return BenchWriter(self.station_id, self.packer_id)

    @contextmanager
    def write_bench(self) -> Iterator[Session]:
        """`station.db.write`, and on a storage failure re-read the bench so memory never runs ahead of disk."""
        try:
            with write(self.db.sessions) as s:
                yield s
        except IntegrityError as exc:  # a bug or a foreign row: the scan is not saved, say so like any refusal
            self._recover()
            raise StorageError(StorageReason.REFUSED, str(exc.orig)) from exc
        except DatabaseFileChanged:
            raise  # the bench has stopped: every read would be refused as well
        except StorageError:
            self._recover()
            raise

    def _recover(self) -> None:
        try:
            self.reload()
        except (SQLAlchemyError, StorageError):
            logger.exception("could not re-read the bench after a failed write")
