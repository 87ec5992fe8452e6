"""`packgate orders import FILE` and `packgate orders list [--json] [--status S]`."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from station.db import ConflictError
from station.model import OrderStatus
from station.order_files import OrderFileError, iter_order_file, read_recall_file
from station.order_files.conflicts import Conflict, Role
from station.orders import OrderConflictError, import_orders, import_recalls, list_orders
from ui.commands import CommandError
from ui.commands.common import open_station, write_json, write_line


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    orders = sub.add_parser("orders", help="import and list orders", parents=[common])
    osub = orders.add_subparsers(dest="orders_command", metavar="ACTION", required=True)
    imp = osub.add_parser("import", help="import orders from a CSV or JSON file (all or nothing)", parents=[common])
    imp.add_argument("file", type=Path)
    imp.set_defaults(func=cmd_import)
    lst = osub.add_parser("list", help="list orders with their status and counts", parents=[common])
    lst.add_argument("--json", action="store_true", help="machine-readable output")
    lst.add_argument("--status", choices=[s.value for s in OrderStatus])
    lst.set_defaults(func=cmd_list)

    recalls = sub.add_parser("recalls", help="recalled or quarantined lots and serials", parents=[common])
    rsub = recalls.add_subparsers(dest="recalls_command", metavar="ACTION", required=True)
    rimp = rsub.add_parser("import", help="add lots/serials from a CSV file (gtin,lot,serial,reason)", parents=[common])
    rimp.add_argument("file", type=Path)
    rimp.set_defaults(func=cmd_recalls_import)


def _check_path(path: Path) -> None:
    try:
        if path.is_dir():
            raise CommandError(f"{path} is a directory: give the order file itself")
        if not path.is_file():
            raise CommandError(f"no such file: {path}")
    except OSError as exc:  # e.g. a symlink loop
        raise CommandError(f"cannot open {path}: {exc.strerror or exc}") from exc


_T = TypeVar("_T")


def _read(reader: Callable[[Path], _T], path: Path) -> _T:
    _check_path(path)
    try:
        return reader(path)
    except OrderFileError as exc:
        raise CommandError(f"{path.name} rejected, nothing imported:\n{exc}") from exc
    except OSError as exc:
        raise CommandError(f"cannot read {path}: {exc.strerror}") from exc


_ROLE_WORDS = {Role.ORDER_BARCODE: "order barcode", Role.TOTE: "tote", Role.ITEM: "item code", Role.BADGE: "badge"}
SHOWN_CONFLICTS = 10


def conflict_text(c: Conflict, more: int = 0) -> str:
    """One conflict in words, naming both sides, e.g. "order 1002: order barcode 'ORD-1' is already the
    order barcode of order 1001"; ``more``: further orders with the same clash."""
    what = _ROLE_WORDS[c.role] + (f" {c.code!r} of {c.sku}" if c.sku else f" {c.code!r}")
    if c.other_role is Role.BADGE:
        return f"order {c.order_id}: {what} is the badge of user {c.other}"
    other = _ROLE_WORDS[c.other_role]
    if c.other_code != c.code:
        other += f" {c.other_code!r}"
    if c.other_sku:
        other += f" (line {c.other_sku})"
    others = f" and {more} more order(s)" if more else ""
    note = ""
    if c.other_role is Role.TOTE and c.other_status:
        note = f"; it is held until that order ({c.other_status}) is sealed"
    elif c.other_code != c.code and c.other_code.upper() == c.code.upper():
        note = "; they differ only in letter case, and scans match order barcodes regardless of case"
    return f"order {c.order_id}: {what} is already the {other} of order {c.other}{others}{note}"


def conflicts_text(conflicts: list[Conflict]) -> str:
    """The conflicts grouped by the code that clashes (an item code on many stored orders is one line)."""
    groups: dict[tuple[str, Role, str, Role], list[Conflict]] = {}
    for c in conflicts:
        groups.setdefault((c.order_id, c.role, c.code, c.other_role), []).append(c)
    shown = [conflict_text(group[0], len(group) - 1) for group in list(groups.values())[:SHOWN_CONFLICTS]]
    if len(groups) > SHOWN_CONFLICTS:
        shown.append(f"… and {len(groups) - SHOWN_CONFLICTS} more")
    return "\n".join(shown)


def cmd_import(args: argparse.Namespace) -> int:
    path: Path = args.file
    _check_path(path)
    try:
        with open_station(args) as station:
            # The file is streamed into one transaction: a problem anywhere in it rolls everything back.
            result = import_orders(
                station.db, iter_order_file(path), station.station_id, station.clock, source=str(path)
            )
    except OrderFileError as exc:
        raise CommandError(f"{path.name} rejected, nothing imported:\n{exc}") from exc
    except OrderConflictError as exc:
        raise CommandError(f"{path.name} rejected, nothing imported: {conflicts_text(exc.conflicts)}") from exc
    except ConflictError as exc:  # another process stored a clashing order meanwhile
        raise CommandError(
            f"{path.name} rejected, nothing imported: it clashes with a stored order ({getattr(exc, 'orig', exc)})"
        ) from exc
    except OSError as exc:
        raise CommandError(f"cannot read {path}: {exc.strerror}") from exc
    write_line(
        f"imported {result.imported} new order(s), replaced {result.replaced}, "
        f"refused {len(result.refused)} from {path.name}"
    )
    for order_id, status in result.refused:
        sys.stderr.write(f"packgate: order {order_id} not replaced: it is already {status}\n")
    return 0


def cmd_list(args: argparse.Namespace) -> int:
    with open_station(args) as station:
        orders = list_orders(station.db, status=args.status)
    if args.json:
        write_json(orders)
        return 0
    if not orders:
        write_line("no orders")
        return 0
    write_line(f"{'ORDER':<12} {'STATUS':<10} {'UNITS':>9}  {'CARRIER':<10} SHIP TO")
    for o in orders:
        ordered = sum(ln["ordered"] for ln in o["lines"])
        scanned = sum(min(ln["scanned"], ln["ordered"]) for ln in o["lines"])
        write_line(
            f"{o['order_id']:<12} {o['status']:<10} {scanned:>4}/{ordered:<4}  {o['carrier']:<10} {o['ship_to']}"
        )
    return 0


def cmd_recalls_import(args: argparse.Namespace) -> int:
    entries = _read(read_recall_file, args.file)
    with open_station(args) as station:
        added = import_recalls(station.db, entries, station.station_id, station.clock, source=str(args.file))
    write_line(f"added {added} recall entr{'y' if added == 1 else 'ies'} ({len(entries) - added} already known)")
    return 0
