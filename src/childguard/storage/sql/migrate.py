"""Schema upgrades with Alembic, run from code: no alembic.ini is needed at runtime."""

from __future__ import annotations

import threading

from alembic import command
from alembic.config import Config
from alembic.util import CommandError
from sqlalchemy.engine import Connection

from childguard.storage.errors import StorageError
from childguard.storage.sql.engine import create_store_engine, parse_url
from childguard.storage.sql.errors import translate_errors

# Alembic keeps the running migration environment in module globals (alembic.context,
# alembic.op), so two upgrades in threads of one process would trample each other.
_ALEMBIC_IN_USE = threading.Lock()

#: Where the migration scripts live, as a package resource (works from a wheel too).
SCRIPT_LOCATION = "childguard.storage.sql:migrations"


def alembic_config(connection: Connection | None = None) -> Config:
    """An Alembic configuration for our scripts; ``connection``, if given, is the one env.py uses."""
    config = Config()
    config.set_main_option("script_location", SCRIPT_LOCATION)
    config.set_main_option("path_separator", "os")
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def upgrade_connection(connection: Connection, revision: str = "head") -> None:
    """Upgrade the schema through ``connection``, inside its current transaction.

    ``StorageError`` when Alembic cannot, typically because the database was migrated
    by a newer childguard whose revisions this one does not know.
    """
    try:
        with _ALEMBIC_IN_USE:
            command.upgrade(alembic_config(connection), revision)
    except CommandError as e:
        raise StorageError(f"cannot upgrade the database schema: {e}") from e


def upgrade(url: str, revision: str = "head", *, timeout_s: float = 30.0) -> None:
    """Bring the database at ``url`` to ``revision`` (the newest by default).

    Safe to run from several processes and threads at once: on PostgreSQL the upgrade
    holds an advisory lock, on SQLite a write transaction, so one upgrades and the
    others then find nothing left to do.
    """
    engine = create_store_engine(parse_url(url), timeout_s=timeout_s)
    try:
        with translate_errors(), engine.begin() as connection:
            upgrade_connection(connection, revision)
    finally:
        engine.dispose()
