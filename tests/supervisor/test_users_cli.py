"""`packgate users ...` end to end through the real argument parser and a temporary data dir."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from station.clock import SystemClock
from station.users import UserDirectory
from ui.bootstrap import bootstrap
from ui.cli import main


def run(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, data: Path, *argv: str,
        stdin: str = "") -> tuple[int, str, str]:
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    code = main(["--data-dir", str(data), "--station", "BENCH-07", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_add_list_disable_reset_pin(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                   monkeypatch: pytest.MonkeyPatch) -> None:
    data = tmp_path / "data"
    code, out, _ = run(capsys, monkeypatch, data, "users", "add", "S1", "--role", "supervisor", "--badge",
                       "BADGE-S1", "--display-name", "Sam Supervisor", "--pin-stdin", stdin="246802\n")
    assert (code, out) == (0, "added supervisor S1 (Sam Supervisor)\n")
    code, _, _ = run(capsys, monkeypatch, data, "users", "add", "P1", "--role", "packer", "--badge", "BADGE-P1",
                     "--no-pin")
    assert code == 0

    code, out, _ = run(capsys, monkeypatch, data, "users", "list", "--json")
    users = {u["name"]: u for u in json.loads(out)}
    assert users["S1"]["pin"] is True and users["P1"]["pin"] is False
    assert "246802" not in out and "argon2" not in out

    code, out, _ = run(capsys, monkeypatch, data, "users", "reset-pin", "S1", "--pin-stdin", stdin="975310\n")
    assert code == 0
    st = bootstrap(data, "BENCH-07", SystemClock())
    try:
        assert UserDirectory(st.db, st.clock, st.station_id).authenticate_badge("BADGE-S1", "975310").name == "S1"
    finally:
        st.close()

    code, out, _ = run(capsys, monkeypatch, data, "users", "disable", "S1")
    assert (code, out) == (0, "S1 disabled\n")
    code, out, _ = run(capsys, monkeypatch, data, "users", "list")
    assert out.splitlines()[0].split() == ["NAME", "ROLE", "BADGE", "LOGIN", "STATE", "DISPLAY", "NAME"]
    assert [line.split()[:5] for line in out.splitlines()[1:]] == [
        ["P1", "packer", "BADGE-P1", "-", "active"], ["S1", "supervisor", "BADGE-S1", "pin", "disabled"]]


def test_pin_asked_twice_must_match(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                    monkeypatch: pytest.MonkeyPatch) -> None:
    answers = iter(["246802", "246803"])
    monkeypatch.setattr("getpass.getpass", lambda _prompt: next(answers))
    code, _, err = run(capsys, monkeypatch, tmp_path / "d", "users", "add", "S1", "--role", "supervisor",
                       "--badge", "B1")
    assert code == 2 and err == "packgate: the two PINs differ; nothing changed\n"


@pytest.mark.parametrize(("argv", "stdin", "message"), [
    (["users", "add", "S1", "--role", "supervisor", "--badge", "B1", "--pin-stdin"], "12\n",
     "packgate: a PIN has 6 to 12 digits\n"),
    (["users", "add", "S1", "--role", "supervisor", "--badge", "B1", "--no-pin"], "",
     "packgate: a supervisor needs a PIN or a password to log in\n"),
    (["users", "disable", "NOBODY"], "", "packgate: no user NOBODY\n"),
    (["users", "reset-pin", "S1", "--pin-stdin"], "", "packgate: expected a PIN on standard input\n"),
])
def test_errors_are_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
                             argv: list[str], stdin: str, message: str) -> None:
    code, _, err = run(capsys, monkeypatch, tmp_path / "d", *argv, stdin=stdin)
    assert (code, err) == (2, message)


def test_set_password_then_sign_in_by_name(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    data = tmp_path / "data"
    run(capsys, monkeypatch, data, "users", "add", "S1", "--role", "supervisor", "--badge", "BADGE-S1",
        "--pin-stdin", stdin="246802\n")
    code, out, _ = run(capsys, monkeypatch, data, "users", "set-password", "S1", "--password-stdin",
                       stdin="correct horse battery\n")
    assert (code, out) == (0, "password set for S1\n")
    assert json.loads(run(capsys, monkeypatch, data, "users", "list", "--json")[1])[0]["password"] is True
    station = bootstrap(data, "BENCH-07", SystemClock())
    try:
        user = UserDirectory(station.db, station.clock, station.station_id).authenticate_password(
            "S1", "correct horse battery")
        assert user.name == "S1"
    finally:
        station.close()
    code, _, err = run(capsys, monkeypatch, data, "users", "set-password", "NOBODY", "--password-stdin",
                       stdin="correct horse battery\n")
    assert code == 2 and err.startswith("packgate:") and err.count("\n") == 1
