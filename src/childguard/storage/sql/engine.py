"""Engines configured for how childguard uses each database.

SQLite: every transaction starts with ``BEGIN IMMEDIATE`` (pysqlite's own BEGIN is
turned off, SQLAlchemy's documented recipe), so each unit of work takes the write lock
up front and waits for it on the busy timeout. A transaction that started as a reader
and writes later cannot wait (SQLite would deadlock) and fails with "database is
locked" instead. WAL keeps readers outside childguard unblocked; ``synchronous=FULL``
makes a commit durable when it returns.

PostgreSQL: ``lock_timeout`` bounds how long a unit of work waits for a conversation
lock or the audit head, so a stuck writer turns into ``StorageUnavailable``.
"""

from __future__ import annotations

import sqlite3
import time
from typing import Any

from sqlalchemy import create_engine, event
from sqlalchemy.engine import URL, Connection, Engine, make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError
from sqlalchemy.pool import StaticPool

from childguard.storage.errors import StorageError

SUPPORTED_BACKENDS = ("sqlite", "postgresql")


def parse_url(url: str) -> URL:
    """The SQLAlchemy URL for ``url``; ``ValueError`` when it is malformed or unsupported.

    A bare ``postgresql://`` URL selects psycopg 3 (SQLAlchemy would pick psycopg2).
    """
    try:
        parsed = make_url(url)
    except ArgumentError as e:
        raise ValueError(f"not a database URL: {url!r}") from e
    if parsed.drivername == "postgresql":
        parsed = parsed.set(drivername="postgresql+psycopg")
    if parsed.get_backend_name() not in SUPPORTED_BACKENDS:
        raise ValueError(f"unsupported database {parsed.get_backend_name()!r}; use sqlite or postgresql")
    try:
        parsed.get_dialect()
    except NoSuchModuleError as e:
        raise ValueError(f"unknown database driver {parsed.drivername!r}") from e
    return parsed


def is_in_memory_sqlite(url: URL) -> bool:
    return url.get_backend_name() == "sqlite" and url.database in (None, "", ":memory:")


def create_store_engine(url: URL, *, timeout_s: float) -> Engine:
    """A new engine for ``url``; it connects only when first used."""
    if url.get_backend_name() == "sqlite":
        return _sqlite_engine(url, timeout_s)
    return _postgresql_engine(url, timeout_s)


def _sqlite_engine(url: URL, timeout_s: float) -> Engine:
    connect_args: dict[str, Any] = {"timeout": timeout_s, "check_same_thread": False}
    if is_in_memory_sqlite(url):
        # One connection for the life of the engine, or every connection would see its own database.
        engine = create_engine(url, connect_args=connect_args, poolclass=StaticPool)
    else:
        engine = create_engine(url, connect_args=connect_args)

    @event.listens_for(engine, "connect")
    def _configure(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # SQLAlchemy emits BEGIN, see _begin_immediate
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute(f"PRAGMA busy_timeout={int(timeout_s * 1000)}")
            cursor.execute("PRAGMA synchronous=FULL")
            _use_wal(cursor, timeout_s)
        finally:
            cursor.close()

    @event.listens_for(engine, "begin")
    def _begin_immediate(connection: Connection) -> None:
        connection.exec_driver_sql("BEGIN IMMEDIATE")

    return engine


def _use_wal(cursor: sqlite3.Cursor, timeout_s: float) -> None:
    """Switch the database file to WAL (a setting kept in the file), waiting out other connections.

    The switch needs the database to itself and SQLite does not call the busy handler
    for it, so two processes opening a new database at once would see "database is
    locked"; retry until the timeout instead.
    """
    deadline = time.monotonic() + timeout_s
    while True:
        try:
            if cursor.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
                cursor.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as e:
            if "locked" not in str(e) or time.monotonic() >= deadline:
                raise
            time.sleep(0.01)


def _postgresql_engine(url: URL, timeout_s: float) -> Engine:
    try:
        engine = create_engine(
            url,
            pool_pre_ping=True,  # a restarted server must not fail the next unit of work
            connect_args={"connect_timeout": max(1, round(timeout_s))},
        )
    except ImportError as e:
        raise StorageError(f"{e}: PostgreSQL needs the driver, pip install 'childguard[postgres]'") from e

    @event.listens_for(engine, "connect")
    def _configure(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute(f"SET lock_timeout = {int(timeout_s * 1000)}")
        finally:
            cursor.close()
        dbapi_connection.commit()

    return engine
