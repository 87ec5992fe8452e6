"""The loop under the sync and print workers: wake cuts the sleep, a failing cycle or listener never ends
the loop, and stop() says so when a cycle will not finish."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

import pytest

from station.background_loop import BackgroundLoop


class Counting(BackgroundLoop[int]):
    def __init__(self, sleep: float = 60.0, fail_on: int = -1, block: threading.Event | None = None) -> None:
        super().__init__("test-loop", 0)
        self.sleep = sleep
        self.fail_on = fail_on
        self.block = block
        self.failures: list[str] = []

    def _cycle(self, cycle: int) -> float:
        if self.block is not None:
            self.block.wait()
        if cycle == self.fail_on:
            raise OSError("disk gone")
        self._publish(lambda old: old + 1)
        return self.sleep

    def _cycle_failed(self, exc: Exception) -> float:
        self.failures.append(str(exc))
        return 0.0


def wait_for(condition: Callable[[], bool], seconds: float = 5.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "condition not met in time"
        time.sleep(0.005)


def test_wake_runs_a_cycle_at_once_instead_of_after_the_sleep() -> None:
    loop = Counting(sleep=60.0)
    loop.start()
    try:
        wait_for(lambda: loop.status == 1)
        loop.wake()
        wait_for(lambda: loop.status == 2)  # 60 s sleep: only wake() can have started the second cycle
    finally:
        loop.stop(5)
    assert not loop.running


def test_a_failing_cycle_and_a_failing_listener_do_not_end_the_loop() -> None:
    loop = Counting(sleep=0.01, fail_on=0)
    seen: list[int] = []

    def bad_listener(_status: int) -> None:
        raise ValueError("listener bug")

    loop.subscribe(bad_listener)
    loop.subscribe(seen.append)
    loop.start()
    try:
        wait_for(lambda: len(seen) >= 3)
    finally:
        loop.stop(5)
    assert loop.failures == ["disk gone"]
    assert seen[:3] == [1, 2, 3]  # the listener after the failing one still heard every status


def test_stop_raises_when_a_cycle_does_not_finish_in_time() -> None:
    block = threading.Event()
    loop = Counting(block=block)
    loop.start()
    with pytest.raises(RuntimeError, match="test-loop did not stop within 0.1 s"):
        loop.stop(0.1)
    block.set()
    loop.stop(5)
    assert not loop.running
