"""The exported OpenAPI document is current, and the service survives schemathesis without a 5xx."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error, response_schema_conformance

from sync.server.cli import openapi_document
from tests.central.server import CentralServer, run_central

OPENAPI_FILE = Path(__file__).resolve().parents[2] / "sync" / "openapi.json"


def test_sync_openapi_json_is_current() -> None:
    assert json.loads(OPENAPI_FILE.read_text(encoding="utf-8")) == openapi_document(), (
        "sync/openapi.json is stale: run `python -m sync.server.cli openapi --output sync/openapi.json`"
    )


@pytest.fixture(scope="module")
def fuzzed_central(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[CentralServer, str, str]]:
    db = tmp_path_factory.mktemp("fuzz") / "central.db"
    with run_central(f"sqlite:///{db}") as central:
        yield central, central.issue_station_token("ST-1"), central.issue_admin_token("fuzz")


# Built from the app itself (no database needed), so the fuzzing covers exactly what is served.
schema = schemathesis.openapi.from_dict(openapi_document())

STATION_OPERATIONS = {("POST", "/api/v1/events"), ("GET", "/api/v1/orders"), ("PUT", "/api/v1/evidence/{sha256}")}


@schema.parametrize()
@settings(max_examples=20, deadline=None, suppress_health_check=list(HealthCheck))
def test_no_server_errors_for_generated_requests(
    case: schemathesis.Case, fuzzed_central: tuple[CentralServer, str, str]
) -> None:
    central, station_token, admin_token = fuzzed_central
    token = station_token if (case.method.upper(), case.path) in STATION_OPERATIONS else admin_token
    case.call_and_validate(
        base_url=central.base_url,
        headers={"Authorization": f"Bearer {token}"},
        checks=[not_a_server_error, response_schema_conformance],
    )
