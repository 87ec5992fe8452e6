"""Weight check figures: `python -m bench.bench_scale [--seals 200]`.

In the running window (offscreen) with an MT-SICS scale on a real pty pair: a one-line order is packed,
SEAL is asked for while the scale still moves (the window shows WEIGHING), then the scale's answer turns
stable. Timed, per seal:

* stable reading -> verdict painted: from the moment the scale reader parsed the stable line on its thread
  (`ScaleReading.at`) to the paint of the SEALED panel: the bridge hop, the durable seal (judge, commit),
  the paint. This is the station's own share.
* stable answer written -> verdict painted: from writing the stable answer into the pty, which adds the
  wait for the next `SI` request (the reader polls every 0.2 s) and the serial transit.

Prints a table and writes `bench/results/scale.json`.
"""

from __future__ import annotations

import argparse
import logging
import os
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

from bench.common import print_table, summary_ms, write_results

logger = logging.getLogger(__name__)

TOY = "5901230413194"  # TOY-4003, 265 g in the demo item master
PARCEL_G = 265.0 + 180.0  # one unit and the default carton


def seal_latencies(seals: int) -> dict[str, object]:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from hardware.scale_protocols import ScaleProtocol
    from station.order_files import OrderLineSpec, OrderSpec, PackBarcode
    from station.orders import import_orders
    from station.weighing import WeighingSettings
    from tests.hardware.scale_device import PtyScale
    from ui.app import build_window, ensure_app
    from ui.bench_scale import ScaleSpec
    from ui.demo import open_demo_station

    app = ensure_app()
    with tempfile.TemporaryDirectory(prefix="packgate-bench-scale-") as tmp:
        station, _ = open_demo_station(Path(tmp) / "data", "BENCH")
        orders = [
            OrderSpec(
                f"B{n}", f"ORD-B{n}", "Bench", "DHL", (OrderLineSpec("TOY-4003", "Paint set", 1, (PackBarcode(TOY),)),)
            )
            for n in range(seals)
        ]
        import_orders(station.db, orders, station.station_id, station.clock)
        station.settings.write(WeighingSettings(default_tare_g=180.0, settle_timeout_s=10.0))
        scale = PtyScale(Path(tmp) / "ttyUSB1", ScaleProtocol.MTSICS)
        scale.set_weight(PARCEL_G, stable=False)
        scale.plug()
        window = build_window(
            station, [], packer="P1", muted=True, scale=ScaleSpec("serial", str(scale.link), 9600, ScaleProtocol.MTSICS)
        )
        window.resize(1280, 800)
        window.show()
        painted: list[float] = []
        window.verdict_panel.painted.connect(
            lambda: (
                painted.append(time.monotonic())
                if window.last_style and window.last_style.headline == "SEALED"
                else None
            )
        )
        station_share: list[float] = []
        end_to_end: list[float] = []
        try:
            deadline = time.monotonic() + 10
            while window.scale.bridge.latest is None and time.monotonic() < deadline:
                app.processEvents()
            for n in range(seals):
                scale.set_weight(PARCEL_G, stable=False)
                window.handle_code(f"ORD-B{n}")
                window.handle_code(TOY)
                while window.scale.bridge.latest is None or window.scale.bridge.latest.stable:
                    app.processEvents()  # the scale is moving again (the next parcel goes on)
                window.seal()
                assert window.weigher.waiting, window.last_style
                before = len(painted)
                written = time.monotonic()
                scale.set_weight(PARCEL_G)
                deadline = written + 10
                while len(painted) == before:
                    if time.monotonic() > deadline:
                        raise RuntimeError(f"seal {n} was not painted: {window.last_style}")
                    app.processEvents()
                stable_at = window.weigher.stable_at
                assert stable_at is not None
                station_share.append(painted[-1] - stable_at)
                end_to_end.append(painted[-1] - written)
        finally:
            window.close()
            scale.close()
            station.close()
    return {
        "seals": seals,
        "stable_reading_to_painted": summary_ms(station_share),
        "stable_answer_to_painted": summary_ms(end_to_end),
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seals", type=int, default=200)
    parser.add_argument("--quick", action="store_true", help="30 seals: a smoke run")
    args = parser.parse_args(argv)
    seals = 30 if args.quick else args.seals
    result = seal_latencies(seals)
    rows = [
        [name.replace("_", " "), s["n"], s["p50_ms"], s["p90_ms"], s["p99_ms"], s["max_ms"]]
        for name, s in ((k, result[k]) for k in ("stable_reading_to_painted", "stable_answer_to_painted"))
    ]
    print_table(
        f"weight check at seal ({seals} seals, MT-SICS over a pty)",
        rows,
        ["span", "n", "p50 ms", "p90 ms", "p99 ms", "max ms"],
    )
    write_results("scale", result)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
