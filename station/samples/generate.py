"""Generate the sample order, recall and demo-scan files in this directory.

Run ``python -m station.samples.generate`` (optionally ``--out DIR``; ``--check`` exits 1 if the
committed files differ from what the generator would write). Output is byte-for-byte deterministic:
a seeded :class:`random.Random`, a fixed catalogue and fixed dates, so regenerating only changes the
files when this script changes. Check digits come from :func:`station.barcodes.gtin_check_digit`, so
every GTIN in the samples is valid by construction (and the test suite re-validates them on load).

The products, people and addresses are invented; the GS1 company prefixes are plausible but the
numbers are not real products.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import logging
import random
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from rules.scan_text import GS
from station.commands import Command
from station.samples.catalogue import (  # noqa: F401 - SEED, Product: the samples API is here too
    _CARRIERS,
    _SHIP_TO,
    FIRST_ORDER_ID,
    GS_MARK,
    ORDER_COUNT,
    SEED,
    TOTE_EVERY,
    Product,
    _catalogue,
)
from station.samples.readme_text import readme

logger = logging.getLogger(__name__)


def build_orders(rng: random.Random, products: Sequence[Product]) -> list[dict[str, object]]:
    """~20 orders of 1-6 lines; case packs only where the quantity is a whole number of cases."""
    orders: list[dict[str, object]] = []
    for index in range(ORDER_COUNT):
        order_id = str(FIRST_ORDER_ID + index)
        chosen = rng.sample(list(products), rng.randint(1, 6))
        lines = []
        for product in chosen:
            quantity = rng.randint(1, 12)
            barcodes: list[dict[str, object]] = [{"code": product.barcode, "units": 1}]
            if product.case_units is not None and product.case_gtin is not None:
                if rng.random() < 0.5 and product.case_units <= 12:
                    quantity = product.case_units * rng.randint(1, 2)  # a whole case (or two) ordered
                barcodes.append({"code": product.case_gtin, "units": product.case_units})
            line: dict[str, object] = {
                "sku": product.sku,
                "description": product.description,
                "quantity": quantity,
                "barcodes": barcodes,
            }
            if product.lot_tracked:
                line["lot_tracked"] = True
            if product.expiry_tracked:
                line["expiry_tracked"] = True
            lines.append(line)
        order: dict[str, object] = {"order_id": order_id, "order_barcode": f"ORD-{order_id}"}
        if index % TOTE_EVERY == TOTE_EVERY - 1:
            order["tote"] = f"T-{index // TOTE_EVERY + 1:02d}"
        order.update({"ship_to": _SHIP_TO[index % len(_SHIP_TO)], "carrier": rng.choice(_CARRIERS), "lines": lines})
        orders.append(order)
    return orders


def orders_json(orders: Sequence[dict[str, object]]) -> str:
    """The JSON form: unit barcodes as plain strings, case packs as {"code", "units"}."""
    document = {"orders": [_json_order(order) for order in orders]}
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def _json_order(order: dict[str, object]) -> dict[str, object]:
    result = dict(order)
    lines = []
    for line in order["lines"]:  # type: ignore[attr-defined]
        line = dict(line)
        line["barcodes"] = [barcode["code"] if barcode["units"] == 1 else barcode for barcode in line["barcodes"]]
        lines.append(line)
    result["lines"] = lines
    return result


def orders_csv(orders: Sequence[dict[str, object]]) -> str:
    """The CSV form: one row per order line, ``CODE*N`` for case packs, flags yes/no, ``tote`` if any."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(
        [
            "order_id",
            "order_barcode",
            "tote",
            "ship_to",
            "carrier",
            "sku",
            "description",
            "quantity",
            "barcodes",
            "lot_tracked",
            "expiry_tracked",
        ]
    )
    for order in orders:
        for line in order["lines"]:  # type: ignore[attr-defined]
            codes = ";".join(b["code"] if b["units"] == 1 else f"{b['code']}*{b['units']}" for b in line["barcodes"])
            writer.writerow(
                [
                    order["order_id"],
                    order["order_barcode"],
                    order.get("tote", ""),
                    order["ship_to"],
                    order["carrier"],
                    line["sku"],
                    line["description"],
                    line["quantity"],
                    codes,
                    "yes" if line.get("lot_tracked") else "no",
                    "yes" if line.get("expiry_tracked") else "no",
                ]
            )
    return buffer.getvalue()


@dataclass(frozen=True)
class DemoScan:
    """A scan string a demo (or a test) can feed to the station, and what it should show."""

    label: str
    scan: str  # with a real ASCII 29 where GS1 needs FNC1
    expect: str


def build_recalls_and_scans(products: Sequence[Product]) -> tuple[list[dict[str, str]], list[DemoScan]]:
    """Two recalled lots, and GS1 DataMatrix scans for in-date, expired, recalled and serialised items."""
    tracked = [p for p in products if p.lot_tracked and p.barcode.isdigit()]
    vitamin, formula, sanitiser = tracked[0], tracked[3], tracked[2]
    recalls = [
        {"gtin": vitamin.barcode.zfill(14), "lot": "VD2408B", "serial": "", "reason": "Tablet count below label claim"},
        {
            "gtin": formula.barcode.zfill(14),
            "lot": "IF25031",
            "serial": "",
            "reason": "Possible contamination, supplier notice 2025-17",
        },
    ]

    def gs1(gtin: str, *parts: str) -> str:
        return "]d2" + "01" + gtin.zfill(14) + "".join(parts)

    scans = [
        DemoScan(
            "in-date lot", gs1(vitamin.barcode, "17451231", "10VD2611A", GS, "21A0001"), f"{vitamin.sku}: accepted"
        ),
        DemoScan("expired lot", gs1(sanitiser.barcode, "17230600", "10HS2206"), f"{sanitiser.sku}: expired 2023-06-30"),
        DemoScan("recalled lot", gs1(formula.barcode, "17461130", "10IF25031"), f"{formula.sku}: recalled lot IF25031"),
        DemoScan(
            "serialised item",
            gs1(vitamin.barcode, "21SN000123457", GS, "17450630", "10VD2611A"),
            f"{vitamin.sku}: serial SN000123457",
        ),
        DemoScan(
            "recalled lot, human-readable",
            f"(01){formula.barcode.zfill(14)}(17)461130(10)IF25031",
            f"{formula.sku}: recalled",
        ),
        DemoScan("case pack of 6", "]C1" + "01" + str(vitamin.case_gtin), f"{vitamin.sku}: 6 units"),
        DemoScan("bad check digit", vitamin.barcode[:-1] + str((int(vitamin.barcode[-1]) + 1) % 10), "invalid scan"),
        DemoScan("seal command", Command.SEAL.barcode, "seal the package"),
    ]
    return recalls, scans


def _demo_scans_for_line(line: dict[str, object], product: Product) -> list[str]:
    """Scans that pack one order line exactly: whole cases first, then single units.

    Lot-tracked items are scanned as GS1 DataMatrix with an in-date, non-recalled lot, the way their
    labels would read, so the demo still runs when the station insists on a lot for them.
    """
    quantity = int(line["quantity"])  # type: ignore[call-overload]
    cases = 0
    if product.case_units is not None and product.case_gtin is not None:
        cases = quantity // product.case_units
    units = quantity - cases * (product.case_units or 0)

    def scan(code: str) -> str:
        if product.lot_tracked and code.isdigit():
            return f"]d201{code.zfill(14)}17451231" + "10DEMO45"
        return code

    return [scan(str(product.case_gtin))] * cases + [scan(product.barcode)] * units


def demo_script(orders: Sequence[dict[str, object]], products: Sequence[Product]) -> str:
    """A demo shift for the scripted scan source: one good order sealed, then a wrong item that blocks.

    Format (see ``hardware/simulated.py``): one scan per line, whole-line ``#`` comments, ``<GS>``
    for the GS1 separator.
    """
    by_sku = {product.sku: product for product in products}
    first, second = orders[0], orders[1]
    first_lines: list[dict[str, object]] = first["lines"]  # type: ignore[assignment]
    second_lines: list[dict[str, object]] = second["lines"]  # type: ignore[assignment]
    second_skus = {line["sku"] for line in second_lines}
    wrong = next(by_sku[str(line["sku"])] for line in first_lines if line["sku"] not in second_skus)
    out = [
        f"# PackGate demo shift, generated by station/samples/generate.py (seed {SEED}); do not edit.",
        "# One scan per line; '#' starts a comment line; <GS> is the GS1 group separator.",
        "",
        f"# 1. Load order {first['order_id']} by its barcode, pack every line exactly, seal.",
        str(first["order_barcode"]),
    ]
    for line in first_lines:
        product = by_sku[str(line["sku"])]
        out.append(f"# {product.sku} {product.description}: {line['quantity']}")
        out.extend(_demo_scans_for_line(line, product))
    out += [Command.SEAL.barcode, ""]
    line = second_lines[0]
    product = by_sku[str(line["sku"])]
    out += [
        f"# 2. Load order {second['order_id']}; scan one {product.sku}, undo it, scan it again.",
        str(second["order_barcode"]),
        product.barcode if not product.lot_tracked else _demo_scans_for_line({"quantity": 1}, product)[0],
        Command.UNDO.barcode,
        product.barcode if not product.lot_tracked else _demo_scans_for_line({"quantity": 1}, product)[0],
        f"# 3. A wrong item: {wrong.sku} ({wrong.description}) belongs to order {first['order_id']},",
        f"#    not {second['order_id']}. The package is blocked and an incident is opened; a supervisor",
        "#    clears it on screen. Until then every scan is ignored, so the script ends here.",
        wrong.barcode,
    ]
    return "\n".join(out) + "\n"


def recalls_csv(recalls: Sequence[dict[str, str]]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=["gtin", "lot", "serial", "reason"], lineterminator="\n")
    writer.writeheader()
    writer.writerows(recalls)
    return buffer.getvalue()


def scans_json(scans: Sequence[DemoScan]) -> str:
    data = [{"label": s.label, "scan": s.scan, "expect": s.expect} for s in scans]
    return json.dumps({"scans": data}, indent=2, ensure_ascii=False) + "\n"


def render() -> dict[str, str]:
    """File name -> exact file content."""
    rng = random.Random(SEED)
    products = _catalogue()
    orders = build_orders(rng, products)
    recalls, scans = build_recalls_and_scans(products)
    return {
        "orders.json": orders_json(orders),
        "orders.csv": orders_csv(orders),
        "recalls.csv": recalls_csv(recalls),
        "demo_scans.json": scans_json(scans),
        "demo_script.txt": demo_script(orders, products),
        "README.md": readme(orders, scans),
    }


def main(argv: Sequence[str] | None = None) -> int:
    """Write (or with ``--check`` compare) the sample files; returns the process exit code."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parent, help="output directory")
    parser.add_argument("--check", action="store_true", help="only report files that would change")
    args = parser.parse_args(argv)
    stale = []
    for name, content in render().items():
        target = args.out / name
        if args.check:
            if not target.exists() or target.read_text(encoding="utf-8") != content:
                stale.append(name)
            continue
        target.write_text(content, encoding="utf-8", newline="")
        print(f"wrote {target}")
    if stale:
        print("out of date: " + ", ".join(stale), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
