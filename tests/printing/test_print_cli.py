"""`packgate print queues / configure / test` against the test cupsd and a closed port: one line each."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.printing.conftest import pdf_text
from tests.printing.cups_server import PDF_QUEUE, CupsServer, free_port
from ui.cli import main


def packgate(data: Path, *args: str) -> int:
    return main([*args, "--data-dir", str(data), "--station", "S1"])


def test_queues_configure_and_a_test_page_through_cups(
    tmp_path: Path, cups: CupsServer, capsys: pytest.CaptureFixture[str]
) -> None:
    assert packgate(tmp_path, "print", "queues", "--server", cups.server) == 0
    assert capsys.readouterr().out.startswith(f"{PDF_QUEUE}: is idle")
    cups.reject(PDF_QUEUE)
    assert packgate(tmp_path, "print", "queues", "--server", cups.server) == 0
    assert "(not accepting jobs)" in capsys.readouterr().out
    cups.accept(PDF_QUEUE)
    assert (
        packgate(tmp_path, "print", "configure", "--slip", f"cups:{PDF_QUEUE}@{cups.server}", "--paper", "letter") == 0
    )
    assert capsys.readouterr().out.splitlines() == [
        f"slip: cups:{PDF_QUEUE}@{cups.server}",
        "label: not set",
        "paper: letter",
    ]
    assert packgate(tmp_path, "print", "test", "slip") == 0
    assert capsys.readouterr().out.startswith(f"test page sent to cups:{PDF_QUEUE}@{cups.server} ({PDF_QUEUE}-")
    assert "Paper: LETTER" in pdf_text(cups.wait_for_pdfs(1)[0])


def test_a_cups_server_that_is_down_is_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert packgate(tmp_path, "print", "queues", "--server", f"127.0.0.1:{free_port()}") == 4
    assert capsys.readouterr().err.strip().splitlines() == [
        "packgate: cannot list the CUPS queues: Scheduler is not running."
    ]
    assert packgate(tmp_path, "print", "configure", "--slip", f"cups:Q@127.0.0.1:{free_port()}") == 0
    capsys.readouterr()
    assert packgate(tmp_path, "print", "test", "slip") == 4
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "printer not reachable" in err[0] and "is not running or not reachable" in err[0]
