"""What only the SQL store does: error translation at the boundary, timeouts, URLs, open_store."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable
from pathlib import Path

import pytest

from childguard.storage import (
    MemoryStore,
    StorageError,
    StorageUnavailable,
    open_store,
    upgrade_database,
)
from childguard.storage.sql import SqlStore

from . import builders as b


def test_an_unreachable_server_is_unavailable_not_a_driver_error() -> None:
    with pytest.raises(StorageUnavailable):
        SqlStore("postgresql+psycopg://postgres@127.0.0.1:1/test", timeout_s=2)


def test_a_database_without_the_schema_is_a_storage_error(
    tmp_path: Path, open_sql_store: Callable[..., SqlStore]
) -> None:
    store = open_sql_store(f"sqlite:///{tmp_path / 'empty.sqlite3'}", auto_upgrade=False)
    with pytest.raises(StorageError, match="upgraded") as raised, store.unit_of_work() as uow:
        uow.get_message("m1")
    assert not isinstance(raised.value, StorageUnavailable)


def test_a_schema_newer_than_this_code_is_a_storage_error(tmp_path: Path) -> None:
    path = tmp_path / "db.sqlite3"
    upgrade_database(f"sqlite:///{path}")
    with sqlite3.connect(path) as connection:
        connection.execute("UPDATE alembic_version SET version_num = '9999'")
    connection.close()
    with pytest.raises(StorageError, match="9999"):
        SqlStore(f"sqlite:///{path}")


def test_sqlite_locked_by_another_process_times_out_as_unavailable(
    tmp_path: Path, open_sql_store: Callable[..., SqlStore]
) -> None:
    path = tmp_path / "db.sqlite3"
    store = open_sql_store(f"sqlite:///{path}", auto_upgrade=True, timeout_s=0.2)
    other = sqlite3.connect(path, isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")  # what a writer in another process holds
        with pytest.raises(StorageUnavailable), store.unit_of_work():
            pass
        other.execute("ROLLBACK")
        with store.unit_of_work() as uow:  # and the store recovers once the lock is gone
            uow.add_message(b.message("m1"))
    finally:
        other.close()


@pytest.mark.parametrize("sql_url", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)], indirect=True)
def test_a_held_conversation_lock_times_out_as_unavailable(
    sql_url: str, open_sql_store: Callable[..., SqlStore]
) -> None:
    store = open_sql_store(sql_url, timeout_s=0.3)
    holding, release = threading.Event(), threading.Event()

    def hold() -> None:
        with store.unit_of_work(lock="c1"):
            holding.set()
            release.wait(10)

    holder = threading.Thread(target=hold)
    holder.start()
    try:
        assert holding.wait(10)
        with pytest.raises(StorageUnavailable), store.unit_of_work(lock="c1"):
            pass
    finally:
        release.set()
        holder.join()
    with store.unit_of_work(lock="c1") as uow:
        uow.add_message(b.message("m1"))


@pytest.mark.parametrize(
    "url", ["mysql://user@host/db", "mongodb://host", "no url at all", "sqlite+nosuchdriver:///x.db"]
)
def test_unsupported_urls_are_refused(url: str) -> None:
    with pytest.raises(ValueError):
        SqlStore(url)


def test_bare_postgresql_urls_use_psycopg() -> None:
    from childguard.storage.sql.engine import parse_url

    assert parse_url("postgresql://u@h/db").drivername == "postgresql+psycopg"


def test_open_store_picks_the_store_by_url(tmp_path: Path) -> None:
    assert isinstance(open_store(None), MemoryStore)
    assert isinstance(open_store("memory://"), MemoryStore)
    store = open_store(f"sqlite:///{tmp_path / 'db.sqlite3'}")
    try:
        assert isinstance(store, SqlStore)
        with store.unit_of_work() as uow:  # upgraded on open
            uow.add_message(b.message("m1"))
    finally:
        store.close()


def test_upgrade_database(tmp_path: Path) -> None:
    upgrade_database(None)
    upgrade_database("memory://")
    url = f"sqlite:///{tmp_path / 'db.sqlite3'}"
    upgrade_database(url)
    upgrade_database(url)
    store = open_store(url)
    try:
        with store.unit_of_work() as uow:
            assert uow.conversation_ids() == []
    finally:
        store.close()
