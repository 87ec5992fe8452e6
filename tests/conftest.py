"""Shared test set-up. Qt runs offscreen unless a test session asks for a real display."""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

# The PIN pepper key lives in the config dir: never the developer's own ~/.config during tests.
import tempfile

os.environ.setdefault("PACKGATE_CONFIG_DIR", tempfile.mkdtemp(prefix="packgate-test-config-"))
