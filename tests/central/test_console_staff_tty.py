"""``packgate-central staff add`` on a real terminal (a pty): the password is asked twice, not echoed,
and two different answers change nothing."""

from __future__ import annotations

import os
import pty
import select
import sys
import time
from pathlib import Path

from sync.server.console import auth
from sync.server.db import make_engine, make_session_factory

PASSWORD = "correct horse battery"


def _run_on_a_pty(args: list[str], answers: list[str], timeout: float = 60.0) -> tuple[int, str]:
    pid, fd = pty.fork()
    if pid == 0:  # the child: the pty is its controlling terminal, as in a person's shell
        os.execv(sys.executable, [sys.executable, "-m", "sync.server.cli", *args])
    seen, pending = b"", list(answers)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        ready, _, _ = select.select([fd], [], [], 0.5)
        if ready:
            try:
                chunk = os.read(fd, 4096)
            except OSError:  # the child closed the terminal
                break
            if not chunk:
                break
            seen += chunk
            if pending and chunk.endswith(b": "):  # a prompt, with echo already off
                os.write(fd, (pending.pop(0) + "\n").encode())
    else:
        os.kill(pid, 9)
    _, status = os.waitpid(pid, 0)
    os.close(fd)
    return os.waitstatus_to_exitcode(status), seen.decode(errors="replace")


def test_the_password_is_asked_twice_on_a_terminal_and_never_echoed(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'central.db'}"
    code, screen = _run_on_a_pty(["staff", "add", "ana", "--role", "service", "--db", db], [PASSWORD, PASSWORD])
    assert code == 0, screen
    assert "Password for ana:" in screen and "The same password again:" in screen and PASSWORD not in screen
    code, screen = _run_on_a_pty(["staff", "add", "bo", "--role", "lead", "--db", db], [PASSWORD, PASSWORD + "x"])
    assert code == 1 and "the two passwords differ; nothing was changed" in screen
    engine = make_engine(db)
    try:
        with make_session_factory(engine)() as s:
            assert [(p.name, p.role) for p in auth.list_staff(s)] == [("ana", "service")]
    finally:
        engine.dispose()
