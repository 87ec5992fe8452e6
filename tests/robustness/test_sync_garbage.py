"""Sync against things that are not a central service, and settings that can never work."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from ui.cli import main


def _run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def data(tmp_path: Path, capsys) -> list[str]:
    args = ["--data-dir", str(tmp_path / "data"), "--station", "S9"]
    # One event in the outbox: an incident (an unknown code with no order is only recorded, so load one).
    order = tmp_path / "o.csv"
    order.write_text(
        "order_id,order_barcode,ship_to,carrier,sku,description,quantity,barcodes\n"
        "1,ORD-1,Ann,DHL,A,Apple,1,4006381333931\n",
        encoding="utf-8",
    )
    assert _run(capsys, "orders", "import", str(order), *args)[0] == 0
    from ui.bootstrap import bootstrap

    station = bootstrap(args[1], "S9")
    station.service.handle_scan("ORD-1")
    station.service.handle_scan("5901234123457")  # not on the order: blocks, one incident event
    station.close()
    return args


@pytest.fixture
def garbage_port() -> Iterator[int]:
    """A TCP port that answers any request with bytes that are not HTTP."""
    server = socket.create_server(("127.0.0.1", 0))
    server.settimeout(0.05)
    stop = threading.Event()

    def serve() -> None:
        while not stop.is_set():
            try:
                conn, _ = server.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            conn.settimeout(5)
            with conn:
                conn.recv(65536)
                conn.sendall(b"\x00\xffgarbage\r\n\r\nmore")

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield server.getsockname()[1]
    stop.set()
    server.close()
    thread.join(5)


def test_a_port_answering_garbage_keeps_the_events(capsys, data: list[str], garbage_port: int) -> None:
    code, out, err = _run(capsys, "sync", "run", "--url", f"http://127.0.0.1:{garbage_port}", "--token", "t", *data)
    assert code == 4 and "1 pending" in out and "events are kept" in err and "Traceback" not in err


@pytest.mark.parametrize("url", ["127.0.0.1:8700", "ftp://central"])
def test_a_url_without_http_scheme_is_one_line(capsys, data: list[str], url: str) -> None:
    code, _, err = _run(capsys, "sync", "run", "--url", url, "--token", "t", *data)
    assert code == 2 and "must start with http:// or https://" in err


@pytest.mark.parametrize("token", ["SECRET\nX", "SECRET X", "SECRET\x00", "SECRET\u00f6"], ids=repr)
def test_a_token_that_can_never_be_sent_is_refused_without_echoing_it(capsys, data: list[str], token: str) -> None:
    code, _, err = _run(capsys, "sync", "configure", "--url", "http://127.0.0.1:1", "--token", token, *data)
    assert code == 2 and "paste it" in err and "SECRET" not in err
    code, _, err = _run(capsys, "sync", "run", "--url", "http://127.0.0.1:1", "--token", token, *data)
    assert code == 2 and "paste it" in err and "Bearer" not in err and "SECRET" not in err
