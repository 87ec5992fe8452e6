"""Sample orders, recalls and demo scan strings for demos, manual testing and the test suite.

The files here are produced by ``python -m station.samples.generate`` (deterministic, seeded) and
committed; ``tests/station/test_order_files.py`` checks they are up to date and load cleanly.
"""

import logging
from pathlib import Path

logger = logging.getLogger(__name__)

#: Directory holding ``orders.csv``, ``orders.json``, ``recalls.csv``, ``demo_scans.json``.
SAMPLES_DIR = Path(__file__).resolve().parent
