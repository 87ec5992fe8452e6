"""Sync over real TLS on 127.0.0.1: a throwaway CA and a server certificate made here (openssl CLI).

The station trusts the central service only through its ``ca_bundle`` setting; without it (the default
trust store) the handshake fails, the events stay pending and the status names the certificate.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import ssl
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from station.outbox import Outbox
from sync.client import ConnectionState
from sync.worker import SYNC_SECTION, SyncSettings, create_worker
from tests.central.pg import free_port
from tests.central.server import CentralServer, run_central
from tests.sync.conftest import STATION_ID
from tests.sync.helpers import central_event_ids, fill_outbox, outbox_statuses
from ui.bootstrap import Station
from ui.cli import main
from ui.commands.sync import describe_sync_status


@dataclass(frozen=True)
class Pki:
    ca: Path  # the CA certificate: what a station's ca_bundle points at
    cert: Path  # server certificate for 127.0.0.1 and localhost, signed by the CA
    key: Path


def _openssl(*args: str | Path) -> None:
    subprocess.run(["openssl", *map(str, args)], check=True, capture_output=True, timeout=30)


@pytest.fixture(scope="module")
def pki(tmp_path_factory: pytest.TempPathFactory) -> Pki:
    if shutil.which("openssl") is None:
        pytest.skip("the openssl command is needed to make the test certificates")
    d = tmp_path_factory.mktemp("pki")
    ca_key, ca, key, csr, cert, ext = (
        d / n for n in ("ca.key", "ca.pem", "server.key", "server.csr", "server.pem", "server.ext")
    )
    ec = ("-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes")
    _openssl(
        "req",
        "-x509",
        *ec,
        "-keyout",
        ca_key,
        "-out",
        ca,
        "-days",
        "2",
        "-subj",
        "/CN=PackGate test CA",
        "-addext",
        "basicConstraints=critical,CA:TRUE",
        "-addext",
        "keyUsage=critical,keyCertSign,cRLSign",
    )
    _openssl("req", *ec, "-keyout", key, "-out", csr, "-subj", "/CN=127.0.0.1")
    ext.write_text(
        "basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\n"
        "extendedKeyUsage=serverAuth\nsubjectAltName=IP:127.0.0.1,DNS:localhost\n"
        "authorityKeyIdentifier=keyid\nsubjectKeyIdentifier=hash\n"
    )
    _openssl(
        "x509",
        "-req",
        "-in",
        csr,
        "-CA",
        ca,
        "-CAkey",
        ca_key,
        "-CAcreateserial",
        "-out",
        cert,
        "-days",
        "2",
        "-extfile",
        ext,
    )
    return Pki(ca=ca, cert=cert, key=key)


@pytest.fixture(autouse=True)
def _no_trust_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    # httpx honours these; "no CA bundle" must mean the default trust store, which lacks the test CA.
    monkeypatch.delenv("SSL_CERT_FILE", raising=False)
    monkeypatch.delenv("SSL_CERT_DIR", raising=False)


@pytest.fixture
def central_tls(sqlite_url: str, pki: Pki) -> Iterator[CentralServer]:
    with run_central(sqlite_url, ssl_certfile=str(pki.cert), ssl_keyfile=str(pki.key)) as server:
        yield server


def packgate(station: Station, *args: str) -> int:
    return main(["sync", *args, "--data-dir", str(station.paths.root), "--station", STATION_ID])


def test_a_station_with_the_ca_bundle_drains_over_https(central_tls: CentralServer, station: Station, pki: Pki) -> None:
    assert central_tls.base_url.startswith("https://127.0.0.1:")
    ids = fill_outbox(station.db, 30)
    settings = SyncSettings(
        url=central_tls.base_url,
        token=central_tls.issue_station_token(STATION_ID),
        ca_bundle=str(pki.ca),
        batch_size=10,
    )
    with settings.make_client(Outbox(station.db.sessions, station.clock), STATION_ID) as client:
        result = client.drain_once()
        assert client.health()["status"] == "ok"
    assert (result.sent, result.batches, result.error, result.state) == (30, 3, None, ConnectionState.CONNECTED)
    assert sorted(central_event_ids(central_tls.db_url)) == sorted(ids)
    assert set(outbox_statuses(station.db).values()) == {"sent"}


def test_without_the_ca_bundle_the_certificate_is_refused_and_the_events_wait(
    central_tls: CentralServer,
    station: Station,
    pki: Pki,
    caplog: pytest.LogCaptureFixture,
    capsys: pytest.CaptureFixture[str],
) -> None:
    caplog.set_level(logging.DEBUG)
    ids = fill_outbox(station.db, 5)
    token = central_tls.issue_station_token(STATION_ID)
    section = {"url": central_tls.base_url, "token": token}  # no ca_bundle: the default trust store
    worker = create_worker(station.db, STATION_ID, section, station.paths.root, station.clock)
    try:
        worker.run_cycle(0)
        status = worker.status
    finally:
        worker.stop()
    assert status.state is ConnectionState.ERROR
    assert status.error and "certificate" in status.error and "ca-bundle" in status.error
    assert (status.pending, status.parked) == (5, 0)
    words = describe_sync_status(status)
    assert "certificate" in words and "5 events waiting" in words
    assert set(outbox_statuses(station.db).values()) == {"pending"}
    assert central_event_ids(central_tls.db_url) == []

    # The CLI says the same, in one line, and keeps the events; status shows why they are waiting.
    assert packgate(station, "configure", "--url", central_tls.base_url, "--token", token) == 0
    assert packgate(station, "run") == 4
    captured = capsys.readouterr()
    assert "5 pending, 0 parked" in captured.out
    last = captured.err.strip().splitlines()[-1]  # before it, the same words as a log line
    assert last.startswith("packgate: TLS certificate of https://127.0.0.1:") and "events are kept" in last
    assert "--ca-bundle" in last and "refused a whole batch" not in captured.err
    assert packgate(station, "status") == 0
    out = capsys.readouterr().out
    assert "5 pending" in out and "last failure" in out and "certificate" in out
    assert packgate(station, "status", "--json", "--check") == 0
    report = json.loads(capsys.readouterr().out)
    assert report["pending"] == 5 and "certificate" in report["central"]
    everything = captured.out + captured.err + out + json.dumps(report) + caplog.text + (status.error or "")
    assert token not in everything  # the secret leaks nowhere: not in errors, output or the log

    # Nothing was lost: with the CA bundle the same events go through.
    assert packgate(station, "run", "--ca-bundle", str(pki.ca)) == 0
    assert "sent 5 event(s); 0 pending, 0 parked" in capsys.readouterr().out
    assert sorted(central_event_ids(central_tls.db_url)) == sorted(ids)


def test_cli_configure_with_ca_bundle_then_run(
    central_tls: CentralServer, station: Station, pki: Pki, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ids = fill_outbox(station.db, 7)
    token = central_tls.issue_station_token(STATION_ID)
    missing = tmp_path / "no-such-ca.pem"
    assert (
        packgate(station, "configure", "--url", central_tls.base_url, "--token", token, "--ca-bundle", str(missing))
        == 2
    )
    err = capsys.readouterr().err
    assert err == f"packgate: no such CA bundle: {missing}\n"
    settings_file = station.paths.root / "settings.json"
    assert not settings_file.exists() or SYNC_SECTION not in json.loads(settings_file.read_text())  # nothing stored

    assert (
        packgate(station, "configure", "--url", central_tls.base_url, "--token", token, "--ca-bundle", str(pki.ca)) == 0
    )
    capsys.readouterr()
    assert json.loads(settings_file.read_text())[SYNC_SECTION]["ca_bundle"] == str(pki.ca.resolve())
    assert packgate(station, "run") == 0
    assert capsys.readouterr().out.strip() == "sent 7 event(s); 0 pending, 0 parked"
    assert sorted(central_event_ids(central_tls.db_url)) == sorted(ids)
    assert packgate(station, "status", "--json", "--check") == 0
    assert json.loads(capsys.readouterr().out)["central"] == "reachable"

    # A bundle that was configured and then removed: one clear line, exit 2, events untouched.
    fill_outbox(station.db, 1)
    moved = str(shutil.copy(pki.ca, tmp_path / "ca.pem"))
    assert packgate(station, "configure", "--url", central_tls.base_url, "--token", token, "--ca-bundle", moved) == 0
    os.remove(moved)
    capsys.readouterr()
    assert packgate(station, "run") == 2
    assert capsys.readouterr().err == f"packgate: no such CA bundle: {Path(moved).resolve()}\n"
    assert list(outbox_statuses(station.db).values()).count("pending") == 1

    # A file that is not a CA bundle at all: a configuration error, not a traceback.
    (tmp_path / "junk.pem").write_text("not a certificate\n")
    assert packgate(station, "run", "--ca-bundle", str(tmp_path / "junk.pem")) == 2
    err = capsys.readouterr().err
    assert len(err.splitlines()) == 1 and "CA bundle" in err and token not in err


def test_packgate_central_serve_speaks_tls(pki: Pki, tmp_path: Path) -> None:
    port = free_port()
    cmd = [
        sys.executable,
        "-m",
        "sync.server.cli",
        "serve",
        "--db",
        f"sqlite:///{tmp_path / 'c.db'}",
        "--port",
        str(port),
        "--ssl-certfile",
        str(pki.cert),
        "--ssl-keyfile",
        str(pki.key),
    ]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        ctx = ssl.create_default_context(cafile=str(pki.ca))
        deadline = time.monotonic() + 15
        while True:
            try:
                answer = httpx.get(f"https://localhost:{port}/api/v1/health", verify=ctx, timeout=2)
                break
            except httpx.ConnectError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise
                time.sleep(0.05)
        assert answer.json()["status"] == "ok"
        with pytest.raises(httpx.ConnectError, match="CERTIFICATE_VERIFY_FAILED"):
            httpx.get(f"https://127.0.0.1:{port}/api/v1/health", timeout=2)  # default trust store
    finally:
        proc.terminate()
        try:
            proc.communicate(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.communicate()
    one_only = subprocess.run(cmd[:-2], capture_output=True, text=True, timeout=30)
    assert one_only.returncode == 1 and "--ssl-certfile and --ssl-keyfile go together" in one_only.stderr
