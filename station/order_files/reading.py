"""Collecting a file's problems with their locations (CSV line, JSON path), and reading a file's text and
its CSV rows."""

from __future__ import annotations

import csv
import io
import itertools
import logging
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

from station.order_files.specs import KEPT_PROBLEMS, MAX_FILE_BYTES, FileProblem, OrderFileError

logger = logging.getLogger("station.order_files")  # the name it logged under before the split: log filters use it


class _CsvLocator:
    def __init__(self, line: int) -> None:
        self.line = line

    def place(self, field_name: str | None) -> tuple[int | None, str | None]:
        return self.line, field_name

    def child(self, _suffix: str) -> _CsvLocator:
        return self

    def describe(self) -> str:
        return f"line {self.line}"


class _JsonLocator:
    def __init__(self, path: str) -> None:
        self.path = path

    def place(self, field_name: str | None) -> tuple[int | None, str | None]:
        if field_name is None:
            return None, self.path
        if field_name.startswith("["):
            return None, f"{self.path}{field_name}"
        return None, f"{self.path}.{field_name}" if self.path else field_name

    def child(self, suffix: str) -> _JsonLocator:
        return _JsonLocator(self.place(suffix)[1] or suffix)

    def describe(self) -> str:
        return self.path


_Locator = _CsvLocator | _JsonLocator


class _Problems:
    def __init__(self, source: str) -> None:
        self.source = source
        self.items: list[FileProblem] = []
        self.total = 0  # all found; only the first KEPT_PROBLEMS are kept

    def __len__(self) -> int:
        return self.total

    def add(self, loc: _Locator | None, field_name: str | None, message: str) -> None:
        line, where = loc.place(field_name) if loc is not None else (None, field_name)
        self.add_at(line, where, message)

    def add_at(self, line: int | None, field_name: str | None, message: str) -> None:
        self.total += 1
        if len(self.items) < KEPT_PROBLEMS:
            self.items.append(FileProblem(self.source, line, field_name, message))

    def error(self) -> OrderFileError:
        # Report in file order (CSV order checks run after all rows were read); sort is stable, so
        # problems without a line (JSON paths, whole-file problems) keep the order they were found in.
        self.items.sort(key=lambda problem: problem.line or 0)
        logger.warning("rejected %s: %d problem(s), first: %s", self.source, self.total, self.items[0])
        return OrderFileError(self.items, self.total)


def _read_text(path: Path) -> str:
    source = path.name
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise OrderFileError(
                [FileProblem(source, None, None, f"file is {size} bytes, larger than the {MAX_FILE_BYTES} allowed")]
            )
        data = path.read_bytes()
    except OSError as exc:
        raise OrderFileError([FileProblem(source, None, None, f"cannot read file: {exc.strerror or exc}")]) from exc
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise OrderFileError(
            [
                FileProblem(
                    source,
                    line,
                    None,
                    f"not UTF-8 text: byte 0x{data[exc.start]:02X} at column {column}; save the file as UTF-8",
                )
            ]
        ) from None


def _text_lines(text: str) -> Iterator[str]:
    # StringIO(newline="") splits only on CR, LF and CRLF, as CSV does; str.splitlines() would also
    # split inside a value at U+2028, U+0085, form feed etc. and break the row and its line number.
    return iter(io.StringIO(text.removeprefix("\ufeff"), newline=""))


def _csv_rows(
    lines: Iterable[str], problems: _Problems, required: Sequence[str]
) -> Iterator[tuple[int, dict[str, str]]]:
    """Yield (line number of the row's first line, {column: value}) from the file's lines (with their
    line endings, byte order mark removed); header problems end the file."""
    lines = iter(lines)
    head: list[str] = []
    for text_line in lines:
        head.append(text_line)
        if text_line.strip():
            break
    else:
        if not len(problems):
            problems.add(None, None, "file is empty")
        return
    reader = csv.reader(itertools.chain(head, lines), strict=True)
    try:
        header = next(reader)
    except csv.Error as exc:
        problems.add_at(reader.line_num or 1, None, f"cannot read CSV header: {exc}")
        return
    names = [name.strip().lower() for name in header]
    for name in sorted({name for name in names if names.count(name) > 1 and name}):
        problems.add_at(1, name, "column appears more than once")
    missing = [name for name in required if name not in names]
    for name in missing:
        problems.add_at(1, name, "required column is missing")
    if missing or len(problems):
        return
    index = {name: position for position, name in reversed(list(enumerate(names)))}
    rows = 0
    found_before = len(problems)
    while True:
        start = reader.line_num + 1
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            problems.add_at(start, None, f"cannot read CSV: {exc}")
            return  # the rest of the file cannot be split into rows reliably
        if not cells or all(not cell.strip() for cell in cells):
            continue  # blank line
        rows += 1
        if len(cells) > len(names) and any(cell.strip() for cell in cells[len(names) :]):
            problems.add_at(
                start, None, f"row has {len(cells)} fields but the header has {len(names)} (unquoted comma?)"
            )
            continue
        yield start, {name: cells[position] if position < len(cells) else "" for name, position in index.items()}
    if rows == 0 and len(problems) == found_before:  # not when the file could not be read to its end
        problems.add(None, None, "no rows after the header")
