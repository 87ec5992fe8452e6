"""Pure parts of the console: the words for a time span (the JS writes the same), KPI durations."""

from __future__ import annotations

from datetime import timedelta

import pytest

from sync.server.console.kpi_views import duration
from sync.server.console.queue import humanise


@pytest.mark.parametrize(
    ("seconds", "words"),
    [(5, "under 1 min"), (60, "1 min"), (4320, "1 h 12 min"), (-300, "5 min"), (3 * 86400 + 4 * 3600, "3 d 4 h")],
)
def test_time_spans_read_the_way_the_queue_says_them(seconds: int, words: str) -> None:
    assert humanise(timedelta(seconds=seconds)) == words


def test_kpi_durations() -> None:
    assert [duration(s) for s in (12, 600, 7260, 90000)] == ["12 s", "10 min", "2 h 1 min", "1 d 1 h"]
