"""`packgate install-desktop [--autostart] [--kiosk]`: a freedesktop menu entry for the packer screen, and
with `--autostart` one in the session's autostart directory, so a bench starts PackGate (full screen with
`--kiosk`) when the packer's account logs in.

Written by hand rather than with a library: a desktop entry is a dozen `key=value` lines, and the one
subtle part, quoting the `Exec` arguments, follows the Desktop Entry Specification (version 1.4) below.
The tests check every file with `desktop-file-validate`. Paths follow the XDG base directories
(`$XDG_DATA_HOME/applications`, `$XDG_CONFIG_HOME/autostart`).
"""

from __future__ import annotations

import argparse
import logging
import os
import shutil
from pathlib import Path

from ui.commands import CommandError
from ui.commands.common import write_line

logger = logging.getLogger(__name__)

ENTRY_NAME = "packgate.desktop"
ICON = Path(__file__).resolve().parents[1] / "assets" / "icons" / "packgate.svg"
_RESERVED = set(" \t\n\"'\\><~|&;$*?#()`")


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser(
        "install-desktop",
        help="add PackGate to the desktop menu (and, with --autostart, start it at login)",
        parents=[common],
    )
    p.add_argument("--autostart", action="store_true", help="also start the packer screen when the user logs in")
    p.add_argument("--kiosk", action="store_true", help="start full screen, without a window frame")
    p.add_argument("--exec", dest="executable", metavar="PATH", help="the packgate program (default: from PATH)")
    p.set_defaults(func=cmd_install_desktop)


def quote_arg(arg: str) -> str:
    """One argument of an ``Exec`` key (Desktop Entry Specification, "The Exec key"): an argument holding a
    reserved character is double-quoted, with ``"``, `` ` ``, ``$`` and ``\\`` backslash-escaped inside, and
    ``%`` (a field code) is doubled. The whole value is then escaped once more as a string value, which
    doubles every backslash."""
    arg = arg.replace("%", "%%")
    if arg and not (set(arg) & _RESERVED):
        quoted = arg
    else:
        quoted = '"' + "".join("\\" + c if c in '"`$\\' else c for c in arg) + '"'
    return quoted.replace("\\", "\\\\")


def entry_text(executable: str, args: list[str], *, autostart: bool) -> str:
    exec_line = " ".join(quote_arg(a) for a in [executable, *args])
    lines = [
        "[Desktop Entry]",
        "Type=Application",
        "Version=1.4",  # the newest desktop-file-validate (Debian 12) knows; 1.5 changed nothing used here
        "Name=PackGate",
        "GenericName=Pick verification",
        "Comment=Check every item against the order before the parcel is sealed",
        f"Exec={exec_line}",
        f"TryExec={quote_arg(executable)}",
        f"Icon={ICON}",
        "Terminal=false",
        "Categories=Office;",
        "Keywords=packing;warehouse;barcode;scanner;",
        "StartupNotify=false",
    ]
    if autostart:
        lines.append("X-GNOME-Autostart-enabled=true")
    return "\n".join(lines) + "\n"


def _data_home() -> Path:
    return Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")


def _config_home() -> Path:
    return Path(os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config")


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.partial")
    partial.write_text(text, encoding="utf-8")
    partial.chmod(0o644)
    os.replace(partial, path)


def cmd_install_desktop(args: argparse.Namespace) -> int:
    executable = args.executable or shutil.which("packgate")
    if not executable:
        raise CommandError("packgate is not on PATH: give --exec /path/to/packgate")
    executable = str(Path(executable).resolve())
    if not os.access(executable, os.X_OK):
        raise CommandError(f"{executable} is not an executable program")
    gui_args: list[str] = []
    if getattr(args, "data_dir", None):
        gui_args += ["--data-dir", str(Path(args.data_dir).resolve())]
    if getattr(args, "station", None):
        gui_args += ["--station", args.station]
    if args.kiosk:
        gui_args.append("--kiosk")
    try:
        menu = _data_home() / "applications" / ENTRY_NAME
        _write(menu, entry_text(executable, gui_args, autostart=False))
        write_line(f"menu entry written: {menu}")
        if args.autostart:
            start = _config_home() / "autostart" / ENTRY_NAME
            _write(start, entry_text(executable, gui_args, autostart=True))
            write_line(f"autostart entry written: {start} (PackGate starts when this user logs in)")
    except OSError as exc:
        raise CommandError(f"cannot write the desktop entry: {exc.strerror or exc}") from exc
    logger.info(
        "desktop entry installed", extra={"exec": executable, "gui_args": gui_args, "autostart": args.autostart}
    )
    return 0
