"""``packgate-central webhook add|list|remove|deliveries|send-again``: the webhook commands of the central CLI.

packgate-central webhook add URL --events incident.opened,case.changed [--secret S]
packgate-central webhook list [--all]
packgate-central webhook remove ID
packgate-central webhook deliveries ID [--status pending|delivered|failed|cancelled] [--limit N] [--before N]
packgate-central webhook send-again ID [--delivery N]
packgate-central webhook rotate-secret ID [--secret S] [--overlap-hours H]
"""

from __future__ import annotations

import argparse
import math
import sys
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from sync.server import webhook_secrets, webhooks


def add_parsers(commands: argparse._SubParsersAction, db: argparse.ArgumentParser) -> None:
    hook = commands.add_parser("webhook", help="webhooks for customer-facing systems").add_subparsers(
        dest="webhook_command", required=True
    )
    add = hook.add_parser("add", parents=[db], help="register an endpoint (prints its id and secret)")
    add.add_argument("url", metavar="URL")
    add.add_argument("--events", required=True, help=f"comma-separated event types: {','.join(webhooks.EVENT_TYPES)}")
    add.add_argument(
        "--secret",
        help=f"the signing secret ({webhooks.MIN_SECRET_LENGTH}-256 characters; default: a new random one, shown once)",
    )
    listing = hook.add_parser("list", parents=[db], help="endpoints with their delivery counts")
    listing.add_argument("--all", action="store_true", help="include removed endpoints")
    remove = hook.add_parser("remove", parents=[db], help="stop delivering to an endpoint")
    remove.add_argument("webhook_id", metavar="ID")
    log = hook.add_parser("deliveries", parents=[db], help="the delivery log of an endpoint, newest first")
    log.add_argument("webhook_id", metavar="ID")
    log.add_argument("--status", choices=webhooks.DELIVERY_STATUSES)
    log.add_argument("--limit", type=int, default=50)
    log.add_argument("--before", type=int, metavar="N", help="only deliveries older than delivery N (the next page)")
    again = hook.add_parser(
        "send-again", parents=[db], help="queue an endpoint's failed deliveries again (after the receiver is fixed)"
    )
    again.add_argument("webhook_id", metavar="ID")
    again.add_argument("--delivery", type=int, metavar="N", help="only delivery N (default: every failed one)")
    rotate = hook.add_parser(
        "rotate-secret",
        parents=[db],
        help="give an endpoint a new signing secret; the old one is still signed with during an overlap",
    )
    rotate.add_argument("webhook_id", metavar="ID")
    rotate.add_argument("--secret", help="the new secret (default: a new random one, shown once)")
    rotate.add_argument(
        "--overlap-hours",
        type=float,
        default=webhook_secrets.DEFAULT_OVERLAP.total_seconds() / 3600,
        metavar="H",
        help="hours in which deliveries carry both signatures, new and old (default 24; 0: the new one only)",
    )


def _when(value: datetime | None) -> str:
    return f"{value:%Y-%m-%d %H:%M:%S}" if value is not None else "-"


def run(args: argparse.Namespace, session: Session) -> int:
    """Run one webhook command; raises ``webhooks.WebhookError`` for bad input."""
    command = args.webhook_command
    if command == "add":
        generated = args.secret is None
        hook = webhooks.add_webhook(session, args.url, webhooks.parse_events(args.events), args.secret)
        session.commit()
        print(f"webhook id: {hook.id}  ({hook.url}: {','.join(hook.events)})")
        if generated:
            print(f"secret: {hook.secret}")
            print(
                "Store the secret now (the receiver checks signatures with it); it is not shown again.", file=sys.stderr
            )
    elif command == "rotate-secret":
        overlap = args.overlap_hours
        if not math.isfinite(overlap):
            raise webhooks.WebhookError("--overlap-hours must be a number of hours")
        hook = webhook_secrets.rotate_secret(
            session, args.webhook_id, args.secret, timedelta(hours=max(-1.0, min(overlap, 10_000.0)))
        )
        session.commit()
        if args.secret is None:
            print(f"secret: {hook.secret}")
            print(
                "Store the new secret now (the receiver checks signatures with it); it is not shown again.",
                file=sys.stderr,
            )
        if hook.previous_secret_until is not None:
            print(
                f"{hook.id}: deliveries carry the new and the old signature until "
                f"{hook.previous_secret_until:%Y-%m-%d %H:%M} UTC, then the new one only"
            )
        else:
            print(f"{hook.id}: deliveries are signed with the new secret only, from now on")
    elif command == "list":
        for hook, counts in webhooks.list_webhooks(session, include_removed=args.all):
            state = f"removed {_when(hook.removed_at)}" if hook.removed_at else "active"
            tally = " ".join(f"{k}={v}" for k, v in counts.items())
            print(f"{hook.id}\t{hook.url}\t{','.join(hook.events)}\t{state}\t{tally}")
    elif command == "remove":
        hook, cancelled = webhooks.remove_webhook(session, args.webhook_id)
        session.commit()
        print(f"removed {hook.id} ({hook.url}); {cancelled} pending deliveries cancelled")
    elif command == "send-again":
        queued = webhooks.send_again(session, args.webhook_id, "packgate-central (command line)", args.delivery)
        session.commit()
        print(f"{queued} failed deliveries of {args.webhook_id} queued again")
    else:
        if not 1 <= args.limit <= 10_000:
            raise webhooks.WebhookError("--limit must be 1..10000")
        rows = webhooks.deliveries(session, args.webhook_id, args.status, args.limit, args.before)
        print("id\tevent\tevent_id\tstatus\tattempts\tlast answer\tnext attempt\tdelivered")
        for d in rows:
            answer = d.last_error or (f"HTTP {d.last_status}" if d.last_status else "-")
            print(
                f"{d.id}\t{d.event_type}\t{d.event_id}\t{d.status}\t{d.attempts}\t{answer}\t"
                f"{_when(d.next_attempt_at)}\t{_when(d.delivered_at)}"
            )
    return 0
