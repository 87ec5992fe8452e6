"""How the service's error answers are described in its OpenAPI document: one `{"detail": ...}` body for
every error, and the answers every authenticated route can give. The routers in app.py, incident_api.py,
evidence.py, resolution.py and webhook_api.py all describe their errors with these."""

from __future__ import annotations

from typing import Any

ERROR_BODY: dict[str, Any] = {
    "content": {"application/json": {"schema": {"type": "object", "properties": {"detail": {}}}}}
}

AUTH_RESPONSES: dict[int | str, dict[str, Any]] = {
    401: {"description": "Missing, unknown or revoked token; nothing was stored.", **ERROR_BODY},
    403: {"description": "The token is valid but not for this operation or station.", **ERROR_BODY},
    413: {"description": "Request body larger than the service's limit; nothing was stored.", **ERROR_BODY},
    429: {"description": "Too many failed authentications from this address; see Retry-After.", **ERROR_BODY},
    503: {"description": "Database busy or unavailable; nothing was stored, retry later.", **ERROR_BODY},
}
