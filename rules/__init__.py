"""Pure rules shared by the station and the central service (no I/O, no imports of ours).

Why a package of its own: the central service may import no ``station`` module (import-linter contract
in pyproject.toml), yet it must refuse exactly the orders a station would refuse, with the same words.
Copying the numbers into two places let them drift apart (the wire allowed 100000 units per line, the
station's order files 9999). Rules that both ends need live here once: ``station`` and ``sync`` import
``rules``; ``rules`` imports nothing of ours, only the standard library and pydantic.

``rules.events`` (with ``rules.fields`` and ``rules.storable``) is the event schema: the six event
payloads the station's outbox writes and the central service validates, with their limits. They are
pydantic models, the one third-party dependency allowed here (``tests/rules/test_events.py`` checks):
pydantic is pure validation (no I/O, no threads, no globals of ours), the central service's FastAPI is
built on it, and the same model gives both ends the same error list per event and the OpenAPI schema. A
stdlib re-implementation would be the second definition this package exists to avoid. ``hardware`` does
not import these modules (the scan-text rules stay stdlib-only).

``rules.scan_text`` holds what the devices (``hardware``) and the station's scan parser both read from a
scanner's text: the GS separator, the UPC-E expansion and the decoder-name → AIM identifier table.
``hardware`` may import ``rules`` (never ``station``), so this is their one neutral home.
"""
