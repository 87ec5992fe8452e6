"""The central orders API carries the shipping label (ZPL text or a base64 PDF); the service refuses one that
is not what it says (422, naming it); a pulled label reaches the bench and prints at the seal, as received
(`packgate print configure`, `print run`, `print jobs` against a real 9100 receiver)."""

from __future__ import annotations

import base64
import json

import httpx
import pytest

from rules.labels import LabelFormat
from station.printing.jobs import PrintJobs
from tests.central import factory as f
from tests.central.server import CentralServer
from tests.printing.conftest import LABEL_ZPL
from tests.printing.raw_receiver import RawReceiver
from tests.sync.conftest import STATION_ID
from ui.bootstrap import Station
from ui.cli import main

PDF = b"%PDF-1.4\n%%EOF\n"


def packgate(station: Station, *args: str) -> int:
    return main([*args, "--data-dir", str(station.paths.root), "--station", STATION_ID])


@pytest.fixture
def receiver():
    r = RawReceiver()
    yield r
    r.close()


def test_a_pulled_label_prints_at_the_seal_as_received(
    central_sqlite: CentralServer, station: Station, receiver: RawReceiver, capsys: pytest.CaptureFixture[str]
) -> None:
    central = central_sqlite
    headers = {"Authorization": f"Bearer {central.issue_admin_token()}"}
    with httpx.Client(base_url=central.base_url + "/api/v1", timeout=10, headers=headers) as admin:
        zpl = {**f.order("Z-1", quantity=1), "label": {"zpl": LABEL_ZPL.decode("latin-1")}}
        pdf = {**f.order("P-1", quantity=1), "label": {"pdf_base64": base64.b64encode(PDF).decode()}}
        assert admin.put("/orders", json={"orders": [zpl, pdf, f.order("N-1")]}).status_code == 200
        bad = {**f.order("B-1"), "label": {"pdf_base64": base64.b64encode(b"hello").decode()}}
        refused = admin.put("/orders", json={"orders": [bad]})
        assert refused.status_code == 422
        assert "not a PDF file" in json.dumps(refused.json())
        both = {**f.order("B-2"), "label": {"zpl": LABEL_ZPL.decode(), "pdf_base64": "JVBERi0="}}
        assert "exactly one of zpl or pdf_base64" in json.dumps(admin.put("/orders", json={"orders": [both]}).json())
    conn = ("--url", central.base_url, "--token", central.issue_station_token(STATION_ID))
    assert packgate(station, "sync", "pull-orders", *conn) == 0
    jobs = PrintJobs(station.db, STATION_ID)
    assert jobs.label("Z-1") == (LabelFormat.ZPL, LABEL_ZPL)
    assert jobs.label("P-1") == (LabelFormat.PDF, PDF)
    assert jobs.label("N-1") is None

    service = station.service
    service.set_packer("P-1")
    for code in ("ORDZ-1", "4006381333931", "CMD:SEAL"):
        service.handle_scan(code)
    assert service.order.status.value == "sealed"
    capsys.readouterr()
    assert packgate(station, "print", "configure", "--label", f"tcp:{receiver.address}") == 0
    assert f"label: tcp:{receiver.address}" in capsys.readouterr().out
    # The slip has no printer: the run says so for it (exit 4) and prints the label.
    assert packgate(station, "print", "run") == 4
    out = capsys.readouterr().out
    assert "shipping label for order Z-1: printed" in out
    assert "packing slip for order Z-1: given up, no printer is set for it" in out
    assert receiver.jobs == [LABEL_ZPL]
    assert packgate(station, "print", "jobs", "--json") == 0
    listed = json.loads(capsys.readouterr().out)
    assert [(j["document"], j["status"]) for j in listed] == [
        ("shipping_label", "printed"),
        ("packing_slip", "given_up"),
    ]
    assert packgate(station, "print", "run") == 0  # nothing left: printed once
    assert receiver.jobs == [LABEL_ZPL]
