"""JSON objects that remember a key written twice: ``json`` silently keeps the last one.

``{"quantity": 1, "quantity": 5}`` is a broken export or a hand edit, and which value is meant cannot be
guessed, so the order reader refuses it. ``json.loads(text, object_pairs_hook=KeyedObject.from_pairs)`` builds
the document; :func:`duplicate_keys` then names every such object by its JSON path.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

__all__ = ["KeyedObject", "duplicate_keys"]


class KeyedObject(dict[str, Any]):
    """A JSON object (a plain dict to its readers) with ``duplicates``: the keys written more than once."""

    duplicates: tuple[str, ...] = ()

    @classmethod
    def from_pairs(cls, pairs: list[tuple[str, Any]]) -> KeyedObject:
        obj = cls(pairs)
        if len(obj) != len(pairs):
            seen: set[str] = set()
            repeated: list[str] = []
            for key, _value in pairs:
                if key in seen and key not in repeated:
                    repeated.append(key)
                seen.add(key)
            obj.duplicates = tuple(repeated)
        return obj


def duplicate_keys(document: object) -> Iterator[tuple[str, str]]:
    """``(path, key)`` for every key written twice, in document order; the root's path is ``$``. Walked
    without recursion (a document can be nested deeper than Python's recursion limit)."""
    stack: list[tuple[object, str]] = [(document, "")]
    while stack:
        value, path = stack.pop()
        if isinstance(value, dict):
            for key in getattr(value, "duplicates", ()):
                yield path or "$", key
            stack.extend((item, f"{path}.{key}" if path else str(key)) for key, item in reversed(value.items()))
        elif isinstance(value, list):
            stack.extend((item, f"{path}[{index}]") for index, item in reversed(list(enumerate(value))))
