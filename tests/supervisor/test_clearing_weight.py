"""A weight_mismatch in the supervisor's screens: the clearing dialog says why in words (the weights), the
shift view counts it under its own name, and clearing it as a false alarm seals the parcel as weighed."""

from __future__ import annotations

from PySide6.QtWidgets import QTableWidget
from pytestqt.qtbot import QtBot

from station.items import ItemSpec, import_items
from station.model import BenchState, VerdictKind
from station.users import UserDirectory
from station.weighing import WeighingSettings
from tests.supervisor.test_clearing_words import PAINT, THERMO, seen, station  # noqa: F401 - the fixture
from ui.bootstrap import Station
from ui.incident_words import kind_label
from ui.supervisor.clearing import ClearanceDialog


def test_the_dialog_explains_the_weights_and_a_false_alarm_seals(
    station: Station,  # noqa: F811 - the fixture imported above
    directory: UserDirectory,
    qtbot: QtBot,
) -> None:
    import_items(station.db, [ItemSpec("TOY-24", 265.0), ItemSpec("HLT-3001", 40.0)], station.station_id)
    station.service.use_weighing(WeighingSettings(tolerance_g=10, tolerance_pct=0, default_tare_g=100))
    station.service.reload()
    station.service.handle_scan(PAINT)
    for _ in range(2):
        station.service.handle_scan(f"01{THERMO}10L1\x1d21S{_}")
    assert station.service.state is BenchState.COMPLETE
    verdict = station.service.seal(weight_g=520.0)  # expected 265 + 2 x 40 + 100 = 445
    assert verdict.kind is VerdictKind.WEIGHT_MISMATCH
    (incident,) = station.service.open_incidents()
    dialog = ClearanceDialog(station, directory.authenticate_badge("BADGE-S1", "246802"), incident)
    qtbot.addWidget(dialog)
    assert seen(dialog.facts["Why"]).startswith("Too heavy: weighed 520 g, expected 445 ± 10 g")
    assert kind_label("weight_mismatch") == "Weight mismatch"
    cleared = station.service.clear(incident.id, "SUP1", "weighed again by hand: the carton is heavier", "false_alarm")
    assert (cleared.kind, cleared.state) == (VerdictKind.CLEARED, BenchState.SEALED)


def test_the_shift_view_counts_weight_mismatches(
    station: Station,  # noqa: F811
    qtbot: QtBot,
) -> None:
    from ui.supervisor.shift_view import ShiftView

    import_items(station.db, [ItemSpec("TOY-24", 265.0), ItemSpec("HLT-3001", 40.0)], station.station_id)
    station.service.use_weighing(WeighingSettings(tolerance_g=10, tolerance_pct=0, default_tare_g=100))
    station.service.reload()
    station.service.handle_scan(PAINT)
    for n in range(2):
        station.service.handle_scan(f"01{THERMO}10L1\x1d21S{n}")
    assert station.service.seal(weight_g=300.0).kind is VerdictKind.WEIGHT_MISMATCH
    view = ShiftView(station)
    qtbot.addWidget(view)
    table: QTableWidget = view.kind_table
    rows = {table.item(r, 0).text(): table.item(r, 1).text() for r in range(table.rowCount())}
    assert rows == {"Weight mismatch": "1"}
