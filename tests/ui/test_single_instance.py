"""A second packer screen on the same data dir is refused with a clear message; a crash frees the lock."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from ui.single_instance import AlreadyRunning, InstanceLock


def test_second_lock_is_refused_and_names_the_holder(tmp_path: Path) -> None:
    first = InstanceLock(tmp_path).acquire()
    try:
        with pytest.raises(AlreadyRunning, match=f"pid {os.getpid()}"):
            InstanceLock(tmp_path).acquire()
    finally:
        first.release()
    InstanceLock(tmp_path).acquire().release()  # free again once released


def test_a_killed_holder_leaves_no_stale_lock(tmp_path: Path) -> None:
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time; from pathlib import Path; from ui.single_instance import InstanceLock;"
            f"lock = InstanceLock(Path({str(tmp_path)!r})).acquire(); print('held', flush=True); time.sleep(60)",
        ],
        stdout=subprocess.PIPE,
        text=True,
        cwd=Path(__file__).resolve().parents[2],
    )
    try:
        assert holder.stdout.readline().strip() == "held"
        with pytest.raises(AlreadyRunning):
            InstanceLock(tmp_path).acquire()
        holder.send_signal(signal.SIGKILL)
        holder.wait(10)
        InstanceLock(tmp_path).acquire().release()
    finally:
        if holder.poll() is None:
            holder.kill()
            holder.wait()
        holder.stdout.close()


def test_packgate_refuses_to_start_a_second_screen_on_one_data_dir(tmp_path: Path) -> None:
    import argparse

    from ui.app import run_gui
    from ui.bootstrap import bootstrap
    from ui.commands import CommandError

    bootstrap(tmp_path, "S1").close()
    held = InstanceLock(tmp_path).acquire()
    try:
        args = argparse.Namespace(
            demo=False, data_dir=str(tmp_path), station="S1", packer="P1", scanner=["wedge"], kiosk=False, mute=True
        )
        with pytest.raises(CommandError, match="already running"):
            run_gui(args)
    finally:
        held.release()
