"""Limits applied before any work: the token is checked, failed attempts are rate-limited and the body
is capped *before* FastAPI reads or parses anything.

``GuardMiddleware`` is plain ASGI (no ``BaseHTTPMiddleware``, which would buffer bodies itself):

1. Public paths (``/api/v1/health``, and the API docs when they are served) pass through with only the
   body cap; so do paths under a public prefix (the web console, ``/console/``, which checks its own
   session cookie and never accepts a bearer token).
2. Every other request needs ``Authorization: Bearer <token>``. A client address that has used up its
   failed-authentication budget gets **429** with ``Retry-After`` and its token is not even looked at;
   otherwise the token is verified (one indexed lookup, in a worker thread) and a missing, unknown or
   revoked one is **401** — answered before a byte of the body is read, so an unauthenticated 250 MB
   upload costs the server nothing but the socket.
3. A declared ``Content-Length`` above the cap is **413** at once. The body is then read chunk by
   chunk as it streams, counting bytes (a missing or lying Content-Length does not get past it), and
   the request is refused with **413** the moment the count passes the cap. The accepted body (at most
   the cap) is replayed to the application. An evidence upload (``PUT /api/v1/evidence/…``) is the one
   exception: it is passed on as it streams, and its route keeps and caps the bytes (a resumable upload).

The verified principal is left in ``scope["state"]["principal"]`` for the route dependencies.
"""

from __future__ import annotations

import json
import logging
import math
import threading
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

import anyio.to_thread
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

from sync.server.tokens import Principal, verify_token

logger = logging.getLogger(__name__)

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

DEFAULT_MAX_BODY_BYTES = 4 * 1024 * 1024
#: One evidence image (``PUT /api/v1/evidence/{sha256}``): a 1080p camera frame as JPEG is 0.1-0.5 MB, a 4K
#: one at high quality 2-4 MB; 8 MB leaves room and stops a station's disk from being shipped to central.
MAX_EVIDENCE_BYTES = 8 * 1024 * 1024
#: Pixels of an evidence image, checked from its header before it is decoded (a 4K frame is 8.3 MP): a
#: small file that decodes to gigabytes of pixels (a "decompression bomb") is refused unread.
MAX_EVIDENCE_PIXELS = 40_000_000
EVIDENCE_PATH_PREFIX = "/api/v1/evidence/"
DEFAULT_AUTH_BURST = 20
DEFAULT_AUTH_PER_SECOND = 1.0
MAX_TRACKED_ADDRESSES = 10_000


class FailedAuthLimiter:
    """A token bucket per client address, spent by failed authentications only.

    Why in-process and this simple: a station that mistypes its token, or a person fixing one, fails a
    handful of times; 3,000 wrong tokens in a few seconds is someone guessing, and each guess costs a
    database lookup. A bucket of ``burst`` attempts that refills at ``per_second`` lets the honest
    mistakes through and turns a flood into cheap 429s without a database lookup. Good requests never
    spend from the bucket, but an address whose bucket is empty is refused (429) even with a good token
    until it refills: the token cannot be told good without looking it up, which is the work being
    saved. It needs no shared store, which a single-process service does not have. With several
    worker processes each has its own buckets, so the effective budget is ``burst x workers``; behind
    a reverse proxy every client has the proxy's address unless the proxy is trusted for
    ``X-Forwarded-For`` (uvicorn ``--forwarded-allow-ips``), which makes the address the real one.
    """

    def __init__(
        self,
        burst: int = DEFAULT_AUTH_BURST,
        per_second: float = DEFAULT_AUTH_PER_SECOND,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.burst = float(burst)
        self.per_second = per_second
        self._clock = clock
        self._lock = threading.Lock()
        self._buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()  # address -> (tokens, at)

    def _level(self, address: str, now: float) -> float:
        tokens, at = self._buckets.get(address, (self.burst, now))
        return min(self.burst, tokens + (now - at) * self.per_second)

    def retry_after(self, address: str) -> float | None:
        """Seconds until ``address`` may try again, or None when it may try now."""
        with self._lock:
            level = self._level(address, self._clock())
        if level >= 1.0:
            return None
        return (1.0 - level) / self.per_second if self.per_second > 0 else 3600.0

    def failed(self, address: str) -> None:
        """Spend one attempt for ``address``."""
        now = self._clock()
        with self._lock:
            self._buckets[address] = (max(0.0, self._level(address, now) - 1.0), now)
            self._buckets.move_to_end(address)
            while len(self._buckets) > MAX_TRACKED_ADDRESSES:
                self._buckets.popitem(last=False)  # the longest-quiet address: refilled by now, most likely


class GuardMiddleware:
    """See the module docstring."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        sessions: Callable[[], sessionmaker[Session]],
        public_paths: set[str],
        public_prefixes: tuple[str, ...] = (),
        max_body_bytes: int = DEFAULT_MAX_BODY_BYTES,
        limiter: FailedAuthLimiter | None = None,
        max_evidence_bytes: int = MAX_EVIDENCE_BYTES,
        scope_check: Callable[[Principal, str, str], str | None] | None = None,
    ) -> None:
        self.app = app
        self.sessions = sessions
        self.public_paths = public_paths
        self.public_prefixes = public_prefixes
        self.max_body_bytes = max_body_bytes
        self.max_evidence_bytes = max_evidence_bytes
        self.limiter = limiter or FailedAuthLimiter()
        self.scope_check = scope_check

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = _content_length(scope)
        has_body = bool(declared) or _header(scope, b"transfer-encoding") is not None
        if not self._public(scope["path"]):
            address = (scope.get("client") or ("unknown", 0))[0]
            wait = self.limiter.retry_after(address)
            if wait is not None:
                await _answer(
                    send,
                    429,
                    "too many failed authentication attempts from this address; retry later",
                    {"Retry-After": str(max(1, math.ceil(wait)))},
                    unread_body=has_body,
                )
                return
            secret = _bearer_secret(scope)
            try:
                principal = await anyio.to_thread.run_sync(self._verify, secret) if secret else None
            except OperationalError as exc:
                logger.warning("database unavailable while checking a token: %s", exc.orig)
                await _answer(
                    send, 503, "database busy or unavailable, retry later", {"Retry-After": "1"}, unread_body=has_body
                )
                return
            if principal is None:
                self.limiter.failed(address)
                logger.info(
                    "refused a request from %s to %s: %s token",
                    address,
                    scope["path"],
                    "unknown or revoked" if secret else "no",
                )
                await _answer(
                    send, 401, "missing, unknown or revoked token", {"WWW-Authenticate": "Bearer"}, unread_body=has_body
                )
                return
            refused = self.scope_check(principal, scope["method"], scope["path"]) if self.scope_check else None
            if refused is not None:  # a token of a narrow kind outside its purpose: refused before the body
                await _answer(send, 403, refused, unread_body=has_body)
                return
            scope.setdefault("state", {})["principal"] = principal
        # An evidence image has its own cap (images are larger than event batches, and nothing else is).
        evidence = scope["path"].startswith(EVIDENCE_PATH_PREFIX)
        cap = self.max_evidence_bytes if evidence else self.max_body_bytes
        if declared is not None and declared > cap:
            await _answer(send, 413, self._too_large(f"{declared} bytes declared", cap, evidence))
            return
        if evidence and scope["method"] == "PUT":
            # Streamed to the route as it arrives: it writes the bytes to a partial upload that outlives a
            # broken connection, and caps it itself (sync/server/evidence_upload.py).
            await self.app(scope, receive, send)
            return
        chunks: list[bytes] = []
        size = 0
        more = True
        while more:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > cap:
                await _answer(send, 413, self._too_large(f"more than {cap} bytes sent", cap, evidence))
                return
            if chunk:
                chunks.append(chunk)
            more = message.get("more_body", False)
        body = b"".join(chunks)
        del chunks
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()  # after the body: wait for the disconnect, as the server would

        await self.app(scope, replay, send)

    def _public(self, path: str) -> bool:
        if path in self.public_paths:
            return True
        return path.startswith(self.public_prefixes) and "/." not in path and "\\" not in path

    def _verify(self, secret: str) -> Principal | None:
        with self.sessions()() as session:
            return verify_token(session, secret)

    def _too_large(self, what: str, cap: int, evidence: bool = False) -> str:
        advice = "an evidence image may not be larger" if evidence else "send fewer events per batch"
        return f"request body too large ({what}); the limit is {cap} bytes: {advice}"


def _header(scope: Scope, name: bytes) -> bytes | None:
    for key, value in scope.get("headers", ()):
        if key.lower() == name:
            return bytes(value)
    return None


def _bearer_secret(scope: Scope) -> str | None:
    raw = _header(scope, b"authorization")
    if raw is None:
        return None
    try:
        scheme, _, secret = raw.decode("latin-1").partition(" ")
    except UnicodeDecodeError:  # pragma: no cover - latin-1 decodes every byte
        return None
    secret = secret.strip()
    if scheme.lower() != "bearer" or not secret or len(secret) > 512:
        return None
    return secret


def _content_length(scope: Scope) -> int | None:
    raw = _header(scope, b"content-length")
    if raw is None:
        return None
    try:
        return int(raw)
    except ValueError:
        return None


async def _answer(
    send: Send, status: int, detail: str, headers: dict[str, str] | None = None, unread_body: bool = True
) -> None:
    """A JSON error answer. When a request body may still be on its way unread, the connection is closed
    after the answer (the server must not read on to find the next request)."""
    body = json.dumps({"detail": detail}).encode()
    raw_headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    if unread_body:
        raw_headers.append((b"connection", b"close"))
    raw_headers += [(k.lower().encode(), v.encode()) for k, v in (headers or {}).items()]
    await send({"type": "http.response.start", "status": status, "headers": raw_headers})
    await send({"type": "http.response.body", "body": body})
