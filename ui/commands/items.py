"""`packgate items import FILE`, `packgate items list`, `packgate items suggestions`, `packgate items accept SKU`:
the item master's unit weights for the weight check at seal (`station.items`)."""

from __future__ import annotations

import argparse
from pathlib import Path

from station.items import accept_suggestion, import_items, list_items, parse_items_file, suggestions
from station.order_files import OrderFileError
from station.weighing import WeighingSettings
from ui.bootstrap import Station
from ui.commands import CommandError
from ui.commands.common import open_station, write_json, write_line
from ui.commands.orders import _check_path


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    items = sub.add_parser("items", help="the item master: unit weights for the weight check", parents=[common])
    isub = items.add_subparsers(dest="items_command", metavar="ACTION", required=True)
    imp = isub.add_parser(
        "import", help="import unit weights from CSV (sku,unit_weight_g[,description]) or JSON", parents=[common]
    )
    imp.add_argument("file", type=Path)
    imp.set_defaults(func=cmd_import)
    lst = isub.add_parser("list", help="list the item master", parents=[common])
    lst.add_argument("--json", action="store_true", help="machine-readable output")
    lst.set_defaults(func=cmd_list)
    sug = isub.add_parser(
        "suggestions", help="unit weights learnt from clean single-product packages, to accept", parents=[common]
    )
    sug.add_argument("--json", action="store_true", help="machine-readable output")
    sug.set_defaults(func=cmd_suggestions)
    acc = isub.add_parser("accept", help="store a suggested unit weight in the item master", parents=[common])
    acc.add_argument("sku")
    acc.add_argument("--by", required=True, help="who accepts it (kept in the audit trail)")
    acc.set_defaults(func=cmd_accept)


def cmd_import(args: argparse.Namespace) -> int:
    path: Path = args.file
    _check_path(path)
    try:
        specs = parse_items_file(path)
    except OrderFileError as exc:
        raise CommandError(f"{path.name} rejected, nothing imported:\n{exc}") from exc
    with open_station(args) as station:
        new, updated = import_items(station.db, specs, station.station_id, station.clock, source=str(path))
    write_line(f"imported {new} new item(s), updated {updated} from {path.name}")
    return 0


def cmd_list(args: argparse.Namespace) -> int:
    with open_station(args) as station:
        rows = list_items(station.db)
    if args.json:
        write_json([{"sku": r.sku, "unit_weight_g": r.unit_weight_g, "description": r.description} for r in rows])
        return 0
    for r in rows:
        write_line(f"{r.sku}\t{r.unit_weight_g:g} g\t{r.description}")
    if not rows:
        write_line("no items")
    return 0


def _weighing(station: Station) -> WeighingSettings:
    return station.settings.read(WeighingSettings)


def cmd_suggestions(args: argparse.Namespace) -> int:
    with open_station(args) as station:
        found = suggestions(station.db, _weighing(station))
    if args.json:
        write_json([vars(sug) for sug in found])
        return 0
    if not found:
        write_line("no suggestions yet: a product needs 3 clean single-product packages without a known weight")
    for sug in found:
        write_line(
            f"{sug.sku}\t{sug.unit_weight_g:g} g per unit\t(median of {sug.samples} packages, "
            f"{sug.low_g:g}..{sug.high_g:g} g)\taccept: packgate items accept {sug.sku} --by NAME"
        )
    return 0


def cmd_accept(args: argparse.Namespace) -> int:
    with open_station(args) as station:
        found = accept_suggestion(station.db, args.sku, station.station_id, args.by, _weighing(station), station.clock)
    if found is None:
        raise CommandError(f"no suggestion for {args.sku}: see `packgate items suggestions`")
    write_line(f"{found.sku}: {found.unit_weight_g:g} g per unit stored in the item master")
    return 0
