"""Bench camera: OpenCV capture on a worker thread, decoding on a second one, scans via `ScanListener`.

Two plain threads, no Qt (the Qt bridge in ``hardware.qt`` adapts the listener into signals):

* ``camera-capture:<source>`` reads frames (a device index, a video file or an RTSP/HTTP URL) and puts the
  newest into a one-slot mailbox, overwriting any frame the decoder has not taken yet: when decoding is
  slower than capture, stale frames are dropped instead of queued, so latency stays one frame deep.
* ``camera-decode:<source>`` takes the newest frame, runs the ``Decoder``, feeds the
  ``StableCodeFilter`` and reports scans; it also hands ``(frame, codes)`` to ``frame_listener`` for the
  live preview (``hardware.qt.FrameBridge`` turns it into a QImage for the GUI thread).

A video *file* plays at its own fps (``realtime=False`` reads as fast as possible, for benchmarks) and
its end is reported as STOPPED. A device or stream that fails to open or stops delivering is reported
DISCONNECTED and reopened with exponential backoff and jitter (tenacity), until ``stop()``.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np
from tenacity import Retrying, retry_if_exception_type, stop_when_event_set, wait_exponential, wait_random

from hardware.code_text import code_problem
from hardware.decoding import DecodedCode, Decoder, StableCodeFilter
from hardware.scanning import DeviceState, Scan, ScanListener, notify
from hardware.worker import sleeper

logger = logging.getLogger(__name__)

FrameListener = Callable[[np.ndarray, list[DecodedCode]], None]


@dataclass
class CameraStats:
    """Counters for the benchmark and the diagnostics screen (updated by the worker threads)."""

    frames_read: int = 0
    frames_decoded: int = 0
    frames_dropped: int = 0
    decode_ms_total: float = 0.0
    decode_ms_max: float = 0.0
    scans: int = 0
    rejected: int = 0

    @property
    def decode_ms_mean(self) -> float:
        return self.decode_ms_total / self.frames_decoded if self.frames_decoded else 0.0


class _SourceLost(Exception):
    """The capture could not be opened or stopped delivering frames."""


class _LatestFrame:
    """A one-slot mailbox: ``put`` replaces the unread frame, ``take`` waits for a new one."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._frame: tuple[np.ndarray, float] | None = None
        self._closed = False

    def put(self, frame: np.ndarray, read_at: float) -> bool:
        """Store the frame; returns True when an unread frame was overwritten (dropped)."""
        with self._cond:
            dropped = self._frame is not None
            self._frame = (frame, read_at)
            self._cond.notify()
            return dropped

    def take(self, timeout: float) -> tuple[np.ndarray, float] | None:
        with self._cond:
            if self._frame is None and not self._closed:
                self._cond.wait(timeout)
            item, self._frame = self._frame, None
            return item

    def close(self) -> None:
        with self._cond:
            self._closed = True
            self._cond.notify_all()

    @property
    def closed(self) -> bool:
        return self._closed


class CameraScanner:
    """Captures from ``source`` and reports stable decoded codes as `Scan`s to ``listener``.

    ``source``: an int device index, a digit string ("0"), a video file path or a stream URL.
    ``width``/``height``/``fps`` are requested from the device (drivers may round them). ``realtime``
    (default True) paces a video file at its own fps. ``reconnect_initial_s``/``reconnect_max_s`` shape
    the backoff between reopen attempts of a lost device.
    """

    def __init__(
        self,
        source: int | str,
        listener: ScanListener,
        decoder: Decoder | None = None,
        width: int | None = None,
        height: int | None = None,
        fps: float | None = None,
        frame_listener: FrameListener | None = None,
        *,
        stable_filter: StableCodeFilter | None = None,
        realtime: bool = True,
        reconnect_initial_s: float = 0.5,
        reconnect_max_s: float = 10.0,
    ) -> None:
        if isinstance(source, str) and source.strip().isdigit():
            source = int(source.strip())
        if isinstance(source, str) and not source.strip():
            raise ValueError("camera source must be a device index, a video file or a stream URL")
        for name, value in (("width", width), ("height", height), ("fps", fps)):
            if value is not None and value <= 0:
                raise ValueError(f"camera {name} must be positive, got {value}")
        self.source = source
        self.source_name = f"camera:{source}"
        self.listener = listener
        self.decoder = decoder or Decoder()
        self.width, self.height, self.fps = width, height, fps
        self.frame_listener = frame_listener
        self.filter = stable_filter or StableCodeFilter()
        self.realtime = realtime
        self.reconnect_initial_s = reconnect_initial_s
        self.reconnect_max_s = reconnect_max_s
        self.stats = CameraStats()
        self._is_file = isinstance(source, str) and "://" not in source
        self._stop = threading.Event()
        self._mailbox = _LatestFrame()
        self._threads: list[threading.Thread] = []
        self._state: DeviceState | None = None

    # -- lifecycle -------------------------------------------------------------------------------

    def start(self) -> None:
        """Start the capture and decode threads; returns at once (the GUI never waits for the camera)."""
        if self._threads:
            raise RuntimeError(f"{self.source_name} already started")
        self._threads = [
            threading.Thread(target=self._capture_loop, name=f"camera-capture:{self.source}", daemon=True),
            threading.Thread(target=self._decode_loop, name=f"camera-decode:{self.source}", daemon=True),
        ]
        for t in self._threads:
            t.start()

    def stop(self, timeout: float = 5.0) -> None:
        """Stop both threads and release the device; safe to call twice or before ``start``."""
        self._stop.set()
        self._mailbox.close()
        deadline = time.monotonic() + timeout
        for t in self._threads:
            t.join(max(0.0, deadline - time.monotonic()))
            if t.is_alive():
                logger.warning("%s: thread %s did not stop within %.1f s", self.source_name, t.name, timeout)

    @property
    def running(self) -> bool:
        return any(t.is_alive() for t in self._threads)

    def wait_finished(self, timeout: float) -> bool:
        """Block until both threads ended (a finished video file); for tests and the benchmark only."""
        deadline = time.monotonic() + timeout
        for t in self._threads:
            t.join(max(0.0, deadline - time.monotonic()))
        return not self.running

    # -- capture thread ----------------------------------------------------------------------------

    def _set_state(self, state: DeviceState, detail: str = "") -> None:
        if state == self._state:
            return
        self._state = state
        logger.info("%s: %s %s", self.source_name, state.value, detail)
        notify(self.source_name, self.listener.state_changed, self.source_name, state, detail)

    def _open(self) -> cv2.VideoCapture:
        if self._is_file and not Path(str(self.source)).exists():
            raise FileNotFoundError(f"video file not found: {self.source}")
        cap = cv2.VideoCapture(self.source)
        if not cap.isOpened():
            cap.release()
            raise _SourceLost(f"cannot open {self.source}")
        if self.width:
            cap.set(cv2.CAP_PROP_FRAME_WIDTH, self.width)
        if self.height:
            cap.set(cv2.CAP_PROP_FRAME_HEIGHT, self.height)
        if self.fps and not self._is_file:
            cap.set(cv2.CAP_PROP_FPS, self.fps)
        return cap

    def _capture_loop(self) -> None:
        self._set_state(DeviceState.CONNECTING, str(self.source))
        try:
            if self._is_file:
                self._play_file()
            else:
                self._run_device()
        except Exception as exc:  # never let the thread die silently
            logger.exception("%s: capture failed", self.source_name)
            self._set_state(DeviceState.STOPPED, f"capture failed: {exc}")
        finally:
            self._mailbox.close()
            if self._state != DeviceState.STOPPED:
                self._set_state(DeviceState.STOPPED, "stopped")

    def _play_file(self) -> None:
        try:
            cap = self._open()
        except (FileNotFoundError, _SourceLost) as exc:
            self._set_state(DeviceState.STOPPED, str(exc))
            return
        self._connected(cap)
        if not self._stop.is_set():
            self._set_state(DeviceState.STOPPED, "end of video")

    def _run_device(self) -> None:
        """Open, pump until the device is lost, reopen with exponential backoff; until stop()."""
        retrying = Retrying(
            retry=retry_if_exception_type(_SourceLost),
            # Exponential backoff plus jitter, so several stations do not hammer a shared stream in step.
            wait=wait_exponential(multiplier=self.reconnect_initial_s, max=self.reconnect_max_s)
            + wait_random(0, self.reconnect_initial_s),
            stop=stop_when_event_set(self._stop),
            sleep=sleeper(self._stop),  # wakes at once on stop()
            before_sleep=lambda rs: self._set_state(
                DeviceState.DISCONNECTED, f"{rs.outcome.exception()}; retrying" if rs.outcome else "retrying"
            ),
            reraise=False,
        )
        try:
            for attempt in retrying:
                with attempt:
                    if self._stop.is_set():
                        return
                    self._connected(self._open())
                    if not self._stop.is_set():
                        raise _SourceLost("camera stopped delivering frames")
        except Exception as exc:  # tenacity's RetryError once stop() ends the retries
            if not self._stop.is_set():
                raise
            logger.debug("%s: reconnect loop ended: %r", self.source_name, exc)

    def _connected(self, cap: cv2.VideoCapture) -> None:
        """Report the open source as connected, read it until stop or the end, release it."""
        try:
            self._set_state(DeviceState.CONNECTED, str(self.source))
            self._pump(cap)
        finally:
            cap.release()

    def _pump(self, cap: cv2.VideoCapture) -> None:
        """Read frames until stop, end of file or a failed read."""
        src_fps = cap.get(cv2.CAP_PROP_FPS) if self._is_file else 0.0
        period = 1.0 / src_fps if self.realtime and self._is_file and 0 < src_fps < 1000 else 0.0
        next_at = time.monotonic()
        while not self._stop.is_set():
            ok, frame = cap.read()
            if not ok or frame is None:
                return
            now = time.monotonic()
            self.stats.frames_read += 1
            if self._mailbox.put(frame, now):
                self.stats.frames_dropped += 1
            if period:
                next_at += period
                delay = next_at - time.monotonic()
                if delay > 0 and self._stop.wait(delay):
                    return
                if delay < -1.0:
                    next_at = time.monotonic()  # fell far behind (machine busy): do not burst to catch up

    # -- decode thread -----------------------------------------------------------------------------

    def _decode_loop(self) -> None:
        while not self._stop.is_set():
            item = self._mailbox.take(timeout=0.2)
            if item is None:
                if self._mailbox.closed:
                    return
                continue
            frame, _read_at = item
            try:
                self._handle_frame(frame)
            except Exception:  # one bad frame must not end scanning
                logger.exception("%s: decoding a frame failed", self.source_name)

    def _handle_frame(self, frame: np.ndarray) -> None:
        t0 = time.perf_counter()
        codes = self.decoder.decode(frame)
        ms = (time.perf_counter() - t0) * 1000
        st = self.stats
        st.frames_decoded += 1
        st.decode_ms_total += ms
        st.decode_ms_max = max(st.decode_ms_max, ms)
        for code in self.filter.feed(codes):
            problem = code_problem(code.text)
            if problem is not None:
                # A symbol can carry NUL or other control bytes: rejected like a serial line holding them.
                # The stable-code filter reports a symbol once while it stays in view, so this is not per frame.
                st.rejected += 1
                logger.warning("%s: rejected symbol: %s (%r)", self.source_name, problem, code.text[:80])
                raw = code.text.encode("utf-8", "backslashreplace")
                notify(self.source_name, self.listener.scan_rejected, self.source_name, problem, raw)
                continue
            st.scans += 1
            logger.info("%s: scan %r (%s, %s)", self.source_name, code.text, code.symbology, code.decoder)
            scan = Scan(code=code.text, symbology=code.symbology, source=self.source_name, frame=frame)
            notify(self.source_name, self.listener.scan_received, scan)
        if self.frame_listener is not None:
            notify(self.source_name, self.frame_listener, frame, codes)
