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
from station.barcodes import gtin_check_digit
from station.commands import Command

logger = logging.getLogger(__name__)

SEED = 10023
ORDER_COUNT = 20
FIRST_ORDER_ID = 10023
GS_MARK = "<GS>"  # how README.md writes the ASCII 29 group separator


@dataclass(frozen=True)
class Product:
    """One catalogue item: its retail barcode and, optionally, a case pack and lot tracking."""

    sku: str
    description: str
    barcode: str  # GTIN-13, UPC-A or an internal Code 128 label
    case_units: int | None = None
    case_gtin: str | None = None
    lot_tracked: bool = False
    expiry_tracked: bool = False


def _with_check(body: str) -> str:
    return body + str(gtin_check_digit(body))


def _case_gtin(retail: str, indicator: int) -> str:
    """GTIN-14 of a case: packaging indicator + the retail GTIN-13 body, new check digit."""
    return _with_check(f"{indicator}{retail.zfill(13)[:12]}")


# Lot-tracked items that also carry an expiry date on their GS1 label (AI 17).
_EXPIRY_TRACKED = frozenset({"HLT-3001", "HLT-3003", "HLT-3005", "GRD-5003"})
# Every fifth order was picked into a tote (T-01, T-02, ...): scanning the tote opens the order.
TOTE_EVERY = 5


def _catalogue() -> list[Product]:
    # (sku, description, kind, case units, lot tracked). kind: EAN-13, UPC-A or internal label.
    items: list[tuple[str, str, str, int | None, bool]] = [
        ("KIT-1001", "Stainless steel water bottle 750 ml", "ean", 6, False),
        ("KIT-1002", "Bamboo cutting board, large", "ean", None, False),
        ("KIT-1003", "Silicone baking mat set (2)", "upc", None, False),
        ("KIT-1004", "Cast iron skillet 26 cm", "ean", None, False),
        ("KIT-1005", "Glass food container 1 l", "ean", 24, False),
        ("OFF-2001", "A5 dotted notebook, black", "ean", 24, False),
        ("OFF-2002", "Gel pens, pack of 10", "upc", 24, False),
        ("OFF-2003", "Desk organiser, oak", "internal", None, False),
        ("OFF-2004", "USB-C charging cable 2 m", "ean", 6, False),
        ("OFF-2005", "Wireless mouse, grey", "upc", None, False),
        ("HLT-3001", "Vitamin D3 1000 IU, 90 tablets", "ean", 6, True),
        ("HLT-3002", "Elastic bandage 8 cm x 4 m", "ean", None, True),
        ("HLT-3003", "Hand sanitiser 500 ml", "upc", 6, True),
        ("HLT-3004", "First aid kit, compact", "internal", None, False),
        ("HLT-3005", "Infant formula stage 1, 800 g", "ean", 6, True),
        ("TOY-4001", "Wooden stacking rings", "ean", None, False),
        ("TOY-4002", "Jigsaw puzzle 1000 pieces", "upc", None, False),
        ("TOY-4003", "Watercolour paint set, 24 colours", "ean", 24, False),
        ("GRD-5001", "Seed starter tray, 40 cells", "ean", None, False),
        ("GRD-5002", "Garden gloves, size M", "upc", 6, False),
        ("GRD-5003", "Plant food concentrate 1 l", "ean", 6, True),
        ("GRD-5004", "Pruning shears", "internal", None, False),
    ]
    products: list[Product] = []
    for number, (sku, description, kind, case_units, lot_tracked) in enumerate(items):
        if kind == "ean":
            barcode = _with_check(f"590123{41200 + number * 7:06d}")  # GS1 Poland range, invented items
        elif kind == "upc":
            barcode = _with_check(f"036000{29100 + number * 3:05d}")  # GS1 US range, invented items
        else:
            barcode = f"INT-{120 + number:06d}"
        case_gtin = None
        if case_units is not None:
            case_gtin = _case_gtin(barcode, 1 if case_units == 6 else 2)
        products.append(
            Product(
                sku, description, barcode, case_units, case_gtin, lot_tracked, expiry_tracked=sku in _EXPIRY_TRACKED
            )
        )
    return products


_SHIP_TO = [
    "Maria Kowalski, 14 Elm Street, Leeds LS6 2AB, UK",
    "Jonas Becker, Lindenstr. 8, 50674 Köln, DE",
    "Aisha Rahman, 221 Harbour Road, Dublin D04 X2Y3, IE",
    "Tom Novak, Vinohradská 42, 120 00 Praha, CZ",
    "Sofia Rossi, Via Garibaldi 17, 10122 Torino, IT",
    "Liam O'Connor, 5 Quay Lane, Cork T12 AB34, IE",
    "Emma de Vries, Keizersgracht 301, 1016 ED Amsterdam, NL",
    "Lucas Martin, 12 rue des Lilas, 69003 Lyon, FR",
    "Olivia Smith, 88 Kings Road, Brighton BN1 1NA, UK",
    "Noah Jensen, Nørrebrogade 20, 2200 København, DK",
    "Greenleaf Garden Centre, Unit 4 Mill Lane, York YO1 7HH, UK",
    "Hannah Müller, Schillerplatz 3, 70173 Stuttgart, DE",
    "Mateo García, Calle Mayor 9, 28013 Madrid, ES",
    "Chloé Dubois, 4 avenue Foch, 33000 Bordeaux, FR",
    "Brightside Pharmacy, 2 Market Square, Bath BA1 1AA, UK",
    "Eva Lindqvist, Storgatan 11, 111 51 Stockholm, SE",
    "Pieter Janssen, Meir 50, 2000 Antwerpen, BE",
    "Zofia Wiśniewska, ul. Długa 5, 80-827 Gdańsk, PL",
    "Daniel Costa, Rua Augusta 120, 1100-053 Lisboa, PT",
    "Katie Walsh, 30 Castle Street, Edinburgh EH2 3DN, UK",
]
_CARRIERS = ["DHL Express", "UPS Standard", "DPD Classic", "GLS", "FedEx Ground", "PostNL", "Royal Mail Tracked 48"]


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


def readme(orders: Sequence[dict[str, object]], scans: Sequence[DemoScan]) -> str:
    line_count = sum(len(order["lines"]) for order in orders)  # type: ignore[arg-type]
    rows = "\n".join(f"| {scan.label} | `{scan.scan.replace(GS, GS_MARK)}` | {scan.expect} |" for scan in scans)
    return f"""# Sample data

Generated by `python -m station.samples.generate` (seed {SEED}); do not edit by hand — change the
generator and regenerate. `python -m station.samples.generate --check` tells whether these files are
current. All people, addresses and products are invented.

| file | contents |
|---|---|
| `orders.csv` | {len(orders)} orders ({line_count} lines), one row per order line; `barcodes` is `;`-separated, `CODE*N` is a case pack of N units; `lot_tracked`, `expiry_tracked` yes/no; `tote` where the order was picked into one |
| `orders.json` | the same orders as JSON: unit barcodes as strings, case packs as `{{"code": ..., "units": N}}` |
| `recalls.csv` | two recalled lots (`gtin,lot,serial,reason`) |
| `demo_scans.json` | the scan strings below, with a real ASCII 29 group separator |
| `demo_script.txt` | a demo shift for the scripted scan source: order {orders[0]["order_id"]} packed and sealed, then order {orders[1]["order_id"]} with an undo and a wrong item that blocks it |

Order ids run from {FIRST_ORDER_ID}; each order's barcode is the Code 128 text `ORD-<order id>`. Orders
{", ".join(f"{o['order_id']} (`{o['tote']}`)" for o in orders if "tote" in o)} were picked into totes:
scanning the tote opens the order, and sealing it frees the tote.
Retail items carry EAN-13 (590…) or UPC-A (036000…) codes with valid check digits; some have case
packs of 6 or 24 as GTIN-14 with packaging indicator 1 or 2; three items carry internal Code 128
labels (`INT-000…`). Lines marked `lot_tracked` are items whose GS1 DataMatrix carries a lot (AI 10);
`expiry_tracked`, those whose label also carries the expiry date (AI 17). For such a line the station
counts only a scan of that label: the plain EAN/UPC counts nothing and asks for the lot label.

Order file flags (per line, CSV yes/no columns or JSON true/false fields; see `station/order_files/`):

| flag | every counted scan of the line must carry |
|---|---|
| `lot_tracked` | the lot, GS1 AI (10) |
| `expiry_tracked` | the expiry date, AI (17): set it for products that have one |
| `serial_tracked` | the unit's serial, AI (21), one unit per scan; a serial is refused twice in one order, and when it is already in an order sealed on this station |

A plain EAN/UPC (or a case label without those fields) of such a line gives *Scan the lot label* / *Scan
the serial label*: nothing is counted, the package is **not** blocked (the right item was read from the
wrong label), and the seal still refuses while the line is short. The optional `tote` column (JSON
`tote` on the order) names the tote the order was picked into.

## Demo scans

`<GS>` stands for the ASCII 29 group separator (FNC1) that a scanner sends between GS1 fields.
`]d2` / `]C1` are AIM symbology identifiers (GS1 DataMatrix / GS1-128).

| what | scan | expect |
|---|---|---|
{rows}
"""


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
