"""The console in a real browser: Debian's Chromium driven by Playwright (the system browser, nothing
downloaded). Signs in, opens a case with its evidence image, works it from the queue to resolved, checks the live ageing script and opens
the KPI page. Skipped without /usr/bin/chromium, except under CI (./dev setup installs it)."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest

from tests.central import factory as f
from tests.central.console_helpers import PASSWORD, add_staff
from tests.central.imagebytes import jpeg, sha
from tests.central.server import CentralServer, run_central

CHROMIUM = Path("/usr/bin/chromium")


@pytest.fixture
def browser_page() -> Iterator[object]:
    if not CHROMIUM.exists():
        if os.environ.get("CI"):
            pytest.fail("CI must run the browser test: install Debian's 'chromium' (./dev setup does)")
        pytest.skip("Debian's chromium is not installed (apt-get install chromium)")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.set_default_timeout(20_000)
            yield page
        finally:
            browser.close()


@pytest.fixture
def central(tmp_path: Path) -> Iterator[CentralServer]:
    with run_central(f"sqlite:///{tmp_path / 'central.db'}") as server:
        add_staff(server, "lee", "lead")
        yield server


def test_a_lead_works_a_case_from_the_queue_to_resolved_and_opens_the_kpis(
    central: CentralServer, browser_page: object
) -> None:
    from playwright.sync_api import Page, expect

    page: Page = browser_page  # type: ignore[assignment]
    token = central.issue_station_token("ST-1", site="SITE-A")
    event = f.incident_opened(order_id="SO-BROWSER", detected_at=datetime.now(UTC) - timedelta(hours=3))
    event["payload"]["code"] = "<script>alert(1)</script>"
    other = f.incident_opened(order_id="SO-LATER", detected_at=datetime.now(UTC) - timedelta(minutes=5))
    answer = httpx.post(
        central.base_url + "/api/v1/events",
        json={"station_id": "ST-1", "events": [event, other]},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert len(answer.json()["accepted"]) == 2
    image = jpeg(5, size=(400, 300))
    put = httpx.put(
        central.base_url + f"/api/v1/evidence/{sha(image)}",
        params={"incident_id": event["payload"]["incident_id"]},
        content=image,
        headers={"Authorization": f"Bearer {token}"},
    )
    assert put.status_code == 201, put.text
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))

    page.goto(central.base_url + "/console/")
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    page.fill("input[name=name]", "lee")
    page.fill("input[name=password]", PASSWORD)
    page.click("button:has-text('Sign in')")
    expect(page.get_by_role("heading", name="Case queue")).to_be_visible()

    first = page.locator("table.queue tbody tr").first
    expect(first).to_have_class(re.compile(r"\blate\b"))
    expect(first.locator(".due")).to_contain_text("OVERDUE")
    expect(first.locator(".due")).to_contain_text(re.compile(r"^⚠ OVERDUE notify overdue by (59 min|1 h 0 min)"))
    expect(first).to_contain_text("<script>alert(1)</script>")  # shown as text
    # Live ageing: the script rewrites a due time from its data attribute (it does so every 30 s).
    second_due = page.locator("table.queue tbody tr").nth(1).locator(".due")
    expect(second_due).to_contain_text("notify due in 1 h")
    past = (datetime.now(UTC) - timedelta(minutes=5, seconds=20)).isoformat()
    page.evaluate(
        "iso => { document.querySelectorAll('[data-due]')[1].setAttribute('data-due', iso);"
        " window.PackGate.refreshDue(); }",
        past,
    )
    expect(second_due).to_contain_text("notify overdue by 5 min")
    expect(second_due).to_have_class(re.compile(r"\boverdue\b"))

    first.locator("a.case-link").click()
    expect(page.get_by_role("heading", name=re.compile("Order SO-BROWSER"))).to_be_visible()
    evidence = page.locator("img.evidence")
    expect(evidence).to_be_visible()
    page.wait_for_function("document.querySelector('img.evidence').complete")
    # The browser fetched and decoded it (the CSP and the route let it), at the image's own size.
    assert evidence.evaluate("img => [img.naturalWidth, img.naturalHeight]") == [400, 300]
    notify = page.locator("#action-notify")
    notify.locator("select[name=channel]").select_option("phone")
    notify.locator("textarea[name=message]").fill("Called: the right mug ships today.")
    notify.locator("button[type=submit]").click()
    expect(page.locator(".alert.good")).to_contain_text("Saved: notify")
    expect(page.locator(".status-line .pill.status")).to_have_text("Customer notified")

    replacement = page.locator("#action-replacement")
    replacement.locator("input[name=carrier]").fill("DHL")
    replacement.locator("input[name=tracking]").fill("JD014600001")
    replacement.locator("button[type=submit]").click()
    expect(page.locator(".status-line .pill.status")).to_have_text("Replacement shipped")

    page.locator("#action-resolve button[type=submit]").click()
    expect(page.locator(".status-line .pill.status")).to_have_text("Resolved")
    history = page.locator("table.history")
    expect(history).to_contain_text("by phone: Called: the right mug ships today.")
    expect(history).to_contain_text("DHL, tracking JD014600001")
    expect(history.locator("tr", has_text="Replacement shipped → Resolved")).to_contain_text("lee")

    page.click("a:has-text('Case queue')")
    expect(page.locator("table.queue tbody tr")).to_have_count(1)  # the resolved case left the queue
    page.click("nav a:has-text('KPIs')")
    expect(page.get_by_role("heading", name=re.compile("Per day"))).to_be_visible()
    expect(page.locator("figure.chart svg").first).to_be_visible()
    expect(page.locator("table.kpis").first).to_contain_text("Incidents")
    assert dialogs == []  # no script from the data ever ran
