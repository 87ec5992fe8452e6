"""Helpers of the console tests: a settable clock, staff accounts straight into the database, and a
browser-like HTTP client that signs in through the real form (cookie + CSRF token from the page)."""

from __future__ import annotations

import re
import threading
from datetime import UTC, datetime, timedelta

import httpx

from sync.server.console import auth
from tests.central.server import CentralServer

PASSWORD = "correct horse battery"
_CSRF = re.compile(r'name="csrf" value="([^"]+)"')
_VERSION = re.compile(r'name="version" value="(\d+)"')


class Clock:
    """``now`` for the service; tests move it on to reach timeouts without waiting."""

    def __init__(self, start: datetime | None = None) -> None:
        self._now = start or datetime.now(UTC)
        self._lock = threading.Lock()

    def __call__(self) -> datetime:
        with self._lock:
            return self._now

    def advance(self, **kw: float) -> None:
        with self._lock:
            self._now += timedelta(**kw)


def add_staff(central: CentralServer, name: str, role: str, password: str = PASSWORD) -> None:
    with central._sessions() as s:  # the same database the service uses, as `packgate-central staff add`
        auth.add_staff(s, name, role, password, datetime.now(UTC))
        s.commit()


def csrf_of(html: str) -> str:
    found = _CSRF.search(html)
    assert found, "no CSRF field on the page"
    return found.group(1)


def version_of(html: str) -> str:
    found = _VERSION.search(html)
    assert found, "no version field on the page"
    return found.group(1)


class Browser(httpx.Client):
    """Keeps cookies like a browser; does not follow redirects so tests can see them."""

    def __init__(self, central: CentralServer, **kw: object) -> None:
        super().__init__(base_url=central.base_url, timeout=30, follow_redirects=False, **kw)  # type: ignore[arg-type]
        self.csrf = ""

    def try_sign_in(self, name: str, password: str = PASSWORD) -> httpx.Response:
        form = self.get("/console/sign-in")
        assert form.status_code == 200
        return self.post(
            "/console/sign-in",
            data={"name": name, "password": password, "csrf": csrf_of(form.text), "next": "/console/"},
        )

    def sign_in(self, name: str, password: str = PASSWORD) -> Browser:
        answer = self.try_sign_in(name, password)
        assert answer.status_code == 303, answer.text
        self.csrf = csrf_of(self.get("/console/").text)
        return self

    def act(self, incident_id: str, action: str, version: str | None = None, **fields: str) -> httpx.Response:
        if version is None:
            version = version_of(self.get(f"/console/cases/{incident_id}").text)
        data = {"csrf": self.csrf, "action": action, "version": version, **fields}
        return self.post(f"/console/cases/{incident_id}/actions", data=data)
