"""`packgate users add|list|disable|enable|unlock|set-role|reset-pin|set-password|change-pin`: who may pack,
clear and administer.

Once the station has an admin, every change (add, disable, enable, unlock, set-role, reset-pin,
set-password) needs an admin's credential: `--admin ID` (the admin's user name with their password, or their
badge code with their PIN; asked on the terminal when not given) and the secret asked without echo, or read
as the first line of standard input with `--admin-stdin`. Before there is an admin, the only change allowed
is adding the first admin (a shell on the bench must not be enough to make a supervisor who can clear
blocks). `change-pin NAME` is self-service: it proves the current PIN instead.

PINs and passwords are asked twice without echo, or read from standard input with `--pin-stdin` (after the
admin's secret, when one is needed: the PIN, then the password when `--password` is given) so provisioning
can be scripted. They are hashed by `station.users` and never printed or logged.
"""

from __future__ import annotations

import argparse
import getpass
import logging
from collections.abc import Callable
from typing import Any, TypeVar

from station.users import (
    ROLES,
    AuthError,
    ClearanceRefused,
    PinChangeRequired,
    Role,
    User,
    UserDirectory,
    UserError,
    site_directory,
)
from ui.bootstrap import Station
from ui.commands import CommandError
from ui.commands.common import open_station, write_json, write_line
from ui.commands.secrets import ask_twice, read_secret, stdin_lines
from ui.user_words import auth_error_text, refusal_text, user_error_text

logger = logging.getLogger(__name__)
T = TypeVar("T")


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("users", help="packers, supervisors and admins", parents=[common])
    usub = p.add_subparsers(dest="users_command", metavar="ACTION", required=True)
    admin = argparse.ArgumentParser(add_help=False)
    admin.add_argument(
        "--admin",
        metavar="ID",
        help="the admin authorising this change: user name (then the "
        "password is asked) or badge code (then the PIN); asked when not given",
    )
    admin.add_argument(
        "--admin-stdin",
        action="store_true",
        help="read the admin's password or PIN as the first line of standard input",
    )
    changing = [common, admin]

    add = usub.add_parser("add", help="add a user (asks for the PIN twice)", parents=changing)
    add.add_argument("name", help="user id, e.g. S1 (letters, digits, . _ -)")
    add.add_argument("--role", choices=ROLES, required=True)
    add.add_argument("--badge", metavar="CODE", help="badge barcode; a PIN is asked for when given")
    add.add_argument("--display-name", metavar="TEXT", help="name shown on screens (default: NAME)")
    add.add_argument(
        "--no-pin", action="store_true", help="a badge without a PIN (packers: the badge only says who packs)"
    )
    add.add_argument("--password", action="store_true", help="also set a password (for name + password login)")
    add.add_argument("--pin-stdin", action="store_true", help="read the PIN (and then the password) from stdin")
    add.set_defaults(func=cmd_add)

    lst = usub.add_parser("list", help="list users with role, badge and lock state", parents=[common])
    lst.add_argument("--json", action="store_true")
    lst.set_defaults(func=cmd_list)

    for verb, what, func in (
        ("disable", "stop a user logging in (kept for the audit trail)", cmd_disable),
        ("enable", "let a disabled user log in again", cmd_enable),
        ("unlock", "lift a lockout after wrong PINs (the PIN stays)", cmd_unlock),
    ):
        one = usub.add_parser(verb, help=what, parents=changing)
        one.add_argument("name")
        one.set_defaults(func=func)
    role = usub.add_parser("set-role", help="make a user a packer, supervisor or admin", parents=changing)
    role.add_argument("name")
    role.add_argument("role", choices=ROLES)
    role.set_defaults(func=cmd_set_role)

    change = usub.add_parser(
        "change-pin",
        help="change your own PIN (asks the current one, then the new one "
        "twice); needed when the station asks for a new PIN",
        parents=[common],
    )
    change.add_argument("name")
    change.add_argument("--pin-stdin", action="store_true", help="read the current PIN and the new PIN from stdin")
    change.set_defaults(func=cmd_change_pin)

    reset = usub.add_parser("reset-pin", help="set a new PIN and lift any lockout", parents=changing)
    reset.add_argument("name")
    reset.add_argument("--pin-stdin", action="store_true", help="read the new PIN from stdin")
    reset.set_defaults(func=cmd_reset_pin)

    pw = usub.add_parser("set-password", help="set a password (for name + password sign-in)", parents=changing)
    pw.add_argument("name")
    pw.add_argument("--password-stdin", action="store_true", help="read the new password from stdin")
    pw.set_defaults(func=cmd_set_password)


def _operator() -> str:
    """Who ran the command, for the audit trail (the OS account: the CLI has no station login)."""
    try:
        return f"cli:{getpass.getuser()}"
    except (KeyError, OSError):  # no passwd entry in some containers
        return "cli"


def _directory(args: argparse.Namespace) -> tuple[Station, UserDirectory]:
    station = open_station(args)
    return station, site_directory(station.db, station.clock, station.station_id, station.settings)


def _admin_actor(args: argparse.Namespace, directory: UserDirectory, adding_role: str | None = None) -> str:
    """Who authorises this change: an admin's verified credential once the station has an admin; before
    that, only the first admin may be added (by whoever runs the command: the OS account is recorded)."""
    if not directory.has_admin():
        if adding_role == Role.ADMIN.value:
            return _operator()
        raise CommandError(
            "this station has no admin yet: add one first (packgate users add NAME --role admin "
            "--password); after that, changing users needs an admin's sign-in"
        )
    identifier = getattr(args, "admin", None)
    if not identifier:
        if getattr(args, "admin_stdin", False):
            raise CommandError("--admin-stdin needs --admin NAME (or badge)")
        identifier = input("admin (user name or badge): ").strip()
    secret = read_secret(
        getattr(args, "admin_stdin", False), f"password or PIN of {identifier}: ", "the admin's password or PIN"
    )
    try:
        admin: User = directory.authenticate_admin(identifier, secret)
    except PinChangeRequired as exc:
        raise CommandError(
            f"admin sign-in: {auth_error_text(exc)} first (packgate users change-pin {exc.name})"
        ) from exc
    except ClearanceRefused as exc:
        raise CommandError(f"admin sign-in refused: {refusal_text(exc)}; nothing changed") from exc
    except AuthError as exc:
        raise CommandError(f"admin sign-in refused: {auth_error_text(exc)}; nothing changed") from exc
    return admin.name


def _apply(args: argparse.Namespace, change: Callable[[UserDirectory, str], T], adding_role: str | None = None) -> T:
    """Run one change on the station's users, authorised by an admin (`change(directory, actor)`); a
    refused change (`UserError`) is one line for the user."""
    station, directory = _directory(args)
    with station:
        actor = _admin_actor(args, directory, adding_role)
        try:
            return change(directory, actor)
        except UserError as exc:
            raise CommandError(user_error_text(exc)) from exc


def cmd_add(args: argparse.Namespace) -> int:
    wants_pin = bool(args.badge) and not args.no_pin

    def add(d: UserDirectory, actor: str) -> User:
        pin = password = None
        if args.pin_stdin:
            values = stdin_lines((1 if wants_pin else 0) + (1 if args.password else 0))
            pin = values.pop(0) if wants_pin else None
            password = values.pop(0) if args.password else None
        else:
            pin = ask_twice("PIN") if wants_pin else None
            password = ask_twice("password") if args.password else None
        return d.add(
            args.name,
            args.role,
            badge=args.badge,
            pin=pin,
            password=password,
            display_name=args.display_name,
            actor=actor,
        )

    user = _apply(args, add, adding_role=args.role)
    write_line(f"added {user.role} {user.name} ({user.display_name})")
    return 0


def cmd_list(args: argparse.Namespace) -> int:
    station, directory = _directory(args)
    with station:
        users = directory.list()
        now = station.clock.now()
    rows: list[dict[str, Any]] = [  # the JSON rows: mixed value types
        {
            "name": u.name,
            "display_name": u.display_name,
            "role": u.role,
            "badge": u.badge,
            "disabled": u.disabled,
            "pin": u.has_pin,
            "password": u.has_password,
            "locked_until": u.locked_until.isoformat() if u.locked_at(now) and u.locked_until else None,
        }
        for u in users
    ]
    if args.json:
        write_json(rows)
        return 0
    if not rows:
        write_line("no users")
        return 0
    write_line(f"{'NAME':<10} {'ROLE':<11} {'BADGE':<14} {'LOGIN':<13} {'STATE':<22} DISPLAY NAME")
    for r in rows:
        login = "+".join(k for k in ("pin", "password") if r[k]) or "-"
        state = (
            "disabled"
            if r["disabled"]
            else (f"locked to {r['locked_until'][11:16]} UTC" if r["locked_until"] else "active")
        )
        write_line(
            f"{r['name']:<10} {r['role']:<11} {(r['badge'] or '-'):<14} {login:<13} {state:<22} {r['display_name']}"
        )
    return 0


def _change(args: argparse.Namespace, verb: str) -> int:
    _apply(args, lambda d, actor: getattr(d, verb)(args.name, actor=actor))
    write_line(f"{args.name} {verb}{'d' if verb.endswith('e') else 'ed'}")
    return 0


def cmd_disable(args: argparse.Namespace) -> int:
    return _change(args, "disable")


def cmd_enable(args: argparse.Namespace) -> int:
    return _change(args, "enable")


def cmd_unlock(args: argparse.Namespace) -> int:
    return _change(args, "unlock")


def cmd_set_role(args: argparse.Namespace) -> int:
    user = _apply(
        args,
        lambda d, actor: d.set_role(args.name, args.role, actor=actor),
        adding_role=args.role if args.role == Role.ADMIN.value else None,
    )
    write_line(f"{user.name} is now {'an' if user.role == Role.ADMIN.value else 'a'} {user.role}")
    return 0


def cmd_reset_pin(args: argparse.Namespace) -> int:
    _apply(
        args,
        lambda d, actor: d.reset_pin(
            args.name, stdin_lines(1)[0] if args.pin_stdin else ask_twice("new PIN"), actor=actor
        ),
    )
    write_line(f"new PIN set for {args.name}; any lockout lifted")
    return 0


def cmd_set_password(args: argparse.Namespace) -> int:
    def set_password(d: UserDirectory, actor: str) -> User:
        password = stdin_lines(1, "a password")[0] if args.password_stdin else ask_twice("new password")
        if not password:  # an empty one typed twice
            raise CommandError("expected a password on standard input")
        return d.set_password(args.name, password, actor=actor)

    _apply(args, set_password)
    write_line(f"password set for {args.name}")
    return 0


def cmd_change_pin(args: argparse.Namespace) -> int:
    """Self-service: the current PIN proves who you are (also when the station asks for a new PIN)."""
    if args.pin_stdin:
        old, new = stdin_lines(2, "the current PIN and the new PIN, one per line")
    else:
        old = getpass.getpass("current PIN: ")
        new = ask_twice("new PIN")
    station, directory = _directory(args)
    with station:
        try:
            directory.change_pin_name(args.name, old, new)
        except UserError as exc:
            raise CommandError(f"{user_error_text(exc)}; nothing changed") from exc
        except AuthError as exc:
            raise CommandError(f"not accepted: {auth_error_text(exc)}; nothing changed") from exc
    write_line(f"new PIN set for {args.name}")
    return 0
