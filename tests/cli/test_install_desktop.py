"""`packgate install-desktop`: the menu and autostart entries a site's IT writes on a bench, checked with
`desktop-file-validate`, with an `Exec` line that gives the program back its exact arguments."""

from __future__ import annotations

import configparser
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from ui.cli import main

VALIDATE = shutil.which("desktop-file-validate")


def exec_args(value: str) -> list[str]:
    """Split an Exec value the way a desktop environment does (Desktop Entry Specification 1.5)."""
    value = value.replace("\\\\", "\\")  # the string-value escape first
    args, current, quoted, i, started = [], "", False, 0, False
    while i < len(value):
        c = value[i]
        if quoted and c == "\\" and i + 1 < len(value):
            current += value[i + 1]
            i += 2
            continue
        if c == '"':
            quoted, started = not quoted, True
        elif c == " " and not quoted:
            if started or current:
                args.append(current)
            current, started = "", False
        else:
            current += c
        i += 1
    if started or current:
        args.append(current)
    return [a.replace("%%", "%") for a in args]


def read_entry(path: Path) -> dict[str, str]:
    parser = configparser.RawConfigParser(interpolation=None, strict=True)
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    parser.read(path, encoding="utf-8")
    return dict(parser["Desktop Entry"])


@pytest.fixture
def xdg(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "share"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    return tmp_path


@pytest.fixture
def program(tmp_path: Path) -> Path:
    """A packgate program in an awkward place: a space, a quote and a dollar in its path."""
    where = tmp_path / "Pack Gate's $HOME" / "bin"
    where.mkdir(parents=True)
    exe = where / "packgate"
    exe.write_text("#!/bin/sh\nexit 0\n")
    exe.chmod(0o755)
    return exe


@pytest.mark.skipif(VALIDATE is None, reason="desktop-file-validate missing (apt install desktop-file-utils)")
def test_kiosk_autostart_entries_validate_and_start_the_screen_full_screen(
    xdg: Path, program: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data_dir = xdg / "bench data %1"
    code = main(
        [
            "install-desktop",
            "--autostart",
            "--kiosk",
            "--exec",
            str(program),
            "--data-dir",
            str(data_dir),
            "--station",
            "BENCH-07",
        ]
    )
    out = capsys.readouterr().out
    assert code == 0
    menu = xdg / "share" / "applications" / "packgate.desktop"
    start = xdg / "config" / "autostart" / "packgate.desktop"
    assert f"menu entry written: {menu}" in out and f"autostart entry written: {start}" in out
    for path in (menu, start):
        checked = subprocess.run([VALIDATE, str(path)], capture_output=True, text=True)  # type: ignore[list-item]
        assert checked.returncode == 0 and checked.stdout == "", checked.stdout + checked.stderr
        entry = read_entry(path)
        assert exec_args(entry["Exec"]) == [
            str(program),
            "--data-dir",
            str(data_dir),
            "--station",
            "BENCH-07",
            "--kiosk",
        ]
        assert Path(entry["Icon"]).is_file() and entry["Terminal"] == "false"
    assert read_entry(start)["X-GNOME-Autostart-enabled"] == "true"
    assert "X-GNOME-Autostart-enabled" not in read_entry(menu)


def test_without_autostart_only_the_menu_entry_is_written(xdg: Path, program: Path, capsys) -> None:
    assert main(["install-desktop", "--exec", str(program)]) == 0
    assert (xdg / "share" / "applications" / "packgate.desktop").is_file()
    assert not (xdg / "config" / "autostart").exists()
    assert "--kiosk" not in read_entry(xdg / "share" / "applications" / "packgate.desktop")["Exec"]


def test_a_missing_program_is_a_clear_message(xdg: Path, tmp_path: Path, capsys) -> None:
    code = main(["install-desktop", "--exec", str(tmp_path / "nowhere" / "packgate")])
    err = capsys.readouterr().err
    assert code == 2 and re.search(r"is not an executable program", err)
    assert not (xdg / "share" / "applications" / "packgate.desktop").exists()
