"""HTTP plumbing of the sync client: connection states, errors, the TLS context, the backoff schedule,
and how a transport failure or an HTTP status is turned into words and a ``ConnectionState``.

Shared by the drain (``sync.drain``), the order pull (``sync.pull``) and the site queue (``sync.site``).
"""

from __future__ import annotations

import enum
import re
import ssl
from pathlib import Path

import httpx
import tenacity
from pydantic import ValidationError

#: Backoff of a failing batch: 1 s, 2 s, 4 s ... capped at 5 minutes, plus up to 1 s of jitter so a
#: hundred stations coming back after a central outage do not all knock at the same second.
BACKOFF_INITIAL_S = 1.0
BACKOFF_MAX_S = 300.0
BACKOFF_JITTER_S = 1.0
# The wire's StationId alphabet and length (rules/fields.py); checked up front because a bad id would make every
# request a whole-body 422, which is a configuration error, not something to retry.
STATION_ID_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$")
_TOKEN = re.compile(r"^[\x21-\x7e]+$")  # printable ASCII without spaces: all an HTTP header value may carry safely


def token_is_sendable(token: str) -> bool:
    """True when `token` can go in an Authorization header as it is (no whitespace, control or non-ASCII)."""
    return _TOKEN.fullmatch(token) is not None


TRANSIENT_STATUSES = {408, 425, 429}


_wait = tenacity.wait_exponential_jitter(multiplier=BACKOFF_INITIAL_S, max=BACKOFF_MAX_S, jitter=BACKOFF_JITTER_S)


def backoff_delay(attempt: int) -> float:
    """Seconds to wait before attempt ``attempt + 1`` after ``attempt`` failures (tenacity's schedule)."""
    state = tenacity.RetryCallState(retry_object=tenacity.Retrying(), fn=None, args=(), kwargs={})
    state.attempt_number = max(1, attempt)
    return float(_wait(state))


class SyncConfigError(ValueError):
    """The sync settings cannot work (no URL, no token, a station id the wire refuses)."""


class ConnectionState(enum.Enum):
    """How the last contact with the central service went."""

    NOT_CONFIGURED = "not_configured"  # no URL/token yet: the station works stand-alone
    IDLE = "idle"  # configured, not tried yet
    CONNECTED = "connected"
    OFFLINE = "offline"  # network error, timeout or a 5xx/429: retried with backoff
    UNAUTHORIZED = "unauthorized"  # 401: missing, unknown or revoked token
    FORBIDDEN = "forbidden"  # 403: the token is for another station (or an admin token)
    ERROR = "error"  # the server refused the request as a whole (4xx): a bug or a misconfiguration


class SyncError(RuntimeError):
    """A request to the central service failed; ``state`` says how (offline, unauthorized, ...)."""

    def __init__(self, state: ConnectionState, message: str) -> None:
        super().__init__(message)
        self.state = state


def tls_verify(ca_bundle: str | None) -> ssl.SSLContext | bool:
    """httpx's ``verify`` for a CA bundle setting: a context trusting exactly that bundle (a PEM file, or a
    directory of hashed certificates), or ``True`` (httpx's default trust store) when there is none.

    Built here rather than passing the path to httpx, which deprecates ``verify=<str>``. Raises
    ``SyncConfigError`` when the bundle is missing or holds no usable certificate.
    """
    if not ca_bundle:
        return True
    try:
        if Path(ca_bundle).is_dir():
            return ssl.create_default_context(capath=ca_bundle)
        return ssl.create_default_context(cafile=ca_bundle)
    except (OSError, ssl.SSLError) as exc:  # FileNotFoundError, or a file that is not PEM certificates
        raise SyncConfigError(f"CA bundle {ca_bundle} cannot be used: {getattr(exc, 'strerror', None) or exc}") from exc


def _certificate_problem(exc: BaseException) -> ssl.SSLCertVerificationError | None:
    """The certificate verification failure behind an httpx transport error, if that is what it was."""
    seen: set[int] = set()
    cause: BaseException | None = exc
    while cause is not None and id(cause) not in seen:
        if isinstance(cause, ssl.SSLCertVerificationError):
            return cause
        seen.add(id(cause))
        cause = cause.__cause__ or cause.__context__
    return None


def transport_failure(exc: httpx.TransportError, url: str) -> tuple[ConnectionState, str]:
    """State and words for a request that got no HTTP answer.

    An untrusted or mismatched server certificate is a configuration problem a person fixes (the CA
    bundle setting, or the server's certificate), not an outage: ``ERROR``, with the verifier's reason.
    Anything else (refused, reset, timed out) is ``OFFLINE``.
    """
    problem = _certificate_problem(exc)
    if problem is not None:
        reason = problem.verify_message or problem.reason or "certificate verify failed"
        return ConnectionState.ERROR, (
            f"TLS certificate of {url} not trusted ({reason}): set this station's CA bundle "
            "('packgate sync configure ... --ca-bundle FILE') or fix the server's certificate"
        )
    return ConnectionState.OFFLINE, f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__


def unreachable(exc: httpx.TransportError, url: str) -> tuple[ConnectionState, str]:
    """State and a sentence for a request to ``url`` that got no HTTP answer, for the screens that show
    it as it is (the site view, the audit anchor): "central service unreachable (ConnectError: ...)"."""
    state, words = transport_failure(exc, url)
    return state, f"central service unreachable ({words})"


def unreadable(exc: ValidationError, what: str = "answer") -> str:
    """Words for an HTTP answer that is not what the wire format says (a proxy's page, an older service)."""
    return f"unreadable {what} from the central service: {exc.error_count()} problem(s)"


def state_for_status(status: int) -> ConnectionState:
    if status == 401:
        return ConnectionState.UNAUTHORIZED
    if status == 403:
        return ConnectionState.FORBIDDEN
    if status >= 500 or status in TRANSIENT_STATUSES:
        return ConnectionState.OFFLINE
    return ConnectionState.ERROR


def response_detail(response: httpx.Response) -> str:
    """The server's ``detail`` message, or the start of the body (a proxy's error page, say)."""
    try:
        body = response.json()
    except ValueError:
        return response.text[:200].strip() or response.reason_phrase
    if isinstance(body, dict) and "detail" in body:
        detail = body["detail"]
        return detail if isinstance(detail, str) else str(detail)[:500]
    return str(body)[:200]


def retry_after(response: httpx.Response) -> float | None:
    """``Retry-After`` in seconds (the delta form; the date form is rare for APIs and ignored)."""
    value = response.headers.get("Retry-After", "")
    try:
        seconds = float(value)
    except ValueError:
        return None
    return min(max(seconds, 0.0), BACKOFF_MAX_S)
