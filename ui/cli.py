"""The `packgate` command line.

`packgate` alone starts the packer screen; sub-commands manage orders, incidents, recalls, the audit
trail, the database, users and sync. Every command takes `--data-dir DIR` (or `PACKGATE_DATA_DIR`) and
`--station ID` (or `PACKGATE_STATION`). Errors are one clear line on stderr and a non-zero exit.
argparse (standard library) is enough here: no extra dependency for a dozen sub-commands.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import sys
from collections.abc import Sequence

from station import __version__
from station.db import DatabaseError
from station.paths import DataDirError, StationPaths, resolve_data_dir
from ui.commands import COMMAND_MODULES, CommandError
from ui.logs import configure_logging

logger = logging.getLogger(__name__)


def _common_options(suppress_defaults: bool) -> argparse.ArgumentParser:
    """The options every command takes. Sub-commands get a copy whose defaults are SUPPRESSed: otherwise
    argparse would overwrite `packgate --data-dir D orders list` with the sub-parser's default None."""
    default: str | None = argparse.SUPPRESS if suppress_defaults else None
    flag_default: str | bool = argparse.SUPPRESS if suppress_defaults else False
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--data-dir",
        metavar="DIR",
        help="where the station keeps its database and files (default: $PACKGATE_DATA_DIR or the per-user data dir)",
        default=default,
    )
    common.add_argument(
        "--station",
        metavar="ID",
        help="this station's id (default: $PACKGATE_STATION, the settings file, or the host name)",
        default=default,
    )
    common.add_argument("-v", "--verbose", action="store_true", help="log more to the console", default=flag_default)
    common.add_argument(
        "--debug-wire", action="store_true", help="log raw scanner traffic (logger 'wire')", default=flag_default
    )
    return common


def build_parser() -> argparse.ArgumentParser:
    common = _common_options(suppress_defaults=True)
    parser = argparse.ArgumentParser(
        prog="packgate",
        parents=[_common_options(suppress_defaults=False)],
        description="PackGate pick-verification station. Without a command, starts the packer screen.",
    )
    parser.add_argument("--version", action="version", version=f"packgate {__version__}")
    parser.set_defaults(func=None)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(sub, common)
    # Options of the GUI (no sub-command); `ui.app` reads them.
    gui = parser.add_argument_group("packer screen")
    gui.add_argument(
        "--demo",
        action="store_true",
        help="start on a fresh demo data dir with sample orders and a simulated scanner you can type into",
    )
    gui.add_argument("--packer", metavar="ID", help="packer id (skips the badge prompt)")
    gui.add_argument(
        "--scanner",
        action="append",
        metavar="SPEC",
        default=None,
        help="scan source, may repeat: wedge (default), serial:/dev/ttyACM0[@9600], file:codes.txt, "
        "camera:0, camera:/path/clip.mp4",
    )
    gui.add_argument(
        "--scale",
        metavar="SPEC",
        default=None,
        help="bench scale for the weight check at seal: serial:/dev/ttyUSB1[@9600][:mtsics|sma|continuous], "
        "sim (simulated; the default with --demo), or none",
    )
    gui.add_argument("--kiosk", action="store_true", help="full screen, no window frame")
    gui.add_argument("--mute", action="store_true", help="no verdict sounds")
    gui.add_argument(
        "--slip-printer",
        metavar="SPEC",
        help="print packing slips there this run: cups:QUEUE[@HOST:PORT] (default: the settings' printer)",
    )
    gui.add_argument(
        "--label-printer",
        metavar="SPEC",
        help="print shipping labels there this run: tcp:HOST[:PORT] (raw ZPL, 9100), cups-zpl:QUEUE or cups:QUEUE",
    )
    gui.add_argument("--paper", choices=("a4", "letter"), help="the packing slip's paper this run")
    gui.add_argument(
        "--metrics-port",
        type=int,
        metavar="N",
        help="serve Prometheus metrics (sync backlog, last error, devices) on 127.0.0.1:N (0: off; "
        'default: the settings\' "metrics" section)',
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    log_dir = None
    try:
        log_dir = StationPaths(resolve_data_dir(args.data_dir)).log_dir
    except OSError:
        pass
    configure_logging(log_dir, logging.INFO if args.verbose else logging.WARNING, args.debug_wire)
    func = args.func
    gui = func is None
    if gui:
        func = importlib.import_module("ui.app").run_gui
    try:
        rc = int(func(args) or 0)
        if gui:
            importlib.import_module("ui.app").end_process(rc)
        return rc
    except CommandError as exc:
        sys.stderr.write(f"packgate: {exc}\n")
        return exc.exit_code
    except (DatabaseError, DataDirError) as exc:
        sys.stderr.write(f"packgate: {exc}\n")
        return 3
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # `packgate orders list | head`
        return 0


if __name__ == "__main__":
    raise SystemExit(main())
