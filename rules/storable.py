"""What the central databases can hold, as pydantic validators for the wire models (``rules.events``, ``sync.wire``).

PostgreSQL text cannot contain U+0000; a lone surrogate cannot be encoded as UTF-8; PostgreSQL JSON
refuses NaN; Python's dates end at year 9999, and the case clock adds up to 72 h to a detection time.
An event carrying any of these made the service answer 500 for the whole batch, on every retry. These
validators turn each into a per-event rejection with a reason a person can act on.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Annotated, Any

from pydantic import AfterValidator

MIN_YEAR = 1900
MAX_YEAR = 8999
_MAX_JSON_DEPTH = 32


def to_utc(value: datetime) -> datetime:
    """Normalise an aware datetime to UTC; naive datetimes are refused earlier by ``AwareDatetime``.

    The year is checked before converting: ``0001-01-01T00:00+01:00`` in UTC is year 0, which Python
    cannot represent (OverflowError, formerly a 500), and the case clock adds up to 72 h to a detection
    time near year 9999."""
    if not MIN_YEAR <= value.year <= MAX_YEAR:
        raise ValueError(f"must lie between the years {MIN_YEAR} and {MAX_YEAR}, got year {value.year}")
    return value.astimezone(UTC)


def storable_problem(text: str) -> str | None:
    """Why ``text`` cannot be stored in PostgreSQL and SQLite as it is (NUL, lone surrogate), or None."""
    if "\x00" in text:
        return f"contains a NUL character (U+0000) at position {text.index(chr(0))}, which cannot be stored"
    for position, char in enumerate(text):
        if "\ud800" <= char <= "\udfff":
            return f"contains a lone surrogate U+{ord(char):04X} at position {position}, which is not valid text"
    return None


def _storable(text: str) -> str:
    problem = storable_problem(text) if not text.isascii() or "\x00" in text else None
    if problem is not None:
        raise ValueError(problem)
    return text


def storable_json(value: Any, depth: int = 0) -> Any:
    """Free-form JSON (``audit.recorded`` detail): every key and string storable, numbers finite, nesting
    bounded (PostgreSQL refuses NaN in JSON; a deep nest is a stack overflow waiting to happen)."""
    if depth > _MAX_JSON_DEPTH:
        raise ValueError(f"nested deeper than {_MAX_JSON_DEPTH} levels")
    if isinstance(value, str):
        return _storable(value)
    if isinstance(value, float) and (value != value or value in (float("inf"), float("-inf"))):
        raise ValueError("numbers must be finite (no NaN or Infinity)")
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) >= 2**63:
        raise ValueError("integers must fit in 64 bits")
    if isinstance(value, dict):
        for key, item in value.items():
            _storable(str(key))
            storable_json(item, depth + 1)
    elif isinstance(value, list):
        for item in value:
            storable_json(item, depth + 1)
    return value


Storable = AfterValidator(_storable)
"""Refuses text a database cannot hold (see the module docstring)."""


def _day_in_range(value: date) -> date:
    if not MIN_YEAR <= value.year <= MAX_YEAR:
        raise ValueError(f"must lie between the years {MIN_YEAR} and {MAX_YEAR}, got {value.isoformat()}")
    return value


Day = Annotated[date, AfterValidator(_day_in_range)]
"""A calendar day within the years every stored time lies in (``/kpis?day=9999-12-31`` overflowed)."""
