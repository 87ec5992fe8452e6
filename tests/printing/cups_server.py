"""A real CUPS scheduler for the tests: ``cupsd`` in a temporary directory, on a free port of 127.0.0.1,
with a PDF printer (Debian's ``printer-driver-cups-pdf``) whose every job becomes one PDF file in ``out``.

Its own ``cupsd.conf`` and ``cups-files.conf`` (nothing of the machine's CUPS is used or touched: no
systemd, no browsing, its own spool, state and logs), so it runs beside a system CUPS or none. The only
file outside the temporary directory is the cups-pdf instance file ``/etc/cups/cups-pdf-<name>.conf``
naming the output directory (cups-pdf reads its configuration only from there), removed at the end.

cups-pdf is a backend that must run as root (it says "cannot be called without root privileges"), so the
scheduler runs as the test's user, which must be root; the filters run as ``lp`` as usual.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import uuid
from pathlib import Path

CUPSD = "/usr/sbin/cupsd"
CUPS_PDF_BACKEND = "/usr/lib/cups/backend/cups-pdf"
CUPS_PDF_PPD = "/usr/share/ppd/cups-pdf/CUPS-PDF_noopt.ppd"
PDF_QUEUE = "PackGatePDF"


def why_cupsd_cannot_run() -> str | None:
    """None when a test cupsd with a cups-pdf printer can start here, else why not (the skip reason)."""
    for path, package in (
        (CUPSD, "cups"),
        (CUPS_PDF_BACKEND, "printer-driver-cups-pdf"),
        (CUPS_PDF_PPD, "printer-driver-cups-pdf"),
    ):
        if not os.path.exists(path):
            return f"{path} missing: apt-get install {package} (./dev setup installs cups, cups-client, cups-pdf)"
    for tool in ("lp", "lpstat", "lpadmin", "cupsaccept", "cupsreject"):
        if shutil.which(tool) is None and not os.path.exists(f"/usr/sbin/{tool}"):
            return f"{tool} missing: apt-get install cups-client"
    if os.geteuid() != 0:
        return "the cups-pdf backend runs only as root, and these tests are not running as root"
    if not os.access("/etc/cups", os.W_OK):
        return "/etc/cups is not writable: cups-pdf reads its output directory from a file there"
    return None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _tool(name: str) -> str:
    return shutil.which(name) or f"/usr/sbin/{name}"


class CupsServer:
    def __init__(self) -> None:
        # Not pytest's tmp_path: it is 0700, and the filters run as the lp user.
        self.root = Path(tempfile.mkdtemp(prefix="packgate-cups-"))
        self.root.chmod(0o755)
        for sub in ("cache", "log", "spool", "state"):
            (self.root / sub).mkdir()
        self.out = self.root / "out"
        self.out.mkdir()
        self.out.chmod(0o777)
        self.port = free_port()
        self.server = f"127.0.0.1:{self.port}"
        self.instance = f"packgate-test-{uuid.uuid4().hex[:8]}"
        self.instance_conf = Path(f"/etc/cups/cups-pdf-{self.instance}.conf")
        self.process: subprocess.Popen[bytes] | None = None
        (self.root / "cupsd.conf").write_text(
            f"Listen 127.0.0.1:{self.port}\nLogLevel warn\nBrowsing No\nWebInterface No\nDefaultAuthType None\n"
            "MaxJobs 0\nPreserveJobFiles No\n"
            "<Location />\n  Order allow,deny\n  Allow all\n</Location>\n"
            "<Location /admin>\n  Order allow,deny\n  Allow all\n</Location>\n"
            "<Policy default>\n  <Limit All>\n    Order deny,allow\n  </Limit>\n</Policy>\n"
        )
        (self.root / "cups-files.conf").write_text(
            f"ServerRoot {self.root}\nCacheDir {self.root}/cache\nStateDir {self.root}/state\n"
            f"RequestRoot {self.root}/spool\nTempDir {self.root}/spool\nErrorLog {self.root}/log/error_log\n"
            f"AccessLog {self.root}/log/access_log\nPageLog {self.root}/log/page_log\nSystemGroup root\n"
            "ServerBin /usr/lib/cups\nDataDir /usr/share/cups\n"
        )
        self.instance_conf.write_text(f"Out {self.out}\nAnonDirName {self.out}\nLabel 1\nTitlePref 1\n")

    # ------------------------------------------------------------------ the scheduler
    def start(self, timeout: float = 20.0) -> None:
        self.process = subprocess.Popen(
            [CUPSD, "-f", "-c", str(self.root / "cupsd.conf"), "-s", str(self.root / "cups-files.conf")],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"cupsd exited with {self.process.returncode}: {self.error_log()}")
            if self.lpstat("-r").stdout.strip() == "scheduler is running":
                return
            time.sleep(0.1)
        raise RuntimeError(f"cupsd did not answer on {self.server} within {timeout} s: {self.error_log()}")

    def stop(self) -> None:
        """Stop the scheduler (the print server is down: lp cannot connect)."""
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)
        self.process = None

    def close(self) -> None:
        self.stop()
        self.instance_conf.unlink(missing_ok=True)
        shutil.rmtree(self.root, ignore_errors=True)

    def error_log(self) -> str:
        try:
            return (self.root / "log" / "error_log").read_text()[-2000:]
        except OSError:
            return "(no error log)"

    # ------------------------------------------------------------------ queues
    def run(self, tool: str, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [_tool(tool), "-h", self.server, *args],
            capture_output=True,
            text=True,
            timeout=30,
            check=False,
            env={**os.environ, "LC_ALL": "C"},
        )

    def lpstat(self, *args: str) -> subprocess.CompletedProcess[str]:
        return self.run("lpstat", *args)

    def add_pdf_queue(self, name: str = PDF_QUEUE) -> str:
        result = self.run("lpadmin", "-p", name, "-E", "-v", f"cups-pdf:/{self.instance}", "-P", CUPS_PDF_PPD)
        assert result.returncode == 0, result.stderr
        return name

    def add_raw_queue(self, name: str, host: str, port: int) -> str:
        """A raw queue in front of a socket printer (``lp -o raw`` passes ZPL through untouched)."""
        result = self.run("lpadmin", "-p", name, "-E", "-v", f"socket://{host}:{port}", "-m", "raw")
        assert result.returncode == 0, result.stderr
        return name

    def reject(self, name: str) -> None:
        assert self.run("cupsreject", name).returncode == 0

    def accept(self, name: str) -> None:
        assert self.run("cupsaccept", name).returncode == 0

    # ------------------------------------------------------------------ output
    def pdfs(self) -> list[Path]:
        return sorted(p for p in self.out.rglob("*.pdf") if p.is_file())

    def wait_for_pdfs(self, count: int, timeout: float = 60.0) -> list[Path]:
        """Wait until ``count`` PDFs are complete in ``out`` (cups-pdf writes through ghostscript)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            files = self.pdfs()
            if len(files) >= count and self.idle() and all(_complete(p) for p in files):
                return files
            time.sleep(0.2)
        raise AssertionError(
            f"{len(self.pdfs())} PDF(s) in {self.out} after {timeout} s, wanted {count}; {self.error_log()}"
        )

    def idle(self) -> bool:
        """No job left in any queue."""
        return self.lpstat("-o").stdout.strip() == ""


def _complete(path: Path) -> bool:
    try:
        data = path.read_bytes()
    except OSError:
        return False
    return data.startswith(b"%PDF-") and b"%%EOF" in data[-64:]
