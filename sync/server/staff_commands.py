"""``packgate-central staff add|list|disable``: console accounts from the command line.

The password is asked twice on a terminal (never echoed, never an argument: arguments show up in
``ps`` and the shell history), or read from the first line of standard input with ``--password-stdin``
for scripts (``printf '%s\\n' "$PW" | packgate-central staff add ana --role service --password-stdin``).
"""

from __future__ import annotations

import argparse
import getpass
import logging
import sys
from datetime import UTC, datetime

from sqlalchemy.orm import Session

from sync.server.console import auth

logger = logging.getLogger(__name__)


def add_parsers(commands: argparse._SubParsersAction, db: argparse.ArgumentParser) -> None:
    staff = commands.add_parser("staff", help="console staff accounts").add_subparsers(
        dest="staff_command", required=True
    )
    add = staff.add_parser("add", parents=[db], help="add a person who signs in to the console")
    add.add_argument("name", metavar="NAME")
    add.add_argument(
        "--role",
        required=True,
        choices=auth.ROLES,
        help="service works cases; lead also sees KPIs; admin also manages staff and tokens",
    )
    add.add_argument(
        "--password-stdin", action="store_true", help="read the password from the first line of standard input"
    )
    staff.add_parser("list", parents=[db], help="list staff, their roles and state (never the passwords)")
    disable = staff.add_parser("disable", parents=[db], help="disable an account and end its sessions")
    disable.add_argument("name", metavar="NAME")


class _NoPassword(Exception):
    pass


def _password(args: argparse.Namespace) -> str:
    if args.password_stdin:
        line = sys.stdin.readline()
        return line[:-1] if line.endswith("\n") else line
    if not sys.stdin.isatty():
        raise _NoPassword("standard input is not a terminal: pass --password-stdin to read the password from it")
    first = getpass.getpass(f"Password for {args.name}: ")
    auth.check_password_rules(first)
    if getpass.getpass("The same password again: ") != first:
        raise _NoPassword("the two passwords differ; nothing was changed")
    return first


def run(args: argparse.Namespace, session: Session) -> int:
    now = datetime.now(UTC)
    try:
        if args.staff_command == "add":
            password = _password(args)
            staff = auth.add_staff(session, args.name, args.role, password, now)
            session.commit()
            print(f"added {staff.name} ({staff.role}); they sign in at /console/")
        elif args.staff_command == "disable":
            staff = auth.disable_staff(session, args.name, now)
            session.commit()
            print(f"disabled {staff.name}; their console sessions are ended")
        else:
            for staff in auth.list_staff(session):
                if staff.disabled_at:
                    state = f"disabled {staff.disabled_at:%Y-%m-%d %H:%M}"
                elif staff.locked_until and staff.locked_until > now:
                    state = f"locked until {staff.locked_until:%Y-%m-%d %H:%M} UTC"
                else:
                    state = "active"
                last = f"{staff.last_login_at:%Y-%m-%d %H:%M}" if staff.last_login_at else "never signed in"
                print(f"{staff.name}\t{staff.role}\t{state}\t{last}")
        return 0
    except (auth.StaffError, _NoPassword) as exc:
        print(f"packgate-central: {exc}", file=sys.stderr)
        return 1
