"""The PackGate sync wire format, version 1: the single definition both ends use.

The station's drain client builds request bodies with these models and the central service
(`sync.server`) validates with them, so a field renamed here changes both ends at once. The prose
description, with examples, is `sync/PROTOCOL.md`.

By concept:

- ``rules.events``: the six event payloads and their limits (in ``rules`` because the station's outbox
  writes them too, and the central service may import no ``station`` module);
- ``sync.wire.events``: the envelope around a payload, event validation, batches and their answers;
- ``sync.wire.orders``: orders as the service hands them out and takes them in;
- ``sync.wire.incidents``: incidents, their remediation cases and the site's flagged queue;
- ``sync.wire.kpis``: the KPI answer and the health check.

Library choice: pydantic v2 (installed with FastAPI). Its discriminated unions give one error list per
event with a path to the bad field, and the same models produce the OpenAPI schema the service exports.

Unknown fields are refused (``rules.fields.Strict``). Storable values: every text the service stores is
checked for what both databases hold (no NUL, no lone surrogates, lengths within the columns) and every
time lies between 1900 and 8999 (``rules.storable``). A value outside that is a per-event rejection with
its reason, never a failed batch.
"""

WIRE_VERSION = 1
API_PREFIX = "/api/v1"
