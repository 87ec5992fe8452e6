"""Plural-form messages: ``plural.translate(context, "%n unit(s)", None, 0)(n)`` is "1 unit" / "3 units" in
English, and the right one of German's two or Polish's three forms.

Why the second call: ``pyside6-lupdate`` (6.11) marks a Python ``translate()`` as a plural message only when
its fourth argument is an integer literal, treats a name there as no plural at all, and silently drops the
call when it is an expression (``len(x) - 1``). So the literal ``0`` marks the message for lupdate, and the
count is given to the function this returns. ``ui.i18n.translate`` does the work.
"""

from __future__ import annotations

from collections.abc import Callable

from ui.i18n import translate as _translate


def translate(context: str, text: str, disambiguation: str | None = None, _numerus: int = 0) -> Callable[[int], str]:
    """The plural-form message `text` of `context`, as a function of the count (which replaces ``%n``)."""

    def form(n: int) -> str:
        return _translate(context, text, disambiguation, max(0, int(n)))

    return form
