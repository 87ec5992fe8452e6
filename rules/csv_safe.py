"""Every CSV PackGate writes (the station's exports, the central console's KPI tables) goes through here, so no
cell can run as a spreadsheet formula. (In `rules` so that the station and the central service share it;
`station.csv_safe` re-exports it.)

A scanned code, an order id from an imported file or a note is data a stranger chose. Written as it is, a
cell such as `=HYPERLINK("http://x","y")` becomes a live link (or worse: `=cmd|...`) when a supervisor opens
the export in Excel or LibreOffice ("CSV injection"). As OWASP advises, a cell beginning with `=`, `+`, `-`,
`@`, tab or carriage return gets a single quote in front (`'=HYPERLINK(...)`): spreadsheets show it as
text. The `csv` module then quotes the cell whenever it holds a quote, the delimiter or a line break, so the
quote prefix and the cell stay one cell. Plain numbers (`-3`, `+1.5`) are left as they are: they cannot run.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import IO, Any

#: First characters that make a spreadsheet read a cell as a formula (OWASP "CSV Injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")


def safe_cell(value: Any) -> Any:
    """The value as it may be written: numbers and None unchanged, text that could run as a formula
    prefixed with `'`."""
    if value is None or isinstance(value, (bool, int, float)):
        return value
    text = str(value)
    if text.startswith(FORMULA_STARTS) and not _NUMBER.fullmatch(text):
        return "'" + text
    return text


class SafeWriter:
    """`csv.writer` whose every cell passes through `safe_cell`."""

    def __init__(self, f: IO[str], **kwargs: Any) -> None:
        self._writer = csv.writer(f, **kwargs)

    def writerow(self, row: Iterable[Any]) -> Any:
        return self._writer.writerow([safe_cell(v) for v in row])

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)


class SafeDictWriter:
    """`csv.DictWriter` whose every value passes through `safe_cell` (the header too)."""

    def __init__(self, f: IO[str], fieldnames: Sequence[str], **kwargs: Any) -> None:
        self.fieldnames = list(fieldnames)
        self._writer = csv.DictWriter(f, fieldnames=self.fieldnames, **kwargs)

    def writeheader(self) -> Any:
        return self._writer.writerow({name: safe_cell(name) for name in self.fieldnames})

    def writerow(self, row: Mapping[str, Any]) -> Any:
        return self._writer.writerow({k: safe_cell(v) for k, v in row.items()})

    def writerows(self, rows: Iterable[Mapping[str, Any]]) -> None:
        for row in rows:
            self.writerow(row)


def writer(f: IO[str], **kwargs: Any) -> SafeWriter:
    return SafeWriter(f, **kwargs)


def dict_writer(f: IO[str], fieldnames: Sequence[str], **kwargs: Any) -> SafeDictWriter:
    return SafeDictWriter(f, fieldnames, **kwargs)
