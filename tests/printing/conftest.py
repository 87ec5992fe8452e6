"""A real CUPS scheduler with a PDF printer, a raw 9100 receiver, and a station whose orders carry labels."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from rules.labels import LabelFormat
from station.clock import SystemClock
from station.db import Database
from station.order_files import OrderSpec
from station.order_files.specs import LabelSpec
from station.orders import import_orders
from station.service import StationService
from tests.printing.cups_server import CupsServer, why_cupsd_cannot_run
from tests.printing.raw_receiver import RawReceiver
from tests.station.conftest import GADGET_EAN, ORDERS, PILLS_GTIN, WIDGET_EAN

# A carrier's 4x6 label as a WMS hands it over (Latin-1 text, a GS1-128 barcode, a field with a comma).
LABEL_ZPL = (
    b"^XA^CI0^PW812^LL1218\n^FO50,50^A0N,60,60^FDDHL Parcel^FS\n^FO50,150^A0N,40,40^FDAda Lovelace, 1 Analytical St^FS\n"
    b"^FO50,300^BY3^BCN,200,Y,N,N^FD>;00340123450000000018^FS\n^XZ\n"
)

FULL_PACK = [WIDGET_EAN] * 2 + [GADGET_EAN] * 12 + [PILLS_GTIN] * 2


@pytest.fixture(autouse=True)
def _quiet_pypdf() -> None:
    logging.getLogger("pypdf").setLevel(logging.ERROR)  # "fontTools is required ..." for ghostscript's fonts


@pytest.fixture
def cups() -> Iterator[CupsServer]:
    reason = why_cupsd_cannot_run()
    if reason is not None:
        pytest.skip(f"no test CUPS scheduler: {reason}")
    server = CupsServer()
    try:
        server.start()
        server.add_pdf_queue()
        yield server
    finally:
        server.close()


@pytest.fixture
def receiver() -> Iterator[RawReceiver]:
    r = RawReceiver()
    yield r
    r.close()


def labelled_orders() -> list[OrderSpec]:
    return [replace(ORDERS[0], label=LabelSpec(LabelFormat.ZPL, LABEL_ZPL)), ORDERS[1]]


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    database = Database.open(tmp_path / "station.sqlite3")
    yield database
    database.close()


@pytest.fixture
def service(db: Database) -> StationService:
    clock = SystemClock()  # real time: the worker's backoff waits on it
    import_orders(db, labelled_orders(), "S1", clock)
    svc = StationService(db, "S1", clock=clock)
    svc.set_packer("P1")
    return svc


def pack_and_seal(service: StationService, order: str = "ORD-10001", codes: list[str] | None = None) -> None:
    service.load_order(order)
    for code in FULL_PACK if codes is None else codes:
        service.handle_scan(code)
    verdict = service.handle_scan("CMD:SEAL")
    assert verdict.kind.value == "sealed", verdict


def pdf_text(path: Path) -> str:
    from pypdf import PdfReader

    return " ".join(" ".join(page.extract_text().split()) for page in PdfReader(str(path)).pages)
