"""The one command vocabulary: barcode text derived from the enum, parsing returns the enum, unknown
command words stay a clear verdict, and the printed command sheet carries what the parser reads."""

from __future__ import annotations

import pytest

from station.barcodes import CodeKind, parse_scan
from station.commands import COMMAND_PREFIX, Command, is_command_text
from station.model import VerdictKind
from station.service import StationService


def test_barcode_text_is_derived_from_the_enum() -> None:
    assert Command.SEAL.barcode == "CMD:SEAL"
    assert Command.UNDO.barcode == "CMD:UNDO"
    assert Command.CANCEL.barcode == "CMD:CANCEL"
    assert all(command.barcode.startswith(COMMAND_PREFIX) for command in Command)


@pytest.mark.parametrize("command", list(Command))
def test_every_command_barcode_parses_back_to_its_enum_in_any_case(command: Command) -> None:
    for text in (command.barcode, command.barcode.lower(), f" {command.barcode.title()}\r\n"):
        parsed = parse_scan(text)
        assert parsed.kind is CodeKind.COMMAND
        assert parsed.command is command
        assert parsed.match_key == command.barcode


def test_an_unknown_command_word_is_a_command_without_an_enum() -> None:
    parsed = parse_scan("cmd:dance")
    assert parsed.kind is CodeKind.COMMAND and parsed.command is None
    assert Command.from_word("dance") is None and Command.from_word("seal") is Command.SEAL
    assert is_command_text("Cmd:whatever") and not is_command_text("SKU-CMD:1")


def test_unknown_command_verdict_names_the_scanned_command(service: StationService) -> None:
    verdict = service.handle_scan("cmd:dance")
    assert verdict.kind is VerdictKind.UNKNOWN_COMMAND
    assert verdict.code == "CMD:DANCE"
    assert service.run_command("dance").kind is VerdictKind.UNKNOWN_COMMAND


def test_each_command_verdict_carries_the_commands_barcode(service: StationService) -> None:
    assert service.handle_scan(Command.SEAL.barcode).code == "CMD:SEAL"
    assert service.run_command(Command.UNDO).code == "CMD:UNDO"
    assert service.run_command("cancel").code == "CMD:CANCEL"
