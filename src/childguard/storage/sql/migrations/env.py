"""Alembic environment for childguard's SQL store.

Normally run by ``childguard.storage.sql.upgrade`` / ``SqlStore.upgrade``, which pass
an open connection in ``config.attributes["connection"]``; the upgrade then commits
or rolls back with that connection's transaction. Run from the ``alembic`` command
line instead, it connects to ``sqlalchemy.url`` (or ``CHILDGUARD_DATABASE_URL``).
"""

from __future__ import annotations

import os

from alembic import context
from sqlalchemy import text
from sqlalchemy.engine import Connection

from childguard.storage.sql.engine import create_store_engine, parse_url
from childguard.storage.sql.models import Base

# Any fixed number: every childguard process upgrading the same PostgreSQL database
# takes this advisory lock, so concurrent upgrades run one after the other.
_UPGRADE_LOCK_KEY = 0x63_68_67_64  # "chgd"


def _url() -> str:
    url = context.config.get_main_option("sqlalchemy.url") or os.environ.get("CHILDGUARD_DATABASE_URL")
    if not url:
        raise RuntimeError("set sqlalchemy.url or CHILDGUARD_DATABASE_URL to run migrations")
    return url


def _migrate(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=connection.dialect.name == "sqlite",  # SQLite alters tables by copying them
        compare_type=True,
    )
    with context.begin_transaction():
        if connection.dialect.name == "postgresql":
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _UPGRADE_LOCK_KEY})
        context.run_migrations()


def run_online() -> None:
    connection = context.config.attributes.get("connection")
    if connection is not None:
        _migrate(connection)
        return
    engine = create_store_engine(parse_url(_url()), timeout_s=30.0)
    try:
        with engine.begin() as own_connection:
            _migrate(own_connection)
    finally:
        engine.dispose()


def run_offline() -> None:
    context.configure(
        url=parse_url(_url()).render_as_string(hide_password=False), target_metadata=Base.metadata, literal_binds=True
    )
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    run_offline()
else:
    run_online()
