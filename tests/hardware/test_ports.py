"""Serial port listing for the settings dialog."""

from __future__ import annotations

import pytest
from serial.tools import list_ports
from serial.tools.list_ports_common import ListPortInfo

from hardware.ports import PortInfo, list_serial_ports


def _usb_port(device: str, product: str, vid: int, pid: int) -> ListPortInfo:
    # pyserial's own record type, filled the way its sysfs backend fills it for a USB-CDC scanner
    info = ListPortInfo(device, skip_link_detection=True)
    info.vid, info.pid = vid, pid
    info.serial_number = "17215B2F54"
    info.manufacturer = "Honeywell"
    info.product = product
    info.description = product
    info.hwid = f"USB VID:PID={vid:04X}:{pid:04X} SER=17215B2F54"
    return info


def test_lists_usb_ports_first_with_a_readable_label(monkeypatch: pytest.MonkeyPatch) -> None:
    legacy = ListPortInfo("/dev/ttyS0", skip_link_detection=True)
    monkeypatch.setattr(
        list_ports,
        "comports",
        lambda include_links=False: [legacy, _usb_port("/dev/ttyACM0", "1900 Area-Imaging Scanner", 0x0C2E, 0x0B61)],
    )
    ports = list_serial_ports()
    assert [p.device for p in ports] == ["/dev/ttyACM0", "/dev/ttyS0"]
    assert ports[0].label == "/dev/ttyACM0 — 1900 Area-Imaging Scanner [0C2E:0B61]"
    assert ports[0].is_usb and not ports[1].is_usb
    assert ports[1].label == "/dev/ttyS0"


def test_by_id_links_are_recognised(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:
    target = tmp_path / "ttyACM0"
    target.touch()
    link = tmp_path / "usb-Honeywell_Scanner-if00"
    link.symlink_to(target)
    monkeypatch.setattr(list_ports, "comports", lambda include_links=False: [ListPortInfo(str(link))])
    (port,) = list_serial_ports()
    assert port.is_link and port.hwid == f"LINK={target}"


def test_enumeration_failure_gives_an_empty_list_and_a_log(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def refuse(include_links: bool = False) -> list[ListPortInfo]:
        raise PermissionError("/sys/class/tty: permission denied")

    monkeypatch.setattr(list_ports, "comports", refuse)
    assert list_serial_ports() == []
    assert "cannot list serial ports" in caplog.text


def test_real_enumeration_returns_port_records() -> None:
    """Whatever this machine has (often nothing in CI), the result is a list of PortInfo."""
    ports = list_serial_ports()
    assert all(isinstance(p, PortInfo) and p.device for p in ports)
