"""`packgate sync parked [show ID | drop ID]` and `sync retry-parked`: events the central service refused.

An event is parked when the central service refused it for good (a rejected event, a conflicting
event_id) or failed on it alone (a poison message found by splitting the batch), or when the station
itself found, before sending, that the stored row fails the wire checks (an older version wrote it, or it
was edited on disk). Parked events are
never sent again on their own. A person looks at them (`sync parked`, `sync parked show ID`), fixes the
cause and queues them again (`sync retry-parked`), or drops one that can never pass (`sync parked drop
ID --supervisor NAME --reason TEXT`): dropping needs a supervisor's name and password, and is written to
the audit trail (action `sync.parked_dropped`, which also reaches the central service). ID is the
event's seq number (`12` or `#12`) or its event id (a unique prefix is enough).

`retry-parked` first checks each event against the wire format it will be sent in: an event that could
not pass (an unknown field, a NUL in a code, a date in year 9999) stays parked and the command says why,
instead of sending it only to have it parked again.
"""

from __future__ import annotations

import argparse
import json
import sys

from station.outbox import Outbox, OutboxEvent
from station.users import AuthError, site_directory
from sync.outbound import wire_problems
from ui.commands import CommandError
from ui.commands.common import open_station, write_json, write_line
from ui.commands.secrets import read_secret
from ui.user_words import auth_error_text

EXIT_STILL_PARKED = 5
DROP_ACTION = "sync.parked_dropped"


def register(ssub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    parked = ssub.add_parser("parked", help="list, show or drop events the central service refused", parents=[common])
    parked.add_argument("--json", action="store_true", help="machine-readable output")
    parked.set_defaults(func=cmd_parked_list)
    psub = parked.add_subparsers(dest="parked_command", metavar="ACTION")
    show = psub.add_parser("show", help="one parked event in full, with the reason", parents=[common])
    show.add_argument("id", metavar="ID", help="seq number (#12) or event id")
    show.set_defaults(func=cmd_parked_show)
    drop = psub.add_parser("drop", help="never send this event (supervisor; audited)", parents=[common])
    drop.add_argument("id", metavar="ID", help="seq number (#12) or event id")
    drop.add_argument("--supervisor", metavar="NAME", required=True, help="supervisor user name")
    drop.add_argument("--reason", required=True, help="why it is dropped (goes into the audit trail)")
    drop.add_argument("--password-stdin", action="store_true", help="read the supervisor's password from stdin")
    drop.set_defaults(func=cmd_parked_drop)

    rp = ssub.add_parser("retry-parked", help="queue parked events again (those that can pass)", parents=[common])
    rp.set_defaults(func=cmd_retry_parked)


def _find(outbox: Outbox, ref: str) -> OutboxEvent:
    event = outbox.find_parked(ref)
    if event is None:
        raise CommandError(f"no parked event {ref!r} (see 'packgate sync parked'; use its #seq or event id)")
    return event


def cmd_parked_list(args: argparse.Namespace) -> int:
    with open_station(args) as station:
        parked = Outbox(station.db.sessions).parked()
    if args.json:
        write_json(
            [
                {
                    "seq": e.seq,
                    "event_id": e.event_id,
                    "type": e.type,
                    "occurred_at": e.occurred_at,
                    "attempts": e.attempts,
                    "reason": e.last_error,
                }
                for e in parked
            ]
        )
        return 0
    if not parked:
        write_line("no parked events")
        return 0
    for e in parked:
        write_line(f"#{e.seq} {e.type} {e.event_id} {e.occurred_at:%Y-%m-%d %H:%M} UTC: {e.last_error}")
    return 0


def cmd_parked_show(args: argparse.Namespace) -> int:
    with open_station(args) as station:
        event = _find(Outbox(station.db.sessions), args.id)
        problems = wire_problems(event, station.station_id)
    write_line(f"parked #{event.seq} {event.type} {event.event_id}")
    write_line(f"occurred at {event.occurred_at.isoformat()}, {event.attempts} attempt(s)")
    write_line(f"reason: {event.last_error}")
    if problems:
        write_line("cannot pass the wire checks as it stands:")
        for problem in problems:
            write_line(f"  {problem}")
    write_line("payload:")
    write_line(json.dumps(event.payload, indent=2, ensure_ascii=True, default=str))
    return 0


def cmd_parked_drop(args: argparse.Namespace) -> int:
    reason = " ".join(args.reason.split())
    if not reason:
        raise CommandError("--reason must say why the event is dropped")
    password = read_secret(args.password_stdin, f"password of {args.supervisor}: ", "the password")
    with open_station(args) as station:
        outbox = Outbox(station.db.sessions)
        event = _find(outbox, args.id)
        directory = site_directory(station.db, station.clock, station.station_id, station.settings)
        try:
            user = directory.authenticate_password(args.supervisor, password)
        except AuthError as exc:
            raise CommandError(f"not dropped: {auth_error_text(exc)}") from exc
        if not user.can_clear:
            directory.record_event("sync.parked_drop_refused", user.name, event_id=event.event_id, role=user.role)
            raise CommandError(f"not dropped: {user.name} is a {user.role}; a supervisor drops parked events")
        if not outbox.drop(event.event_id):
            raise CommandError(f"not dropped: event #{event.seq} is no longer parked")
        directory.record_event(
            DROP_ACTION,
            user.name,
            event_id=event.event_id,
            seq=event.seq,
            type=event.type,
            parked_reason=(event.last_error or "")[:500],
            reason=reason,
        )
    write_line(f"dropped parked event #{event.seq} {event.type} {event.event_id}; recorded in the audit trail")
    return 0


def cmd_retry_parked(args: argparse.Namespace) -> int:
    with open_station(args) as station:
        outbox = Outbox(station.db.sessions)
        parked = outbox.parked()
        blocked = {e.event_id: wire_problems(e, station.station_id) for e in parked}
        blocked = {k: v for k, v in blocked.items() if v}
        count = outbox.requeue([e.event_id for e in parked if e.event_id not in blocked])
    write_line(f"{count} parked event(s) queued again")
    for e in parked:
        if e.event_id in blocked:
            sys.stderr.write(
                f"packgate: #{e.seq} {e.type} {e.event_id} stays parked, it cannot pass: "
                f"{'; '.join(blocked[e.event_id])} (fix it, or drop it with "
                f"'packgate sync parked drop {e.seq}')\n"
            )
    return EXIT_STILL_PARKED if blocked else 0
