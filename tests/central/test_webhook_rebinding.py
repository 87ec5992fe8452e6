"""DNS rebinding against webhook targets: a name that answers a public address to the check and 127.0.0.1 to
the connection must never reach 127.0.0.1. The DNS answer is the only thing replaced (``socket.getaddrinfo``
for the test's own names; every other name resolves as usual); central, its dispatcher, the receiver and
the HTTP between them are real."""

from __future__ import annotations

import shutil
import socket
import ssl
import subprocess
import threading
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
import pytest

from sync.server.blobs import FileBlobStore
from sync.server.dispatch import RetryPolicy
from sync.server.webhook_targets import PinnedTransport
from tests.central.receiver import Receiver
from tests.central.server import run_central
from tests.central.test_webhooks import SECRET, add_webhook, deliveries, post_incidents, wait_until

# A global address (Google's public DNS over IPv6, on a port it does not serve): what a rebinding name
# answers first. Whether this machine can reach it does not matter; the attempt fails either way.
PUBLIC = "2001:4860:4860::8888"
TWO_TRIES = RetryPolicy(first_delay_s=0.05, factor=2.0, max_delay_s=0.1, max_attempts=2, timeout_s=1.0)


class Dns:
    """Answers for the test's names (``answers(n)`` gives the n-th lookup's address); others as usual."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, names: dict[str, Callable[[int], str]]) -> None:
        self.names = names
        self.lookups: dict[str, int] = dict.fromkeys(names, 0)
        self._lock = threading.Lock()
        real = socket.getaddrinfo

        def getaddrinfo(host: Any, port: Any, *args: Any, **kw: Any) -> list[Any]:
            name = host.decode() if isinstance(host, bytes) else host
            if name not in self.names:
                return real(host, port, *args, **kw)
            with self._lock:
                self.lookups[name] += 1
                address = self.names[name](self.lookups[name])
            family = socket.AF_INET6 if ":" in address else socket.AF_INET
            sockaddr = (address, int(port), 0, 0) if family == socket.AF_INET6 else (address, int(port))
            return [(family, socket.SOCK_STREAM, socket.IPPROTO_TCP, "", sockaddr)]

        monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)


def test_a_name_answering_public_then_loopback_never_reaches_loopback(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    dns = Dns(monkeypatch, {"rebind.test": lambda n: PUBLIC if n % 2 else "127.0.0.1"})
    db_url = f"sqlite:///{tmp_path / 'c.db'}"
    options = {"webhook_policy": TWO_TRIES, "webhook_private_targets": False, "blobs": FileBlobStore(tmp_path / "b")}
    with run_central(db_url, app_options=options) as central, Receiver(SECRET) as receiver:
        port = receiver.url.split(":")[2].split("/")[0]
        add_webhook(db_url, f"http://rebind.test:{port}/hooks/packgate", "incident.opened", capsys)
        token = central.issue_station_token("ST-1")
        with httpx.Client(base_url=central.base_url, headers={"Authorization": f"Bearer {token}"}) as station:
            post_incidents(station, 1, order="SO-REBIND")
        wait_until(lambda: {d.status for d in deliveries(db_url)} & {"failed", "delivered"}, 30, "the outcome")
        assert receiver.all() == [], "a connection went to the loopback answer"
        assert {d.status for d in deliveries(db_url)} == {"failed"}
    # One lookup per attempt: the address checked is the address connected to (the 1st answer, public,
    # was tried and failed; the 2nd, loopback, was refused without a connection).
    assert dns.lookups["rebind.test"] == 2
    (failed,) = deliveries(db_url)
    assert failed.attempts == 2
    assert "refused: rebind.test resolves to 127.0.0.1, not a public address" in (failed.last_error or "")


# ------------------------------------------------------------------ the pinned connection keeps the name


def _openssl(*args: str | Path) -> None:
    subprocess.run(["openssl", *map(str, args)], check=True, capture_output=True, timeout=30)


@pytest.fixture(scope="module")
def shop_cert(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Path]:
    """(CA, certificate for DNS:shop.test, key)."""
    if shutil.which("openssl") is None:
        pytest.skip("the openssl command is needed to make the test certificates")
    d = tmp_path_factory.mktemp("shop-pki")
    ca_key, ca, key, csr, cert, ext = (d / n for n in ("ca.key", "ca.pem", "s.key", "s.csr", "s.pem", "s.ext"))
    ec = ("-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes")
    _openssl("req", "-x509", *ec, "-keyout", ca_key, "-out", ca, "-days", "2", "-subj", "/CN=Shop test CA",
             "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign")  # fmt: skip
    _openssl("req", *ec, "-keyout", key, "-out", csr, "-subj", "/CN=shop.test")
    ext.write_text("basicConstraints=critical,CA:FALSE\nextendedKeyUsage=serverAuth\nsubjectAltName=DNS:shop.test\n")
    _openssl("x509", "-req", "-in", csr, "-CA", ca, "-CAkey", ca_key, "-CAcreateserial", "-out", cert,
             "-days", "2", "-extfile", ext)  # fmt: skip
    return ca, cert, key


@pytest.fixture
def shop(shop_cert: tuple[Path, Path, Path]) -> Iterator[tuple[int, list[tuple[str | None, str]]]]:
    """An HTTPS server on 127.0.0.1 with shop.test's certificate; records (SNI, Host) of each request."""
    _ca, cert, key = shop_cert
    seen: list[tuple[str | None, str]] = []
    sni: dict[int, str | None] = {}

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            self.rfile.read(int(self.headers.get("Content-Length") or 0))
            seen.append((sni.get(id(self.connection)), self.headers.get("Host", "")))
            self.send_response(204)
            self.end_headers()

        def log_message(self, *_: object) -> None:
            pass

    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    context.sni_callback = lambda sock, name, _ctx: sni.__setitem__(id(sock), name)  # type: ignore[assignment,func-returns-value]
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.server_address[1], seen
    finally:
        server.shutdown()
        server.server_close()


def test_the_pinned_connection_keeps_host_sni_and_the_certificate_check_on_the_name(
    monkeypatch: pytest.MonkeyPatch, shop: tuple[int, list[tuple[str | None, str]]], shop_cert: tuple[Path, ...]
) -> None:
    port, seen = shop
    dns = Dns(monkeypatch, {"shop.test": lambda _n: "127.0.0.1", "impostor.test": lambda _n: "127.0.0.1"})
    trust = ssl.create_default_context(cafile=str(shop_cert[0]))
    with httpx.Client(transport=PinnedTransport(allow_private=True, verify=trust)) as http:
        assert http.post(f"https://shop.test:{port}/hook", content=b"{}").status_code == 204
        with pytest.raises(httpx.ConnectError, match="CERTIFICATE_VERIFY_FAILED|match"):
            http.post(f"https://impostor.test:{port}/hook", content=b"{}")  # same address, not its certificate
    assert seen == [("shop.test", f"shop.test:{port}")]
    assert dns.lookups == {"shop.test": 1, "impostor.test": 1}  # looked up once each, by the transport
    with httpx.Client(transport=PinnedTransport(verify=trust)) as strict:
        with pytest.raises(httpx.ConnectError, match="not a public address"):
            strict.post(f"https://shop.test:{port}/hook", content=b"{}")
    assert len(seen) == 1
