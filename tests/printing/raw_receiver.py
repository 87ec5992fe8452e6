"""A raw port-9100 printer on 127.0.0.1 for the tests: it keeps the bytes of every connection (one job each).

``close()`` stops listening (the printer is off: connection refused); ``open()`` listens again on the same
port. ``status`` is what it answers to ``~HS`` (ZPL host status), so a test can put it out of paper.
"""

from __future__ import annotations

import socket
import threading
import time

READY = ("030,0,0,1245,000,0,0,0,000,0,0,0", "000,0,0,0,0,2,6,0,00000000,1,000", "1234,0")
PAPER_OUT = ("030,1,0,1245,000,0,0,0,000,0,0,0", READY[1], READY[2])


class RawReceiver:
    def __init__(self, port: int = 0) -> None:
        self.port = port
        self.jobs: list[bytes] = []
        self.status_queries = 0
        self.status = READY
        self._lock = threading.Lock()
        self._server: socket.socket | None = None
        self._thread: threading.Thread | None = None
        self.open()

    @property
    def address(self) -> str:
        return f"127.0.0.1:{self.port}"

    def open(self) -> None:
        server = socket.socket()
        server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        server.bind(("127.0.0.1", self.port))
        self.port = server.getsockname()[1]
        server.listen(8)
        server.settimeout(0.2)
        self._server = server
        self._thread = threading.Thread(target=self._serve, args=(server,), daemon=True)
        self._thread.start()

    def close(self) -> None:
        server, self._server = self._server, None
        if server is not None:
            server.close()
        if self._thread is not None:
            self._thread.join(5)
            self._thread = None

    def _serve(self, server: socket.socket) -> None:
        while self._server is server:
            try:
                conn, _ = server.accept()
            except (TimeoutError, OSError):
                continue
            threading.Thread(target=self._take, args=(conn,), daemon=True).start()

    def _take(self, conn: socket.socket) -> None:
        data = b""
        conn.settimeout(5)
        with conn:
            try:
                while True:
                    chunk = conn.recv(65536)
                    if not chunk:
                        break
                    data += chunk
                    if data.strip() == b"~HS":
                        with self._lock:
                            self.status_queries += 1
                        conn.sendall(b"".join(b"\x02" + part.encode() + b"\x03\r\n" for part in self.status))
                        return
            except OSError:
                pass
        if data:
            with self._lock:
                self.jobs.append(data)

    def wait_for_jobs(self, count: int, timeout: float = 20.0) -> list[bytes]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self._lock:
                if len(self.jobs) >= count:
                    return list(self.jobs)
            time.sleep(0.02)
        raise AssertionError(f"{len(self.jobs)} job(s) received after {timeout} s, wanted {count}")
