"""The storage side shared by user management (`station.users`) and sign-in (`station.user_auth`): the
directory's database, clock, secret hasher and the site's minimum PIN length, and the one way a user change
or sign-in is written (an audit row plus its `audit.recorded` outbox event, in the caller's transaction).
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from argon2 import PasswordHasher
from sqlalchemy.orm import Session

from station.audited import record_action
from station.clock import Clock, SystemClock
from station.credentials import KEY_FILE_NAME, PepperKeyError, SecretHasher
from station.db import Database
from station.orm import UserRecord
from station.paths import resolve_config_dir
from station.user_rules import MIN_PIN_DIGITS, CredentialStoreError, UserError, UserProblem


class UserStore:
    """The users' table, audited. `hasher` (an argon2 `PasswordHasher`) is injectable so tests can use cheap
    parameters; production uses the library defaults (RFC 9106 "low memory" profile). `key_file` is the
    pepper key (default: in the config dir); `min_pin_digits` the site's minimum PIN length, as
    `station.settings.min_pin_digits` reads it (that keeps it in 4..12; `station.users.site_directory`
    passes it).
    """

    def __init__(
        self,
        db: Database,
        clock: Clock | None = None,
        station_id: str = "",
        hasher: PasswordHasher | None = None,
        key_file: Path | None = None,
        min_pin_digits: int = MIN_PIN_DIGITS,
    ) -> None:
        self.db = db
        self.clock = clock or SystemClock()
        self.station_id = station_id
        self.hasher = SecretHasher(key_file or resolve_config_dir() / KEY_FILE_NAME, hasher)
        self.min_pin_digits = min_pin_digits
        self._decoy_hash: str | None = None

    def _hash(self, secret: str) -> str:
        try:
            return self.hasher.hash(secret)
        except PepperKeyError as exc:
            raise CredentialStoreError(str(exc)) from exc

    def _require(self, s: Session, name: str) -> UserRecord:
        r = s.get(UserRecord, name)
        if r is None:
            raise UserError(UserProblem.NO_SUCH_USER, name=name)
        return r

    def _audit_only(self, action: str, actor: str | None, order_id: str | None = None, **detail: Any) -> None:
        with self.db.session() as s:
            self._record(s, self.clock.now(), action, actor, order_id=order_id, **detail)

    def _record(
        self, s: Session, now: datetime, action: str, actor: str | None, order_id: str | None = None, **detail: Any
    ) -> None:
        """One audit row plus its outbox event, in the caller's transaction."""
        record_action(s, now, self.station_id, action, actor, detail, order_id)
