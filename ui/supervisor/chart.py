"""The shift's "incidents per hour" chart, defined once: the shift view draws it with QtCharts, the PDF
report with reportlab graphics, from the same `HourlyChart` (title, hour labels, counts, axis range,
colour), so the paper shows what the screen shows.
"""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass

from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.shapes import Drawing, Group, String
from reportlab.lib import colors

from station.shift import ShiftStats
from ui.i18n import QT_TRANSLATE_NOOP

logger = logging.getLogger(__name__)

TITLE = QT_TRANSLATE_NOOP("Supervisor", "Incidents per hour")
X_TITLE = QT_TRANSLATE_NOOP("Supervisor", "Hour (local time)")
Y_TITLE = QT_TRANSLATE_NOOP("Supervisor", "Incidents")
BAR_COLOUR = "#c62828"


@dataclass(frozen=True)
class HourlyChart:
    title: str
    labels: tuple[str, ...]  # "06:00", local wall-clock hours of the shift
    values: tuple[int, ...]
    y_max: int  # at least 4, so one incident does not fill the chart
    y_step: int

    @property
    def colour(self) -> str:
        return BAR_COLOUR


def hourly_chart(stats: ShiftStats) -> HourlyChart:
    labels = tuple(hour.astimezone().strftime("%H:00") for hour, _ in stats.incidents_per_hour)
    values = tuple(int(count) for _, count in stats.incidents_per_hour)
    top = max(max(values, default=0), 4)
    step = 1 if top <= 10 else math.ceil(top / 5)
    return HourlyChart(TITLE, labels, values, math.ceil(top / step) * step, step)


def pdf_drawing(chart: HourlyChart, width: float, height: float) -> Drawing:
    """The chart as a reportlab Drawing (a flowable): title, red bars, hour labels, both axis titles."""
    drawing = Drawing(width, height)
    bars = VerticalBarChart()
    bars.x, bars.y = 42, 34
    bars.width, bars.height = width - 56, height - 62
    bars.data = [list(chart.values) or [0]]
    bars.categoryAxis.categoryNames = list(chart.labels) or ["–"]
    bars.categoryAxis.labels.fontName = "Helvetica"
    bars.categoryAxis.labels.fontSize = 8
    bars.valueAxis.valueMin = 0
    bars.valueAxis.valueMax = chart.y_max
    bars.valueAxis.valueStep = chart.y_step
    bars.valueAxis.labelTextFormat = "%d"
    bars.valueAxis.labels.fontName = "Helvetica"
    bars.valueAxis.labels.fontSize = 8
    bars.valueAxis.visibleGrid = True
    bars.valueAxis.gridStrokeColor = colors.HexColor("#dddddd")
    bars.bars[0].fillColor = colors.HexColor(chart.colour)
    bars.bars[0].strokeColor = None
    bars.barSpacing = 2
    drawing.add(bars)
    drawing.add(
        String(width / 2, height - 14, chart.title, textAnchor="middle", fontName="Helvetica-Bold", fontSize=12)
    )
    drawing.add(String(bars.x + bars.width / 2, 4, X_TITLE, textAnchor="middle", fontName="Helvetica", fontSize=9))
    y_title = Group(String(0, 0, Y_TITLE, textAnchor="middle", fontName="Helvetica", fontSize=9))
    y_title.translate(12, bars.y + bars.height / 2)
    y_title.rotate(90)
    drawing.add(y_title)
    return drawing
