"""A packer that never stops: driven by test_crash.py, which kill -9s it at random moments.

After every call that returns, it prints one ACK line (flushed) with what the screen would now show; the
test then checks that everything acknowledged is on disk. Usage: python -m tests.station.crash_worker DIR SEED
"""

from __future__ import annotations

import random
import sys

from sqlalchemy import select

from station.model import BenchState, VerdictKind
from station.orm import Order
from ui.bootstrap import bootstrap

WRONG_CODE = "4012345678901"


def ack(*fields: object) -> None:
    sys.stdout.write("ACK\t" + "\t".join(str(f) for f in fields) + "\n")
    sys.stdout.flush()


def main(data_dir: str, seed: int) -> None:
    rng = random.Random(seed)
    station = bootstrap(data_dir, "CRASH")
    service = station.service
    if service.packer_id is None:
        service.set_packer("P1")
    while True:
        state = service.state
        if state is BenchState.BLOCKED:
            for incident in service.open_incidents():
                v = service.clear(incident.id, "SUP", "test clearance", "item_swapped")
                ack("cleared", incident.id, v.state.value)
            continue
        if state in (BenchState.NO_ORDER, BenchState.SEALED):
            with station.db.sessions() as s:
                order = s.scalar(select(Order).where(Order.status == "new").order_by(Order.order_id).limit(1))
            if order is None:
                ack("done")
                return
            v = service.handle_scan(order.order_barcode)
            ack("loaded", v.order.order_id, v.kind.value)
            continue
        if state is BenchState.COMPLETE:
            v = service.handle_scan("CMD:SEAL")
            ack("sealed", v.order.order_id, v.kind.value)
            continue
        order = service.order
        if rng.random() < 0.15:
            v = service.handle_scan(WRONG_CODE)
            ack("incident", order.order_id, v.kind.value, v.incident_id)
            continue
        line = next(ln for ln in order.lines if not ln.complete)
        code = {"W-1": "4006381333931", "G-6": "5901234123457"}[line.sku]
        v = service.handle_scan(code)
        assert v.kind is VerdictKind.OK, v
        ack("ok", order.order_id, line.sku, v.line.scanned)


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]))
