"""`packgate orders import FILE` and `packgate orders list [--json] [--status S]`."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from station.model import OrderStatus
from station.order_files import OrderFileError, read_order_file, read_recall_file
from station.orders import import_orders, import_recalls, list_orders
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


def _read(reader, path: Path):  # type: ignore[no-untyped-def]
    try:
        if path.is_dir():
            raise CommandError(f"{path} is a directory: give the order file itself")
        if not path.is_file():
            raise CommandError(f"no such file: {path}")
    except OSError as exc:  # e.g. a symlink loop
        raise CommandError(f"cannot open {path}: {exc.strerror or exc}") from exc
    try:
        return reader(path)
    except OrderFileError as exc:
        raise CommandError(f"{path.name} rejected, nothing imported:\n{exc}") from exc
    except OSError as exc:
        raise CommandError(f"cannot read {path}: {exc.strerror}") from exc


def cmd_import(args: argparse.Namespace) -> int:
    specs = _read(read_order_file, args.file)
    with open_station(args) as station:
        result = import_orders(station.db, specs, station.station_id, station.clock, source=str(args.file))
    write_line(f"imported {result.imported} new order(s), replaced {result.replaced}, "
               f"refused {len(result.refused)} from {args.file.name}")
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
        write_line(f"{o['order_id']:<12} {o['status']:<10} {scanned:>4}/{ordered:<4}  {o['carrier']:<10} {o['ship_to']}")
    return 0


def cmd_recalls_import(args: argparse.Namespace) -> int:
    entries = _read(read_recall_file, args.file)
    with open_station(args) as station:
        added = import_recalls(station.db, entries, station.station_id, station.clock, source=str(args.file))
    write_line(f"added {added} recall entr{'y' if added == 1 else 'ies'} ({len(entries) - added} already known)")
    return 0
