"""Where central may send a webhook: public addresses only, unless the site says otherwise.

A lead types the URL, and central answers with what the endpoint said (the first 200 bytes land in the
delivery log). Pointed at ``http://169.254.169.254/`` (a cloud's metadata service), ``localhost`` or the
database host on the site network, that would make central a way to probe and read internal services
(server-side request forgery). So before each attempt the host is resolved and every address it
resolves to must be a public one; otherwise the attempt fails with the reason in the log and is retried
like any failure (a DNS answer may change). ``packgate-central serve --webhook-private-targets`` lifts
the rule for a site whose shop or helpdesk runs on its own network (and for tests on 127.0.0.1).

Left open: the address is checked, then httpx resolves the name again to connect, so a name whose DNS
answer flips between the two (DNS rebinding) could still reach a private address; pinning the connection
to the checked address would close it.
"""

from __future__ import annotations

import ipaddress
import logging
import socket
from urllib.parse import urlsplit

logger = logging.getLogger(__name__)


def _private(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return not address.is_global or address.is_multicast


def refusal(url: str) -> str | None:
    """Why central will not send to ``url`` (None: every address of its host is public)."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        return f"the URL's port is not a number: {url[:100]!r}"
    try:
        found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError) as exc:
        return f"the host {host[:100]!r} does not resolve ({exc})"
    addresses = {ipaddress.ip_address(str(info[4][0]).split("%")[0]) for info in found}
    private = sorted(str(a) for a in addresses if _private(a))
    if private:
        return (
            f"refused: {host[:100]} resolves to {', '.join(private[:3])}, not a public address "
            "(packgate-central serve --webhook-private-targets allows it)"
        )
    return None
