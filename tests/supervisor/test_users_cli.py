"""`packgate users ...` end to end through the real argument parser and a temporary data dir."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from station.clock import SystemClock
from station.user_rules import AuthError
from station.users import UserDirectory
from ui.bootstrap import bootstrap
from ui.cli import main


def run(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, data: Path, *argv: str, stdin: str = ""
) -> tuple[int, str, str]:
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    code = main(["--data-dir", str(data), "--station", "BENCH-07", *argv])
    out, err = capsys.readouterr()
    return code, out, err


ADMIN = ("--admin", "A1", "--admin-stdin")
ADMIN_PASSWORD = "admin password 1"


def add_first_admin(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, data: Path) -> None:
    code, out, err = run(
        capsys,
        monkeypatch,
        data,
        "users",
        "add",
        "A1",
        "--role",
        "admin",
        "--password",
        "--pin-stdin",
        stdin=f"{ADMIN_PASSWORD}\n",
    )
    assert (code, out, err) == (0, "added admin A1 (A1)\n", "")


def test_add_list_disable_reset_pin(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    data = tmp_path / "data"
    add_first_admin(capsys, monkeypatch, data)
    code, out, _ = run(
        capsys,
        monkeypatch,
        data,
        "users",
        "add",
        "S1",
        "--role",
        "supervisor",
        "--badge",
        "BADGE-S1",
        "--display-name",
        "Sam Supervisor",
        "--pin-stdin",
        *ADMIN,
        stdin=f"{ADMIN_PASSWORD}\n246802\n",
    )
    assert (code, out) == (0, "added supervisor S1 (Sam Supervisor)\n")
    code, _, _ = run(
        capsys,
        monkeypatch,
        data,
        "users",
        "add",
        "P1",
        "--role",
        "packer",
        "--badge",
        "BADGE-P1",
        "--no-pin",
        *ADMIN,
        stdin=f"{ADMIN_PASSWORD}\n",
    )
    assert code == 0

    code, out, _ = run(capsys, monkeypatch, data, "users", "list", "--json")
    users = {u["name"]: u for u in json.loads(out)}
    assert users["S1"]["pin"] is True and users["P1"]["pin"] is False
    assert "246802" not in out and "argon2" not in out

    code, out, _ = run(
        capsys,
        monkeypatch,
        data,
        "users",
        "reset-pin",
        "S1",
        "--pin-stdin",
        *ADMIN,
        stdin=f"{ADMIN_PASSWORD}\n975310\n",
    )
    assert code == 0
    st = bootstrap(data, "BENCH-07", SystemClock())
    try:
        assert UserDirectory(st.db, st.clock, st.station_id).authenticate_badge("BADGE-S1", "975310").name == "S1"
    finally:
        st.close()

    code, out, _ = run(capsys, monkeypatch, data, "users", "disable", "S1", *ADMIN, stdin=f"{ADMIN_PASSWORD}\n")
    assert (code, out) == (0, "S1 disabled\n")
    code, out, _ = run(capsys, monkeypatch, data, "users", "list")
    assert out.splitlines()[0].split() == ["NAME", "ROLE", "BADGE", "LOGIN", "STATE", "DISPLAY", "NAME"]
    assert [line.split()[:5] for line in out.splitlines()[1:]] == [
        ["A1", "admin", "-", "password", "active"],
        ["P1", "packer", "BADGE-P1", "-", "active"],
        ["S1", "supervisor", "BADGE-S1", "pin", "disabled"],
    ]


def test_pin_asked_twice_must_match(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    answers = iter(["admin pass 1", "admin pass 1"])
    monkeypatch.setattr("getpass.getpass", lambda _prompt: next(answers))
    code, _, err = run(capsys, monkeypatch, tmp_path / "d", "users", "add", "A1", "--role", "admin", "--password")
    assert code == 0
    answers = iter(["admin pass 1", "246802", "246803"])  # the admin's password, then the PIN twice
    code, _, err = run(
        capsys,
        monkeypatch,
        tmp_path / "d",
        "users",
        "add",
        "S1",
        "--role",
        "supervisor",
        "--badge",
        "B1",
        "--admin",
        "A1",
    )
    assert code == 2 and err == "packgate: the two PINs differ; nothing changed\n"


PW = f"{ADMIN_PASSWORD}\n"


@pytest.mark.parametrize(
    ("argv", "stdin", "message"),
    [
        (
            ["users", "add", "S1", "--role", "supervisor", "--badge", "B1", "--pin-stdin", *ADMIN],
            PW + "12\n",
            "packgate: a PIN has 6 to 12 digits\n",
        ),
        (
            ["users", "add", "S1", "--role", "supervisor", "--badge", "B1", "--no-pin", *ADMIN],
            PW,
            "packgate: a supervisor needs a PIN or a password to log in\n",
        ),
        (["users", "disable", "NOBODY", *ADMIN], PW, "packgate: no user NOBODY\n"),
        (["users", "reset-pin", "S1", "--pin-stdin", *ADMIN], PW, "packgate: expected a PIN on standard input\n"),
        (["users", "disable", "A1", "--admin-stdin"], PW, "packgate: --admin-stdin needs --admin NAME (or badge)\n"),
    ],
)
def test_errors_are_one_line(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    argv: list[str],
    stdin: str,
    message: str,
) -> None:
    add_first_admin(capsys, monkeypatch, tmp_path / "d")
    code, _, err = run(capsys, monkeypatch, tmp_path / "d", *argv, stdin=stdin)
    assert (code, err) == (2, message)


def test_a_shell_alone_cannot_make_a_supervisor_once_there_is_an_admin(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    data = tmp_path / "data"
    code, _, err = run(
        capsys,
        monkeypatch,
        data,
        "users",
        "add",
        "S9",
        "--role",
        "supervisor",
        "--badge",
        "B9",
        "--pin-stdin",
        stdin="246802\n",
    )
    assert code == 2 and "no admin yet" in err  # before any admin: only the first admin may be added
    add_first_admin(capsys, monkeypatch, data)
    run(
        capsys,
        monkeypatch,
        data,
        "users",
        "add",
        "S1",
        "--role",
        "supervisor",
        "--badge",
        "BADGE-S1",
        "--pin-stdin",
        *ADMIN,
        stdin=f"{ADMIN_PASSWORD}\n246802\n",
    )
    for creds, stdin in (
        (("--admin", "A1", "--admin-stdin"), "guessed password\n"),
        (("--admin", "BADGE-S1", "--admin-stdin"), "246802\n"),
    ):  # a supervisor is not an admin
        code, _, err = run(
            capsys,
            monkeypatch,
            data,
            "users",
            "add",
            "S9",
            "--role",
            "supervisor",
            "--badge",
            "B9",
            "--pin-stdin",
            *creds,
            stdin=stdin + "135790\n",
        )
        assert code == 2 and "admin sign-in refused" in err and "nothing changed" in err, err
        code, _, err = run(capsys, monkeypatch, data, "users", "set-role", "S1", "admin", *creds, stdin=stdin)
        assert code == 2 and "admin sign-in refused" in err, err
    names = [u["name"] for u in json.loads(run(capsys, monkeypatch, data, "users", "list", "--json")[1])]
    assert names == ["A1", "S1"]
    code, out, _ = run(capsys, monkeypatch, data, "users", "set-role", "S1", "admin", *ADMIN, stdin=PW)
    assert (code, out) == (0, "S1 is now an admin\n")


def test_unlock_and_change_pin_from_the_command_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    data = tmp_path / "data"
    add_first_admin(capsys, monkeypatch, data)
    run(
        capsys,
        monkeypatch,
        data,
        "users",
        "add",
        "S1",
        "--role",
        "supervisor",
        "--badge",
        "BADGE-S1",
        "--pin-stdin",
        *ADMIN,
        stdin=f"{ADMIN_PASSWORD}\n246802\n",
    )
    st = bootstrap(data, "BENCH-07", SystemClock())
    try:
        d = UserDirectory(st.db, st.clock, st.station_id)
        for _ in range(5):
            with pytest.raises(AuthError):  # wrong PINs; the fifth locks (AccountLocked)
                d.authenticate_badge("BADGE-S1", "111111")
        assert d.get("S1").locked_until is not None  # type: ignore[union-attr]
    finally:
        st.close()
    code, out, _ = run(capsys, monkeypatch, data, "users", "unlock", "S1", *ADMIN, stdin=PW)
    assert (code, out) == (0, "S1 unlocked\n")
    code, out, err = run(
        capsys, monkeypatch, data, "users", "change-pin", "S1", "--pin-stdin", stdin="246802\n80706050\n"
    )
    assert (code, out, err) == (0, "new PIN set for S1\n", "")
    code, _, err = run(
        capsys, monkeypatch, data, "users", "change-pin", "S1", "--pin-stdin", stdin="246802\n13579135\n"
    )
    assert code == 2 and err.startswith("packgate: not accepted")
    st = bootstrap(data, "BENCH-07", SystemClock())
    try:
        assert UserDirectory(st.db, st.clock, st.station_id).authenticate_badge("BADGE-S1", "80706050").name == "S1"
    finally:
        st.close()


def test_set_password_then_sign_in_by_name(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    data = tmp_path / "data"
    add_first_admin(capsys, monkeypatch, data)
    run(
        capsys,
        monkeypatch,
        data,
        "users",
        "add",
        "S1",
        "--role",
        "supervisor",
        "--badge",
        "BADGE-S1",
        "--pin-stdin",
        *ADMIN,
        stdin=f"{ADMIN_PASSWORD}\n246802\n",
    )
    code, out, _ = run(
        capsys,
        monkeypatch,
        data,
        "users",
        "set-password",
        "S1",
        "--password-stdin",
        *ADMIN,
        stdin=f"{ADMIN_PASSWORD}\ncorrect horse battery\n",
    )
    assert (code, out) == (0, "password set for S1\n")
    assert json.loads(run(capsys, monkeypatch, data, "users", "list", "--json")[1])[1]["password"] is True
    station = bootstrap(data, "BENCH-07", SystemClock())
    try:
        user = UserDirectory(station.db, station.clock, station.station_id).authenticate_password(
            "S1", "correct horse battery"
        )
        assert user.name == "S1"
    finally:
        station.close()
    code, _, err = run(
        capsys,
        monkeypatch,
        data,
        "users",
        "set-password",
        "NOBODY",
        "--password-stdin",
        *ADMIN,
        stdin=f"{ADMIN_PASSWORD}\ncorrect horse battery\n",
    )
    assert code == 2 and err.startswith("packgate:") and err.count("\n") == 1
