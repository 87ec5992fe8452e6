"""`packgate decode IMAGE...` prints one JSON line per image with what the camera pipeline reads."""

from __future__ import annotations

import json
from pathlib import Path

import cv2

from tests.imaging import degrade, render_barcode
from ui.cli import main


def test_decode_prints_one_json_object_per_image(tmp_path: Path, capsys) -> None:
    ean = tmp_path / "ean.png"
    cv2.imwrite(str(ean), degrade(render_barcode("4006381333931", "ean13"), rotate=8, blur=1.0, noise=6, seed=3))
    empty = tmp_path / "empty.png"
    cv2.imwrite(str(empty), degrade(render_barcode("4006381333931", "ean13") * 0 + 255, noise=6, seed=4))
    broken = tmp_path / "broken.png"
    broken.write_bytes(b"not an image")

    code = main(["decode", str(ean), str(empty), str(broken), "--data-dir", str(tmp_path / "d")])
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]

    assert code == 1  # one image could not be read
    assert [entry["file"] for entry in lines] == [str(ean), str(empty), str(broken)]
    assert lines[0]["codes"] == [{"text": "4006381333931", "symbology": "]E0"}]
    assert lines[1]["codes"] == []
    assert lines[2]["codes"] == [] and "cannot read image" in lines[2]["error"]


def test_unknown_format_is_a_clear_error(tmp_path: Path, capsys) -> None:
    code = main(["decode", str(tmp_path / "x.png"), "--formats", "ean_upc,morse"])
    assert code == 2 and "morse" in capsys.readouterr().err
