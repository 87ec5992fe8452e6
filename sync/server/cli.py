"""``packgate-central``: run the central service and manage its credentials and schema.

Every command takes the database as ``--db URL`` or from ``$PACKGATE_CENTRAL_DB``; the default is an
SQLite file in the user's data dir. Every ``serve`` option can also come from the environment
(``PACKGATE_CENTRAL_PORT=8700``; see ``sync.server.serve_env``). Library choice: argparse (standard library) — the command set is
small and needs nothing more.

    packgate-central serve [--db URL] [--host 127.0.0.1] [--port 8700] [--ssl-certfile F --ssl-keyfile F]
                           [--max-body-mb 4] [--no-docs] [--console-idle-minutes 30] [--workers N]
    packgate-central token issue STATION_ID [--site SITE]   prints the token id and the token
    packgate-central token issue --admin NAME                a token for central staff and systems
    packgate-central token issue --kind resolution NAME      read-only: GET /orders/{id}/resolution only
    packgate-central token issue --kind metrics NAME         read-only: GET /metrics only (Prometheus)
    packgate-central token revoke TOKEN_ID
    packgate-central token list
    packgate-central staff add NAME --role service|lead|admin [--password-stdin]   a console account
    packgate-central staff list
    packgate-central staff disable NAME                       ends the person's console sessions too
    packgate-central db upgrade
    packgate-central openapi [--output FILE]                 the OpenAPI document (no database needed)
    packgate-central webhook add|list|remove|deliveries ...  see sync/server/cli_webhooks.py
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from collections.abc import Sequence
from pathlib import Path

from sqlalchemy.exc import SQLAlchemyError

from sync.server import cli_webhooks, serve_env, staff_commands
from sync.server.db import DB_ENV_VAR, DatabaseUrlError, default_db_url, make_engine, make_session_factory, upgrade
from sync.server.limits import DEFAULT_MAX_BODY_BYTES
from sync.server.tokens import (
    ADMIN,
    METRICS,
    RESOLUTION,
    STATION,
    TokenError,
    issue_named_token,
    issue_station_token,
    list_tokens,
    revoke_token,
)
from sync.server.webhooks import WebhookError

logger = logging.getLogger(__name__)


def _parser() -> argparse.ArgumentParser:
    db = argparse.ArgumentParser(add_help=False)
    db.add_argument(
        "--db",
        metavar="URL",
        default=None,
        help=f"database URL (sqlite:///PATH or postgresql://...); default ${DB_ENV_VAR} "
        "or an SQLite file in the user data dir",
    )
    db.add_argument("-v", "--verbose", action="store_true", help="log at DEBUG level")

    parser = argparse.ArgumentParser(prog="packgate-central", description="PackGate central remediation service")
    commands = parser.add_subparsers(dest="command", required=True)

    serve = commands.add_parser("serve", parents=[db], help="run the HTTP service (migrates the schema first)")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8700)
    serve.add_argument("--ssl-certfile", type=Path, help="serve HTTPS with this certificate (PEM)")
    serve.add_argument("--ssl-keyfile", type=Path, help="private key for --ssl-certfile")
    serve.add_argument(
        "--max-body-mb",
        type=float,
        default=DEFAULT_MAX_BODY_BYTES / 2**20,
        help="refuse request bodies larger than this (413; default %(default)g MB)",
    )
    serve.add_argument("--no-docs", action="store_true", help="do not serve /docs and /openapi.json")
    serve.add_argument(
        "--console-idle-minutes",
        type=float,
        default=30,
        help="sign a console session out after this many minutes without a request (default %(default)g)",
    )
    serve.add_argument(
        "--blob-dir", type=Path, help="where evidence images are kept (default: blobs/ beside an SQLite database)"
    )
    serve.add_argument(
        "--webhook-private-targets",
        action="store_true",
        help="let webhooks go to private, loopback and link-local addresses (a shop on the site's own network)",
    )
    serve.add_argument(
        "--workers",
        type=int,
        default=1,
        help="worker processes sharing the port (PostgreSQL only; default %(default)s); see sync/server/workers.py",
    )

    token = commands.add_parser("token", help="issue, revoke or list tokens").add_subparsers(
        dest="token_command", required=True
    )
    issue = token.add_parser("issue", parents=[db], help="issue a token (shown once)")
    issue.add_argument("station_id", nargs="?", metavar="STATION_ID")
    issue.add_argument("--admin", metavar="NAME", help="issue an admin token for NAME instead of a station token")
    issue.add_argument(
        "--kind",
        choices=(STATION, ADMIN, RESOLUTION, METRICS),
        help="the token's kind (default station); with admin, resolution or metrics the positional is the "
        "holder's NAME",
    )
    issue.add_argument("--site", help="the site the station belongs to (for KPIs per site)")
    revoke = token.add_parser("revoke", parents=[db], help="revoke a token by its id")
    revoke.add_argument("token_id", metavar="ID")
    token.add_parser("list", parents=[db], help="list token ids, holders and state (never the secrets)")

    staff_commands.add_parsers(commands, db)

    dbcmd = commands.add_parser("db", help="schema management").add_subparsers(dest="db_command", required=True)
    dbcmd.add_parser("upgrade", parents=[db], help="apply the Alembic migrations up to head")

    cli_webhooks.add_parsers(commands, db)

    openapi = commands.add_parser("openapi", help="print the OpenAPI document")
    openapi.add_argument("--output", type=Path, help="write to FILE instead of standard output")
    serve.set_defaults(environment_used=serve_env.apply_environment(serve))
    return parser


def openapi_document() -> dict:
    """The app's OpenAPI document; building the app touches no database."""
    from sync.server.app import create_app

    return create_app("sqlite://").openapi()


def main(argv: Sequence[str] | None = None) -> int:
    try:
        parser = _parser()
    except serve_env.EnvironmentValueError as exc:
        print(f"packgate-central: {exc}", file=sys.stderr)
        return 2
    args = parser.parse_args(argv)
    # Token and schema commands print their result; only the server narrates at INFO.
    level = logging.INFO if args.command == "serve" else logging.WARNING
    logging.basicConfig(
        level=logging.DEBUG if getattr(args, "verbose", False) else level,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )
    if args.command == "openapi":
        text = json.dumps(openapi_document(), indent=2, sort_keys=True) + "\n"
        if args.output:
            args.output.write_text(text, encoding="utf-8")
        else:
            sys.stdout.write(text)
        return 0
    if args.command == "token" and args.token_command == "issue":
        if args.admin and args.kind not in (None, ADMIN):
            parser.error("--admin NAME issues an admin token; leave out --kind")
        if bool(args.station_id) == bool(args.admin):
            parser.error(
                "token issue needs either STATION_ID or --admin NAME (not both), or --kind resolution|metrics NAME"
            )
        if args.admin:
            args.kind, args.station_id = ADMIN, args.admin

    try:
        engine = make_engine(args.db or default_db_url())
    except DatabaseUrlError as exc:
        parser.error(str(exc))
    try:
        if args.command == "serve":
            return _serve(args, engine.url.render_as_string(hide_password=False))
        upgrade(engine)
        if args.command == "db":
            print("database is at the newest schema")
            return 0
        with make_session_factory(engine)() as session:
            if args.command == "staff":
                return staff_commands.run(args, session)
            if args.command == "webhook":
                return cli_webhooks.run(args, session)
            if args.token_command == "issue":
                if args.kind in (ADMIN, RESOLUTION, METRICS) and args.site:
                    raise TokenError("--site is for station tokens")
                if args.kind in (ADMIN, RESOLUTION, METRICS):
                    issued = issue_named_token(session, args.kind, args.station_id)
                else:
                    issued = issue_station_token(session, args.station_id, site=args.site)
                session.commit()
                print(f"token id: {issued.token_id}  ({issued.kind} {issued.subject})")
                print(f"token: {issued.secret}")
                print(
                    "Store the token now; it is not shown again. Revoke with: "
                    f"packgate-central token revoke {issued.token_id}",
                    file=sys.stderr,
                )
            elif args.token_command == "revoke":
                token = revoke_token(session, args.token_id)
                session.commit()
                print(f"revoked {token.id} ({token.kind} {token.subject})")
            else:
                for token in list_tokens(session):
                    state = f"revoked {token.revoked_at:%Y-%m-%d %H:%M}" if token.revoked_at else "active"
                    print(f"{token.id}\t{token.kind}\t{token.subject}\t{state}")
        return 0
    except (TokenError, WebhookError) as exc:
        print(f"packgate-central: {exc}", file=sys.stderr)
        return 1
    except SQLAlchemyError as exc:
        print(
            f"packgate-central: database error: {exc.__class__.__name__}: {getattr(exc, 'orig', exc)}", file=sys.stderr
        )
        return 2
    finally:
        engine.dispose()


def _serve(args: argparse.Namespace, db_url: str) -> int:
    import uvicorn

    from sync.server import workers

    if bool(args.ssl_certfile) != bool(args.ssl_keyfile):
        print("packgate-central: --ssl-certfile and --ssl-keyfile go together", file=sys.stderr)
        return 1
    if not 0 < args.max_body_mb <= 1024:
        print("packgate-central: --max-body-mb must be more than 0 and at most 1024", file=sys.stderr)
        return 1
    if not 1 <= args.console_idle_minutes <= 24 * 60:
        print("packgate-central: --console-idle-minutes must be between 1 and 1440", file=sys.stderr)
        return 1
    if args.environment_used:
        logger.info("serve options from the environment: %s", ", ".join(args.environment_used))
    problem = workers.refusal(db_url, args.workers)
    if problem is not None:
        print(f"packgate-central: {problem}", file=sys.stderr)
        return 1
    options = workers.AppOptions(
        db_url=db_url,
        max_body_bytes=int(args.max_body_mb * 2**20),
        docs=not args.no_docs,
        console_idle_minutes=args.console_idle_minutes,
        blob_dir=str(args.blob_dir) if args.blob_dir else None,
        webhook_private_targets=args.webhook_private_targets,
    )
    certfile = str(args.ssl_certfile) if args.ssl_certfile else None
    keyfile = str(args.ssl_keyfile) if args.ssl_keyfile else None
    if args.workers == 1:
        app = options.app()
        uvicorn.run(app, host=args.host, port=args.port, log_level="info", ssl_certfile=certfile, ssl_keyfile=keyfile)
        return 0
    workers.prepare(options)  # migrate once, before any worker starts; the workers do not migrate
    uvicorn.run(
        workers.FACTORY,
        factory=True,
        workers=args.workers,
        host=args.host,
        port=args.port,
        log_level="info",
        ssl_certfile=certfile,
        ssl_keyfile=keyfile,
        # uvicorn kills a worker that is not serving within this many seconds, and starts another: a busy
        # machine needs more than its 5 s default to import and build the app (workers died in a loop).
        timeout_worker_healthcheck=workers.START_TIMEOUT_S,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
