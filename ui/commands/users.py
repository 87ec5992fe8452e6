"""`packgate users add|list|disable|enable|reset-pin|set-password`: managing who may pack, clear and administer.

PINs and passwords are asked twice without echo, or read from standard input with `--pin-stdin` (first
line the PIN, second line the password when `--password` is given) so provisioning can be scripted.
They are hashed by `station.users` and never printed or logged.
"""

from __future__ import annotations

import argparse
import getpass
import logging
import sys
from collections.abc import Callable
from typing import TypeVar

from station.users import ROLES, UserDirectory, UserError
from ui.commands import CommandError
from ui.commands.common import open_station, write_json, write_line

logger = logging.getLogger(__name__)
T = TypeVar("T")


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("users", help="packers, supervisors and admins", parents=[common])
    usub = p.add_subparsers(dest="users_command", metavar="ACTION", required=True)

    add = usub.add_parser("add", help="add a user (asks for the PIN twice)", parents=[common])
    add.add_argument("name", help="user id, e.g. S1 (letters, digits, . _ -)")
    add.add_argument("--role", choices=ROLES, required=True)
    add.add_argument("--badge", metavar="CODE", help="badge barcode; a PIN is asked for when given")
    add.add_argument("--display-name", metavar="TEXT", help="name shown on screens (default: NAME)")
    add.add_argument("--no-pin", action="store_true", help="a badge without a PIN (packers: the badge only says "
                     "who packs)")
    add.add_argument("--password", action="store_true", help="also set a password (for name + password login)")
    add.add_argument("--pin-stdin", action="store_true", help="read the PIN (and then the password) from stdin")
    add.set_defaults(func=cmd_add)

    lst = usub.add_parser("list", help="list users with role, badge and lock state", parents=[common])
    lst.add_argument("--json", action="store_true")
    lst.set_defaults(func=cmd_list)

    dis = usub.add_parser("disable", help="stop a user logging in (kept for the audit trail)", parents=[common])
    dis.add_argument("name")
    dis.set_defaults(func=cmd_disable)
    en = usub.add_parser("enable", help="let a disabled user log in again", parents=[common])
    en.add_argument("name")
    en.set_defaults(func=cmd_enable)

    reset = usub.add_parser("reset-pin", help="set a new PIN and lift any lockout", parents=[common])
    reset.add_argument("name")
    reset.add_argument("--pin-stdin", action="store_true", help="read the new PIN from stdin")
    reset.set_defaults(func=cmd_reset_pin)

    pw = usub.add_parser("set-password", help="set a password (for name + password sign-in)", parents=[common])
    pw.add_argument("name")
    pw.add_argument("--password-stdin", action="store_true", help="read the new password from stdin")
    pw.set_defaults(func=cmd_set_password)


def _operator() -> str:
    """Who ran the command, for the audit trail (the OS account: the CLI has no station login)."""
    try:
        return f"cli:{getpass.getuser()}"
    except (KeyError, OSError):  # no passwd entry in some containers
        return "cli"


def _ask_twice(label: str) -> str:
    first = getpass.getpass(f"{label}: ")
    if getpass.getpass(f"{label} again: ") != first:
        raise CommandError(f"the two {label}s differ; nothing changed")
    return first


def _stdin_lines(count: int) -> list[str]:
    lines = [sys.stdin.readline().rstrip("\r\n") for _ in range(count)]
    if any(not line for line in lines):
        raise CommandError("expected " + ("a PIN" if count == 1 else "a PIN and a password, one per line")
                           + " on standard input")
    return lines


def _directory(args: argparse.Namespace):  # type: ignore[no-untyped-def]
    station = open_station(args)
    return station, UserDirectory(station.db, station.clock, station.station_id)


def _apply(args: argparse.Namespace, change: Callable[[UserDirectory], T]) -> T:
    """Run one change on the station's users; a refused change (`UserError`) is one line for the user."""
    station, directory = _directory(args)
    with station:
        try:
            return change(directory)
        except UserError as exc:
            raise CommandError(str(exc)) from exc


def cmd_add(args: argparse.Namespace) -> int:
    wants_pin = bool(args.badge) and not args.no_pin
    pin = password = None
    if args.pin_stdin:
        values = _stdin_lines((1 if wants_pin else 0) + (1 if args.password else 0))
        pin = values.pop(0) if wants_pin else None
        password = values.pop(0) if args.password else None
    else:
        pin = _ask_twice("PIN") if wants_pin else None
        password = _ask_twice("password") if args.password else None
    user = _apply(args, lambda d: d.add(args.name, args.role, badge=args.badge, pin=pin, password=password,
                                        display_name=args.display_name, actor=_operator()))
    write_line(f"added {user.role} {user.name} ({user.display_name})")
    return 0


def cmd_list(args: argparse.Namespace) -> int:
    station, directory = _directory(args)
    with station:
        users = directory.list()
        now = station.clock.now()
    rows = [{
        "name": u.name, "display_name": u.display_name, "role": u.role, "badge": u.badge,
        "disabled": u.disabled, "pin": u.has_pin, "password": u.has_password,
        "locked_until": u.locked_until.isoformat() if u.locked_at(now) and u.locked_until else None,
    } for u in users]
    if args.json:
        write_json(rows)
        return 0
    if not rows:
        write_line("no users")
        return 0
    write_line(f"{'NAME':<10} {'ROLE':<11} {'BADGE':<14} {'LOGIN':<13} {'STATE':<22} DISPLAY NAME")
    for r in rows:
        login = "+".join(k for k in ("pin", "password") if r[k]) or "-"
        state = "disabled" if r["disabled"] else (f"locked to {r['locked_until'][11:16]} UTC" if r["locked_until"]
                                                  else "active")
        write_line(f"{r['name']:<10} {r['role']:<11} {(r['badge'] or '-'):<14} {login:<13} {state:<22} "
                   f"{r['display_name']}")
    return 0


def _change(args: argparse.Namespace, verb: str) -> int:
    _apply(args, lambda d: getattr(d, verb)(args.name, actor=_operator()))
    write_line(f"{args.name} {verb}d")
    return 0


def cmd_disable(args: argparse.Namespace) -> int:
    return _change(args, "disable")


def cmd_enable(args: argparse.Namespace) -> int:
    return _change(args, "enable")


def _set_secret(args: argparse.Namespace, verb: str, secret: str) -> None:
    _apply(args, lambda d: getattr(d, verb)(args.name, secret, actor=_operator()))


def cmd_reset_pin(args: argparse.Namespace) -> int:
    _set_secret(args, "reset_pin", _stdin_lines(1)[0] if args.pin_stdin else _ask_twice("new PIN"))
    write_line(f"new PIN set for {args.name}; any lockout lifted")
    return 0


def cmd_set_password(args: argparse.Namespace) -> int:
    password = sys.stdin.readline().rstrip("\r\n") if args.password_stdin else _ask_twice("new password")
    if not password:
        raise CommandError("expected a password on standard input")
    _set_secret(args, "set_password", password)
    write_line(f"password set for {args.name}")
    return 0
