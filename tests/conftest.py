"""Shared test set-up. Qt runs offscreen unless a test session asks for a real display."""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
