"""Look shared by the supervisor screens: big type that reads at arm's length on a bench monitor. (What an
incident kind is called is `ui.incident_words`, the one table for every screen.)"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

logger = logging.getLogger(__name__)

BASE_POINT_SIZE = 15

STYLE_SHEET = f"""
QWidget {{ font-size: {BASE_POINT_SIZE}pt; }}
QLabel#title {{ font-size: 22pt; font-weight: bold; }}
QLabel#error {{ color: #b00020; font-weight: bold; }}
QLabel#hint {{ color: #444; }}
QLabel#tileValue {{ font-size: 28pt; font-weight: bold; }}
QLabel#tileCaption {{ color: #444; font-size: 12pt; }}
QFrame#tile {{ border: 1px solid #bbb; border-radius: 6px; background: #fafafa; }}
QPushButton {{ padding: 8px 18px; }}
QPushButton#primary {{ background: #1b5e20; color: white; font-weight: bold; }}
QPushButton#primary:disabled {{ background: #9e9e9e; }}
QPushButton#danger {{ background: #8e2b00; color: white; }}
QHeaderView::section {{ font-weight: bold; padding: 4px; }}
"""

OVERDUE = "#c62828"  # past the 2-hour customer-notification target
AGEING = "#ef6c00"  # past half of it
FRESH = "#2e7d32"


def local_time(value: datetime) -> str:
    """A stored UTC time as the bench's wall clock shows it."""
    return value.astimezone().strftime("%H:%M")


def duration(value: timedelta | None) -> str:
    """'1 h 05 min', '7 min', '40 s', or an en dash for no value."""
    if value is None:
        return "–"
    seconds = int(value.total_seconds())
    if seconds < 60:
        return f"{seconds} s"
    minutes = seconds // 60
    if minutes < 60:
        return f"{minutes} min"
    return f"{minutes // 60} h {minutes % 60:02d} min"
