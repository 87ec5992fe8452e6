"""The bench's command barcodes: one vocabulary for the parser, the service, the UI and the printed sheet.

A command barcode is ``CMD:`` followed by one word (case-insensitive on the wire). The text printed on a
command sheet, and the ``code`` of a command's verdict, is derived from the enum (``Command.SEAL.barcode
== "CMD:SEAL"``), so no other module spells it. A well-formed ``CMD:<WORD>`` whose word is not listed
here is still a command scan (``ParsedCode.command is None``) and the service answers it with
``VerdictKind.UNKNOWN_COMMAND``: a packer who scans a command sheet from another site is told so, rather
than having the label looked up as an item.
"""

from __future__ import annotations

import enum

from rules.scan_text import COMMAND_PREFIX

__all__ = ["COMMAND_PREFIX", "Command", "is_command_text"]


class Command(enum.StrEnum):
    """A command the station knows. Its value is the word after ``CMD:``."""

    SEAL = "SEAL"
    UNDO = "UNDO"
    CANCEL = "CANCEL"
    REPRINT = "REPRINT"  # the last sealed package's slip and label again (station.printing.reprint)

    @property
    def barcode(self) -> str:
        """The barcode text that issues this command (what the command sheet prints)."""
        return COMMAND_PREFIX + self.value

    @classmethod
    def from_word(cls, word: str) -> Command | None:
        """The command for ``word`` (any case), or None when the station knows no such command."""
        try:
            return cls(word.upper())
        except ValueError:
            return None


def is_command_text(code: str) -> bool:
    """True when ``code`` is written as a command barcode (``CMD:...``, any case), known or not."""
    return code[: len(COMMAND_PREFIX)].upper() == COMMAND_PREFIX
