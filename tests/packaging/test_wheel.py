"""The wheel a site installs: built from this checkout, installed into a fresh venv outside it, and run from
there -- the packer screen in demo mode (offscreen), the command line with its sample files and
migrations, and the central service with its console templates and static files."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from tests.central.pg import free_port
from tests.central.server import stop_process, wait_for_health

ROOT = Path(__file__).resolve().parents[2]


def run(venv: Path, *argv: str, cwd: Path, env: dict[str, str] | None = None, timeout: float = 120) -> str:
    done = subprocess.run(
        [str(venv / "bin" / argv[0]), *argv[1:]], cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout
    )
    assert done.returncode == 0, f"{argv}: {done.stdout}\n{done.stderr}"
    return done.stdout


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A venv holding only the wheel and its dependencies (no editable install, no checkout on the path)."""
    wheels = tmp_path_factory.mktemp("wheels")
    built = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(wheels), str(ROOT)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert built.returncode == 0, built.stderr
    (wheel,) = wheels.glob("packgate-*.whl")
    venv = tmp_path_factory.mktemp("venv") / "v"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=120)
    got = subprocess.run(
        [str(venv / "bin" / "pip"), "install", "-q", str(wheel)], capture_output=True, text=True, timeout=900
    )
    assert got.returncode == 0, got.stderr
    return venv


@pytest.fixture
def clean_env(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "PACKGATE", "VIRTUAL_ENV"))}
    return {**env, "HOME": str(tmp_path / "home"), "QT_QPA_PLATFORM": "offscreen"}


@pytest.mark.slow
def test_the_installed_commands_work_outside_the_checkout(
    installed: Path, tmp_path: Path, clean_env: dict[str, str]
) -> None:
    where = run(installed, "python", "-c", "import station, ui, sync; print(station.__file__)", cwd=tmp_path)
    assert str(installed) in where and str(ROOT) not in where  # the wheel's copy, not this checkout
    assert run(installed, "packgate", "--version", cwd=tmp_path, env=clean_env).startswith("packgate ")
    # The compiled translations are in the wheel and load from there (German headline, English plural forms).
    spoken = run(
        installed,
        "python",
        "-c",
        "from PySide6.QtCore import QCoreApplication; from ui import i18n; from ui.incident_words import units;"
        "app = QCoreApplication([]); print(units(3)); i18n.install_language('de');"
        "print(i18n.translate('Verdict', 'BLOCKED'), i18n.TRANSLATIONS_DIR)",
        cwd=tmp_path,
        env=clean_env,
    )
    assert spoken.split()[:3] == ["3", "units", "GESPERRT"] and str(installed) in spoken, spoken
    samples = run(
        installed, "python", "-c", "from station.samples import SAMPLES_DIR; print(SAMPLES_DIR)", cwd=tmp_path
    ).strip()
    data = ["--data-dir", str(tmp_path / "data"), "--station", "W1"]
    assert "imported 20 new order(s)" in run(
        installed, "packgate", "orders", "import", f"{samples}/orders.csv", *data, cwd=tmp_path, env=clean_env
    )
    orders = json.loads(run(installed, "packgate", "orders", "list", "--json", *data, cwd=tmp_path, env=clean_env))
    assert len(orders) == 20
    out = run(installed, "packgate", "db", "backup", str(tmp_path / "bk.sqlite3"), *data, cwd=tmp_path, env=clean_env)
    assert "verified" in out


@pytest.mark.slow
def test_the_installed_demo_starts_offscreen_and_stops_on_sigterm(
    installed: Path, tmp_path: Path, clean_env: dict[str, str]
) -> None:
    data = tmp_path / "demo"
    proc = subprocess.Popen(
        [str(installed / "bin" / "packgate"), "--demo", "--data-dir", str(data), "--mute"],
        cwd=tmp_path,
        env=clean_env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    log = data / "logs" / "packgate.log"
    try:
        deadline = time.monotonic() + 90
        while not (log.exists() and "packer screen up" in log.read_text(encoding="utf-8", errors="replace")):
            assert proc.poll() is None, proc.stderr.read() if proc.stderr else ""
            assert time.monotonic() < deadline, "the demo did not come up in 90 s"
            time.sleep(0.2)
        up = next(json.loads(line) for line in log.read_text().splitlines() if "packer screen up" in line)
        assert up["station"] and up["sources"]  # the simulated scanner is there
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(30) == 0
    finally:
        stop_process(proc)


@pytest.mark.slow
def test_the_installed_central_serves_its_api_and_console(
    installed: Path, tmp_path: Path, clean_env: dict[str, str]
) -> None:
    port = free_port()
    db = f"sqlite:///{tmp_path / 'central.db'}"
    proc = subprocess.Popen(
        [str(installed / "bin" / "packgate-central"), "serve", "--db", db, "--port", str(port)],
        cwd=tmp_path,
        env=clean_env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        health = wait_for_health(proc, base, seconds=60)
        assert health.status_code == 200 and health.json()["status"] == "ok"
        sign_in = httpx.get(f"{base}/console/sign-in", timeout=10)
        assert sign_in.status_code == 200 and "<form" in sign_in.text  # the templates are in the wheel
        assert httpx.get(f"{base}/console/static/console.css", timeout=10).status_code == 200
        proc.send_signal(signal.SIGTERM)
        # uvicorn shuts down gracefully, then re-raises the signal: -15 is a clean stop (systemd counts it so).
        assert proc.wait(30) in (0, -signal.SIGTERM)
        assert proc.stderr is not None
        said = proc.stderr.read()
        assert "webhook dispatcher stopped" in said and "Application shutdown complete" in said, said
    finally:
        stop_process(proc)
