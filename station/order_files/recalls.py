"""The recall file: recalled lots and serials, CSV ``gtin,lot,serial,reason``."""

from __future__ import annotations

import logging

from biip import ParseError
from biip.gs1_element_strings import GS1ElementString

from station.barcodes import InvalidCode, match_key
from station.order_files.fields import _text
from station.order_files.reading import _csv_rows, _CsvLocator, _Locator, _Problems, _text_lines
from station.order_files.specs import RECALL_COLUMNS, RecallEntry

logger = logging.getLogger("station.order_files")  # the name it logged under before the split: log filters use it


def parse_recalls_csv(text: str, source: str = "<csv>") -> list[RecallEntry]:
    """Parse recall CSV text: ``gtin,lot,serial,reason``; an empty gtin means any product."""
    problems = _Problems(source)
    entries: list[RecallEntry] = []
    seen: dict[tuple[str | None, str | None, str | None], int] = {}
    for line_no, row in _csv_rows(_text_lines(text), problems, required=RECALL_COLUMNS):
        loc = _CsvLocator(line_no)
        gtin = _recall_gtin(row.get("gtin"), loc, problems)
        lot = _gs1_field(row.get("lot"), "10", loc, "lot", problems)
        serial = _gs1_field(row.get("serial"), "21", loc, "serial", problems)
        reason = _text(row.get("reason"), loc, "reason", problems, max_len=500)
        raw_values = [(row.get(name) or "").strip() for name in ("gtin", "lot", "serial")]
        if not any(raw_values):
            problems.add(loc, None, "a recall must name a gtin, a lot or a serial")
            continue
        identity = (gtin, lot, serial)
        if identity in seen:
            problems.add(loc, None, f"same recall as line {seen[identity]}")
            continue
        seen[identity] = line_no
        if reason is not None and len(problems) == 0:
            entries.append(RecallEntry(gtin=gtin, lot=lot, serial=serial, reason=reason))
    if not seen and not problems:
        problems.add(None, None, "no recalls in file")
    if problems:
        raise problems.error()
    logger.info("loaded %d recall entries from %s", len(entries), source)
    return entries


def _recall_gtin(value: str | None, loc: _Locator, problems: _Problems) -> str | None:
    raw = (value or "").strip()
    if not raw:
        return None
    try:
        key = match_key(raw)
    except InvalidCode as exc:
        problems.add(loc, "gtin", f"{raw!r}: {exc}")
        return None
    if not (len(key) == 14 and key.isdigit()):
        problems.add(loc, "gtin", f"{raw!r} is not a GTIN")
        return None
    return key


def _gs1_field(value: str | None, ai: str, loc: _Locator, name: str, problems: _Problems) -> str | None:
    """A lot (AI 10) or serial (AI 21) must be something a GS1 label can carry, or it never matches."""
    raw = (value or "").strip()
    if not raw:
        return None
    try:
        GS1ElementString.parse(f"{ai}{raw}")
    except ParseError:
        problems.add(loc, name, f"{raw!r} is not a valid GS1 {name}: 1-20 characters, letters, digits and - . / _")
        return None
    return raw
