"""The shift report as CSV (for spreadsheets) and PDF (reportlab, for the shift file and e-mail).

Both carry the same figures as the shift view: totals, per packer, incidents per hour, and the open flags
handed over. The PDF also has the shift view's chart of incidents per hour (`ui.supervisor.chart`). Files are written to a temporary name and renamed, so a half-written report never exists.
"""

from __future__ import annotations

import logging
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from station import csv_safe
from station.shift import PackerStats, ShiftStats
from ui.i18n import QT_TRANSLATE_NOOP
from ui.incident_words import kind_label
from ui.supervisor.chart import hourly_chart, pdf_drawing
from ui.supervisor.style import duration

logger = logging.getLogger(__name__)

PACKER_HEADER = [
    "Packer",
    "Orders packed",
    "Short-shipped",
    "Lines scanned",
    "Units scanned",
    "Incidents",
    "Error rate per line",
    "Cleared",
    "Mean time to clearance",
]

#: The same columns, short enough for a table on screen or an A4 page.
SHORT_HEADER = [
    QT_TRANSLATE_NOOP("Supervisor", "Packer"),
    QT_TRANSLATE_NOOP("Supervisor", "Orders"),
    QT_TRANSLATE_NOOP("Supervisor", "Short"),
    QT_TRANSLATE_NOOP("Supervisor", "Lines"),
    QT_TRANSLATE_NOOP("Supervisor", "Units"),
    QT_TRANSLATE_NOOP("Supervisor", "Incidents"),
    QT_TRANSLATE_NOOP("Supervisor", "Errors/line"),
    QT_TRANSLATE_NOOP("Supervisor", "Cleared"),
    QT_TRANSLATE_NOOP("Supervisor", "Mean to clear"),
]


def _rate(value: float | None) -> str:
    return "–" if value is None else f"{value:.1%}"


def packer_row(p: PackerStats, label: str | None = None) -> list[str]:
    return [
        label or p.packer_id or "unknown",
        str(p.orders_packed),
        str(p.orders_short_shipped),
        str(p.lines_scanned),
        str(p.units_scanned),
        str(p.incidents),
        _rate(p.error_rate),
        str(p.cleared),
        duration(p.mean_time_to_clearance),
    ]


@contextmanager
def _atomic(path: Path, mode: str = "w", **kwargs: object) -> Iterator[object]:
    path = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    os.close(fd)
    try:
        with open(tmp, mode, **kwargs) as f:  # type: ignore[call-overload]
            yield f
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_csv(stats: ShiftStats, path: Path) -> None:
    """One CSV with sections (a blank line between them), readable by any spreadsheet."""
    with _atomic(path, "w", newline="", encoding="utf-8") as f:
        w = csv_safe.writer(f)  # type: ignore[arg-type]
        w.writerow(["Shift report", stats.station_id])
        w.writerow(["Shift start (UTC)", stats.window.start.isoformat()])
        w.writerow(["Shift end (UTC)", stats.window.end.isoformat()])
        w.writerow(["Generated (UTC)", stats.generated_at.isoformat()])
        w.writerow([])
        w.writerow(PACKER_HEADER)
        for p in stats.per_packer:
            w.writerow(packer_row(p))
        w.writerow(packer_row(stats.total, "All packers"))
        w.writerow([])
        w.writerow(["Incident kind", "Count"])
        for kind, count in stats.total.incidents_by_kind.items():
            w.writerow([kind, count])
        w.writerow([])
        w.writerow(["Hour starting (UTC)", "Incidents"])
        for hour, count in stats.incidents_per_hour:
            w.writerow([hour.isoformat(), count])
        w.writerow([])
        w.writerow(["Open incident", "Order", "Kind", "Packer", "Detected (UTC)", "Age", "Past 2-hour target"])
        for flag in stats.open_flags:
            w.writerow(
                [
                    flag.incident_id,
                    flag.order_id,
                    flag.kind,
                    flag.packer_id or "",
                    flag.detected_at.isoformat(),
                    duration(flag.age),
                    "yes" if flag.overdue else "no",
                ]
            )
    logger.info("shift report written", extra={"path": str(path), "format": "csv"})


def write_pdf(stats: ShiftStats, path: Path) -> None:
    styles = getSampleStyleSheet()
    story: list[object] = [
        Paragraph(f"Shift report — station {stats.station_id}", styles["Title"]),
        Paragraph(
            f"Shift {stats.window.label()} (local time) · generated {stats.generated_at.astimezone():%d %b %Y %H:%M}",
            styles["Normal"],
        ),
        Spacer(1, 6 * mm),
    ]

    def table(rows: list[list[str]], widths: list[float] | None = None) -> Table:
        t = Table(rows, colWidths=widths, repeatRows=1)
        t.setStyle(
            TableStyle(
                [
                    ("FONT", (0, 0), (-1, 0), "Helvetica-Bold", 9),
                    ("FONT", (0, 1), (-1, -1), "Helvetica", 9),
                    ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e0e0e0")),
                    ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
                    ("ALIGN", (1, 1), (-1, -1), "RIGHT"),
                ]
            )
        )
        return t

    rows = [SHORT_HEADER] + [packer_row(p) for p in stats.per_packer] + [packer_row(stats.total, "All packers")]
    story += [Paragraph("Per packer", styles["Heading2"]), table(rows), Spacer(1, 4 * mm)]
    kinds = [["Incident kind", "Count"]] + [[kind_label(k), str(n)] for k, n in stats.total.incidents_by_kind.items()]
    story += [Paragraph("Incidents by kind", styles["Heading2"]), table(kinds), Spacer(1, 4 * mm)]
    hours = [["Hour", "Incidents"]] + [[f"{h.astimezone():%H:%M}", str(n)] for h, n in stats.incidents_per_hour]
    story += [
        Paragraph("Incidents per hour", styles["Heading2"]),
        pdf_drawing(hourly_chart(stats), 180 * mm, 70 * mm),
        Spacer(1, 2 * mm),
        table(hours),
        Spacer(1, 4 * mm),
    ]
    flags = [["Order", "Kind", "Packer", "Detected", "Age", "Past 2 h"]] + [
        [
            f.order_id,
            kind_label(f.kind),
            f.packer_id or "–",
            f"{f.detected_at.astimezone():%d %b %H:%M}",
            duration(f.age),
            "YES" if f.overdue else "no",
        ]
        for f in stats.open_flags
    ]
    story += [
        Paragraph(f"Open incidents handed over ({len(stats.open_flags)})", styles["Heading2"]),
        table(flags) if stats.open_flags else Paragraph("None.", styles["Normal"]),
    ]
    with _atomic(path, "wb") as f:
        SimpleDocTemplate(
            f, pagesize=A4, title=f"Shift report {stats.station_id}", leftMargin=15 * mm, rightMargin=15 * mm
        ).build(story)
    logger.info("shift report written", extra={"path": str(path), "format": "pdf"})
