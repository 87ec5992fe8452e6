"""`packgate items`: import the item master (all or nothing), list it, and accept a unit weight suggested
from clean single-product seals."""

from __future__ import annotations

import json
from pathlib import Path

from station.order_files import OrderLineSpec, OrderSpec, PackBarcode
from station.orders import import_orders
from station.weighing import WeighingSettings
from ui.bootstrap import bootstrap
from ui.cli import main

WIDGET = "4006381333931"


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_import_list_and_a_rejected_file_imports_nothing(capsys, tmp_path: Path) -> None:
    data = ["--data-dir", str(tmp_path / "data")]
    good = tmp_path / "items.csv"
    good.write_text("sku,unit_weight_g,description\nW-1,400,Widget\nG-6,55.5,Gadget\n", encoding="utf-8")
    code, out, _ = run(capsys, "items", "import", str(good), *data)
    assert code == 0 and "imported 2 new item(s), updated 0" in out
    bad = tmp_path / "more.json"
    bad.write_text('[{"sku": "W-1", "unit_weight_g": 410}, {"sku": "X-1", "unit_weight_g": "heavy"}]', encoding="utf-8")
    code, _, err = run(capsys, "items", "import", str(bad), *data)
    assert code != 0 and "more.json rejected, nothing imported" in err and "[1].unit_weight_g" in err
    code, out, _ = run(capsys, "items", "list", "--json", *data)
    assert json.loads(out) == [
        {"sku": "G-6", "unit_weight_g": 55.5, "description": "Gadget"},
        {"sku": "W-1", "unit_weight_g": 400.0, "description": "Widget"},  # not 410: the bad file changed nothing
    ]


def test_suggestions_and_accept(capsys, tmp_path: Path) -> None:
    data = ["--data-dir", str(tmp_path / "data")]
    station = bootstrap(tmp_path / "data", "S1")
    try:
        line = OrderLineSpec("NEW-1", "New thing", 1, (PackBarcode(WIDGET),))
        import_orders(station.db, [OrderSpec(f"S{n}", f"ORD-S{n}", "A", "DHL", (line,)) for n in range(3)], "S1")
        station.service.use_weighing(WeighingSettings(default_tare_g=0.0))
        for n, grams in enumerate((301.0, 299.0, 310.0)):
            station.service.handle_scan(f"ORD-S{n}")
            station.service.handle_scan(WIDGET)
            station.service.seal(weight_g=grams)
    finally:
        station.close()
    code, out, _ = run(capsys, "items", "suggestions", *data)
    assert code == 0 and "NEW-1\t301 g per unit\t(median of 3 packages, 299..310 g)" in out
    code, _, err = run(capsys, "items", "accept", "NOPE-1", "--by", "lee", *data)
    assert code != 0 and "no suggestion for NOPE-1" in err
    code, out, _ = run(capsys, "items", "accept", "NEW-1", "--by", "lee", *data)
    assert code == 0 and "NEW-1: 301 g per unit stored" in out
    code, out, _ = run(capsys, "items", "suggestions", *data)
    assert "no suggestions yet" in out


def test_a_bad_scale_on_the_command_line_is_refused_before_any_window(capsys, tmp_path: Path) -> None:
    code, _, err = run(capsys, "--scale", "usb:/dev/ttyUSB1", "--data-dir", str(tmp_path / "data"))
    assert code == 2 and "unknown scale 'usb:/dev/ttyUSB1'" in err and "serial:PORT[@BAUD][:PROTOCOL]" in err
    code, _, err = run(capsys, "--scale", "serial:/dev/ttyUSB1@9600:toledo", "--data-dir", str(tmp_path / "data"))
    assert code == 2 and "unknown scale protocol 'toledo'" in err
