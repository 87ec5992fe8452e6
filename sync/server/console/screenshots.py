"""Screenshots of the console with demo data, taken by a real browser:

    python -m sync.server.console.screenshots --out docs/screenshots [--chromium /usr/bin/chromium]

Starts the central service on 127.0.0.1 (a temporary SQLite file filled by ``demo.seed``), signs in
with Playwright driving the system Chromium (no browser download), and saves ``central-queue.png``,
``central-case.png`` (with its evidence image), ``central-kpis.png``, ``central-webhooks.png`` and
``central-webhook-log.png`` (two endpoints: a receiver on 127.0.0.1 that accepts everything, and one
whose port is closed). Playwright is a test extra (``pip install -e '.[test]'``).
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
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
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
def demo_server(
    db_url: str, *, role: str = "lead", blob_dir: Path | None = None, webhook_urls: tuple[str, ...] = ()
) -> Iterator[str]:
    """Seed ``db_url`` with demo data and a staff member, serve it, yield the base URL. With ``blob_dir``
    every incident gets an evidence image; each of ``webhook_urls`` is registered before the data, so
    the demo's events are queued for it and the service's dispatcher delivers them."""
    import uvicorn

    from sync.server import webhooks
    from sync.server.app import create_app
    from sync.server.blobs import FileBlobStore
    from sync.server.console import auth, demo, demo_evidence
    from sync.server.db import make_engine, make_session_factory, upgrade

    blobs = FileBlobStore(blob_dir) if blob_dir is not None else None
    engine = make_engine(db_url)
    upgrade(engine)
    with make_session_factory(engine)() as session:
        now = datetime.now(UTC)
        for url in webhook_urls:
            webhooks.add_webhook(session, url, list(webhooks.EVENT_TYPES), now=now)
        session.commit()
        demo.seed(session, now)
        if blobs is not None:
            demo_evidence.seed_evidence(session, blobs, now)
        auth.add_staff(session, DEMO_USER, role, DEMO_PASSWORD, now)
        session.commit()
    engine.dispose()
    port = _free_port()
    app = create_app(db_url, blobs=blobs)
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
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


class _Accepting(BaseHTTPRequestHandler):
    """A shop's webhook endpoint for the demo: answers 204 to everything."""

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self.send_response(204)
        self.end_headers()

    def log_message(self, fmt: str, *args: object) -> None:
        logger.debug("demo receiver: " + fmt, *args)


def sign_in(page: object, base_url: str, name: str = DEMO_USER, password: str = DEMO_PASSWORD) -> None:
    page.goto(base_url + "/console/")  # type: ignore[attr-defined]
    page.fill("input[name=name]", name)  # type: ignore[attr-defined]
    page.fill("input[name=password]", password)  # type: ignore[attr-defined]
    page.click("button:has-text('Sign in')")  # type: ignore[attr-defined]
    page.wait_for_selector("h1:has-text('Case queue')")  # type: ignore[attr-defined]


def take(out: Path, chromium: str) -> list[Path]:
    from playwright.sync_api import sync_playwright

    out.mkdir(parents=True, exist_ok=True)
    saved: list[Path] = []

    def shot(name: str, *, full_page: bool = True) -> None:
        path = out / name
        page.screenshot(path=str(path), full_page=full_page)
        saved.append(path)

    receiver = ThreadingHTTPServer(("127.0.0.1", 0), _Accepting)
    threading.Thread(target=receiver.serve_forever, name="demo-receiver", daemon=True).start()
    urls = (f"http://127.0.0.1:{receiver.server_address[1]}/hooks/packgate", f"http://127.0.0.1:{_free_port()}/down")
    with (
        tempfile.TemporaryDirectory() as tmp,
        demo_server(f"sqlite:///{tmp}/central.db", blob_dir=Path(tmp) / "blobs", webhook_urls=urls) as base_url,
        sync_playwright() as pw,
    ):
        browser = pw.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 1440, "height": 1250}, device_scale_factor=1)
        sign_in(page, base_url)
        shot("central-queue.png", full_page=False)
        # An overdue case that was cleared at the bench shows the most.
        page.click("tr.late a.case-link >> nth=0")
        page.wait_for_selector("img.evidence")
        page.wait_for_function("document.querySelector('img.evidence').complete")
        shot("central-case.png")
        page.goto(base_url + "/console/kpis")
        page.wait_for_selector("h2:has-text('Per day')")
        shot("central-kpis.png")
        deadline = time.monotonic() + 30  # the dispatcher works through the demo's events
        while time.monotonic() < deadline:
            page.goto(base_url + "/console/webhooks")
            if page.locator("table.webhooks tr >> nth=1 >> td >> nth=4").inner_text() == "0":
                break
            time.sleep(0.5)
        shot("central-webhooks.png")
        page.click("text=Delivery log >> nth=1")
        page.wait_for_selector("h1:has-text('Delivery log')")
        shot("central-webhook-log.png", full_page=False)
        browser.close()
    receiver.shutdown()
    receiver.server_close()
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
