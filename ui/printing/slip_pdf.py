"""The packing slip as a PDF, A4 or US letter (site setting ``printing.paper``).

Made with **reportlab** (already PackGate's PDF library for the shift report, ``ui.supervisor.report``):
it is pure Python with no system libraries to install, has been maintained since 2000 with regular
releases, writes the PDF directly (no browser or HTML engine), embeds the standard fonts, has a Code 128
barcode built in (the order id, for the dispatch scanner) and with ``invariant=True`` gives the same bytes
for the same slip, which keeps a reprint identical. fpdf2 was the other candidate: smaller, but it would be
a second PDF library for the same job.

The words of the slip live here (the domain hands over ``station.printing.slip_data.SlipData``). Text from
the order is escaped before it reaches reportlab's paragraph markup, so a ship-to of ``<b>`` prints as typed.
"""

from __future__ import annotations

import functools
import io
import logging
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.graphics.barcode.code128 import Code128
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, LETTER
from reportlab.lib.styles import ParagraphStyle, StyleSheet1, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from station.printing.settings import PaperSize
from station.printing.slip_data import SlipData, SlipLine

logger = logging.getLogger(__name__)

PAGE_SIZES = {PaperSize.A4: A4, PaperSize.LETTER: LETTER}
#: DejaVu Sans (Debian's fonts-dejavu-core, a runtime package of ./dev) covers Latin Extended, Greek and
#: Cyrillic: "Łódź" or "Žilina" on a ship-to. reportlab's built-in Helvetica is WinAnsi only and prints
#: those letters as black boxes. Without the font files the slip falls back to Helvetica.
FONT_DIRS = (Path("/usr/share/fonts/truetype/dejavu"), Path("/usr/share/fonts/dejavu"))


@functools.cache
def slip_fonts() -> tuple[str, str]:
    """(regular, bold) font names for the slip: DejaVu Sans when installed, else Helvetica."""
    for folder in FONT_DIRS:
        regular, bold = folder / "DejaVuSans.ttf", folder / "DejaVuSans-Bold.ttf"
        if regular.is_file() and bold.is_file():
            try:
                pdfmetrics.registerFont(TTFont("PackGateSans", str(regular)))
                pdfmetrics.registerFont(TTFont("PackGateSans-Bold", str(bold)))
            except Exception as exc:  # a broken font file: the slip still prints, in Helvetica
                logger.warning("slip font %s not usable (%s); using Helvetica", regular, exc)
                break
            return "PackGateSans", "PackGateSans-Bold"
    return "Helvetica", "Helvetica-Bold"


def _styles() -> StyleSheet1:
    regular, bold = slip_fonts()
    styles = getSampleStyleSheet()
    for name in ("BodyText", "Title", "Heading4"):
        style: ParagraphStyle = styles[name]
        style.fontName = bold if name != "BodyText" else regular
    return styles


RESOLUTION_WORDS = {
    "short_shipped": "shipped short",
    "item_swapped": "item swapped",
    "quantity_corrected": "quantity corrected",
    "false_alarm": "false alarm",
    "other": "other",
}


def _p(text: str, style: object) -> Paragraph:
    return Paragraph(escape(text).replace("\n", "<br/>"), style)


def remedy_words(slip: SlipData) -> str:
    """The short-shipment remedy in one sentence (printed under every short line)."""
    remedy = slip.remedy
    if remedy is None or remedy.resolution is None:
        return "Shipped short."
    words = RESOLUTION_WORDS.get(remedy.resolution, remedy.resolution.replace("_", " "))
    who = f" by supervisor {remedy.supervisor}" if remedy.supervisor else ""
    why = f": {remedy.reason}" if remedy.reason else ""
    return f"{words[0].upper()}{words[1:]}{who}{why}. The missing units follow separately or are credited."


def _tracking(line: SlipLine) -> str:
    parts = []
    if line.lots:
        parts.append("Lot " + ", ".join(line.lots))
    if line.serials:
        parts.append("S/N " + ", ".join(line.serials))
    return "\n".join(parts)


def packing_slip_pdf(slip: SlipData, paper: PaperSize = PaperSize.A4) -> bytes:
    """The slip's PDF bytes; the same slip and paper give the same bytes."""
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=PAGE_SIZES[paper],
        leftMargin=18 * mm,
        rightMargin=18 * mm,
        topMargin=16 * mm,
        bottomMargin=16 * mm,
        title=f"Packing slip {slip.order_id}",
        author="PackGate",
        invariant=True,
    )
    styles = _styles()
    regular, bold = slip_fonts()
    body, small = styles["BodyText"], styles["BodyText"].clone("small", fontSize=8, leading=10)
    story: list[object] = [
        _p(f"Packing slip - order {slip.order_id}", styles["Title"]),
        Code128(slip.order_id, barHeight=12 * mm, barWidth=0.9),
        Spacer(1, 4 * mm),
    ]
    if slip.ship_to:
        story += [_p("Ship to", styles["Heading4"]), _p(slip.ship_to, body)]
    if slip.carrier:
        story.append(_p(f"Carrier: {slip.carrier}", body))
    story.append(Spacer(1, 4 * mm))

    rows: list[list[object]] = [["Line", "SKU", "Description", "Ordered", "Packed", "Lot / serial"]]
    short_rows: list[int] = []
    remedy = remedy_words(slip)
    for line in slip.lines:
        description = line.description
        if line.short:
            description += f"\nSHORT: {line.short} not in this package. {remedy}"
            short_rows.append(len(rows))
        rows.append(
            [
                str(line.line_no),
                _p(line.sku, small),
                _p(description, small),
                str(line.ordered),
                str(line.packed),
                _p(_tracking(line), small),
            ]
        )
    table = Table(rows, colWidths=[11 * mm, 26 * mm, 68 * mm, 16 * mm, 16 * mm, None], repeatRows=1)
    style = [
        ("FONTNAME", (0, 0), (-1, -1), regular),
        ("FONTNAME", (0, 0), (-1, 0), bold),
        ("FONTSIZE", (0, 0), (-1, -1), 8),
        ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
        ("BACKGROUND", (0, 0), (-1, 0), colors.Color(0.9, 0.9, 0.9)),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("ALIGN", (3, 1), (4, -1), "RIGHT"),
    ]
    for row in short_rows:  # a short line reads as short in black and white too: bold, with the word SHORT
        style += [
            ("FONTNAME", (0, row), (-1, row), bold),
            ("LINEBEFORE", (0, row), (0, row), 3, colors.black),
        ]
    table.setStyle(TableStyle(style))
    story.append(table)
    packed = sum(line.packed for line in slip.lines)
    ordered = sum(line.ordered for line in slip.lines)
    story += [Spacer(1, 4 * mm), _p(f"{packed} of {ordered} units packed.", body)]
    if short_rows:
        story.append(_p(f"This package was shipped short: {ordered - packed} unit(s) missing. {remedy}", body))
    footer = [f"Packed at station {slip.station_id}"]
    if slip.packer_id:
        footer.append(f"by {slip.packer_id}")
    if slip.sealed_at:
        footer.append(f"sealed {slip.sealed_at.astimezone().strftime('%Y-%m-%d %H:%M')}")
    story += [Spacer(1, 6 * mm), _p(" ".join(footer) + ".", small)]
    doc.build(story)
    return buffer.getvalue()


def sample_page_pdf(printer_name: str, paper: PaperSize = PaperSize.A4) -> bytes:
    """A one-page test print naming the printer (the settings dialog's "Print a test page")."""
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(buffer, pagesize=PAGE_SIZES[paper], title="PackGate test page", invariant=True)
    styles = _styles()
    doc.build(
        [
            _p("PackGate test page", styles["Title"]),
            _p(f"Printer: {printer_name}", styles["BodyText"]),
            _p(
                f"Paper: {paper.value.upper()}. If you can read this, packing slips will print here.",
                styles["BodyText"],
            ),
        ]
    )
    return buffer.getvalue()


def sample_label_zpl(printer_name: str) -> bytes:
    """A small ZPL test label for a label printer."""
    name = printer_name.encode("latin-1", "replace").replace(b"^", b" ").replace(b"~", b" ")
    return b"^XA^CI0^FO40,40^A0N,40,40^FDPackGate test label^FS^FO40,100^A0N,30,30^FD" + name + b"^FS^XZ\n"
