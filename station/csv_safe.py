"""Every CSV the station writes goes through here, so no cell can run as a spreadsheet formula.

The helper lives in `rules.csv_safe` (shared with the central service's console, which may not import the
station); this module keeps the station's name for it.
"""

from __future__ import annotations

from rules.csv_safe import FORMULA_STARTS, SafeDictWriter, SafeWriter, dict_writer, safe_cell, writer

__all__ = ["FORMULA_STARTS", "SafeDictWriter", "SafeWriter", "dict_writer", "safe_cell", "writer"]
