"""Screenshots of the console with demo data, taken by a real browser:

    python -m sync.server.console.screenshots --out docs/screenshots [--chromium /usr/bin/chromium]

Starts the central service on 127.0.0.1 (a temporary SQLite file filled by ``demo.seed``), signs in
with Playwright driving the system Chromium (no browser download), and saves ``central-queue.png``,
``central-case.png`` and ``central-kpis.png``. Playwright is a test extra (``pip install -e '.[test]'``).
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import socket
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

logger = logging.getLogger(__name__)

DEMO_USER = "demo.lead"
DEMO_PASSWORD = "demo password 13"
DEFAULT_CHROMIUM = "/usr/bin/chromium"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextlib.contextmanager
def demo_server(db_url: str, *, role: str = "lead") -> Iterator[str]:
    """Seed ``db_url`` with demo data and a staff member, serve it, yield the base URL."""
    import uvicorn

    from sync.server.app import create_app
    from sync.server.console import auth, demo
    from sync.server.db import make_engine, make_session_factory, upgrade

    engine = make_engine(db_url)
    upgrade(engine)
    with make_session_factory(engine)() as session:
        now = datetime.now(UTC)
        demo.seed(session, now)
        auth.add_staff(session, DEMO_USER, role, DEMO_PASSWORD, now)
        session.commit()
    engine.dispose()
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(db_url), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, name="console-screenshots", daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("the central service did not start")
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(20)


def sign_in(page: object, base_url: str, name: str = DEMO_USER, password: str = DEMO_PASSWORD) -> None:
    page.goto(base_url + "/console/")  # type: ignore[attr-defined]
    page.fill("input[name=name]", name)  # type: ignore[attr-defined]
    page.fill("input[name=password]", password)  # type: ignore[attr-defined]
    page.click("button:has-text('Sign in')")  # type: ignore[attr-defined]
    page.wait_for_selector("h1:has-text('Case queue')")  # type: ignore[attr-defined]


def take(out: Path, chromium: str) -> list[Path]:
    from playwright.sync_api import sync_playwright

    out.mkdir(parents=True, exist_ok=True)
    saved = []
    with tempfile.TemporaryDirectory() as tmp, demo_server(f"sqlite:///{tmp}/central.db") as base_url:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
            page = browser.new_page(viewport={"width": 1440, "height": 1250}, device_scale_factor=1)
            sign_in(page, base_url)
            path = out / "central-queue.png"
            page.screenshot(path=str(path))
            saved.append(path)
            # An overdue case that was cleared at the bench shows the most.
            page.click("tr.late a.case-link >> nth=0")
            page.wait_for_selector("h2:has-text('History')")
            path = out / "central-case.png"
            page.screenshot(path=str(path), full_page=True)
            saved.append(path)
            page.goto(base_url + "/console/kpis")
            page.wait_for_selector("h2:has-text('Per day')")
            path = out / "central-kpis.png"
            page.screenshot(path=str(path), full_page=True)
            saved.append(path)
            browser.close()
    return saved


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path("docs/screenshots"))
    parser.add_argument("--chromium", default=DEFAULT_CHROMIUM, help="the browser to drive (default %(default)s)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    if not Path(args.chromium).exists():
        logger.error("no browser at %s: install Debian's chromium (./dev setup does) or pass --chromium", args.chromium)
        return 1
    for path in take(args.out, args.chromium):
        logger.info("saved %s", path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
