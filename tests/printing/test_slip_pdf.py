"""The packing slip PDF itself (read back with pypdf): A4 or letter, the lines as packed with lots and serials,
a short line with its remedy, addresses in Polish/Greek/Cyrillic letters, markup printed as typed."""

from __future__ import annotations

import io
from datetime import UTC, datetime

import pytest
from pypdf import PdfReader

from station.printing.settings import PaperSize
from station.printing.slip_data import ShortRemedy, SlipData, SlipLine
from ui.printing.slip_pdf import packing_slip_pdf, slip_fonts

SLIP = SlipData(
    order_id="10023",
    ship_to="Łukasz Żółć, ul. Świętokrzyska 7, 90-001 Łódź <b>PL</b> & Ψ Ж",
    carrier="DHL",
    sealed_at=datetime(2026, 11, 23, 9, 0, tzinfo=UTC),
    packer_id="P1",
    station_id="S1",
    short_shipped=True,
    lines=(
        SlipLine(1, "P-1", "Vitamin tablets", 2, 2, ("L4711",), ()),
        SlipLine(2, "PH-9", "Phone", 2, 2, (), ("SN001", "SN002")),
        SlipLine(3, "G-6", "Gadget", 12, 9, (), ()),
    ),
    remedy=ShortRemedy("S1", "short_shipped", "backorder 4711"),
)


def text_and_size(pdf: bytes) -> tuple[str, tuple[float, float]]:
    reader = PdfReader(io.BytesIO(pdf))
    page = reader.pages[0]
    return " ".join(page.extract_text().split()), (
        round(float(page.mediabox.width)),
        round(float(page.mediabox.height)),
    )


@pytest.mark.parametrize(("paper", "size"), [(PaperSize.A4, (595, 842)), (PaperSize.LETTER, (612, 792))])
def test_the_slip_says_what_was_packed_on_the_sites_paper(paper: PaperSize, size: tuple[int, int]) -> None:
    text, page = text_and_size(packing_slip_pdf(SLIP, paper))
    assert page == size
    assert "Packing slip - order 10023" in text
    assert "Łukasz Żółć, ul. Świętokrzyska 7, 90-001 Łódź <b>PL</b> & Ψ Ж" in text  # letters, markup as typed
    assert "Lot L4711" in text and "S/N SN001, SN002" in text
    assert "SHORT: 3 not in this package. Shipped short by supervisor S1: backorder 4711." in text
    assert "13 of 16 units packed" in text
    assert "Packed at station S1 by P1" in text


def test_the_same_slip_gives_the_same_bytes() -> None:
    assert packing_slip_pdf(SLIP) == packing_slip_pdf(SLIP)  # a reprint is the same document


def test_the_slip_font_covers_central_european_letters() -> None:
    assert slip_fonts()[0] == "PackGateSans"  # DejaVu Sans (fonts-dejavu-core): Helvetica prints boxes for Ł
