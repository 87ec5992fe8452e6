"""`packgate decode IMAGE...`: run the station's camera decoding pipeline on still images.

Prints one JSON object per image on its own line (`file`, `codes`: [{text, symbology}]), so it is handy for
checking a label by hand and for scripting; an unreadable image gets an `error` field and exit status 1.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from hardware.decoding import DEFAULT_FORMATS, FORMATS, Decoder, check_formats, decode_image_file
from ui.commands import CommandError


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("decode", help="decode barcodes in still images (one JSON line per image)", parents=[common])
    p.add_argument("images", nargs="+", type=Path, metavar="IMAGE")
    p.add_argument(
        "--formats",
        default=",".join(sorted(DEFAULT_FORMATS)),
        help=f"comma-separated formats to look for (of: {', '.join(sorted(FORMATS))})",
    )
    p.set_defaults(func=cmd_decode)


def cmd_decode(args: argparse.Namespace) -> int:
    try:
        formats = check_formats(f.strip() for f in args.formats.split(",") if f.strip())
    except ValueError as exc:
        raise CommandError(str(exc)) from exc
    decoder = Decoder(formats=formats)
    status = 0
    for path in args.images:
        entry: dict[str, object] = {"file": str(path)}
        try:
            codes = decode_image_file(path, decoder)
            entry["codes"] = [{"text": c.text, "symbology": c.symbology} for c in codes]
        except ValueError as exc:
            entry["codes"] = []
            entry["error"] = str(exc)
            status = 1
        sys.stdout.write(json.dumps(entry, ensure_ascii=False) + "\n")
    return status
