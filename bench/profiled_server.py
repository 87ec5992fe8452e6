"""Run ``packgate-central serve`` under cProfile in every thread: ``bench_central --profile``.

    python -m bench.profiled_server OUT.prof [--clock cpu|wall] serve --db URL --port N

cProfile sees only the thread that enabled it, and the service's work is spread over three kinds of thread:
the event loop (HTTP parsing, the guard middleware, FastAPI's body parsing and validation), the thread pool
(the plain-``def`` handlers: ingest and commit) and the webhook dispatcher. So every thread started after
this module is imported gets its own profiler (``threading.Thread.run`` is wrapped), the main thread too,
each measuring the CPU time of its thread (``time.thread_time``: waiting for PostgreSQL costs nothing), and
when the server stops (SIGTERM: uvicorn shuts down and returns) their statistics are merged into
``OUT.prof`` (read it with ``python -m pstats OUT.prof`` or ``bench.profiled_server.summary``).
Threads still parked in the pool at exit are read as they are (their profilers are never disabled).

The profiler roughly doubles the server's CPU per event, so throughput under ``--profile`` is not a figure;
the *shares* of the time are what it is for.
"""

from __future__ import annotations

import cProfile
import io
import logging
import pstats
import signal
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

logger = logging.getLogger(__name__)

_profiles: list[cProfile.Profile] = []
_lock = threading.Lock()


_timer: list[Callable[[], float]] = [time.thread_time]


def _new_profile() -> cProfile.Profile:
    # CPU time of the thread by default: a thread waiting for PostgreSQL or for work costs nothing. Reading
    # the thread's CPU clock is a system call, which makes call-heavy code look heavier than it is: ``--clock
    # wall`` (cheap, but waits count) is the cross-check.
    profile = cProfile.Profile(_timer[0])
    with _lock:
        _profiles.append(profile)
    return profile


def _install() -> None:
    # ``_bootstrap_inner``, not ``run``: anyio's worker threads (the thread pool) override ``run``.
    original: Callable[[threading.Thread], None] = threading.Thread._bootstrap_inner  # type: ignore[attr-defined]

    def bootstrap_inner(self: threading.Thread) -> None:
        profile = _new_profile()
        profile.enable()
        try:
            original(self)
        finally:
            profile.disable()

    threading.Thread._bootstrap_inner = bootstrap_inner  # type: ignore[attr-defined]


def _merged() -> pstats.Stats | None:
    stats: pstats.Stats | None = None
    with _lock:
        profiles = list(_profiles)
    for profile in profiles:
        profile.create_stats()  # a thread still running: its figures so far
        if not getattr(profile, "stats", None):
            continue
        if stats is None:
            stats = pstats.Stats(profile)
        else:
            stats.add(profile)
    return stats


def summary(path: Path, limit: int = 60) -> str:
    """The heaviest functions of a merged profile, by cumulative and by own time."""
    out = io.StringIO()
    stats = pstats.Stats(str(path), stream=out)
    stats.sort_stats("cumulative").print_stats(limit)
    stats.sort_stats("tottime").print_stats(limit // 2)
    return out.getvalue()


def _exit_on_signal(signum: int, _frame: object) -> None:
    raise SystemExit(128 + signum)


def main(argv: list[str]) -> int:
    out, rest = Path(argv[0]), argv[1:]
    if rest[:1] == ["--clock"]:
        _timer[0] = {"cpu": time.thread_time, "wall": time.perf_counter}[rest[1]]
        rest = rest[2:]
    _install()
    # uvicorn shuts down on SIGTERM and then raises the signal again with the handler found before it: this
    # one, so that the statistics are written instead of the process dying on the default handler.
    signal.signal(signal.SIGTERM, _exit_on_signal)
    from sync.server.cli import main as central_main

    main_profile = _new_profile()
    code: Any = 0
    main_profile.enable()
    try:
        code = central_main(rest)
    except SystemExit as exc:
        code = 0 if exc.code == 128 + signal.SIGTERM else exc.code
    finally:
        main_profile.disable()
        stats = _merged()
        if stats is not None:
            stats.dump_stats(str(out))
    return int(code or 0)


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
