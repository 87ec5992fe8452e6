"""The fixed inputs of the sample files: the seed and order ids, the invented catalogue (retail barcodes
with valid check digits, case packs, lot and expiry tracking), ship-to addresses and carriers.
`station.samples.generate` builds the files from them."""

from __future__ import annotations

from dataclasses import dataclass

from station.barcodes import gtin_check_digit

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
