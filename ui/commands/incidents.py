"""`packgate incidents list [--open] [--json]` and `packgate incidents export --csv [FILE]`."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from station import csv_safe, queries
from ui.commands.common import open_station, write_json, write_line

EXPORT_FIELDS = [
    "id",
    "station_id",
    "order_id",
    "kind",
    "code",
    "status",
    "packer_id",
    "created_at",
    "detail",
    "evidence_file",
    "resolved_by",
    "resolved_at",
    "resolution",
    "reason",
    "suggested_remediation",
]


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("incidents", help="list and export incidents", parents=[common])
    isub = p.add_subparsers(dest="incidents_command", metavar="ACTION", required=True)
    lst = isub.add_parser("list", help="list incidents, newest first", parents=[common])
    lst.add_argument("--open", action="store_true", help="only incidents not yet cleared or escalated")
    lst.add_argument("--json", action="store_true")
    lst.set_defaults(func=cmd_list)
    exp = isub.add_parser("export", help="export all incidents", parents=[common])
    exp.add_argument("--csv", action="store_true", required=True, help="CSV output (the only format for now)")
    exp.add_argument("--output", "-o", type=Path, help="file to write (default: standard output)")
    exp.set_defaults(func=cmd_export)


def incident_rows(args: argparse.Namespace, only_open: bool = False) -> list[dict[str, Any]]:
    with open_station(args) as station:
        return [
            {
                "id": r.id,
                "station_id": r.station_id,
                "order_id": r.order_id,
                "kind": r.kind,
                "code": r.code,
                "status": r.status,
                "packer_id": r.packer_id,
                "created_at": r.created_at.isoformat(),
                "detail": r.detail,
                "expected": r.expected,
                "missing": r.missing,
                "evidence_file": r.evidence_file,
                "resolved_by": r.resolved_by,
                "resolved_at": r.resolved_at.isoformat() if r.resolved_at else None,
                "resolution": r.resolution,
                "reason": r.reason,
                "suggested_remediation": r.suggested_remediation,
            }
            for r in queries.incident_rows(station.db, only_open)
        ]


def cmd_list(args: argparse.Namespace) -> int:
    rows = incident_rows(args, only_open=args.open)
    if args.json:
        write_json(rows)
        return 0
    if not rows:
        write_line("no incidents")
        return 0
    write_line(f"{'WHEN (UTC)':<20} {'ORDER':<10} {'KIND':<17} {'STATUS':<10} {'PACKER':<8} CODE")
    for r in rows:
        write_line(
            f"{r['created_at'][:19]:<20} {r['order_id']:<10} {r['kind']:<17} {r['status']:<10} "
            f"{(r['packer_id'] or '-'):<8} {r['code'] or ''}"
        )
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    rows = incident_rows(args)
    out = open(args.output, "w", newline="", encoding="utf-8") if args.output else sys.stdout
    try:
        writer = csv_safe.dict_writer(out, EXPORT_FIELDS, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
    finally:
        if args.output:
            out.close()
    return 0
