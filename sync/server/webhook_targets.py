"""Where central may send a webhook: public addresses only, unless the site says otherwise.

A lead types the URL, and central answers with what the endpoint said (the first 200 bytes land in the
delivery log). Pointed at ``http://169.254.169.254/`` (a cloud's metadata service), ``localhost`` or the
database host on the site network, that would make central a way to probe and read internal services
(server-side request forgery). So every address the host resolves to must be a public one; otherwise the
attempt fails with the reason in the log and is retried like any failure (a DNS answer may change).
``packgate-central serve --webhook-private-targets`` lifts the rule for a site whose shop or helpdesk runs
on its own network (and for tests on 127.0.0.1).

DNS rebinding: checking the name and then letting httpx resolve it again to connect would let a name
whose answer flips between the two lookups (public for the check, 127.0.0.1 for the connection) through.
So the check *is* the connection: ``PinnedTransport`` gives httpx a network backend whose
``connect_tcp`` resolves the name once, refuses unless every address is public, and connects to those
checked addresses (as IP literals; nothing resolves the name again). With private targets allowed it
still resolves once and connects to what it resolved, without the check. The request keeps the name: the
``Host`` header, and for https the TLS SNI and the certificate check, are the URL's host (httpcore does
TLS on the stream it gets, with the origin's name). No proxy from the environment is used by it.
"""

from __future__ import annotations

import ipaddress
import logging
import socket
import ssl
from collections.abc import Iterable
from urllib.parse import urlsplit

import httpcore
import httpx

logger = logging.getLogger(__name__)

Address = ipaddress.IPv4Address | ipaddress.IPv6Address


def _private(address: Address) -> bool:
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return not address.is_global or address.is_multicast


def resolve(host: str, port: int) -> list[Address]:
    """Every address of ``host`` (in the resolver's order, without repeats); raises ``OSError``/``UnicodeError``."""
    found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    addresses: list[Address] = []
    for info in found:
        address = ipaddress.ip_address(str(info[4][0]).split("%")[0])
        if address not in addresses:
            addresses.append(address)
    return addresses


def _checked(host: str, port: int) -> tuple[list[Address], str | None]:
    """(addresses, None) when every address of ``host`` is public, else ([], why not)."""
    try:
        addresses = resolve(host, port)
    except (OSError, UnicodeError) as exc:
        return [], f"the host {host[:100]!r} does not resolve ({exc})"
    private = [str(a) for a in addresses if _private(a)]
    if private or not addresses:
        return [], (
            f"refused: {host[:100]} resolves to {', '.join(sorted(private)[:3])}, not a public address "
            "(packgate-central serve --webhook-private-targets allows it)"
        )
    return addresses, None


def refusal(url: str) -> str | None:
    """Why central will not send to ``url`` (None: every address of its host is public, now)."""
    parts = urlsplit(url)
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        return f"the URL's port is not a number: {url[:100]!r}"
    return _checked(parts.hostname or "", port)[1]


class PinnedBackend(httpcore.NetworkBackend):
    """httpcore's network backend, connecting only to the addresses it resolved (and, unless
    ``allow_private``, checked to be public) itself."""

    def __init__(self, allow_private: bool = False) -> None:
        self._inner = httpcore.SyncBackend()
        self.allow_private = allow_private

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.NetworkStream:
        if self.allow_private:
            try:
                addresses, refused = resolve(host, port), None
            except (OSError, UnicodeError) as exc:
                addresses, refused = [], f"the host {host[:100]!r} does not resolve ({exc})"
        else:
            addresses, refused = _checked(host, port)
        if refused is not None or not addresses:
            raise httpcore.ConnectError(refused or f"the host {host[:100]!r} has no address")
        failure: Exception | None = None
        for address in addresses:  # the checked ones, as literals: nothing looks the name up again
            try:
                return self._inner.connect_tcp(str(address), port, timeout, local_address, socket_options)
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                logger.debug("webhook target %s (%s) port %d: %s", host[:100], address, port, exc)
                failure = exc
        raise failure or httpcore.ConnectError(f"no address of {host[:100]!r} answered")

    def connect_unix_socket(
        self, path: str, timeout: float | None = None, socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None
    ) -> httpcore.NetworkStream:  # pragma: no cover - webhook URLs are http(s) with a host
        raise httpcore.ConnectError("webhooks are not sent to unix sockets")

    def sleep(self, seconds: float) -> None:
        self._inner.sleep(seconds)


class PinnedTransport(httpx.HTTPTransport):
    """httpx's own transport (pooling, TLS with the system's trust store or ``verify``, HTTP/1.1) over
    ``PinnedBackend``."""

    def __init__(self, allow_private: bool = False, verify: ssl.SSLContext | bool = True) -> None:
        super().__init__(trust_env=False)
        limits = httpx.Limits()
        self._pool = httpcore.ConnectionPool(
            ssl_context=verify
            if isinstance(verify, ssl.SSLContext)
            else httpx.create_ssl_context(verify, trust_env=False),
            max_connections=limits.max_connections,
            max_keepalive_connections=limits.max_keepalive_connections,
            keepalive_expiry=limits.keepalive_expiry,
            network_backend=PinnedBackend(allow_private),
        )
