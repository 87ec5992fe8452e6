"""The ``"printing"`` settings section: the bench's printers, which document goes to which, the slip's paper.

    "printing": {
      "paper": "a4",                                   # or "letter": the packing slip's page size
      "slip_printer": "office",                        # a printer's name below (none: slips are not printed)
      "label_printer": "zebra",
      "printers": [
        {"name": "office", "kind": "cups", "queue": "Laser_2F", "language": "pdf"},
        {"name": "zebra", "kind": "raw9100", "host": "10.0.4.21", "port": 9100, "language": "zpl"}
      ]
    }

A CUPS queue may also name its server (``"server": "printhost:631"``; absent: the machine's default, as
``lp`` finds it). ``language`` is what the printer takes: ``pdf`` for an office printer behind CUPS, ``zpl``
for a Zebra-style label printer (raw over port 9100, or a raw CUPS queue). The command line has the same in
one word per printer (:func:`parse_printer_spec`): ``cups:QUEUE``, ``cups:QUEUE@HOST:PORT``,
``cups-zpl:QUEUE`` (a raw CUPS queue for ZPL) and ``tcp:HOST[:PORT]`` (raw ZPL, port 9100 by default).
"""

from __future__ import annotations

import enum
import logging
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any, ClassVar

from station.settings import Section

logger = logging.getLogger(__name__)

RAW_PORT = 9100


class PrinterKind(enum.StrEnum):
    CUPS = "cups"  # a CUPS queue, through lp/lpstat
    RAW9100 = "raw9100"  # a raw TCP socket (HP JetDirect / Zebra port 9100)


class PrinterLanguage(enum.StrEnum):
    PDF = "pdf"
    ZPL = "zpl"


class PaperSize(enum.StrEnum):
    A4 = "a4"
    LETTER = "letter"


@dataclass(frozen=True)
class PrinterConfig:
    """One printer the bench can use; ``target`` is the CUPS queue name or ``host:port``."""

    name: str
    kind: PrinterKind
    target: str
    language: PrinterLanguage
    server: str | None = None  # CUPS only: ``host:port`` of the CUPS server (None: lp's default)
    status_check: bool = False  # raw only: ask a ZPL printer for paper/head/pause (~HS) before sending

    @property
    def host_port(self) -> tuple[str, int]:
        """A raw printer's address."""
        host, _, port = self.target.rpartition(":")
        if not host:
            return self.target, RAW_PORT
        return host, int(port)

    def describe(self) -> str:
        """Where it prints, for logs and the job list (``cups:Laser_2F``, ``tcp:10.0.4.21:9100``)."""
        if self.kind is PrinterKind.CUPS:
            return f"cups:{self.target}" + (f"@{self.server}" if self.server else "")
        host, port = self.host_port
        return f"tcp:{host}:{port}"

    def to_json(self) -> dict[str, Any]:
        item: dict[str, Any] = {"name": self.name, "kind": self.kind.value, "language": self.language.value}
        if self.kind is PrinterKind.CUPS:
            item["queue"] = self.target
            if self.server:
                item["server"] = self.server
        else:
            host, port = self.host_port
            item["host"], item["port"] = host, port
            if self.status_check:
                item["status_check"] = True
        return item

    @classmethod
    def from_json(cls, item: Mapping[str, Any]) -> PrinterConfig:
        """Raises ``ValueError`` naming what is wrong."""
        name = str(item.get("name") or "").strip()
        if not name:
            raise ValueError("a printer needs a name")
        kind = PrinterKind(str(item.get("kind", "")))
        language = PrinterLanguage(str(item.get("language") or _default_language(kind)))
        if kind is PrinterKind.CUPS:
            queue = str(item.get("queue") or "").strip()
            _check_queue(queue)
            server = str(item.get("server") or "").strip() or None
            return cls(name, kind, queue, language, server)
        host = str(item.get("host") or "").strip()
        port = item.get("port", RAW_PORT)
        return cls(name, kind, _address(host, port), language, status_check=item.get("status_check") is True)


def _default_language(kind: PrinterKind) -> PrinterLanguage:
    return PrinterLanguage.PDF if kind is PrinterKind.CUPS else PrinterLanguage.ZPL


def _check_queue(queue: str) -> None:
    # CUPS queue names: printable, no space, slash or '#', at most 127 bytes (lpadmin's own rule).
    if not queue or len(queue) > 127 or any(ch in queue for ch in " /#\\") or not queue.isprintable():
        raise ValueError(f"{queue!r} is not a CUPS queue name")


def _address(host: str, port: object) -> str:
    if not host or any(ch.isspace() for ch in host):
        raise ValueError(f"{host!r} is not a host name or address")
    if isinstance(port, bool) or not isinstance(port, int) and not (isinstance(port, str) and port.isdigit()):
        raise ValueError(f"port {port!r} is not a number")
    number = int(port)
    if not 1 <= number <= 65535:
        raise ValueError(f"port {number} is out of range 1..65535")
    return f"{host}:{number}"


def parse_printer_spec(name: str, spec: str) -> PrinterConfig:
    """A printer from its one-word form (see the module docstring); raises ``ValueError`` naming the problem."""
    scheme, sep, rest = spec.partition(":")
    if not sep or not rest:
        raise ValueError(f"{spec!r}: write cups:QUEUE, cups:QUEUE@HOST:PORT, cups-zpl:QUEUE or tcp:HOST[:PORT]")
    scheme = scheme.lower()
    if scheme in ("cups", "cups-zpl"):
        queue, _, server = rest.partition("@")
        _check_queue(queue)
        language = PrinterLanguage.ZPL if scheme == "cups-zpl" else PrinterLanguage.PDF
        return PrinterConfig(name, PrinterKind.CUPS, queue, language, server or None)
    if scheme in ("tcp", "raw", "raw9100"):
        host, _, port = rest.partition(":")
        return PrinterConfig(name, PrinterKind.RAW9100, _address(host, port or RAW_PORT), PrinterLanguage.ZPL)
    raise ValueError(f"{spec!r}: unknown printer kind {scheme!r} (cups, cups-zpl or tcp)")


@dataclass(frozen=True)
class PrintSettings:
    """Section ``"printing"`` (see the module docstring)."""

    SECTION: ClassVar[Section] = Section.PRINTING
    printers: tuple[PrinterConfig, ...] = ()
    slip_printer: str | None = None
    label_printer: str | None = None
    paper: PaperSize = PaperSize.A4

    @classmethod
    def from_section(cls, section: Mapping[str, Any]) -> PrintSettings:
        """Lenient: a bad printer entry is logged and left out, a bad paper size is A4."""
        printers: list[PrinterConfig] = []
        raw = section.get("printers") or []
        for item in raw if isinstance(raw, list) else []:
            try:
                printers.append(PrinterConfig.from_json(item if isinstance(item, Mapping) else {}))
            except ValueError as exc:
                logger.error("printing setting: printer %r left out: %s", item, exc)
        try:
            paper = PaperSize(str(section.get("paper", PaperSize.A4.value)).lower())
        except ValueError:
            logger.warning("printing setting paper=%r is not a4 or letter; using a4", section.get("paper"))
            paper = PaperSize.A4
        return cls(
            printers=tuple(printers),
            slip_printer=_name(section.get("slip_printer")),
            label_printer=_name(section.get("label_printer")),
            paper=paper,
        )

    def to_section(self) -> dict[str, Any]:
        return {
            "printers": [p.to_json() for p in self.printers],
            "slip_printer": self.slip_printer,
            "label_printer": self.label_printer,
            "paper": self.paper.value,
        }

    @property
    def configured(self) -> bool:
        """True when at least one document has a printer."""
        return self.printer(self.slip_printer) is not None or self.printer(self.label_printer) is not None

    def printer(self, name: str | None) -> PrinterConfig | None:
        return next((p for p in self.printers if p.name == name), None) if name else None

    def with_printer(self, printer: PrinterConfig) -> PrintSettings:
        """These settings with ``printer`` added, or replacing the one of its name."""
        others = tuple(p for p in self.printers if p.name != printer.name)
        return replace(self, printers=(*others, printer))


def _name(value: object) -> str | None:
    return value.strip() or None if isinstance(value, str) else None
