"""The console's sign-in, sessions, CSRF, roles, lockout and idle timeout, over real HTTP (uvicorn on
127.0.0.1), on SQLite and PostgreSQL."""

from __future__ import annotations

import io
import shutil
import ssl
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from sync.server import cli
from sync.server.console import auth
from tests.central.console_helpers import PASSWORD, Browser, Clock, add_staff, csrf_of
from tests.central.server import CentralServer, run_central

CONSOLE_GETS = [
    "/console/",
    "/console/kpis",
    "/console/kpis.csv",
    "/console/staff",
    "/console/tokens",
    "/console/webhooks",
]


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def central(db_url: str, clock: Clock) -> Iterator[CentralServer]:
    # A large per-address budget: these tests fail sign-ins on purpose, from one address.
    with run_central(db_url, clock=clock, app_options={"auth_burst": 1000}) as server:
        add_staff(server, "ana", "service")
        add_staff(server, "lee", "lead")
        add_staff(server, "adm", "admin")
        yield server


@pytest.mark.parametrize("path", [*CONSOLE_GETS, "/console/cases/00000000-0000-4000-8000-000000000000"])
def test_an_unauthenticated_request_to_any_console_page_is_sent_to_sign_in(central: CentralServer, path: str) -> None:
    with Browser(central) as b:
        answer = b.get(path)
        assert answer.status_code == 303
        assert answer.headers["location"].startswith("/console/sign-in?next=%2Fconsole%2F")
        assert b.get(answer.headers["location"]).status_code == 200
        assert b.get("/").headers["location"] == "/console/"


def test_station_and_admin_tokens_do_not_open_the_console(central: CentralServer) -> None:
    admin_token = central.issue_admin_token("ana")  # even an admin token named like a staff member
    station_token = central.issue_station_token("ST-1", site="SITE-A")
    for token in (admin_token, station_token):
        with Browser(central, headers={"Authorization": f"Bearer {token}"}) as b:
            assert b.get("/console/").status_code == 303  # the bearer header is ignored
            assert b.get("/api/v1/health").status_code == 200
        with Browser(central) as b:
            b.cookies.set("pg_console", token, path="/console")  # nor is a token a session cookie
            assert b.get("/console/").status_code == 303
            refused = b.try_sign_in("ana", token)  # nor a password
            assert refused.status_code == 401 and "Wrong name or password" in refused.text


def test_sign_in_sets_a_hardened_cookie_and_sign_out_ends_the_session_on_the_server(central: CentralServer) -> None:
    with Browser(central) as b:
        answer = b.try_sign_in("ana")
        assert answer.status_code == 303 and answer.headers["location"] == "/console/"
        cookie = next(c for c in answer.headers.get_list("set-cookie") if c.startswith("pg_console="))
        assert "HttpOnly" in cookie and "SameSite=lax" in cookie and "Path=/console" in cookie
        assert "Secure" not in cookie  # plain http on 127.0.0.1: a Secure cookie would never come back
        page = b.get("/console/")
        assert page.status_code == 200 and "ana" in page.text
        assert page.headers["content-security-policy"].startswith("default-src 'self'")
        stolen = b.cookies.get("pg_console")
        assert b.post("/console/sign-out", data={"csrf": csrf_of(page.text)}).status_code == 303
    with Browser(central) as thief:
        thief.cookies.set("pg_console", stolen or "", path="/console")
        assert thief.get("/console/").status_code == 303  # the server ended it, whatever the browser keeps


def test_the_session_cookie_is_secure_under_https(db_url: str, tmp_path: Path) -> None:
    if shutil.which("openssl") is None:
        pytest.skip("openssl is needed to make a test certificate")
    key, cert = tmp_path / "key.pem", tmp_path / "cert.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
        + ["-keyout", str(key), "-out", str(cert), "-days", "1", "-subj", "/CN=127.0.0.1"]
        + ["-addext", "subjectAltName=IP:127.0.0.1"],
        check=True,
        capture_output=True,
        timeout=30,
    )
    with run_central(db_url, ssl_certfile=str(cert), ssl_keyfile=str(key)) as server:
        add_staff(server, "ana", "service")
        with Browser(server, verify=ssl.create_default_context(cafile=str(cert))) as b:
            answer = b.try_sign_in("ana")
            cookie = next(c for c in answer.headers.get_list("set-cookie") if c.startswith("pg_console="))
            assert answer.status_code == 303 and "Secure" in cookie and "HttpOnly" in cookie


def _console_posts(central: CentralServer) -> list[str]:
    from sync.server.app import create_app

    app = create_app(central.db_url, migrate=False)
    # Every route of the app, included routers unfolded (FastAPI keeps them as wrappers of their router).
    stack, paths = list(app.routes), []
    while stack:
        route = stack.pop()
        inner = getattr(route, "original_router", None)
        if inner is not None:
            stack.extend(inner.routes)  # their paths already carry the router's prefix
            continue
        path = getattr(route, "path", "")
        if path.startswith("/console/") and "POST" in getattr(route, "methods", set()) and path != "/console/sign-in":
            paths.append(path.replace("{incident_id}", "00000000-0000-4000-8000-000000000000"))
    return sorted(paths)


def test_every_console_form_refuses_a_missing_or_wrong_csrf_token(central: CentralServer) -> None:
    posts = _console_posts(central)
    assert set(posts) >= {
        "/console/sign-out",
        "/console/staff",
        "/console/tokens",
        "/console/tokens/revoke",
        "/console/webhooks",
        "/console/webhooks/remove",
    }
    with Browser(central) as b:
        b.sign_in("adm")
        for path in posts:
            for token in ({}, {"csrf": "forged"}, {"csrf": b.csrf + "x"}):
                answer = b.post(path, data={**token, "name": "eve", "role": "admin", "password": "x" * 12})
                assert answer.status_code == 403, path
                assert "nothing was changed" in answer.text
        assert b.get("/console/").status_code == 200  # still signed in: sign-out was refused too
        assert "eve" not in b.get("/console/staff").text
    with Browser(central) as b:  # the sign-in form: double-submit cookie
        b.get("/console/sign-in")
        forged = b.post("/console/sign-in", data={"name": "ana", "password": PASSWORD, "csrf": "forged"})
        assert forged.status_code == 403 and "pg_console=" not in forged.headers.get("set-cookie", "")


def test_roles_decide_which_pages_open(central: CentralServer) -> None:
    expected = {
        "ana": {
            "/console/": 200,
            "/console/kpis": 403,
            "/console/kpis.csv": 403,
            "/console/staff": 403,
            "/console/tokens": 403,
            "/console/webhooks": 403,
        },
        "lee": {
            "/console/": 200,
            "/console/kpis": 200,
            "/console/kpis.csv": 200,
            "/console/staff": 403,
            "/console/tokens": 403,
            "/console/webhooks": 200,
        },
        "adm": {
            "/console/": 200,
            "/console/kpis": 200,
            "/console/kpis.csv": 200,
            "/console/staff": 200,
            "/console/tokens": 200,
            "/console/webhooks": 200,
        },
    }
    for name, pages in expected.items():
        with Browser(central) as b:
            b.sign_in(name)
            got = {path: b.get(path).status_code for path in pages}
            assert got == pages, name
            refused = b.get("/console/staff")
            if refused.status_code == 403:
                assert "This page is for the admin role" in refused.text
    with Browser(central) as b:  # a service user cannot post to admin forms either
        b.sign_in("ana")
        add = b.post(
            "/console/staff",
            data={"csrf": b.csrf, "name": "eve", "role": "admin", "password": "x" * 12, "password2": "x" * 12},
        )
        assert add.status_code == 403
    with central._sessions() as s:
        assert "eve" not in {p.name for p in auth.list_staff(s)}


def test_repeated_failures_lock_the_account_even_when_the_guesses_come_in_parallel(
    central: CentralServer, clock: Clock
) -> None:
    guesses = 16
    barrier = threading.Barrier(guesses)
    answers: list[httpx.Response] = []

    def guess(n: int) -> None:
        with Browser(central) as b:
            form = b.get("/console/sign-in")
            barrier.wait()
            answers.append(
                b.post(
                    "/console/sign-in", data={"name": "ana", "password": f"wrong guess {n}", "csrf": csrf_of(form.text)}
                )
            )

    threads = [threading.Thread(target=guess, args=(n,)) for n in range(guesses)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    checked = [a for a in answers if "Wrong name or password" in a.text]
    locked = [a for a in answers if "locked" in a.text]
    assert len(checked) == auth.MAX_FAILED and len(locked) == guesses - auth.MAX_FAILED
    with Browser(central) as b:
        still = b.try_sign_in("ana")  # the right password does not open a locked account
        assert still.status_code == 401 and "locked for 15 minutes" in still.text
        clock.advance(minutes=16)
        assert b.try_sign_in("ana").status_code == 303  # the lock runs out
    with Browser(central) as b:  # a success starts the count afresh
        for _ in range(auth.MAX_FAILED - 1):
            assert "Wrong name" in b.try_sign_in("ana", "nope nope nope").text
        assert b.try_sign_in("ana").status_code == 303


def test_failed_sign_ins_from_one_address_spend_its_budget_across_names(db_url: str) -> None:
    with run_central(db_url, app_options={"auth_burst": 3, "auth_per_second": 0.001}) as server:
        add_staff(server, "ana", "service")
        with Browser(server) as b:
            for name in ("ana", "bob", "cy"):  # password spraying: one guess per name
                assert b.try_sign_in(name, "Winter2026!!").status_code == 401
            sprayed = b.try_sign_in("ana")  # even the right password waits now
            assert sprayed.status_code == 429 and "Too many failed sign-ins from this address" in sprayed.text
            token = server.issue_station_token("ST-1")
            api = b.get("/api/v1/site/incidents", headers={"Authorization": f"Bearer {token}"})
            assert api.status_code == 429  # one budget for the address, API and console


def test_the_favicon_a_browser_asks_for_does_not_spend_the_failed_authentication_budget(db_url: str) -> None:
    with run_central(db_url, app_options={"auth_burst": 3, "auth_per_second": 0.001}) as server:
        token = server.issue_station_token("ST-1")
        with Browser(server) as b:
            for _ in range(10):
                icon = b.get("/favicon.ico")
                assert icon.status_code == 301 and icon.headers["location"].endswith("/static/favicon.svg")
            assert b.get("/console/static/favicon.svg").status_code == 200
            api = b.get("/api/v1/site/incidents", headers={"Authorization": f"Bearer {token}"})
            assert api.status_code == 200


def test_an_idle_session_is_signed_out_and_an_active_one_is_not(central: CentralServer, clock: Clock) -> None:
    with Browser(central) as b:
        b.sign_in("ana")
        for _ in range(3):  # 3 x 25 min of activity: longer than the timeout in total, never idle that long
            clock.advance(minutes=25)
            assert b.get("/console/").status_code == 200
        clock.advance(minutes=31)
        answer = b.get("/console/")
        assert answer.status_code == 303 and "sign-in" in answer.headers["location"]
        clock.advance(minutes=-31)  # the row was ended: turning the clock back does not revive it
        assert b.get("/console/").status_code == 303


def test_disabling_a_person_ends_their_open_sessions(central: CentralServer) -> None:
    with Browser(central) as ana, Browser(central) as admin:
        ana.sign_in("ana")
        admin.sign_in("adm")
        assert admin.post("/console/staff/disable", data={"csrf": admin.csrf, "name": "ana"}).status_code == 303
        assert ana.get("/console/").status_code == 303
        assert "Wrong name or password" in ana.try_sign_in("ana").text
        assert "disabled" in admin.get("/console/staff").text


def test_admins_add_staff_and_issue_and_revoke_station_tokens_in_the_console(central: CentralServer) -> None:
    with Browser(central) as admin:
        admin.sign_in("adm")
        differ = admin.post(
            "/console/staff",
            data={"csrf": admin.csrf, "name": "bo", "role": "service", "password": "a" * 12, "password2": "b" * 12},
        )
        assert differ.status_code == 422 and "The two passwords differ" in differ.text
        short = admin.post(
            "/console/staff",
            data={"csrf": admin.csrf, "name": "bo", "role": "service", "password": "short", "password2": "short"},
        )
        assert short.status_code == 422 and "at least 10 characters" in short.text
        ok = admin.post(
            "/console/staff",
            data={"csrf": admin.csrf, "name": "bo", "role": "service", "password": PASSWORD, "password2": PASSWORD},
        )
        assert ok.status_code == 303
        issued = admin.post(
            "/console/tokens", data={"csrf": admin.csrf, "kind": "station", "subject": "ST-9", "site": "SITE-B"}
        )
        assert issued.status_code == 200 and "it is not shown again" in issued.text
        secret = issued.text.split('class="secret code">')[1].split("<")[0]
        token_id = issued.text.split("Issued station token <b>")[1].split("<")[0]
        api = httpx.get(central.base_url + "/api/v1/site/incidents", headers={"Authorization": f"Bearer {secret}"})
        assert api.status_code == 200
        assert secret not in admin.get("/console/tokens").text  # shown once
        bad = admin.post("/console/tokens", data={"csrf": admin.csrf, "kind": "station", "subject": "bad id!"})
        assert bad.status_code == 422 and "invalid station id" in bad.text
        assert admin.post("/console/tokens/revoke", data={"csrf": admin.csrf, "token_id": token_id}).status_code == 303
        api = httpx.get(central.base_url + "/api/v1/site/incidents", headers={"Authorization": f"Bearer {secret}"})
        assert api.status_code == 401
    with Browser(central) as bo:
        bo.sign_in("bo")


def test_staff_commands_add_list_and_disable(
    db_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORD + "\n"))
    assert cli.main(["staff", "add", "mia", "--role", "lead", "--password-stdin", "--db", db_url]) == 0
    monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORD + "\n"))
    assert cli.main(["staff", "add", "mia", "--role", "lead", "--password-stdin", "--db", db_url]) == 1
    assert "already a staff member called 'mia'" in capsys.readouterr().err
    monkeypatch.setattr("sys.stdin", io.StringIO("short\n"))
    assert cli.main(["staff", "add", "kai", "--role", "service", "--password-stdin", "--db", db_url]) == 1
    assert "at least 10 characters" in capsys.readouterr().err
    monkeypatch.setattr("sys.stdin", io.StringIO(""))  # not a terminal and no --password-stdin
    assert cli.main(["staff", "add", "kai", "--role", "service", "--db", db_url]) == 1
    assert "--password-stdin" in capsys.readouterr().err
    assert cli.main(["staff", "list", "--db", db_url]) == 0
    listed = capsys.readouterr().out
    assert "mia\tlead\tactive" in listed and "kai" not in listed and PASSWORD not in listed
    assert cli.main(["staff", "disable", "mia", "--db", db_url]) == 0
    assert cli.main(["staff", "disable", "nobody", "--db", db_url]) == 1
    assert cli.main(["staff", "list", "--db", db_url]) == 0
    assert "mia\tlead\tdisabled" in capsys.readouterr().out
    with run_central(db_url) as server, Browser(server) as b:
        assert "Wrong name or password" in b.try_sign_in("mia").text
