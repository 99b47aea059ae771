"""Stores for the contract tests: memory, SQLite (a file per test) and PostgreSQL.

PostgreSQL comes from ``CHILDGUARD_TEST_POSTGRES_URL`` (default: a local server,
database ``test``). Each test session migrates a fresh, uniquely named schema once
and empties its tables before every test; the schema is dropped at the end. When the
server cannot be reached, PostgreSQL tests are skipped, or fail if
``CHILDGUARD_REQUIRE_POSTGRES=1`` (set it in CI so they cannot silently vanish).
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import OperationalError

from childguard.domain.audit import GENESIS_HASH
from childguard.storage import MemoryStore, Store
from childguard.storage.sql import SqlStore, upgrade
from childguard.storage.sql.engine import parse_url
from childguard.storage.sql.models import AUDIT_HEAD_ID, Base

DEFAULT_POSTGRES_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"

STORE_KINDS = ["memory", "sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
SQL_KINDS = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]


def _server_url() -> str:
    return os.environ.get("CHILDGUARD_TEST_POSTGRES_URL") or DEFAULT_POSTGRES_URL


class PostgresSchema:
    """A throwaway schema: ``url`` points the store at it through ``search_path``."""

    def __init__(self, admin: Engine, url: str) -> None:
        self.admin = admin
        self.url = url

    def empty(self) -> None:
        # DELETE, not TRUNCATE: on a handful of rows it is several times faster, and
        # the tests never depend on sequences restarting.
        with self.admin.begin() as connection:
            for table in Base.metadata.sorted_tables:
                if table.name != "audit_head":
                    connection.execute(table.delete())
            connection.execute(
                text("UPDATE audit_head SET last_seq = 0, last_hash = :genesis WHERE id = :id"),
                {"genesis": GENESIS_HASH, "id": AUDIT_HEAD_ID},
            )


@pytest.fixture(scope="session")
def postgres_schema() -> Iterator[PostgresSchema]:
    server = parse_url(_server_url())
    probe = create_engine(server, connect_args={"connect_timeout": 3})
    try:
        with probe.connect():
            pass
    except OperationalError as e:
        probe.dispose()
        reason = f"PostgreSQL not reachable at {server.render_as_string()}: {str(e.orig).strip().splitlines()[0]}"
        if os.environ.get("CHILDGUARD_REQUIRE_POSTGRES") == "1":
            pytest.fail(reason + " (CHILDGUARD_REQUIRE_POSTGRES=1)", pytrace=False)
        pytest.skip(reason)
    schema = f"childguard_test_{uuid.uuid4().hex[:12]}"
    with probe.begin() as connection:
        connection.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
    url = server.update_query_dict({"options": f"-csearch_path={schema}"})
    admin = create_engine(url)
    try:
        upgrade(url.render_as_string(hide_password=False))
        yield PostgresSchema(admin, url.render_as_string(hide_password=False))
    finally:
        admin.dispose()
        with probe.begin() as connection:
            connection.exec_driver_sql(f'DROP SCHEMA "{schema}" CASCADE')
        probe.dispose()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated SQLite file; each test copies it instead of migrating again."""
    path = tmp_path_factory.mktemp("sqlite-template") / "template.sqlite3"
    upgrade(f"sqlite:///{path}")  # the engine is disposed, so the WAL is folded back into the file
    return path


def _fresh_url(request: pytest.FixtureRequest, kind: str, tmp_path: Path) -> str:
    if kind == "sqlite":
        path = tmp_path / "store.sqlite3"
        shutil.copyfile(request.getfixturevalue("sqlite_template"), path)
        return f"sqlite:///{path}"
    schema: PostgresSchema = request.getfixturevalue("postgres_schema")
    schema.empty()
    return schema.url


@pytest.fixture
def sql_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """An empty, migrated database of the kind in the test's parameter (``indirect=True``)."""
    return _fresh_url(request, request.param, tmp_path)


@pytest.fixture
def open_sql_store() -> Iterator[Callable[..., SqlStore]]:
    """Opens SQL stores that are closed when the test ends."""
    opened: list[SqlStore] = []

    def _open(url: str, *, auto_upgrade: bool = False, timeout_s: float = 30.0) -> SqlStore:
        store = SqlStore(url, auto_upgrade=auto_upgrade, timeout_s=timeout_s)
        opened.append(store)
        return store

    yield _open
    for store in opened:
        store.close()


@pytest.fixture(params=STORE_KINDS)
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    """An empty store of each kind; the contract tests run once per kind."""
    if request.param == "memory":
        memory = MemoryStore()
        yield memory
        memory.close()
        return
    url = _fresh_url(request, request.param, tmp_path)
    sql = SqlStore(url, auto_upgrade=False)
    yield sql
    sql.close()
