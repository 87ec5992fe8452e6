"""The one byte-exact JSON form that the audit chain hashes (``station.audit``) and the content hashes of
bound rows use (``station.bindings``)."""

from __future__ import annotations

import json
from typing import Any


def canonical_json(value: Any) -> str:
    """One byte-exact JSON form per value: sorted keys, no spaces, non-ASCII kept as UTF-8."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)
