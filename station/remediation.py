"""The remediation policy: what the central team should do about each kind of incident, and by when.

The clock starts at detection. Targets (from the product card): customer told within 2 hours; a resend
shipped within 24-48 hours; a refund within 48-72 hours; a credit for short shipments. The station only
suggests, and keeps only the 2-hour target its screens show; the central service (`sync.server.cases`) owns
the case and its due times.
"""

from __future__ import annotations

from datetime import timedelta

NOTIFY_CUSTOMER_WITHIN = timedelta(hours=2)

_SUGGESTIONS: dict[str, str] = {
    "wrong_item": "Swap the wrong item for the ordered one before sealing; check the bin location it was "
    "picked from for a mis-slot and the neighbouring bins.",
    "over_scan": "Remove the extra units before sealing; check whether the pick list or the case-pack "
    "quantity is wrong.",
    "invalid_code": "Inspect the label (damaged, mis-printed or a wrong check digit); relabel from the item "
    "master if needed and rescan.",
    "unknown_code": "The code is not on any order at this station: check the item master and the "
    "product's labels, then rescan or swap the item.",
    "expired": "Replace with a unit from an in-date lot; quarantine the expired lot's remaining stock and "
    "check FEFO picking at its location.",
    "duplicate_serial": "A serial number was scanned twice: check for a duplicate label or a double scan of "
    "one unit; count the units in the package.",
    "serial_shipped": "This serial was already packed in a sealed order: the unit in hand is a copy, a return "
    "that was never booked back in, or a relabelled item. Take it out, quarantine it and pick another unit.",
    "recalled": "Remove the unit from the package, quarantine the lot or serial per the recall notice, and "
    "replace it from an unaffected lot.",
    "weight_mismatch": "The parcel's weight does not fit what was scanned: open it and count the items against "
    "the order (an item dropped in unscanned, two scanned as one, a case pack with the wrong inner count); fix the "
    "content, or check the product's unit weight in the item master.",
    "short": "Missing units: pick them and complete the package, or ship partially with a backorder and "
    "credit the customer for the missing amount; tell the customer within 2 hours.",
}


def suggested_remediation(kind: str) -> str:
    return _SUGGESTIONS.get(kind, "Review the package with a supervisor before sealing.")
