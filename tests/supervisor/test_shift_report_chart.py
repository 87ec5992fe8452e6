"""The PDF shift report carries the chart the shift view shows: read back from the PDF file itself (pypdf),
its title and axis titles as text, and its red bars as filled rectangles whose heights follow the same
counts as the QtCharts bars on screen."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from pypdf import PdfReader
from pypdf.generic import ContentStream
from pytestqt.qtbot import QtBot

from station.clock import FrozenClock
from tests.supervisor.conftest import WRONG_ITEM
from tests.supervisor.test_shift import EARLY
from ui.bootstrap import Station
from ui.supervisor.chart import BAR_COLOUR
from ui.supervisor.shift_view import ShiftView

pytestmark = pytest.mark.usefixtures("ui_directory")
UTC = UTC


def busy_shift(station: Station, clock: FrozenClock) -> None:
    """Three wrong items between 08:00 and 09:00, one at 11:20; each cleared after a few minutes."""
    svc = station.service
    svc.set_packer("P1")
    svc.load_order("ORD-T1")
    for when in ((8, 5), (8, 20), (8, 40), (11, 20)):
        clock.set(datetime(2026, 11, 23, *when, tzinfo=UTC))
        verdict = svc.handle_scan(WRONG_ITEM)
        assert verdict.blocking
        clock.advance(minutes=4)
        svc.clear(verdict.incident_id, "S1", "paint set taken out", "item_swapped")


def filled_rectangles(pdf: Path, rgb: tuple[float, float, float]) -> list[tuple[float, float, float, float]]:
    """(x, y, width, height) of every rectangle the PDF fills in colour `rgb`, in drawing order."""
    reader = PdfReader(pdf)
    found: list[tuple[float, float, float, float]] = []
    for page in reader.pages:
        fill: tuple[float, ...] = ()
        path: list[tuple[float, float, float, float]] = []
        for operands, op in ContentStream(page.get_contents(), reader).operations:
            if op == b"rg":
                fill = tuple(round(float(v), 3) for v in operands)
            elif op == b"re":
                path.append(tuple(float(v) for v in operands))  # type: ignore[arg-type]
            elif op in (b"f", b"f*", b"F", b"B", b"B*", b"b", b"b*"):
                if fill == tuple(round(c, 3) for c in rgb):
                    found += path
                path = []
            elif op in (b"n", b"S", b"s"):
                path = []
    return found


def test_the_pdf_has_the_shift_views_chart(
    station: Station,
    directory: object,
    clock: FrozenClock,
    qtbot: QtBot,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    busy_shift(station, clock)
    clock.set(datetime(2026, 11, 23, 13, 0, tzinfo=UTC))
    view = ShiftView(station, EARLY)
    qtbot.addWidget(view)
    [series] = view.chart.series()
    on_screen = [int(series.barSets()[0].at(i)) for i in range(series.barSets()[0].count())]
    labels = view.chart.axes()[0].categories()
    assert sorted(on_screen, reverse=True)[:2] == [3, 1] and sum(on_screen) == 4

    monkeypatch.setattr(view, "ask_export_path", lambda fmt: tmp_path / f"shift.{fmt}")
    pdf = view.export("pdf")
    assert pdf is not None

    text = "\n".join(page.extract_text() for page in PdfReader(pdf).pages)
    for words in ("Incidents per hour", "Hour (local time)", *labels):
        assert words in text, words
    assert text.count("Incidents per hour") >= 2  # the section heading and the chart's own title

    colour = tuple(int(BAR_COLOUR[i : i + 2], 16) / 255 for i in (1, 3, 5))
    bars = [b for b in filled_rectangles(pdf, colour) if b[3] > 0.01]
    assert len(bars) == sum(1 for n in on_screen if n), bars  # one red bar per hour with incidents
    bars.sort(key=lambda b: b[0])  # left to right, as the hours run
    heights = [b[3] for b in bars]
    assert heights[0] == pytest.approx(3 * heights[1], rel=0.01)  # 3 at 08:00 against 1 at 11:00
    # ...and at the same places as on screen: the bars' x order follows the hours that have incidents.
    busy = [i for i, n in enumerate(on_screen) if n]
    width = bars[0][2]
    gap = (bars[1][0] - bars[0][0]) / (busy[1] - busy[0])
    assert gap > width  # one hour apart on the category axis, not side by side
