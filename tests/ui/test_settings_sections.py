"""Typed settings sections: one name per section, one dataclass per section, the file format unchanged."""

from __future__ import annotations

import json
import logging
from dataclasses import replace
from pathlib import Path

import pytest

from station.settings import ScannerSettings, Section, Settings, SoundSettings
from station.weighing import WeighingSettings
from sync.worker import SYNC_SECTION, SyncSettings
from ui.bench_scale import ScaleSettings
from ui.camera_settings import CameraSettings
from ui.scan_sources import CAMERA_SECTION, SETTINGS_SECTION, parse_spec, specs_from_settings

# A settings file as stations have written it all along (sections are JSON objects under their names).
EXISTING = {
    "version": 1,
    "scanners": {"sources": ["wedge", "serial:/dev/ttyACM0@9600"]},
    "camera": {
        "device": "2",
        "width": 1920,
        "height": 1080,
        "fps": None,
        "roi": None,
        "dedupe_s": 2.0,
        "seen_needed": 2,
        "formats": ["code128", "ean_upc"],
        "added_by_hand": "kept",
    },
    "sync": {"url": "https://central.example:8443", "token": "pgt_abc", "interval": 10},
    "sound": {"muted": True},
    "min_pin_digits": 8,
}


def load(tmp_path: Path, data: dict) -> Settings:
    path = tmp_path / "settings.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return Settings.load(path)


def test_section_names_are_spelt_once() -> None:
    assert [s.value for s in Section] == [
        "scanners",
        "camera",
        "sync",
        "sound",
        "printing",
        "scale",
        "weighing",
        "language",
    ]
    assert SETTINGS_SECTION is Section.SCANNERS and CAMERA_SECTION is Section.CAMERA and SYNC_SECTION is Section.SYNC
    assert CameraSettings.SECTION is Section.CAMERA and SyncSettings.SECTION is Section.SYNC
    assert SoundSettings.SECTION is Section.SOUND and ScannerSettings.SECTION is Section.SCANNERS
    assert ScaleSettings.SECTION is Section.SCALE and WeighingSettings.SECTION is Section.WEIGHING


def test_an_existing_file_reads_as_typed_sections(tmp_path: Path) -> None:
    settings = load(tmp_path, EXISTING)
    assert settings.read(SoundSettings) == SoundSettings(muted=True)
    assert settings.read(ScannerSettings).sources == ("wedge", "serial:/dev/ttyACM0@9600")
    assert specs_from_settings(settings.read(ScannerSettings)) == [
        parse_spec("wedge"),
        parse_spec("serial:/dev/ttyACM0@9600"),
    ]
    camera = settings.read(CameraSettings)
    assert (camera.device, camera.width, camera.seen_needed, camera.formats) == (
        "2",
        1920,
        2,
        frozenset({"code128", "ean_upc"}),
    )
    sync = settings.read(SyncSettings)
    assert (sync.url, sync.token, sync.interval, sync.batch_size) == (
        "https://central.example:8443",
        "pgt_abc",
        10.0,
        SyncSettings().batch_size,
    )
    # the raw section reader answers the same names, as strings or as Section members
    assert settings.section("sound") == settings.section(Section.SOUND) == {"muted": True}


def test_missing_sections_give_the_defaults(tmp_path: Path) -> None:
    settings = Settings(tmp_path / "none.json")
    assert settings.read(SoundSettings) == SoundSettings()
    assert settings.read(ScannerSettings) == ScannerSettings()
    assert settings.read(SyncSettings) == SyncSettings()
    assert settings.read(CameraSettings) == CameraSettings()


@pytest.mark.parametrize("bad", ["yes", 1, None, [True]])
def test_a_bad_muted_value_is_logged_and_the_default_used(
    tmp_path: Path, bad: object, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING, logger="station.settings"):
        assert load(tmp_path, {"sound": {"muted": bad}}).read(SoundSettings).muted is False
    assert "muted" in caplog.text


def test_saved_scanners_that_are_not_a_list_are_logged_and_ignored(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.ERROR, logger="station.settings"):
        assert load(tmp_path, {"scanners": {"sources": "wedge"}}).read(ScannerSettings) == ScannerSettings()
    assert "not a list" in caplog.text


def test_write_replaces_the_dataclass_keys_keeps_foreign_ones_and_saves_the_same_format(tmp_path: Path) -> None:
    settings = load(tmp_path, EXISTING)
    settings.write(SoundSettings(muted=False))
    settings.write(ScannerSettings(sources=("file:codes.txt",)))
    settings.write(replace(settings.read(CameraSettings), device="0"))
    # `sync configure --interval 5` over a stored 10: 5 is the default, so the key goes and 5 is what reads
    settings.write(replace(settings.read(SyncSettings), interval=5.0))
    settings.save()
    on_disk = json.loads(settings.path.read_text(encoding="utf-8"))
    assert on_disk["sound"] == {"muted": False}
    assert on_disk["scanners"] == {"sources": ["file:codes.txt"]}
    assert on_disk["camera"]["device"] == "0" and on_disk["camera"]["added_by_hand"] == "kept"
    assert on_disk["sync"] == {"url": "https://central.example:8443", "token": "pgt_abc"}
    assert on_disk["min_pin_digits"] == 8
    again = Settings.load(settings.path)
    assert again.read(SyncSettings).interval == 5.0 and again.read(SoundSettings).muted is False
