"""Scan sources without hardware: a scripted file of codes (demos, soak tests) and a manual text entry.

Both validate codes with the same `parse_scanner_line` as the serial scanner, so a demo script or a
code typed by hand is judged exactly like a real device line (AIM prefix split, GS kept, control
characters rejected).

Script format (UTF-8, one item per line)::

    # a comment (whole line)
    @delay 0.5                 # from here on, wait 0.5 s before each code
    4006381333931              # a code, sent after the current delay
    ]d2010950123456789217250101<GS>10ABC    # AIM prefix + GS1 with a separator
    0012345678905<TAB>2.0      # this code after 2.0 s (a tab, then seconds)

The GS1 group separator may be written as the character itself, as `<GS>` or as the text `\\x1d`.
`CollectingListener` is a thread-safe `ScanListener` that records everything and lets a caller wait
for scans or states; tests and the `packgate` command line use it.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from hardware.scanning import DeviceState, Scan, ScanListener
from hardware.serial_scanner import Rejection, parse_scanner_line
from hardware.worker import DeviceThread
from rules.scan_text import GS

logger = logging.getLogger(__name__)

_GS_TOKENS = ("<GS>", "\\x1d", "\\x1D")


def expand_gs_tokens(text: str) -> str:
    """Replace the written forms of the GS1 separator (`<GS>`, `\\x1d`) by the GS character."""
    for token in _GS_TOKENS:
        text = text.replace(token, GS)
    return text


class ScriptError(ValueError):
    """A scan script line that cannot be used; the message names the script and line number."""


@dataclass(frozen=True)
class ScriptStep:
    """Wait `delay_s`, then send `scan` (its `source` and time are filled in when it is sent)."""

    code: str
    symbology: str | None
    delay_s: float
    line_no: int


def _parse_delay(value: str, where: str) -> float:
    try:
        delay = float(value)
    except ValueError:
        raise ScriptError(f"{where}: delay {value!r} is not a number of seconds") from None
    if not 0 <= delay <= 3600:
        raise ScriptError(f"{where}: delay {delay} s is outside 0..3600")
    return delay


def parse_script(lines: Iterable[str], *, name: str = "script", default_delay_s: float = 0.5) -> list[ScriptStep]:
    """Parse a scan script (see the module docstring); raise `ScriptError` on the first bad line."""
    steps: list[ScriptStep] = []
    delay = default_delay_s
    for line_no, line in enumerate(lines, start=1):
        where = f"{name}:{line_no}"
        stripped = line.rstrip("\r\n").strip(" ")
        if not stripped.strip() or stripped.lstrip().startswith("#"):
            continue
        if stripped.startswith("@"):
            keyword, _, value = stripped[1:].partition(" ")
            if keyword != "delay" or not value.strip():
                raise ScriptError(f"{where}: unknown directive {stripped!r} (expected '@delay <seconds>')")
            delay = _parse_delay(value.strip(), where)
            continue
        code_text, tab, step_delay = stripped.partition("\t")
        this_delay = _parse_delay(step_delay.strip(), where) if tab else delay
        parsed = parse_scanner_line(expand_gs_tokens(code_text.strip()).encode("utf-8"), source=name)
        if isinstance(parsed, Rejection):
            raise ScriptError(f"{where}: {parsed.reason}")
        steps.append(ScriptStep(parsed.code, parsed.symbology, this_delay, line_no))
    return steps


class ScriptedScanner:
    """Replays a scan script on a named thread, like a scanner a person is using.

    `path_or_lines` is a file path or the script lines themselves. The script is parsed when the
    object is made, so a bad file fails at once with a `ScriptError` naming the line. States:
    CONNECTED while playing, STOPPED at the end of the script ("end of script") or after `stop()`.
    """

    def __init__(
        self,
        path_or_lines: str | Path | Iterable[str],
        listener: ScanListener,
        default_delay_s: float = 0.5,
        *,
        repeat: bool = False,
        name: str | None = None,
    ) -> None:
        if isinstance(path_or_lines, (str, Path)):
            path = Path(path_or_lines)
            script_name = name or path.name
            try:
                lines = path.read_text(encoding="utf-8").splitlines()
            except (OSError, UnicodeDecodeError) as exc:
                raise ScriptError(f"cannot read scan script {path}: {exc}") from exc
        else:
            script_name = name or "script"
            lines = list(path_or_lines)
        self.source = f"file:{script_name}"
        self.steps = parse_script(lines, name=script_name, default_delay_s=default_delay_s)
        self._listener = listener
        self._repeat = repeat
        self._worker = DeviceThread(f"scanner-{self.source}", self._run)
        self._stop_event = self._worker.stop_event  # what the read loop waits on
        self.state = DeviceState.STOPPED

    def start(self) -> None:
        self._worker.start()

    def stop(self, timeout: float = 2.0) -> bool:
        """End playback (a pending delay is cut short); True when the thread has ended."""
        return self._worker.stop(timeout)

    def _set_state(self, state: DeviceState, detail: str) -> None:
        self.state = state
        logger.info("%s: %s (%s)", self.source, state.value, detail)
        self._listener.state_changed(self.source, state, detail)

    def _run(self) -> None:
        detail = "end of script"
        try:
            self._set_state(DeviceState.CONNECTED, f"{len(self.steps)} codes")
            while True:
                for step in self.steps:
                    if self._stop_event.wait(step.delay_s):
                        detail = "stopped"
                        return
                    self._listener.scan_received(Scan(step.code, step.symbology, self.source))
                if not self._repeat or not self.steps:
                    return
        except Exception as exc:
            detail = f"internal error: {exc}"
            logger.exception("%s: playback failed", self.source)
        finally:
            self._set_state(DeviceState.STOPPED, detail)


class ManualScanner:
    """The entry point behind a "type a code" text box: `submit(code)` reports it like a scan.

    Leading/trailing whitespace is trimmed; `<GS>` may stand for the GS1 separator. Unusable input
    (empty, control characters) is reported through `scan_rejected` with the reason and returns None.
    """

    source = "manual"

    def __init__(self, listener: ScanListener) -> None:
        self._listener = listener

    def submit(self, code: str) -> Scan | None:
        text = expand_gs_tokens(code.strip())
        parsed = parse_scanner_line(text.encode("utf-8"), source=self.source)
        if isinstance(parsed, Rejection):
            reason = "empty code" if not text else parsed.reason
            logger.info("manual entry rejected: %s (%r)", reason, code[:80])
            self._listener.scan_rejected(self.source, reason, parsed.raw)
            return None
        self._listener.scan_received(parsed)
        return parsed


class CollectingListener:
    """A thread-safe `ScanListener` that records everything and can wait for it (bounded waits)."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self.scans: list[Scan] = []
        self.rejections: list[tuple[str, str, bytes]] = []
        self.states: list[tuple[str, DeviceState, str]] = []

    def scan_received(self, scan: Scan) -> None:
        with self._cond:
            self.scans.append(scan)
            self._cond.notify_all()

    def scan_rejected(self, source: str, reason: str, raw: bytes) -> None:
        with self._cond:
            self.rejections.append((source, reason, raw))
            self._cond.notify_all()

    def state_changed(self, source: str, state: DeviceState, detail: str) -> None:
        with self._cond:
            self.states.append((source, state, detail))
            self._cond.notify_all()

    @property
    def codes(self) -> list[str]:
        with self._cond:
            return [scan.code for scan in self.scans]

    @property
    def state_values(self) -> list[DeviceState]:
        with self._cond:
            return [state for _source, state, _detail in self.states]

    def wait_for_scans(self, count: int, timeout: float = 5.0) -> bool:
        with self._cond:
            return self._cond.wait_for(lambda: len(self.scans) >= count, timeout)

    def wait_for_rejections(self, count: int, timeout: float = 5.0) -> bool:
        with self._cond:
            return self._cond.wait_for(lambda: len(self.rejections) >= count, timeout)

    def wait_for_state(self, state: DeviceState, occurrence: int = 1, timeout: float = 5.0) -> bool:
        """Wait until `state` has been reported `occurrence` times in total."""
        with self._cond:
            return self._cond.wait_for(
                lambda: sum(1 for _s, st, _d in self.states if st is state) >= occurrence, timeout
            )
