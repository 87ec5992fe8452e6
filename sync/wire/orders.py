"""Orders on the wire: what ``GET /api/v1/orders`` hands out and ``PUT /api/v1/orders`` takes in.

Limits come from ``rules.orders``, as the station's order-file reader's do, so an order the service
accepts is one every station can load (the service also runs ``rules.orders.order_problems`` on it).
"""

from __future__ import annotations

import base64
import binascii
from typing import Annotated, Any, Self

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from rules.fields import Strict
from rules.labels import MAX_LABEL_BYTES, LabelFormat, label_problem, zpl_bytes
from rules.orders import FIELD_MAX_LEN, MAX_BARCODE_LEN, MAX_ORDER_LINES, MAX_QUANTITY, MAX_UNITS_PER_PACK
from rules.storable import Storable

MAX_ORDERS_PAGE = 500


class OrderBarcode(Strict):
    code: Annotated[str, StringConstraints(min_length=1, max_length=MAX_BARCODE_LEN), Storable]
    units: int = Field(default=1, ge=1, le=MAX_UNITS_PER_PACK, description="Items counted per scan (case packs > 1).")


def _bounded(name: str) -> Any:
    return Annotated[str, StringConstraints(min_length=1, max_length=FIELD_MAX_LEN[name]), Storable]


class OrderLine(Strict):
    sku: _bounded("sku")  # type: ignore[valid-type]
    description: _bounded("description")  # type: ignore[valid-type]
    quantity: int = Field(ge=1, le=MAX_QUANTITY)
    barcodes: list[OrderBarcode] = Field(default_factory=list, max_length=100)
    lot_tracked: bool = Field(default=False, description="Every counted scan must carry the lot (GS1 AI 10).")
    expiry_tracked: bool = Field(
        default=False, description="The product has an expiry date: every counted scan must carry it (GS1 AI 17)."
    )
    serial_tracked: bool = Field(
        default=False,
        description="Every unit is scanned on its own with its serial (GS1 AI 21); a serial is never packed twice.",
    )


class OrderLabel(Strict):
    """The shipping label the carrier made for the order, printed at the seal as it is: exactly one of
    ``zpl`` (the ZPL text, for a label printer) or ``pdf_base64`` (a PDF). PackGate does not talk to carriers."""

    zpl: Annotated[str, StringConstraints(max_length=MAX_LABEL_BYTES)] | None = Field(
        default=None, description="ZPL text (^XA ... ^XZ), Latin-1 characters only."
    )
    pdf_base64: Annotated[str, StringConstraints(max_length=MAX_LABEL_BYTES * 4 // 3 + 8)] | None = Field(
        default=None, description="A PDF label, base64."
    )

    @model_validator(mode="after")
    def _one_label(self) -> Self:
        if (self.zpl is None) == (self.pdf_base64 is None):
            raise ValueError("give exactly one of zpl or pdf_base64")
        try:
            if self.zpl is not None:
                fmt, data = LabelFormat.ZPL, zpl_bytes(self.zpl)
            else:
                fmt, data = LabelFormat.PDF, base64.b64decode(self.pdf_base64 or "", validate=True)
        except (binascii.Error, ValueError) as exc:
            raise ValueError(f"label: {exc}") from None
        problem = label_problem(fmt, data)
        if problem is not None:
            raise ValueError(f"label: {problem}")
        return self


class Order(Strict):
    """One order in the station's order-file JSON shape."""

    order_id: _bounded("order_id")  # type: ignore[valid-type]
    order_barcode: Annotated[str, StringConstraints(max_length=FIELD_MAX_LEN["order_barcode"]), Storable] | None = None
    tote: Annotated[str, StringConstraints(max_length=FIELD_MAX_LEN["tote"]), Storable] | None = Field(
        default=None,
        description="The tote the order was picked into: scanning it opens the order at the bench "
        "until the order is sealed, then the tote is free for another order.",
    )
    ship_to: _bounded("ship_to")  # type: ignore[valid-type]
    carrier: _bounded("carrier")  # type: ignore[valid-type]
    lines: list[OrderLine] = Field(min_length=1, max_length=MAX_ORDER_LINES)
    label: OrderLabel | None = Field(
        default=None,
        description="The shipping label, printed with the packing slip when the order is sealed "
        "(none: the packing slip alone).",
    )


class OrdersPage(BaseModel):
    """``GET /api/v1/orders`` answer. Pass ``cursor`` back to get only orders created or changed since;
    an empty ``orders`` list means the station is up to date (keep the cursor)."""

    orders: list[Order]
    cursor: str


SiteName = Annotated[str, StringConstraints(min_length=1, max_length=64), Storable]


class OrdersUpsert(BaseModel):
    """``PUT /api/v1/orders`` body (admin). ``site``: the site whose stations may pull these orders
    (null: only stations registered without a site)."""

    model_config = ConfigDict(extra="forbid")

    site: SiteName | None = None
    orders: list[Order] = Field(max_length=MAX_ORDERS_PAGE)


class OrdersUpsertResult(BaseModel):
    created: list[str]
    updated: list[str]
    unchanged: list[str]
