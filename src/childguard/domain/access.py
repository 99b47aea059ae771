"""Access control values: API keys with scopes, and console sessions."""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass


class Scope(enum.StrEnum):
    INGEST = "ingest"
    REVIEW = "review"
    ADMIN = "admin"


@dataclass(frozen=True, kw_only=True)
class ApiKey:
    """A stored API key. Only a hash of the secret is kept; the secret is shown once at creation.

    ``admin`` implies every other scope.
    """

    key_id: str
    name: str
    scopes: frozenset[Scope]
    secret_hash: str
    created_at: dt.datetime
    revoked_at: dt.datetime | None = None

    @property
    def active(self) -> bool:
        return self.revoked_at is None

    def allows(self, scope: Scope) -> bool:
        return self.active and (scope in self.scopes or Scope.ADMIN in self.scopes)


@dataclass(frozen=True, kw_only=True)
class ConsoleSession:
    """A signed-in console session. The cookie carries ``session_id``; ``token_hash`` is what we keep."""

    session_id: str
    token_hash: str
    principal: str
    scopes: frozenset[Scope]
    csrf_token: str
    created_at: dt.datetime
    expires_at: dt.datetime

    def expired(self, now: dt.datetime) -> bool:
        return now >= self.expires_at
