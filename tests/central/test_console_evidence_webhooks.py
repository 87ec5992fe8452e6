"""The console's evidence image on the case page and its webhook pages, over real HTTP on SQLite and
PostgreSQL: the image served byte for byte, the plain sentence when there is none, webhooks added,
delivered to a real receiver on 127.0.0.1, logged, removed; roles, CSRF and escaping."""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest

from sync.server.blobs import FileBlobStore
from tests.central import factory as f
from tests.central.console_helpers import Browser, add_staff
from tests.central.imagebytes import jpeg, sha
from tests.central.receiver import Receiver
from tests.central.server import CentralServer, run_central

XSS_URL = 'http://127.0.0.1:9/hook?<script>alert("x")</script>'


def wait_until(condition: Callable[[], bool], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {what}")
        time.sleep(0.05)


@pytest.fixture
def central(db_url: str, tmp_path: Path) -> Iterator[CentralServer]:
    with run_central(db_url, app_options={"blobs": FileBlobStore(tmp_path / "blobs")}) as server:
        add_staff(server, "ana", "service")
        add_staff(server, "lee", "lead")
        yield server


@pytest.fixture
def station(central: CentralServer) -> Iterator[httpx.Client]:
    token = central.issue_station_token("ST-1", site="SITE-A")
    with httpx.Client(base_url=central.base_url, timeout=30, headers={"Authorization": f"Bearer {token}"}) as c:
        yield c


def opened(station: httpx.Client, order_id: str) -> str:
    event = f.incident_opened(order_id=order_id)
    answer = station.post("/api/v1/events", json={"station_id": "ST-1", "events": [event]})
    assert answer.status_code == 200 and len(answer.json()["accepted"]) == 1, answer.text
    return str(event["payload"]["incident_id"])


def test_the_case_page_shows_the_uploaded_evidence_image_full_size(
    central: CentralServer, station: httpx.Client
) -> None:
    with_image = opened(station, "SO-PHOTO")
    without = opened(station, "SO-NOPHOTO")
    image = jpeg(3, size=(320, 240))
    put = station.put(f"/api/v1/evidence/{sha(image)}", content=image, params={"incident_id": with_image})
    assert put.status_code == 201, put.text
    src = f"/console/cases/{with_image}/evidence"

    with Browser(central) as nobody:  # like every console page: the sign-in page first
        for path in (src, f"/console/cases/{with_image}"):
            answer = nobody.get(path)
            assert answer.status_code == 303 and answer.headers["location"].startswith("/console/sign-in?next=")

    with Browser(central) as ana:
        ana.sign_in("ana")  # the service role is enough
        page = ana.get(f"/console/cases/{with_image}").text
        img = re.search(r'<img class="evidence" src="([^"]+)" width="(\d+)" height="(\d+)"', page)
        assert img is not None, page
        assert img.groups() == (src, "320", "240")
        assert f'<a href="{src}" target="_blank"' in page  # open it alone
        assert "No evidence image uploaded" not in page

        served = ana.get(src)
        assert served.status_code == 200
        assert served.content == image
        assert served.headers["content-type"] == "image/jpeg"
        assert served.headers["x-content-type-options"] == "nosniff"
        assert "max-age=" in served.headers["cache-control"] and "private" in served.headers["cache-control"]

        plain = ana.get(f"/console/cases/{without}").text
        assert "No evidence image uploaded (yet)." in plain and '<img class="evidence"' not in plain
        missing = ana.get(f"/console/cases/{without}/evidence")
        assert missing.status_code == 404 and "No evidence image uploaded (yet)" in missing.text
        assert ana.get("/console/cases/not-a-uuid/evidence").status_code == 404


def test_a_service_user_gets_403_on_the_webhook_pages(central: CentralServer) -> None:
    with Browser(central) as ana:
        ana.sign_in("ana")
        for path in ("/console/webhooks", "/console/webhooks/wh_0123456789ab"):
            refused = ana.get(path)
            assert refused.status_code == 403 and "This page is for the lead role" in refused.text, path
        add = ana.post(
            "/console/webhooks", data={"csrf": ana.csrf, "url": "http://127.0.0.1:9/", "events": "case.changed"}
        )
        assert add.status_code == 403
        assert "Webhooks" not in ana.get("/console/").text.split("</nav>")[0]  # not in the menu either
    with Browser(central) as lee:
        lee.sign_in("lee")
        assert "No webhooks" in lee.get("/console/webhooks").text  # nothing was added


def test_a_lead_adds_a_webhook_sees_its_deliveries_and_removes_it(
    central: CentralServer, station: httpx.Client
) -> None:
    with Browser(central) as lee:
        lee.sign_in("lee")
        assert '<a href="/console/webhooks"' in lee.get("/console/").text

        bad = lee.post(
            "/console/webhooks", data={"csrf": lee.csrf, "url": "ftp://shop.example/hook", "events": "incident.opened"}
        )
        assert bad.status_code == 422 and "not a webhook URL" in bad.text and "http:// or https://" in bad.text
        assert 'value="ftp://shop.example/hook"' in bad.text  # what was typed is kept
        none = lee.post("/console/webhooks", data={"csrf": lee.csrf, "url": "https://shop.example/hook"})
        assert none.status_code == 422 and "Tick at least one event" in none.text
        no_csrf = lee.post("/console/webhooks", data={"url": "https://shop.example/hook", "events": "case.changed"})
        assert no_csrf.status_code == 403 and "nothing was changed" in no_csrf.text

        escaped = lee.post(
            "/console/webhooks", data={"csrf": lee.csrf, "url": XSS_URL, "events": "case.changed", "secret": "s" * 20}
        )
        assert escaped.status_code == 200, escaped.text
        assert "<script>alert" not in escaped.text and "&lt;script&gt;alert(" in escaped.text
        assert 'class="secret code"' not in escaped.text  # a secret the lead typed is not shown back

        listing = lee.get("/console/webhooks").text
        assert listing.count("Delivery log</a>") == 2 - 1  # only the escaped one so far
        added = lee.post(
            "/console/webhooks",
            data={"csrf": lee.csrf, "url": "http://127.0.0.1:1/x", "events": ["incident.opened", "case.changed"]},
        )
        assert added.status_code == 200 and "it is not shown again" in added.text
        secret = added.text.split('class="secret code">')[1].split("<")[0]
        hook_id = re.search(r"Added webhook <b class=\"code\">(wh_[0-9a-f]{12})</b>", added.text).group(1)  # type: ignore[union-attr]
        assert secret.startswith("whsec_") and secret not in lee.get("/console/webhooks").text  # shown once

    # The receiver for that secret, and the webhook pointed at it (the URL above was a placeholder).
    with Receiver(secret) as receiver, central._sessions() as s:
        from sync.server.models import Webhook

        hook = s.get(Webhook, hook_id)
        assert hook is not None
        hook.url = receiver.url
        s.commit()
        incident_id = opened(station, "SO-HOOKED")
        wait_until(lambda: len(receiver.delivered()) == 1, 20, "the incident.opened delivery")
        event_id = receiver.all()[0].event_id
        assert receiver.all()[0].body["data"]["incident_id"] == incident_id

        with Browser(central) as lee:
            lee.sign_in("lee")

            def log_row() -> str:
                page = lee.get(f"/console/webhooks/{hook_id}").text
                return next((row for row in page.split("<tr>") if event_id in row), "")

            wait_until(lambda: "delivered" in log_row(), 10, "the delivery logged as delivered")
            row = log_row()
            assert "incident.opened" in row and "<td>1</td>" in row and "HTTP 200" in row
            listing = lee.get("/console/webhooks").text
            hook_row = listing.split(f'href="/console/webhooks/{hook_id}">{hook_id}')[1].split("</tr>")[0]
            assert '<td class="n-delivered">1</td>' in hook_row
            assert lee.get("/console/webhooks/wh_ffffffffffff").status_code == 404
            assert lee.get(f"/console/webhooks/{hook_id}?status=failed").text.count(event_id) == 0

            unconfirmed = lee.post("/console/webhooks/remove", data={"csrf": lee.csrf, "webhook_id": hook_id})
            assert unconfirmed.status_code == 422 and "Tick the box to confirm" in unconfirmed.text
            forged = lee.post(
                "/console/webhooks/remove", data={"csrf": "forged", "webhook_id": hook_id, "confirm": "yes"}
            )
            assert forged.status_code == 403
            assert f"/console/webhooks/{hook_id}" in lee.get("/console/webhooks").text  # still there
            removed = lee.post(
                "/console/webhooks/remove", data={"csrf": lee.csrf, "webhook_id": hook_id, "confirm": "yes"}
            )
            assert removed.status_code == 303
            assert f"/console/webhooks/{hook_id}" not in lee.get("/console/webhooks").text
            assert f"/console/webhooks/{hook_id}" in lee.get("/console/webhooks?all=1").text  # kept, marked removed
            assert event_id in lee.get(f"/console/webhooks/{hook_id}").text  # its log stays

        opened(station, "SO-AFTER")  # nothing more is sent to a removed endpoint
        time.sleep(0.5)  # a negative: give the dispatcher (woken after the commit) the time it takes to send
        assert len(receiver.all()) == 1
