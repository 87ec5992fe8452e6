"""Robustness tests: hostile input and broken environments. Fixtures reuse the station test set-up."""

from __future__ import annotations

from tests.station.conftest import clock, db, service  # noqa: F401 - pytest fixtures shared on purpose
