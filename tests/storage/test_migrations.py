"""The hand-written migrations build exactly the schema the models describe."""

from __future__ import annotations

import datetime as dt
import re
import threading
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Index, create_engine, inspect, make_url, text

from childguard.domain.audit import GENESIS_HASH
from childguard.storage.sql import SqlStore, upgrade
from childguard.storage.sql.engine import parse_url
from childguard.storage.sql.migrate import alembic_config
from childguard.storage.sql.models import Base

from .conftest import SQL_KINDS, PostgresSchema


def _schema_diff(url: str) -> list[Any]:
    engine = create_engine(parse_url(url))
    try:
        with engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            return list(compare_metadata(context, Base.metadata))
    finally:
        engine.dispose()


def _normalised(predicate: object) -> str:
    return re.sub(r"[\s()]", "", str(predicate)).lower()


@pytest.mark.parametrize("sql_url", SQL_KINDS, indirect=True)
def test_migrations_build_the_models_schema(sql_url: str) -> None:
    assert _schema_diff(sql_url) == []


@pytest.mark.parametrize("sql_url", SQL_KINDS, indirect=True)
def test_partial_indexes_keep_their_condition(sql_url: str) -> None:
    # Autogenerate does not compare index conditions; without one the index would cover every row.
    backend = parse_url(sql_url).get_backend_name()
    expected = {
        index.name: _normalised(index.dialect_options[backend]["where"])
        for table in Base.metadata.tables.values()
        for index in table.indexes
        if isinstance(index, Index) and index.dialect_options[backend]["where"] is not None
    }
    assert expected, "the models are expected to have partial indexes"
    engine = create_engine(parse_url(sql_url))
    try:
        inspector = inspect(engine)
        found = {
            index["name"]: _normalised(index.get("dialect_options", {}).get(f"{backend}_where"))
            for table in Base.metadata.tables
            for index in inspector.get_indexes(table)
            if index["name"] in expected
        }
    finally:
        engine.dispose()
    assert found == expected


@pytest.mark.parametrize("sql_url", SQL_KINDS, indirect=True)
def test_upgrade_seeds_the_audit_head_and_is_idempotent(sql_url: str) -> None:
    upgrade(sql_url)  # already at head: nothing to do
    engine = create_engine(parse_url(sql_url))
    try:
        with engine.connect() as connection:
            rows = connection.execute(text("SELECT id, last_seq, last_hash FROM audit_head")).all()
            version = connection.execute(text("SELECT version_num FROM alembic_version")).scalar_one()
    finally:
        engine.dispose()
    assert [tuple(r) for r in rows] == [(1, 0, GENESIS_HASH)]
    assert version == "0002"


def _upgrade_at_once(url: str, times: int = 4) -> None:
    start = threading.Barrier(times)

    def run() -> None:
        start.wait()
        upgrade(url)

    with ThreadPoolExecutor(times) as pool:
        for future in [pool.submit(run) for _ in range(times)]:
            future.result()


def test_concurrent_upgrades_of_a_new_sqlite_database(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'new.sqlite3'}"
    _upgrade_at_once(url)
    assert _schema_diff(url) == []


@pytest.mark.postgres
def test_concurrent_upgrades_of_a_new_postgres_schema(postgres_schema: PostgresSchema) -> None:
    schema = f"childguard_test_{uuid.uuid4().hex[:12]}"
    with postgres_schema.admin.begin() as connection:
        connection.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
    try:
        url = make_url(postgres_schema.url).update_query_dict({"options": f"-csearch_path={schema}"})
        _upgrade_at_once(url.render_as_string(hide_password=False))
        assert _schema_diff(url.render_as_string(hide_password=False)) == []
    finally:
        with postgres_schema.admin.begin() as connection:
            connection.exec_driver_sql(f'DROP SCHEMA "{schema}" CASCADE')


def test_downgrade_to_base_and_back(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'db.sqlite3'}"
    upgrade(url)
    engine = create_engine(parse_url(url))
    try:
        with engine.begin() as connection:
            command.downgrade(alembic_config(connection), "base")
        assert set(inspect(engine).get_table_names()) == {"alembic_version"}
    finally:
        engine.dispose()
    upgrade(url)
    assert _schema_diff(url) == []


def test_a_new_store_upgrades_itself(tmp_path: Path, open_sql_store: Callable[..., SqlStore]) -> None:
    url = f"sqlite:///{tmp_path / 'fresh.sqlite3'}"
    store = open_sql_store(url, auto_upgrade=True)
    with store.unit_of_work() as uow:
        event = uow.append_audit(at=dt.datetime.now(dt.UTC), actor="a", action="x", subject_type="t", subject_id="1")
    assert event.seq == 1
    assert _schema_diff(url) == []


def test_the_in_memory_sqlite_database_works(open_sql_store: Callable[..., SqlStore]) -> None:
    store = open_sql_store("sqlite://", auto_upgrade=True)
    with store.unit_of_work() as uow:
        uow.append_audit(at=dt.datetime.now(dt.UTC), actor="a", action="x", subject_type="t", subject_id="1")
    with store.unit_of_work() as uow:
        assert [e.seq for e in uow.audit_events()] == [1]
