"""A webhook receiver for tests: a real HTTP server on 127.0.0.1 that checks each request's signature the way
sync/PROTOCOL.md tells an integrator to (written here from the protocol, not by calling our own
``verify_signature``), answers as ``behave(event_id, attempt)`` says, and counts what it got."""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

logger = logging.getLogger(__name__)

OK, FAIL, HANG = "ok", "500", "hang"
TRICKLE = "trickle"  # 200 at once, then a byte of an endless body every 0.1 s
Behave = Callable[[str, int], str]


@dataclass(frozen=True)
class Received:
    event_id: str
    event_type: str
    signature_ok: bool
    idempotency_key: str
    answered: str
    body: dict
    at: float
    signature: str = ""  # the header as sent
    raw: bytes = b""  # the body as sent


def signature_ok(secret: str, header: str, raw: bytes, tolerance: float = 300) -> bool:
    """Any ``v1`` of the header may match (two are sent while a rotated secret overlaps)."""
    fields = [part.split("=", 1) for part in header.split(",") if "=" in part]
    stamps = [v for k, v in fields if k == "t"]
    sigs = [v for k, v in fields if k == "v1"]
    if len(stamps) != 1 or not sigs or abs(time.time() - int(stamps[0])) > tolerance:
        return False
    mac = hmac.new(secret.encode(), stamps[0].encode() + b"." + raw, hashlib.sha256).hexdigest()
    return any(hmac.compare_digest(mac, s) for s in sigs)


class Receiver:
    def __init__(self, secret: str, behave: Behave = lambda _e, _n: OK, hang_s: float = 5.0) -> None:
        self.secret = secret
        self.behave = behave
        self.hang_s = hang_s
        self.received: list[Received] = []
        self.attempts = Counter[str]()
        self._lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                body = json.loads(raw)
                with receiver._lock:
                    receiver.attempts[body["id"]] += 1
                    attempt = receiver.attempts[body["id"]]
                fate = receiver.behave(body["id"], attempt)
                header = self.headers.get("PackGate-Signature", "")
                ok = signature_ok(receiver.secret, header, raw)
                with receiver._lock:
                    receiver.received.append(
                        Received(
                            body["id"],
                            body["type"],
                            ok,
                            self.headers.get("Idempotency-Key", ""),
                            fate,
                            body,
                            time.monotonic(),
                            header,
                            raw,
                        )
                    )
                if fate == HANG:
                    time.sleep(receiver.hang_s)
                if fate == TRICKLE:
                    self._trickle(receiver.hang_s)
                    return
                status = 200 if fate == OK and ok else (401 if not ok else 500)
                try:
                    self.send_response(status)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                except OSError:  # the sender gave up waiting (its timeout): nobody to answer
                    pass

            def _trickle(self, seconds: float) -> None:
                try:
                    self.send_response(200)
                    self.send_header("Content-Length", str(10**9))
                    self.end_headers()
                    until = time.monotonic() + seconds
                    while time.monotonic() < until:
                        self.wfile.write(b".")
                        self.wfile.flush()
                        time.sleep(0.1)
                except OSError:  # the sender stopped reading
                    pass
                self.close_connection = True

            def log_message(self, fmt: str, *args: object) -> None:
                logger.debug("receiver: " + fmt, *args)

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}/hooks/packgate"
        self._thread = threading.Thread(target=self._server.serve_forever, name="test-webhook-receiver", daemon=True)

    def delivered(self) -> set[str]:
        """Event ids answered 200 with a good signature."""
        with self._lock:
            return {r.event_id for r in self.received if r.answered == OK and r.signature_ok}

    def all(self) -> list[Received]:
        with self._lock:
            return list(self.received)

    def __enter__(self) -> Receiver:
        self._thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(10)
