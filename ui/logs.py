"""Logging set-up for the app and the command line.

The file log (`<data dir>/logs/packgate.log`, rotated at 5 MB x 10) is JSON lines: one object per record
with time, level, logger, message and every `extra={...}` field, so a shift can be replayed afterwards with
`jq`. The console gets a short human line. Qt's own messages are routed into the same loggers
(`ui.app` installs the handler).
"""

from __future__ import annotations

import contextlib
import io
import json
import logging
import logging.handlers
import os
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

from station.paths import PRIVATE_FILE, make_private_dir


class PrivateRotatingFileHandler(logging.handlers.RotatingFileHandler):
    """The file log, created 0600 whatever the umask (it names users, orders and addresses); rotated files
    keep the mode, as rotation renames them."""

    def _open(self) -> io.TextIOWrapper:
        fd = os.open(self.baseFilename, os.O_CREAT | os.O_WRONLY | os.O_APPEND, PRIVATE_FILE)
        return os.fdopen(fd, "a", encoding=self.encoding, errors=self.errors)


_STANDARD = set(vars(logging.makeLogRecord({})).keys()) | {"message", "asctime"}


def _extras(record: logging.LogRecord) -> dict[str, object]:
    return {k: v for k, v in vars(record).items() if k not in _STANDARD and not k.startswith("_")}


class JsonLinesFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, object] = {
            "at": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "msg": record.getMessage(),
            "thread": record.threadName,
        }
        entry.update(_extras(record))
        if record.exc_info:
            entry["exc"] = self.formatException(record.exc_info)
        return json.dumps(entry, default=str, ensure_ascii=False)


class KeyValueFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        base = f"{record.levelname.lower()}: {record.getMessage()}"
        extras = _extras(record)
        if extras:
            base += " " + " ".join(f"{k}={v}" for k, v in extras.items())
        if record.exc_info:
            base += "\n" + self.formatException(record.exc_info)
        return base


def configure_logging(log_dir: Path | None, console_level: int = logging.WARNING, debug_wire: bool = False) -> None:
    root = logging.getLogger()
    root.setLevel(logging.DEBUG if debug_wire else logging.INFO)
    for handler in list(root.handlers):
        if getattr(handler, "_packgate", False):
            root.removeHandler(handler)
            handler.close()
    console = logging.StreamHandler()
    console.setLevel(console_level)
    console.setFormatter(KeyValueFormatter())
    console._packgate = True  # type: ignore[attr-defined]
    root.addHandler(console)
    if log_dir is not None:
        try:
            make_private_dir(log_dir)
            file_handler = PrivateRotatingFileHandler(
                log_dir / "packgate.log", maxBytes=5_000_000, backupCount=10, encoding="utf-8"
            )
        except OSError as exc:
            logging.getLogger(__name__).warning("file log disabled", extra={"error": str(exc)})
        else:
            file_handler.setFormatter(JsonLinesFormatter())
            file_handler.setLevel(logging.DEBUG if debug_wire else logging.INFO)
            file_handler._packgate = True  # type: ignore[attr-defined]
            root.addHandler(file_handler)
    # Raw scanner traffic is noisy; only with --debug-wire.
    logging.getLogger("wire").setLevel(logging.DEBUG if debug_wire else logging.WARNING)


@contextlib.contextmanager
def console_quiet(drop: Callable[[logging.LogRecord], bool]) -> Iterator[None]:
    """Keep records for which ``drop(record)`` is true off the console for a while (a command that prints
    the same news in its own words); the file log still gets them."""

    def keep(record: logging.LogRecord) -> bool:
        return not drop(record)

    consoles = [
        h
        for h in logging.getLogger().handlers
        if getattr(h, "_packgate", False) and not isinstance(h, logging.FileHandler)
    ]
    for handler in consoles:
        handler.addFilter(keep)
    try:
        yield
    finally:
        for handler in consoles:
            handler.removeFilter(keep)
