"""The console's case queue, case page and actions, KPI page and CSV, over real HTTP on SQLite and
PostgreSQL: ordering by due time, filters, escaping, form validation, the actor, two staff at once."""

from __future__ import annotations

import csv
import io
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, time, timedelta

import httpx
import pytest

from tests.central import factory as f
from tests.central.console_helpers import Browser, Clock, add_staff, version_of
from tests.central.server import CentralServer, run_central

XSS_CODE = "<script>alert(1)</script>"
XSS_NOTE = '<img src=x onerror="alert(2)"><b>bold</b>'


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def central(db_url: str, clock: Clock) -> Iterator[CentralServer]:
    with run_central(db_url, clock=clock) as server:
        add_staff(server, "ana", "service")
        add_staff(server, "ben", "service")
        add_staff(server, "lee", "lead")
        yield server


@pytest.fixture
def station(central: CentralServer) -> Iterator[httpx.Client]:
    token = central.issue_station_token("ST-1", site="SITE-A")
    with httpx.Client(base_url=central.base_url, timeout=30, headers={"Authorization": f"Bearer {token}"}) as c:
        yield c


def send(station: httpx.Client, *events: dict, station_id: str = "ST-1") -> None:
    answer = station.post("/api/v1/events", json={"station_id": station_id, "events": list(events)}).json()
    assert len(answer["accepted"]) == len(events), answer


def opened(station: httpx.Client, **kw: object) -> str:
    event = f.incident_opened(**kw)  # type: ignore[arg-type]
    send(station, event)
    return str(event["payload"]["incident_id"])


def queue_order(page: str) -> list[str]:
    return [chunk.split('"')[0] for chunk in page.split('class="case-link" href="/console/cases/')[1:]]


def test_the_queue_orders_open_cases_by_next_due_and_marks_overdue_ones(
    central: CentralServer, station: httpx.Client, clock: Clock
) -> None:
    def ago(hours: float) -> datetime:
        return clock() - timedelta(hours=hours)

    fresh = opened(station, order_id="SO-FRESH", detected_at=ago(0.2))  # notify due in 1 h 48 min
    late = opened(station, order_id="SO-LATE", detected_at=ago(3))  # notify overdue by 1 h
    notified = opened(station, order_id="SO-TOLD", detected_at=ago(1))
    done = opened(station, order_id="SO-DONE", detected_at=ago(5))
    with Browser(central) as ana:
        ana.sign_in("ana")
        assert ana.act(notified, "notify", channel="email", message="sorry").status_code == 303  # remedy due in 47 h
        assert ana.act(done, "resolve", note="fixed at the bench before sealing").status_code == 303
        page = ana.get("/console/").text
        assert queue_order(page) == [late, fresh, notified]  # the resolved one is gone
        late_row = page.split('class="late"')[1].split("</tr>")[0]
        assert "OVERDUE" in late_row and "⚠" in late_row and "notify overdue by 1 h 0 min" in late_row
        assert "1 OVERDUE" in page
        assert "notify due in 1 h 48 min" in page and "remedy due in 1 d 23 h" in page
        assert 'data-due="' in late_row  # what the live ageing script counts from
        overdue_only = ana.get("/console/?overdue=1").text
        assert queue_order(overdue_only) == [late]
        assert queue_order(ana.get("/console/?status=resolved").text) == [done]


def test_the_queue_filters_by_site_station_kind_status_and_age_and_pages(
    central: CentralServer, station: httpx.Client
) -> None:
    other_token = central.issue_station_token("ST-2", site="SITE-B")
    short = opened(station, kind="short", detected_at=f.hours_ago(30))
    with httpx.Client(base_url=central.base_url, headers={"Authorization": f"Bearer {other_token}"}) as st2:
        event = f.incident_opened(detected_at=f.hours_ago(1), station_id="ST-2")
        assert st2.post("/api/v1/events", json={"station_id": "ST-2", "events": [event]}).json()["accepted"]
        elsewhere = str(event["payload"]["incident_id"])
    with Browser(central) as ana:
        ana.sign_in("ana")
        assert queue_order(ana.get("/console/?site=SITE-B").text) == [elsewhere]
        assert queue_order(ana.get("/console/?station=ST-1").text) == [short]
        assert queue_order(ana.get("/console/?kind=short").text) == [short]
        assert queue_order(ana.get("/console/?age=24h").text) == [short]
        assert queue_order(ana.get("/console/?status=customer_notified").text) == []
        odd = ana.get("/console/?kind=<b>x</b>&status=nope&age=7y&page=-3")
        assert odd.status_code == 200 and "unknown kind" in odd.text and "<b>x</b>" not in odd.text
        assert "&#39;&lt;b&gt;x&lt;/b&gt;&#39;" in odd.text or "&lt;b&gt;x&lt;/b&gt;" in odd.text
        send(station, *(f.incident_opened(detected_at=f.hours_ago(0.1 + n / 100)) for n in range(55)))
        first = ana.get("/console/").text
        assert "page 1 of 2" in first and len(queue_order(first)) == 50
        second = ana.get("/console/?page=2").text
        assert len(queue_order(second)) == 7 and not set(queue_order(first)) & set(queue_order(second))
        assert "page 2 of 2" in ana.get("/console/?page=99").text


def test_a_case_is_worked_to_resolved_and_every_step_records_the_signed_in_person(
    central: CentralServer, station: httpx.Client
) -> None:
    incident = opened(station, order_id="SO-7", kind="short", detected_at=f.hours_ago(1))
    send(station, f.incident_cleared(incident, order_id="SO-7", resolution="short_shipped"))
    with Browser(central) as ana:
        ana.sign_in("ana")
        page = ana.get(f"/console/cases/{incident}").text
        for shown in ("SKU-1", "Mug", "Lid", "Cleared at the bench", "SUP-1", "right mug packed", "Customer notified"):
            assert shown in page
        steps = [
            ("notify", {"channel": "phone", "message": "Told her a lid is on its way", "actor": "mallory"}),
            ("credit", {"amount": "4,50", "currency": "eur", "actor": "mallory"}),
            ("resolve", {"note": ""}),  # notified: no note needed
        ]
        for action, fields in steps:
            answer = ana.act(incident, action, **fields)
            assert answer.status_code == 303, answer.text
            assert answer.headers["location"].endswith(f"?done={action}")
        page = ana.get(f"/console/cases/{incident}").text
        assert "Resolved" in page and "This case is resolved." in page
        assert "by phone: Told her a lid is on its way" in page and "4.50 EUR" in page and "mallory" not in page
    with httpx.Client(
        base_url=central.base_url, headers={"Authorization": f"Bearer {central.issue_admin_token('ops')}"}
    ) as admin:  # the JSON API sees the same case
        detail = admin.get(f"/api/v1/incidents/{incident}").json()
        assert detail["case"]["status"] == "resolved" and detail["case"]["remedy"] == "credit"
        transitions = [(h["to_status"], h["actor"]) for h in detail["history"] if h["kind"] == "case.transition"]
        assert transitions == [("customer_notified", "ana"), ("credit_issued", "ana"), ("resolved", "ana")]


def test_bad_form_input_gets_a_clear_message_keeps_what_was_typed_and_changes_nothing(
    central: CentralServer, station: httpx.Client
) -> None:
    incident = opened(station)
    with Browser(central) as ana:
        ana.sign_in("ana")
        no_note = ana.act(incident, "resolve", note="   ")
        assert no_note.status_code == 422 and "the customer was never notified" in no_note.text
        no_message = ana.act(incident, "notify", channel="email", message="")
        assert no_message.status_code == 422 and "message is required" in no_message.text
        nul = ana.act(incident, "notify", channel="email", message="hello\x00")
        assert nul.status_code == 422 and "cannot be stored" in nul.text
        channel = ana.act(incident, "notify", channel="pigeon", message="hi")
        assert channel.status_code == 422 and "choose one of email" in channel.text
        too_early = ana.act(incident, "refund", amount="5", currency="EUR")
        assert too_early.status_code == 409 and "allowed next" in too_early.text
        assert ana.act(incident, "notify", channel="chat", message="sorry").status_code == 303
        for amount, words in (
            ("abc", "is not an amount"),
            ("-3", "more than 0"),
            ("1.234", "more than 2 decimals"),
            ("NaN", "more than 0"),
            ("1e9", "less than"),
        ):
            bad = ana.act(incident, "refund", amount=amount, currency="EUR", note="kept note")
            assert bad.status_code == 422 and words in bad.text, amount
            assert "kept note" in bad.text  # what was typed is still in the form
        currency = ana.act(incident, "refund", amount="5", currency="XXX")
        assert currency.status_code == 422 and "choose one of EUR" in currency.text
        tracking = ana.act(incident, "replacement", carrier="DHL", tracking="<x>")
        assert tracking.status_code == 422 and "only letters, digits" in tracking.text
        garbage = ana.act(incident, "launch", version="abc")
        assert garbage.status_code == 422 and "nothing was changed" in garbage.text
        assert ana.get("/console/cases/not-a-uuid").status_code == 404
        assert ana.act("00000000-0000-4000-8000-000000000000", "notify", version="0").status_code == 404
        page = ana.get(f"/console/cases/{incident}").text
        assert "Customer notified" in page and page.count("case.transition") == 0
        assert version_of(page) == "1"  # only the one good action moved the case


def test_what_a_station_or_a_person_sent_is_shown_as_text(central: CentralServer, station: httpx.Client) -> None:
    event = f.incident_opened(order_id="SO-<i>9</i>")
    event["payload"]["code"] = XSS_CODE
    event["payload"]["expected"][0]["description"] = XSS_NOTE
    send(station, event)
    incident = str(event["payload"]["incident_id"])
    cleared = f.incident_cleared(incident, order_id="SO-<i>9</i>")
    cleared["payload"]["reason"] = XSS_NOTE
    send(station, cleared)
    with Browser(central) as ana:
        ana.sign_in("ana")
        assert ana.act(incident, "notify", channel="email", message=XSS_CODE, note=XSS_NOTE).status_code == 303
        for page in (ana.get("/console/").text, ana.get(f"/console/cases/{incident}").text):
            assert "<script>alert(1)" not in page and "<img src=x" not in page and "<i>9</i>" not in page
            assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
        case_page = ana.get(f"/console/cases/{incident}").text
        assert "&lt;img src=x onerror=&#34;alert(2)&#34;&gt;&lt;b&gt;bold&lt;/b&gt;" in case_page
        assert case_page.count("<script") == 1  # only the console's own script tag


def test_two_staff_acting_on_one_case_at_once_one_wins_and_the_other_is_told(
    central: CentralServer, station: httpx.Client
) -> None:
    incident = opened(station)
    with Browser(central) as ana, Browser(central) as ben:
        ana.sign_in("ana")
        ben.sign_in("ben")
        seen = version_of(ana.get(f"/console/cases/{incident}").text)
        assert seen == version_of(ben.get(f"/console/cases/{incident}").text)
        assert ana.act(incident, "notify", version=seen, channel="email", message="ana here").status_code == 303
        # Ben's page is stale: the same step would still be... not allowed; a later step from his old page
        # is refused by the version even where the status check alone would let it through.
        lost = ben.act(incident, "resolve", version=seen, note="ben resolves")
        assert lost.status_code == 409
        assert "changed by ana while you were looking" in lost.text and "Customer notified" in lost.text
        assert "ben resolves" in lost.text  # his note is still in the form


def test_simultaneous_clicks_on_one_case_let_exactly_one_through(central: CentralServer, station: httpx.Client) -> None:
    incident = opened(station)
    clients = [Browser(central).sign_in(name) for name in ("ana", "ben", "ana", "ben", "lee", "lee")]
    version = version_of(clients[0].get(f"/console/cases/{incident}").text)
    barrier = threading.Barrier(len(clients))
    codes: list[int] = []

    def click(b: Browser, n: int) -> None:
        barrier.wait()
        codes.append(b.act(incident, "notify", version=version, channel="email", message=f"click {n}").status_code)

    threads = [threading.Thread(target=click, args=(b, n)) for n, b in enumerate(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    for b in clients:
        b.close()
    assert sorted(codes) == [303] + [409] * (len(clients) - 1)
    with httpx.Client(
        base_url=central.base_url, headers={"Authorization": f"Bearer {central.issue_admin_token('ops')}"}
    ) as admin:
        history = admin.get(f"/api/v1/incidents/{incident}").json()["history"]
        assert len([h for h in history if h["kind"] == "case.transition"]) == 1


def test_leads_see_the_kpis_as_tables_charts_and_safe_csv(
    central: CentralServer, station: httpx.Client, clock: Clock
) -> None:
    send(station, f.pack_sealed("SO-1", lines=3), f.pack_sealed("SO-2", lines=1))
    # Three hours ago, but never before today's UTC midnight: between 00:00 and 03:00 it fell on yesterday
    # and the day's row counted one incident.
    midnight = datetime.combine(clock().date(), time(0), tzinfo=UTC)
    formula = f.incident_opened(order_id="SO-1", detected_at=max(f.hours_ago(3), midnight))
    formula["payload"]["code"] = '=HYPERLINK("http://evil")'
    send(station, formula, f.incident_opened(order_id="SO-2", kind="short"))
    with Browser(central) as lee:
        lee.sign_in("lee")
        page = lee.get("/console/kpis").text
        assert "Per day (all stations)" in page and "Per station on" in page and "Root causes" in page
        assert page.count("<svg") >= 3 and "<rect" in page
        station_row = page.split('<th scope="row">ST-1</th>')[1].split("</tr>")[0]
        assert "<td>2</td>" in station_row and "<td>4</td>" in station_row  # 2 orders, 4 lines
        today = clock().date()
        days = list(csv.reader(io.StringIO(lee.get("/console/kpis.csv?table=days").text)))
        assert days[0][:4] == ["Day", "orders_packed", "order_lines", "incidents"]
        assert days[-1][:4] == [today.isoformat(), "2", "4", "2"] and len(days) == 8
        answer = lee.get("/console/kpis.csv?table=code")
        assert (
            answer.headers["content-type"].startswith("text/csv")
            and "attachment" in answer.headers["content-disposition"]
        )
        codes = list(csv.reader(io.StringIO(answer.text)))
        assert ['\'=HYPERLINK("http://evil")', "1"] in codes  # a spreadsheet shows it, does not run it
        kinds = dict(csv.reader(io.StringIO(lee.get("/console/kpis.csv?table=kind").text)))
        assert kinds["wrong_item"] == "1" and kinds["short"] == "1"
        hours = list(csv.reader(io.StringIO(lee.get("/console/kpis.csv?table=hour").text)))
        assert len(hours) == 25 and sum(int(n) for _, n in hours[1:]) == 2
        assert lee.get("/console/kpis.csv?table=nope").status_code == 422
        bad_day = lee.get("/console/kpis?day=2026-13-45")
        assert bad_day.status_code == 200 and "is not a day" in bad_day.text
        assert lee.get("/console/kpis?day=0001-01-01").status_code == 200
        yesterday = (today - timedelta(days=1)).isoformat()
        assert lee.get(f"/console/kpis?day={yesterday}").status_code == 200
