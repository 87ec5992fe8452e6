"""A TCP proxy on 127.0.0.1 that counts the bytes a client sends and can cut a connection after N of them.

Real sockets, no HTTP knowledge: each accepted connection is piped to the upstream port by two threads.
``cut_after_body(n, before_cut)`` arms a cut: the next request sent through the proxy (the bytes after the
next blank line ending its head) forwards exactly ``n`` body bytes, then ``before_cut()`` runs (a test waits
there until the server has written them) and both sockets are closed: to the client it is a connection
reset mid-upload, to the server a client gone mid-body. One client at a time (the station's sync is one
thread).
"""

from __future__ import annotations

import contextlib
import logging
import socket
import threading
from collections.abc import Callable, Iterator

logger = logging.getLogger(__name__)


class CuttingProxy:
    def __init__(self, upstream_port: int) -> None:
        self.upstream_port = upstream_port
        self.sent = 0  # client -> server bytes, all connections
        self._lock = threading.Lock()
        self._budget: int | None = None
        self._head: bytes | None = None  # the armed request's head seen so far (None: in its body)
        self._before_cut: Callable[[], None] | None = None
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port = self._listener.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self._closing = False
        self._sockets: list[socket.socket] = []
        self._thread = threading.Thread(target=self._accept, name="test-cutting-proxy", daemon=True)
        self._thread.start()

    def cut_after_body(self, n: int, before_cut: Callable[[], None] | None = None) -> None:
        with self._lock:
            self._budget, self._before_cut, self._head = n, before_cut, b""

    def _take(self, chunk: bytes) -> tuple[bytes, bool]:
        """What of ``chunk`` to forward, and whether to cut after it (under the lock)."""
        if self._budget is None:
            return chunk, False
        body_at = 0
        if self._head is not None:
            joined = self._head + chunk
            end = joined.find(b"\r\n\r\n")
            if end < 0:
                self._head = joined[-3:]
                return chunk, False
            body_at = end + 4 - len(self._head)
            self._head = None
        body = len(chunk) - body_at
        if body >= self._budget:
            forward = chunk[: body_at + self._budget]
            self._budget = None
            return forward, True
        self._budget -= body
        return chunk, False

    def _accept(self) -> None:
        while not self._closing:
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            upstream = socket.create_connection(("127.0.0.1", self.upstream_port))
            self._sockets += [client, upstream]
            threading.Thread(target=self._pipe_up, args=(client, upstream), daemon=True).start()
            threading.Thread(target=self._pipe_down, args=(upstream, client), daemon=True).start()

    def _pipe_up(self, client: socket.socket, upstream: socket.socket) -> None:
        try:
            while chunk := client.recv(65536):
                with self._lock:
                    chunk, cut = self._take(chunk)
                    before = self._before_cut if cut else None
                    self.sent += len(chunk)
                upstream.sendall(chunk)
                if cut:
                    if before is not None:
                        before()
                    logger.info("cutting proxy: connection cut")
                    with contextlib.suppress(OSError):  # a reset to the station
                        client.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\1\0\0\0\0\0\0\0")
                        client.close()
                    with contextlib.suppress(OSError):  # shutdown first: the other thread is in recv on it
                        upstream.shutdown(socket.SHUT_RDWR)
                        upstream.close()
                    return
        except OSError:
            pass
        finally:
            with contextlib.suppress(OSError):
                upstream.shutdown(socket.SHUT_WR)

    @staticmethod
    def _pipe_down(upstream: socket.socket, client: socket.socket) -> None:
        try:
            while chunk := upstream.recv(65536):
                client.sendall(chunk)
        except OSError:
            pass
        finally:
            with contextlib.suppress(OSError):
                client.shutdown(socket.SHUT_WR)

    def close(self) -> None:
        self._closing = True
        self._listener.close()
        for s in self._sockets:
            with contextlib.suppress(OSError):
                s.shutdown(socket.SHUT_RDWR)
            with contextlib.suppress(OSError):
                s.close()


@contextlib.contextmanager
def cutting_proxy(upstream_port: int) -> Iterator[CuttingProxy]:
    proxy = CuttingProxy(upstream_port)
    try:
        yield proxy
    finally:
        proxy.close()
