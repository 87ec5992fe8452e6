"""The `packgate` command line as an operator uses it: good files, bad files, listings, audit, exits."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from station.samples import SAMPLES_DIR
from ui.bootstrap import bootstrap
from ui.cli import main

ROOT = Path(__file__).resolve().parents[2]


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def data(tmp_path: Path) -> list[str]:
    return ["--data-dir", str(tmp_path / "data"), "--station", "S9"]


def test_import_samples_and_list_as_json(capsys, data) -> None:
    code, out, _ = run(capsys, "orders", "import", str(SAMPLES_DIR / "orders.csv"), *data)
    assert code == 0 and "imported 20 new order(s)" in out
    code, out, _ = run(capsys, "orders", "list", "--json", *data)
    orders = json.loads(out)
    assert len(orders) == 20 and {o["status"] for o in orders} == {"new"}
    first = orders[0]
    assert first["order_id"] == "10023"
    assert all({"sku", "ordered", "scanned"} <= set(line) for line in first["lines"])
    # The JSON form of the same orders replaces them (none packed yet) without duplicating.
    code, out, _ = run(capsys, "orders", "import", str(SAMPLES_DIR / "orders.json"), *data)
    assert code == 0 and "replaced 20" in out
    assert len(json.loads(run(capsys, "orders", "list", "--json", *data)[1])) == 20


def test_a_malformed_file_is_rejected_whole_with_line_and_field(capsys, data, tmp_path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "order_id,order_barcode,ship_to,carrier,sku,description,quantity,barcodes\n"
        "1,ORD-1,Ann,DHL,A,Apple,2,4006381333931\n"
        "2,ORD-2,Bob,DHL,B,Banana,two,5901234123457\n"
        "3,ORD-3,Cid,DHL,C,Cherry,1,4006381333932\n",
        encoding="utf-8",
    )
    code, out, err = run(capsys, "orders", "import", str(bad), *data)
    assert code == 2
    assert "bad.csv:3: quantity" in err and "bad.csv:4: barcodes" in err and "nothing imported" in err
    assert json.loads(run(capsys, "orders", "list", "--json", *data)[1]) == []


def test_missing_file_and_unreadable_data_dir_are_one_line_errors(capsys, data, tmp_path) -> None:
    code, _, err = run(capsys, "orders", "import", str(tmp_path / "nope.csv"), *data)
    assert code == 2 and err.strip().count("\n") == 0 and "no such file" in err
    blocker = tmp_path / "file-not-dir"
    blocker.write_text("x")
    code, _, err = run(capsys, "orders", "list", "--data-dir", str(blocker / "sub"))
    assert code != 0 and "packgate:" in err


def test_a_packed_order_is_not_replaced_by_a_reimport(capsys, data) -> None:
    run(capsys, "orders", "import", str(SAMPLES_DIR / "orders.json"), *data)
    station = bootstrap(data[1], "S9")
    first = station.service.handle_scan("ORD-10023")
    line = first.order.lines[0]
    station.service.handle_scan("5901230412357")  # counts on the first line of 10023
    station.close()
    code, out, err = run(capsys, "orders", "import", str(SAMPLES_DIR / "orders.json"), *data)
    assert code == 0 and "refused 1" in out and "order 10023 not replaced: it is already packing" in err
    listed = {o["order_id"]: o for o in json.loads(run(capsys, "orders", "list", "--json", *data)[1])}
    assert listed["10023"]["lines"][0]["scanned"] == 1 and listed["10023"]["lines"][0]["sku"] == line.sku


def test_incidents_list_and_export(capsys, data) -> None:
    run(capsys, "orders", "import", str(SAMPLES_DIR / "orders.json"), *data)
    station = bootstrap(data[1], "S9")
    station.service.set_packer("P7")
    station.service.handle_scan("ORD-10023")
    wrong = station.service.handle_scan("4006381333931")  # valid EAN, on no order: unknown code
    station.close()
    code, out, _ = run(capsys, "incidents", "list", "--open", "--json", *data)
    incidents = json.loads(out)
    assert code == 0 and len(incidents) == 1
    inc = incidents[0]
    assert inc["id"] == wrong.incident_id and inc["order_id"] == "10023" and inc["kind"] == "unknown_code"
    assert inc["code"] == "4006381333931" and inc["status"] == "open" and inc["created_at"].endswith("+00:00")
    assert inc["packer_id"] == "P7" and inc["station_id"] == "S9"
    code, out, _ = run(capsys, "incidents", "export", "--csv", *data)
    rows = list(csv.DictReader(io.StringIO(out)))
    assert code == 0 and rows[0]["id"] == wrong.incident_id and rows[0]["kind"] == "unknown_code"


def test_recalls_import_adds_only_new_entries(capsys, data) -> None:
    code, out, _ = run(capsys, "recalls", "import", str(SAMPLES_DIR / "recalls.csv"), *data)
    assert code == 0 and out.startswith("added 2 recall entries")
    code, out, _ = run(capsys, "recalls", "import", str(SAMPLES_DIR / "recalls.csv"), *data)
    assert out.startswith("added 0 recall entries (2 already known)")


def test_audit_verify_names_the_first_broken_row(capsys, data) -> None:
    run(capsys, "orders", "import", str(SAMPLES_DIR / "orders.json"), *data)
    run(capsys, "recalls", "import", str(SAMPLES_DIR / "recalls.csv"), *data)
    code, out, _ = run(capsys, "audit", "verify", *data)
    # intact, but with no central service configured nothing vouches for it beyond this file: exit 3
    assert code == 3 and "2 row(s) verified" in out and "not checked against central: not configured" in out
    raw = sqlite3.connect(Path(data[1]) / "station.sqlite3")
    raw.execute("DROP TRIGGER audit_log_no_update")
    raw.execute("UPDATE audit_log SET actor = 'mallory' WHERE id = 2")
    raw.commit()
    raw.close()
    code, _, err = run(capsys, "audit", "verify", *data)
    assert code == 1 and "BROKEN at row 2" in err


def test_db_upgrade_and_version_through_the_installed_command(tmp_path) -> None:
    exe = Path(sys.executable).with_name("packgate")
    env_dir = tmp_path / "via-env"
    result = subprocess.run(
        [str(exe), "db", "upgrade"],
        capture_output=True,
        text=True,
        env={"PACKGATE_DATA_DIR": str(env_dir), "PATH": "/usr/bin:/bin"},
    )
    assert result.returncode == 0, result.stderr
    assert "already at" not in result.stdout and (env_dir / "station.sqlite3").exists()
    again = subprocess.run([str(exe), "--data-dir", str(env_dir), "db", "upgrade"], capture_output=True, text=True)
    assert "already at" in again.stdout
    version = subprocess.run([str(exe), "--version"], capture_output=True, text=True)
    assert version.stdout.startswith("packgate ")


def test_a_directory_or_a_symlink_loop_is_named_as_such(capsys, data, tmp_path) -> None:
    code, _, err = run(capsys, "orders", "import", str(tmp_path), *data)
    assert code == 2 and "is a directory" in err
    loop = tmp_path / "loop.csv"
    loop.symlink_to(loop)
    code, _, err = run(capsys, "orders", "import", str(loop), *data)
    assert code == 2 and "packgate:" in err and str(loop) in err


def test_audit_verify_on_an_empty_database_does_not_say_intact(capsys, data) -> None:
    """After the station's database was deleted, a new blank one used to report "intact: 0 rows"."""
    code, out, err = run(capsys, "audit", "verify", *data)
    assert code == 1 and "intact" not in out + err
    assert "0 rows, this database has no history" in err and "lost or replaced" in err
    (Path(data[1]) / "station.sqlite3.rescued-20261123T080000Z").write_bytes(b"")
    code, _, err = run(capsys, "audit", "verify", *data)
    assert code == 1 and "station.sqlite3.rescued-20261123T080000Z" in err
    raw = sqlite3.connect(Path(data[1]) / "station.sqlite3")  # rows elsewhere but no trail: removed
    raw.execute(
        "INSERT INTO users (name, display_name, role, disabled, failed_attempts, lockouts, created_at) "
        "VALUES ('X', 'X', 'packer', 0, 0, 0, '2026-11-23')"
    )
    raw.commit()
    raw.close()
    code, _, err = run(capsys, "audit", "verify", *data)
    assert code == 1 and "BROKEN: 0 rows, but the database holds 1 users" in err
