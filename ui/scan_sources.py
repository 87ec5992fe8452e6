"""Scan sources for the packer screen: parse `--scanner` specs, build the devices, start and stop them.

A spec is one string, as typed after `--scanner` or stored in the settings section "scanners":

    wedge                         keyboard-wedge scanner (USB HID), detected app-wide by key timing
    serial:/dev/ttyACM0[@9600]    a serial / USB-CDC scanner; `@baud` optional (COM3@115200 on Windows)
    file:codes.txt                a scan script replayed like a scanner (demos, soak tests)
    camera:0 | camera:/clip.mp4   the bench camera (device index, video file or stream URL); its resolution,
                                  region of interest, formats and dedupe window come from the "camera"
                                  settings section (`ui.camera_settings.CameraSettings`)

Every device reports to one `hardware.qt.ScannerBridge`, so the window has one slot for all of them.
A manual-entry `ManualScanner` always exists besides the configured sources: the text box under the
order lines feeds it. Bad specs raise `SourceSpecError` with a message fit for the command line; a
source that fails to start is reported and skipped, the others keep working.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from hardware.qt import ScannerBridge
from hardware.scanning import DeviceState
from hardware.simulated import ManualScanner, ScriptedScanner, ScriptError
from station.settings import ScannerSettings, Section

if TYPE_CHECKING:  # imported when a camera is built: OpenCV and the decoders cost start-up time otherwise
    from ui.camera_settings import CameraSettings

logger = logging.getLogger(__name__)

KINDS = ("wedge", "serial", "file", "camera")
DEFAULT_SPECS = ("wedge",)
DEFAULT_BAUD = 9600
SETTINGS_SECTION = Section.SCANNERS


class SourceSpecError(ValueError):
    """A `--scanner` spec that cannot be used; the message says what is wrong and what would work."""


@dataclass(frozen=True)
class SourceSpec:
    kind: str
    target: str = ""
    baudrate: int = DEFAULT_BAUD

    @property
    def text(self) -> str:
        if self.kind == "wedge":
            return "wedge"
        if self.kind == "serial" and self.baudrate != DEFAULT_BAUD:
            return f"serial:{self.target}@{self.baudrate}"
        return f"{self.kind}:{self.target}"

    @property
    def source_name(self) -> str:
        """The `source` the device reports scans and states under (matches the hardware layer)."""
        if self.kind == "serial":
            return f"serial:{self.target}"
        if self.kind == "file":
            return f"file:{Path(self.target).name}"
        if self.kind == "camera":
            return f"camera:{int(self.target) if self.target.strip().isdigit() else self.target}"
        return "wedge"


def parse_spec(text: str) -> SourceSpec:
    """Parse one spec string; raise `SourceSpecError` naming the problem."""
    raw = (text or "").strip()
    if not raw:
        raise SourceSpecError("empty scanner spec; use one of: wedge, serial:PORT[@BAUD], file:PATH, camera:0")
    kind, sep, target = raw.partition(":")
    kind = kind.lower()
    if kind not in KINDS:
        raise SourceSpecError(
            f"unknown scanner {raw!r}; use one of: wedge, serial:PORT[@BAUD], file:PATH, camera:INDEX|PATH"
        )
    if kind == "wedge":
        if target:
            raise SourceSpecError(f"'wedge' takes no argument (got {raw!r})")
        return SourceSpec("wedge")
    target = target.strip()
    if not sep or not target:
        raise SourceSpecError(f"{kind!r} needs a target, e.g. {kind}:{_EXAMPLES[kind]}")
    if kind == "serial":
        port, at, baud = target.rpartition("@")
        # Only split on '@' when what follows is a number: a pyserial URL may contain '@' itself.
        if at and baud.isdigit() and port:
            baudrate = int(baud)
            if not 50 <= baudrate <= 4_000_000:
                raise SourceSpecError(f"baud rate {baudrate} in {raw!r} is outside 50..4000000")
            return SourceSpec("serial", port, baudrate)
        if at and not baud.isdigit() and "://" not in target:
            raise SourceSpecError(f"baud rate {baud!r} in {raw!r} is not a number (e.g. serial:/dev/ttyACM0@9600)")
        return SourceSpec("serial", target)
    return SourceSpec(kind, target)


_EXAMPLES = {"serial": "/dev/ttyACM0@9600", "file": "codes.txt", "camera": "0"}


def parse_specs(texts: Iterable[str] | None) -> list[SourceSpec]:
    """Parse several specs; duplicates are dropped (two readers on one port would fight)."""
    specs: list[SourceSpec] = []
    for text in texts or ():
        spec = parse_spec(text)
        if spec not in specs:
            specs.append(spec)
    return specs


def specs_from_settings(saved: ScannerSettings | Mapping[str, Any]) -> list[SourceSpec]:
    """The saved sources (settings section "scanners", key "sources"); bad entries are logged and skipped
    so one typo in the file does not stop the station."""
    if not isinstance(saved, ScannerSettings):
        saved = ScannerSettings.from_section(saved)
    specs: list[SourceSpec] = []
    for text in saved.sources:
        try:
            spec = parse_spec(str(text))
        except SourceSpecError as exc:
            logger.error("ignoring saved scanner: %s", exc)
            continue
        if spec not in specs:
            specs.append(spec)
    return specs


CAMERA_SECTION = Section.CAMERA


def camera_settings(specs: Iterable[SourceSpec], section: dict[str, Any]) -> CameraSettings | None:
    """The site's camera options (settings section "camera", read leniently) when `specs` include a camera;
    None otherwise, so a station without a camera never imports OpenCV and the decoders."""
    if not any(spec.kind == "camera" for spec in specs):
        return None
    from ui.camera_settings import CameraSettings

    return CameraSettings.from_section(section)


class _Device(Protocol):
    def start(self) -> None: ...


FrameListener = Callable[[Any, list[Any]], None]


class ScanSources:
    """The running set of scan sources, all reporting into `bridge`.

    `start()` returns the problems (one sentence each) of sources that could not start; the rest run.
    `stop()` stops every device thread and uninstalls the wedge filter; safe to call twice.
    """

    def __init__(
        self,
        bridge: ScannerBridge,
        specs: Iterable[SourceSpec],
        frame_listener: FrameListener | None = None,
        camera: CameraSettings | None = None,
    ) -> None:
        self.bridge = bridge
        self.specs = list(specs)
        self.manual = ManualScanner(bridge.listener)
        self.frame_listener = frame_listener
        # The site's camera options (settings section "camera"); None: the defaults (tests, tools).
        self.camera = camera
        self.devices: dict[str, Any] = {}
        self.problems: list[str] = []

    @property
    def has_camera(self) -> bool:
        return any(spec.kind == "camera" for spec in self.specs)

    def start(self) -> list[str]:
        self.problems = []
        for spec in self.specs:
            try:
                device = self._build(spec)
                device.start()
            except (SourceSpecError, ScriptError, ValueError, OSError, RuntimeError, ImportError) as exc:
                message = f"{spec.text}: {exc}"
                logger.error("scan source not started: %s", message)
                self.problems.append(message)
                self.bridge.listener.state_changed(spec.source_name, DeviceState.STOPPED, str(exc))
                continue
            self.devices[spec.source_name] = device
            logger.info("scan source started", extra={"source": spec.source_name})
        return list(self.problems)

    def _build(self, spec: SourceSpec) -> Any:
        listener = self.bridge.listener
        if spec.kind == "wedge":
            from hardware.wedge import WedgeEventFilter

            return _WedgeDevice(WedgeEventFilter(listener), listener)
        if spec.kind == "serial":
            from hardware.serial_scanner import SerialScanner

            return SerialScanner(spec.target, listener, baudrate=spec.baudrate)
        if spec.kind == "file":
            path = Path(spec.target).expanduser()
            if not path.is_file():
                raise SourceSpecError(f"no scan script at {path}")
            return ScriptedScanner(path, listener)
        if spec.kind == "camera":
            target = spec.target
            if not target.isdigit() and "://" not in target and not Path(target).expanduser().exists():
                raise SourceSpecError(f"no camera device or video file {target}")
            from ui.camera_settings import CameraSettings

            return (self.camera or CameraSettings()).build_scanner(target, listener, self.frame_listener)
        raise SourceSpecError(f"unknown scanner kind {spec.kind}")

    def stop(self) -> None:
        for name, device in list(self.devices.items()):
            try:
                device.stop()
            except Exception:  # a device that fails to stop must not keep the others running
                logger.exception("scan source did not stop cleanly", extra={"source": name})
        self.devices.clear()


class _WedgeDevice:
    """Gives the app-wide wedge filter the same start/stop shape as the threaded devices."""

    def __init__(self, event_filter: Any, listener: Any) -> None:
        self.filter = event_filter
        self._listener = listener

    def start(self) -> None:
        self.filter.install()
        self._listener.state_changed("wedge", DeviceState.CONNECTED, "keyboard wedge listening")

    def stop(self) -> None:
        self.filter.uninstall()
        self._listener.state_changed("wedge", DeviceState.STOPPED, "stopped")
