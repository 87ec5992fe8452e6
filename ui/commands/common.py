"""What every sub-command needs: the station for `--data-dir`/`--station`, and JSON/CSV output."""

from __future__ import annotations

import json
import sys
from argparse import Namespace
from typing import Any

from ui.bootstrap import Station, bootstrap


def open_station(args: Namespace) -> Station:
    return bootstrap(args.data_dir, args.station)


def write_json(value: Any) -> None:
    sys.stdout.write(json.dumps(value, indent=2, ensure_ascii=False, default=str) + "\n")


def write_line(text: str = "") -> None:
    sys.stdout.write(text + "\n")
