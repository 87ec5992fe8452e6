"""The console's case actions: a form's fields, checked, become one case transition with its details.

Each action names the status it moves the case to, the fields it needs and how to check them. A field
that fails gets a message in words for the person at the screen; nothing is stored until every field
passes. The actor is always the signed-in staff member, given by the caller, never a form field.
"""

from __future__ import annotations

import logging
import re
import uuid
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal, InvalidOperation

from sqlalchemy.orm import Session

from sync.server import cases
from sync.server.models import Incident
from sync.wire.incidents import CURRENCIES, MAX_AMOUNT, TRACKING_PATTERN, CaseDetails, CaseStatus, Channel

logger = logging.getLogger(__name__)

# The limits are the wire's (CaseDetails), so a form and a JSON call accept the same values; this module
# only turns a failure into words for the person at the form.
CHANNELS = tuple(c.value for c in Channel)
MAX_TEXT = 4000


@dataclass(frozen=True)
class Action:
    name: str
    to: CaseStatus
    label: str


ACTIONS: dict[str, Action] = {
    a.name: a
    for a in (
        Action("notify", CaseStatus.CUSTOMER_NOTIFIED, "Customer notified"),
        Action("replacement", CaseStatus.REPLACEMENT_SHIPPED, "Replacement shipped"),
        Action("refund", CaseStatus.REFUND_ISSUED, "Refund issued"),
        Action("credit", CaseStatus.CREDIT_ISSUED, "Credit issued"),
        Action("resolve", CaseStatus.RESOLVED, "Resolved"),
    )
}


class FormInvalid(ValueError):
    """One message per bad field (field name -> words)."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))
        self.errors = errors


def allowed_actions(incident: Incident) -> list[Action]:
    if incident.detected_at is None:
        return []
    nxt = cases.ALLOWED[CaseStatus(incident.case_status)]
    return [a for a in ACTIONS.values() if a.to in nxt]


def _text(value: str, field: str, errors: dict[str, str], *, required: bool, limit: int = MAX_TEXT) -> str:
    value = value.strip()
    if "\x00" in value or any(0xD800 <= ord(c) <= 0xDFFF for c in value):
        errors[field] = "contains characters that cannot be stored (NUL or a broken character)"
    elif required and not value:
        errors[field] = "is required"
    elif len(value) > limit:
        errors[field] = f"is too long ({len(value)} characters; at most {limit})"
    return value


def _amount(value: str, errors: dict[str, str]) -> str:
    raw = value.strip().replace(",", ".")
    try:
        amount = Decimal(raw)
    except InvalidOperation:
        errors["amount"] = f"{value.strip()[:40]!r} is not an amount: write it like 12.50"
        return ""
    if not amount.is_finite() or amount <= 0:
        errors["amount"] = "must be more than 0"
    elif amount >= MAX_AMOUNT:
        errors["amount"] = f"must be less than {MAX_AMOUNT}"
    elif amount != amount.quantize(Decimal("0.01")):
        errors["amount"] = "has more than 2 decimals"
    else:
        return f"{amount.quantize(Decimal('0.01'))}"
    return ""


def parse(action: Action, form: dict[str, str], incident: Incident) -> tuple[str, dict[str, str]]:
    """``(note, details)`` for the action, or ``FormInvalid``."""
    errors: dict[str, str] = {}
    details: dict[str, object] = {}
    note = _text(form.get("note", ""), "note", errors, required=False)
    if action.name == "notify":
        channel = form.get("channel", "")
        if channel not in CHANNELS:
            errors["channel"] = f"choose one of {', '.join(CHANNELS)}"
        message = _text(form.get("message", ""), "message", errors, required=True)
        details = {"channel": channel, "message": message}
    elif action.name == "replacement":
        carrier = _text(form.get("carrier", ""), "carrier", errors, required=True, limit=64)
        tracking = _text(form.get("tracking", ""), "tracking", errors, required=True, limit=128)
        if tracking and not re.fullmatch(TRACKING_PATTERN, tracking):
            errors["tracking"] = "may hold only letters, digits, spaces and . _ / -"
        details = {"carrier": carrier, "tracking": tracking}
    elif action.name in ("refund", "credit"):
        amount = _amount(form.get("amount", ""), errors)
        currency = form.get("currency", "").strip().upper()
        if currency not in CURRENCIES:
            errors["currency"] = f"choose one of {', '.join(CURRENCIES)}"
        details = {"amount": amount, "currency": currency}
    elif action.name == "resolve" and incident.notified_at is None and not note:
        errors["note"] = "the customer was never notified: say why the case is resolved without contact"
    if errors:
        raise FormInvalid(errors)
    return note, CaseDetails.model_validate(details).stored() if details else {}


def summary(details: dict[str, object] | None) -> str:
    """One line for the history: what the action recorded besides its note."""
    if not details:
        return ""
    if "channel" in details:
        return f"by {details['channel']}: {details.get('message', '')}"
    if "carrier" in details:
        return f"{details['carrier']}, tracking {details.get('tracking', '')}"
    if "amount" in details:
        return f"{details['amount']} {details.get('currency', '')}"
    return ""


def perform(
    session: Session,
    incident_id: uuid.UUID,
    action: Action,
    form: dict[str, str],
    *,
    actor: str,
    version: int,
    now: datetime,
) -> Incident:
    """Check the form and move the case; raises ``FormInvalid`` or a ``cases.CaseError``. Does not commit."""
    incident = session.get(Incident, incident_id)
    if incident is None:
        raise cases.IncidentNotFound(f"no incident {incident_id}")
    note, details = parse(action, form, incident)
    return cases.transition(
        session, incident_id, action.to, note=note, actor=actor, now=now, expected_version=version, details=details
    )
