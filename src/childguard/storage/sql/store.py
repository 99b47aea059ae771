"""``SqlStore``: the ``Store`` on SQLite or PostgreSQL."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext, suppress

from sqlalchemy import exc, select
from sqlalchemy.dialects import postgresql
from sqlalchemy.orm import Session

from childguard.storage.errors import StorageUnavailable
from childguard.storage.interfaces import Store, UnitOfWork
from childguard.storage.sql.engine import create_store_engine, parse_url
from childguard.storage.sql.errors import translate_errors
from childguard.storage.sql.event_repositories import SqlEventRepositories
from childguard.storage.sql.migrate import upgrade_connection
from childguard.storage.sql.models import ConversationLockRow
from childguard.storage.sql.review_repositories import SqlReviewRepositories


class SqlUnitOfWork(SqlEventRepositories, SqlReviewRepositories, UnitOfWork):
    """Every repository bound to one database transaction. Use it from one thread only."""

    def _lock_conversation(self, conversation_id: str) -> None:
        # Insert-if-missing, then lock: the row exists for SELECT ... FOR UPDATE to wait on
        # even for a conversation nobody has locked before.
        self._run(
            postgresql.insert(ConversationLockRow).values(conversation_id=conversation_id).on_conflict_do_nothing()
        )
        self._one_or_none(
            select(ConversationLockRow.conversation_id)
            .where(ConversationLockRow.conversation_id == conversation_id)
            .with_for_update()
        )


class SqlStore(Store):
    """A ``Store`` on SQLite (``sqlite:///path``) or PostgreSQL (``postgresql+psycopg://...``).

    The engine is created here, not at import; nothing connects until the schema
    upgrade (``auto_upgrade``, on by default) or the first unit of work. Conversation
    locks: on PostgreSQL a row lock in ``conversation_locks``; on SQLite every unit of
    work is a write transaction (``BEGIN IMMEDIATE``), so all of them run one at a time.
    ``timeout_s`` bounds waits for locks (and, on PostgreSQL, for connecting); running
    out raises ``StorageUnavailable``. Units of work do not nest (``RuntimeError``).
    """

    def __init__(self, url: str, *, auto_upgrade: bool = True, timeout_s: float = 30.0) -> None:
        self._url = parse_url(url)
        self.backend = self._url.get_backend_name()
        self._timeout_s = timeout_s
        self._engine = create_store_engine(self._url, timeout_s=timeout_s)
        # SQLite lets one writer in at a time anyway; threads of this process queue on a
        # lock, handed over at once, instead of polling in SQLite's busy handler. Other
        # processes still wait on the busy timeout.
        self._sqlite_turn = threading.Lock() if self.backend == "sqlite" else None
        self._local = threading.local()
        self._closed = False
        if auto_upgrade:
            try:
                self.upgrade()
            except BaseException:
                self._engine.dispose()
                raise

    def upgrade(self, revision: str = "head") -> None:
        """Bring the schema to ``revision`` (see ``childguard.storage.sql.upgrade``)."""
        with translate_errors(), self._engine.begin() as connection:
            upgrade_connection(connection, revision)

    @contextmanager
    def unit_of_work(self, *, lock: str | None = None) -> Iterator[SqlUnitOfWork]:
        if self._closed:
            raise RuntimeError("the store is closed")
        if getattr(self._local, "active", False):
            raise RuntimeError("units of work do not nest; finish the open one first")
        self._local.active = True
        try:
            with self._turn():
                session = Session(self._engine, autoflush=False, expire_on_commit=False)
                uow = SqlUnitOfWork(session, self.backend)
                try:
                    with translate_errors():
                        session.connection()  # BEGIN now (IMMEDIATE on SQLite), not at the first query
                    if lock is not None and self.backend == "postgresql":
                        uow._lock_conversation(lock)
                    yield uow
                    uow._close()
                    with translate_errors():
                        session.commit()
                except BaseException:
                    uow._close()
                    _quietly(session.rollback)
                    raise
                finally:
                    _quietly(session.close)
        finally:
            self._local.active = False

    def _turn(self) -> AbstractContextManager[object]:
        if self._sqlite_turn is None:
            return nullcontext()
        return _acquired(self._sqlite_turn, self._timeout_s)

    def close(self) -> None:
        """Close every pooled connection. The store cannot be used afterwards."""
        self._closed = True
        self._engine.dispose()


@contextmanager
def _acquired(lock: threading.Lock, timeout_s: float) -> Iterator[None]:
    if not lock.acquire(timeout=timeout_s):
        raise StorageUnavailable(f"no turn to write within {timeout_s:g}s (another unit of work holds the database)")
    try:
        yield
    finally:
        lock.release()


def _quietly(cleanup: Callable[[], object]) -> None:
    # After a failure, cleaning up must not hide the error that caused it; the pool
    # discards a connection whose rollback failed.
    with suppress(exc.SQLAlchemyError):
        cleanup()
