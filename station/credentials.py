"""PIN and password hashes that a copied database alone cannot crack: argon2id over a keyed HMAC.

A 4- or 6-digit PIN has at most a million values. argon2id makes each guess cost ~0.1 s, which stops a
person at the bench (with the lockout), but not an offline search over a copied `station.sqlite3`: a
million guesses on a few cores is minutes to hours. So every secret is first keyed with a *pepper*, a
random 32-byte key kept outside the database:

    stored = "$pgpepper1$<key id>" + argon2id(HMAC-SHA256(pepper, secret))

Without the key file, the database copy is useless for guessing: each guess would need the 256-bit key too.

Where the key lives: a 0600 file `pin-pepper.key` in the station's config dir (`station.paths
.resolve_config_dir()`, e.g. `~/.config/packgate/`), created on first use with O_EXCL (two processes
starting together agree on one key), not in the data dir, so backups or copies of the data dir do not
carry it. Why not the system keyring: the bench runs as a kiosk account, often as a systemd service with no
desktop session and so no unlocked Secret Service on D-Bus; a keyring that is locked at boot would stop
every sign-in. The file is readable by the station's own account only, which is the same trust boundary
the keyring would give on such a machine. Back it up with the machine's configuration: without it, no
PIN or password can be checked (the station then says so, by name, instead of "wrong PIN").

`<key id>` is the first 8 hex digits of HMAC(pepper, "packgate key id"): it tells a wrong or regenerated
key apart from a wrong PIN. Hashes without the prefix (made before peppering) still verify, unkeyed, and
are re-hashed with the key at the next successful sign-in.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import os
import secrets
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

logger = logging.getLogger(__name__)

PREFIX = "$pgpepper1$"
KEY_FILE_NAME = "pin-pepper.key"
_KEY_ID_LEN = 8


class PepperKeyError(RuntimeError):
    """The pepper key file is missing, unreadable or not the one the stored hashes were made with."""


def load_or_create_key(path: Path) -> bytes:
    """The 32-byte pepper in `path` (hex), created 0600 on first use; O_EXCL + link makes it race-free."""
    try:
        return _read_key(path)
    except FileNotFoundError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
    fd = os.open(tmp, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    try:
        with os.fdopen(fd, "w", encoding="ascii") as f:
            f.write(secrets.token_hex(32) + "\n")
            f.flush()
            os.fsync(f.fileno())
        try:
            os.link(tmp, path)  # fails if another process made the key first: then use theirs
            logger.info("pepper key created", extra={"path": str(path)})
        except FileExistsError:
            pass
    finally:
        tmp.unlink(missing_ok=True)
    return _read_key(path)


def _read_key(path: Path) -> bytes:
    text = path.read_text(encoding="ascii").strip()
    try:
        key = bytes.fromhex(text)
    except ValueError as exc:
        raise PepperKeyError(f"the PIN key file {path} is damaged (not hex)") from exc
    if len(key) < 16:
        raise PepperKeyError(f"the PIN key file {path} is damaged (too short)")
    return key


class SecretHasher:
    """hash / verify / needs_rehash over argon2id with the pepper; the key is read on first use only."""

    def __init__(self, key_file: Path, argon: PasswordHasher | None = None) -> None:
        self.key_file = key_file
        self.argon = argon or PasswordHasher()
        self._key: bytes | None = None

    def _pepper(self) -> bytes:
        if self._key is None:
            try:
                self._key = load_or_create_key(self.key_file)
            except OSError as exc:
                raise PepperKeyError(
                    f"the PIN key file {self.key_file} cannot be read or made: {exc.strerror}"
                ) from exc
        return self._key

    def key_id(self) -> str:
        return hmac.new(self._pepper(), b"packgate key id", hashlib.sha256).hexdigest()[:_KEY_ID_LEN]

    def _keyed(self, secret: str) -> str:
        return hmac.new(self._pepper(), secret.encode("utf-8"), hashlib.sha256).hexdigest()

    def hash(self, secret: str) -> str:
        return f"{PREFIX}{self.key_id()}{self.argon.hash(self._keyed(secret))}"

    @staticmethod
    def is_peppered(stored: str) -> bool:
        return stored.startswith(PREFIX)

    def verify(self, stored: str, secret: str) -> bool:
        """True when `secret` matches. Raises `PepperKeyError` when the hash was keyed with another key."""
        try:
            if self.is_peppered(stored):
                rest = stored[len(PREFIX) :]
                if rest[:_KEY_ID_LEN] != self.key_id():
                    raise PepperKeyError(
                        f"the PIN key file {self.key_file} is not the one these PINs were "
                        "set with (restore it from the backup, or reset the PINs)"
                    )
                return self.argon.verify(rest[_KEY_ID_LEN:], self._keyed(secret or ""))
            return self.argon.verify(stored, secret or "")  # from before peppering
        except VerifyMismatchError:
            return False
        except (VerificationError, InvalidHashError):
            logger.error("stored credential hash is unreadable")
            return False

    def needs_rehash(self, stored: str) -> bool:
        if not self.is_peppered(stored):
            return True
        return self.argon.check_needs_rehash(stored[len(PREFIX) + _KEY_ID_LEN :])
