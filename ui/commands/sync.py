"""`packgate sync status|run|retry-parked|configure|pull-orders`: the station's link to the central service.

- `sync configure --url URL --token TOKEN [--ca-bundle FILE]` stores the settings the GUI's background
  worker uses too (section "sync" of settings.json, written atomically, file mode 0600).
- `sync run [--url --token ...]` drains the outbox once and exits: 0 when nothing is left pending,
  4 when the service could not be reached or refused the request (the events are kept), 2 for a usage or
  configuration error.
- `sync status [--json] [--check]` counts pending/parked/sent events, lists parked ones with the
  server's reasons, and with `--check` asks the service whether it is reachable.
- `sync parked [show ID | drop ID]` and `sync retry-parked`: see `ui.commands.sync_parked`.
- `sync pull-orders` fetches new and changed orders (cursor-based) into the station; exits 5 when some
  were refused (each refusal printed once).

`describe_sync_status()` turns a `SyncStatus` into the status bar's words; the packer screen uses it too.
"""

from __future__ import annotations

import argparse
import logging
import sys
from dataclasses import replace
from datetime import datetime, tzinfo
from pathlib import Path
from typing import Any

import tenacity

from station.outbox import Outbox
from sync.client import ConnectionState, DrainResult, SyncClient, SyncConfigError, SyncError, token_is_sendable
from sync.worker import STATE_FILE, FileCursorStore, SyncSettings, SyncStatus
from ui.bootstrap import Station
from ui.commands import CommandError, sync_parked
from ui.commands.common import open_station, write_json, write_line
from ui.commands.orders import conflict_text
from ui.logs import console_quiet

logger = logging.getLogger(__name__)

EXIT_NOT_SYNCED = 4
EXIT_ORDERS_REFUSED = 5


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    sync = sub.add_parser("sync", help="send events to and pull orders from the central service", parents=[common])
    ssub = sync.add_subparsers(dest="sync_command", metavar="ACTION", required=True)

    conn = argparse.ArgumentParser(add_help=False)
    conn.add_argument("--url", help="central service URL (default: the configured one)")
    conn.add_argument("--token", help="this station's token (default: the configured one)")
    conn.add_argument("--ca-bundle", metavar="FILE", help="CA certificates for an https URL with a private CA")

    st = ssub.add_parser("status", help="events waiting, parked events and their reasons", parents=[common])
    st.add_argument("--json", action="store_true", help="machine-readable output")
    st.add_argument("--check", action="store_true", help="also ask the central service whether it is reachable")
    st.set_defaults(func=cmd_status)

    run = ssub.add_parser("run", help="send all pending events now and exit", parents=[common, conn])
    run.add_argument("--batch-size", type=int, help="events per request (default: configured or 200)")
    run.add_argument("--attempts", type=int, default=3, help="tries when the service is unreachable (default 3)")
    run.set_defaults(func=cmd_run)

    sync_parked.register(ssub, common)

    cfg = ssub.add_parser("configure", help="store the central service URL and token", parents=[common])
    cfg.add_argument("--url", required=True)
    cfg.add_argument("--token", required=True)
    cfg.add_argument("--ca-bundle", metavar="FILE")
    cfg.add_argument("--interval", type=float, help="seconds between background syncs (default 5)")
    cfg.set_defaults(func=cmd_configure)

    pull = ssub.add_parser(
        "pull-orders", help="fetch new and changed orders from the central service", parents=[common, conn]
    )
    pull.set_defaults(func=cmd_pull_orders)


# ---------------------------------------------------------------------------------------------- words


def describe_sync_status(status: SyncStatus, tz: tzinfo | None = None) -> str:
    """The status bar's text: "connected", "offline since 14:05 · 12 events waiting", ... (local time)."""

    def hhmm(at: datetime) -> str:
        return at.astimezone(tz).strftime("%H:%M")

    state = status.state
    if state is ConnectionState.CONNECTED:
        head = "connected"
    elif state is ConnectionState.OFFLINE:
        head = f"offline since {hhmm(status.offline_since)}" if status.offline_since else "offline"
    elif state is ConnectionState.UNAUTHORIZED:
        head = "unauthorized: check the station token"
    elif state is ConnectionState.FORBIDDEN:
        head = "forbidden: the token belongs to another station"
    elif state is ConnectionState.ERROR:
        head = f"sync error: {status.error}" if status.error else "sync error"
    elif state is ConnectionState.NOT_CONFIGURED:
        head = "sync not configured" + (f" ({status.error})" if status.error else "")
    else:
        head = "connecting…"
    parts = [head]
    if status.pending:
        parts.append(f"{status.pending} event{'s' if status.pending != 1 else ''} waiting")
    if status.parked:
        parts.append(f"{status.parked} parked")
    return " · ".join(parts)


def _summary(result: DrainResult) -> str:
    text = f"sent {result.sent} event(s)"
    if result.duplicates:
        text += f", {result.duplicates} already at the central service"
    if result.parked:
        text += f", parked {result.parked} (see 'packgate sync status')"
    return text


# ---------------------------------------------------------------------------------------------- helpers


def _settings(station: Station, args: argparse.Namespace) -> SyncSettings:
    """The stored settings with the command line's overrides on top."""
    stored = station.settings.read(SyncSettings)
    overrides: dict[str, Any] = {}
    for key in ("url", "token", "ca_bundle"):
        value = getattr(args, key, None)
        if value:
            overrides[key] = value
    if getattr(args, "batch_size", None):
        overrides["batch_size"] = args.batch_size
    settings = replace(stored, **overrides)
    if settings.ca_bundle and not Path(settings.ca_bundle).is_file():
        raise CommandError(f"no such CA bundle: {settings.ca_bundle}")
    if not settings.url or not settings.token:
        raise CommandError(
            "sync is not configured: pass --url and --token, or run 'packgate sync configure --url URL --token TOKEN'"
        )
    return settings


def _client(station: Station, settings: SyncSettings) -> SyncClient:
    try:
        return settings.make_client(Outbox(station.db.sessions, station.clock), station.station_id, station.clock)
    except SyncConfigError as exc:
        raise CommandError(str(exc)) from exc


def _unsynced(message: str) -> CommandError:
    return CommandError(f"{message} (events are kept and will be sent later)", exit_code=EXIT_NOT_SYNCED)


# ---------------------------------------------------------------------------------------------- commands


def cmd_run(args: argparse.Namespace) -> int:
    if args.attempts < 1:
        raise CommandError("--attempts must be at least 1")
    with open_station(args) as station:
        settings = _settings(station, args)
        if not 1 <= settings.batch_size <= 500:
            raise CommandError("--batch-size must be 1..500")
        with _client(station, settings) as client:
            totals: list[DrainResult] = []

            def attempt() -> DrainResult:
                result = client.drain_once(force=True)
                totals.append(result)
                return result

            # Short in-process retries for a blip (a restarting service); a longer outage is the
            # background worker's business, with the backoff recorded in the outbox.
            retrying = tenacity.Retrying(
                stop=tenacity.stop_after_attempt(args.attempts),
                wait=tenacity.wait_exponential_jitter(multiplier=0.5, max=10, jitter=0.5),
                retry=tenacity.retry_if_result(lambda r: r.error is not None and r.state is ConnectionState.OFFLINE),
                retry_error_callback=lambda state: state.outcome.result() if state.outcome else DrainResult(),
            )
            last = retrying(attempt)
        done = DrainResult(
            sent=sum(r.sent for r in totals),
            duplicates=sum(r.duplicates for r in totals),
            parked=sum(r.parked for r in totals),
        )
        left = Outbox(station.db.sessions).counts()
    write_line(_summary(done) + f"; {left.pending} pending, {left.parked} parked")
    if last.error is not None:
        raise _unsynced(last.error)
    return 0


def cmd_status(args: argparse.Namespace) -> int:
    with open_station(args) as station:
        settings = station.settings.read(SyncSettings)
        outbox = Outbox(station.db.sessions)
        counts = outbox.counts()
        parked = outbox.parked()
        head = outbox.pending(1)
        reachable: str | None = None
        if args.check and settings.configured:
            try:
                with settings.make_client(outbox, station.station_id) as client:
                    client.health()
                reachable = "reachable"
            except (SyncError, SyncConfigError) as exc:
                reachable = f"not reachable: {exc}"
    report = {
        "station_id": station.station_id,
        "url": settings.url,
        "token_configured": bool(settings.token),
        "pending": counts.pending,
        "parked": counts.parked,
        "sent": counts.sent,
        "oldest_pending_at": counts.oldest_pending_at,
        "last_error": head[0].last_error if head else None,
        "attempts": head[0].attempts if head else 0,
        "central": reachable,
        "parked_events": [
            {"seq": e.seq, "event_id": e.event_id, "type": e.type, "occurred_at": e.occurred_at, "error": e.last_error}
            for e in parked
        ],
    }
    if args.json:
        write_json(report)
        return 0
    write_line(
        f"station {station.station_id} -> {settings.url or 'not configured'}" + (f" ({reachable})" if reachable else "")
    )
    oldest = f", oldest from {counts.oldest_pending_at:%Y-%m-%d %H:%M} UTC" if counts.oldest_pending_at else ""
    write_line(f"{counts.pending} pending{oldest}, {counts.parked} parked, {counts.sent} sent")
    if head and head[0].last_error:
        write_line(f"last failure ({head[0].attempts} attempt(s)): {head[0].last_error}")
    for e in parked:
        write_line(f"parked #{e.seq} {e.type} {e.event_id}: {e.last_error}")
    return 0


def cmd_configure(args: argparse.Namespace) -> int:
    if not args.url.startswith(("http://", "https://")):
        raise CommandError(f"the URL must start with http:// or https://, got {args.url!r}")
    if not token_is_sendable(args.token):
        raise CommandError(
            "the token has spaces, line breaks or other characters a token never has: "
            "paste it exactly as 'packgate-central token issue' printed it"
        )
    if args.ca_bundle and not Path(args.ca_bundle).is_file():
        raise CommandError(f"no such CA bundle: {args.ca_bundle}")
    if args.interval is not None and args.interval <= 0:
        raise CommandError("--interval must be positive")
    with open_station(args) as station:
        stored = station.settings.read(SyncSettings)
        given: dict[str, Any] = {"url": args.url.rstrip("/"), "token": args.token}
        if args.ca_bundle:
            given["ca_bundle"] = str(Path(args.ca_bundle).resolve())
        if args.interval is not None:
            given["interval"] = args.interval
        station.settings.write(replace(stored, **given))
        station.settings.save()
    write_line(f"sync configured: {args.url} (token stored in {station.settings.path})")
    return 0


def cmd_pull_orders(args: argparse.Namespace) -> int:
    with open_station(args) as station:
        settings = _settings(station, args)
        with _client(station, settings) as client, console_quiet(_order_refusal):
            try:
                result = client.pull_orders(station.db, FileCursorStore(station.paths.root / STATE_FILE), station.clock)
            except SyncError as exc:
                raise CommandError(f"order pull failed: {exc}", exit_code=EXIT_NOT_SYNCED) from exc
    write_line(
        f"received {result.received} order(s): {result.imported} new, {result.replaced} updated, "
        f"{len(result.refused)} refused, {result.left_out} invalid"
    )
    for order_id, status in result.refused:
        sys.stderr.write(f"packgate: order {order_id} not replaced: it is already {status}\n")
    for order_id, reason in result.invalid:
        sys.stderr.write(f"packgate: order {order_id} refused by the station's checks: {reason}\n")
    for conflict in result.conflicts:
        sys.stderr.write(f"packgate: {conflict_text(conflict)}; not imported\n")
    return EXIT_ORDERS_REFUSED if result.left_out or result.refused else 0


def _order_refusal(record: logging.LogRecord) -> bool:
    """The log lines of a refused order, which this command prints itself (they still reach the log file)."""
    if getattr(record, "order_refused", None) is not None:
        return True
    args = record.args if isinstance(record.args, tuple) else ()
    return record.name == "station.order_files" and bool(args) and str(args[0]).startswith("central order ")
