"""deploy/packgate-central.service and its environment file: the unit passes `systemd-analyze verify`, every
variable the example file sets is an option `serve` reads, and `serve` really takes its options from
the environment (a bad value is one clear line, not a traceback)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from sync.server import serve_env
from sync.server.cli import _parser
from tests.central.pg import free_port
from tests.central.server import wait_for_health

ROOT = Path(__file__).resolve().parents[2]
UNIT = ROOT / "deploy" / "packgate-central.service"
ENV_EXAMPLE = ROOT / "deploy" / "central.env.example"
ANALYZE = shutil.which("systemd-analyze")


def serve_variables() -> set[str]:
    serve = _parser()._subparsers._group_actions[0].choices["serve"]  # type: ignore[union-attr]
    return {n for n in (serve_env.variable_name(a) for a in serve._actions) if n} | {"PACKGATE_CENTRAL_DB"}


@pytest.mark.skipif(ANALYZE is None, reason="systemd-analyze missing (Debian's systemd package)")
def test_the_unit_passes_systemd_analyze_verify(tmp_path: Path) -> None:
    # The unit names /opt/packgate, where a site installs PackGate; here the programs are in this venv.
    unit = tmp_path / "packgate-central.service"
    unit.write_text(UNIT.read_text().replace("/opt/packgate/bin/", str(Path(sys.executable).parent) + "/"))
    checked = subprocess.run([ANALYZE, "verify", str(unit)], capture_output=True, text=True, timeout=60)  # type: ignore[list-item]
    assert checked.returncode == 0 and checked.stdout + checked.stderr == "", checked.stdout + checked.stderr
    text = UNIT.read_text()
    assert "ExecStart=/opt/packgate/bin/packgate-central serve" in text
    assert "EnvironmentFile=/etc/packgate/central.env" in text and "SuccessExitStatus=SIGTERM" in text


def test_every_variable_of_the_example_environment_is_a_serve_option() -> None:
    named = re.findall(r"^#?(PACKGATE_CENTRAL_[A-Z_]+)=", ENV_EXAMPLE.read_text(), re.M)
    assert named and set(named) <= serve_variables(), set(named) - serve_variables()


def test_serve_takes_its_options_from_the_environment(tmp_path: Path) -> None:
    port = free_port()
    env = {
        **os.environ,
        "PACKGATE_CENTRAL_DB": f"sqlite:///{tmp_path / 'c.db'}",
        "PACKGATE_CENTRAL_PORT": str(port),
        "PACKGATE_CENTRAL_NO_DOCS": "yes",
    }
    proc = subprocess.Popen(
        [sys.executable, "-m", "sync.server.cli", "serve"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        health = wait_for_health(proc, f"http://127.0.0.1:{port}")  # the port from the environment
        assert health.status_code == 200
        assert httpx.get(f"http://127.0.0.1:{port}/openapi.json", timeout=5).status_code == 401  # docs off
    finally:
        proc.terminate()
        proc.wait(30)
    assert proc.stderr is not None
    said = proc.stderr.read()
    proc.stderr.close()
    assert "serve options from the environment: PACKGATE_CENTRAL_PORT, PACKGATE_CENTRAL_NO_DOCS" in said


@pytest.mark.parametrize(
    ("name", "value", "words"),
    [
        ("PACKGATE_CENTRAL_PORT", "eighty", "is not a valid int for --port"),
        ("PACKGATE_CENTRAL_NO_DOCS", "maybe", "write 1 or 0"),
    ],
)
def test_a_bad_environment_value_is_one_clear_line(name: str, value: str, words: str) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "sync.server.cli", "serve", "--help"],
        env={**os.environ, name: value},
        capture_output=True,
        text=True,
        timeout=60,
    )
    lines = done.stderr.strip().splitlines()
    assert done.returncode == 2 and len(lines) == 1, done.stderr  # one line, no traceback
    assert lines[0].startswith(f"packgate-central: ${name}={value!r}") and words in lines[0], lines[0]
