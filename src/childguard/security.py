"""API key and session token handling. Secrets are shown once and only their hashes are stored.

A key looks like ``cgk_<key id>_<secret>``. The key id finds the record; the secret is
compared by hash in constant time. Secrets carry 192 bits of randomness, so a plain
SHA-256 is enough (a slow password hash protects low-entropy passwords, not these).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from collections.abc import Iterable

from childguard.domain.access import ApiKey, Scope

KEY_PREFIX = "cgk"


class InvalidScope(ValueError):
    pass


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def parse_scopes(values: Iterable[str]) -> frozenset[Scope]:
    out = set()
    for v in values:
        for part in v.split(","):
            part = part.strip()
            if not part:
                continue
            try:
                out.add(Scope(part))
            except ValueError:
                raise InvalidScope(
                    f"unknown scope {part!r} (expected one of {', '.join(s.value for s in Scope)})"
                ) from None
    if not out:
        raise InvalidScope("give at least one scope")
    return frozenset(out)


def new_api_key(name: str, scopes: frozenset[Scope], now: dt.datetime) -> tuple[ApiKey, str]:
    """A new key record and the full key string to hand to the user (shown once)."""
    key_id = secrets.token_hex(6)
    secret = secrets.token_urlsafe(24)
    record = ApiKey(key_id=key_id, name=name, scopes=scopes, secret_hash=hash_secret(secret), created_at=now)
    return record, f"{KEY_PREFIX}_{key_id}_{secret}"


def split_api_key(token: str) -> tuple[str, str] | None:
    """``(key_id, secret)`` from a presented key, or None when it is not shaped like one."""
    parts = token.strip().split("_", 2)
    if len(parts) != 3 or parts[0] != KEY_PREFIX or not parts[1] or not parts[2]:
        return None
    return parts[1], parts[2]


def secret_matches(record: ApiKey, secret: str) -> bool:
    return hmac.compare_digest(record.secret_hash, hash_secret(secret))


def new_token() -> str:
    return secrets.token_urlsafe(32)
