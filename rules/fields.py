"""The field types every wire value is made of, and their limits: the one place these numbers live.

An event the central service refuses is parked on the station for good, so the station checks the same
numbers where the input enters (``station.limits`` takes them from here: a scan longer than
``MAX_CODE_LENGTH`` is an invalid code, a note longer than ``MAX_NOTE_LENGTH`` is refused) and the wire
models (``rules.events``, ``sync.wire``) validate with them. ``tests/sync/test_wire_limits.py`` asserts
the two ends agree.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import AfterValidator, AwareDatetime, BaseModel, ConfigDict, StringConstraints

from rules.storable import Storable, to_utc

#: A scanned code, as an incident carries it (``IncidentOpened.code``).
MAX_CODE_LENGTH = 512
#: A clearance note, an escalation reason, a cancel reason, a hand-over note, a description (``Text``).
MAX_NOTE_LENGTH = 4000
#: Order ids, SKUs, user ids, barcodes, audit actions (``Ident``).
MAX_IDENT_LENGTH = 128
#: A station id: it appears in URLs, logs and file names (``StationId``).
MAX_STATION_ID_LENGTH = 64
#: The evidence file name an incident names (``IncidentOpened.evidence_file``).
MAX_PATH_LENGTH = 1024
STATION_ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._:-]*$"


class Strict(BaseModel):
    """Base of every wire model: unknown fields are refused (``extra="forbid"``).

    A field nobody reads was stored verbatim before, so one event could carry 300 MB of anything into the
    central database. A station that is a version ahead has such an event *parked* (kept, shown, retried
    after the central service is upgraded), not lost."""

    model_config = ConfigDict(extra="forbid")


UtcDatetime = Annotated[AwareDatetime, AfterValidator(to_utc)]
"""An ISO-8601 timestamp with an offset; stored and compared in UTC."""

StationId = Annotated[
    str, StringConstraints(min_length=1, max_length=MAX_STATION_ID_LENGTH, pattern=STATION_ID_PATTERN)
]
"""Station ids appear in URLs, logs and file names, hence the conservative alphabet."""

Ident = Annotated[str, StringConstraints(min_length=1, max_length=MAX_IDENT_LENGTH), Storable]
"""Order ids, SKUs, packer ids, barcodes: non-empty, bounded so one bad event cannot bloat the store."""

Text = Annotated[str, StringConstraints(max_length=MAX_NOTE_LENGTH), Storable]
"""Free text (reasons, descriptions, notes)."""
