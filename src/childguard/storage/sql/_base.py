"""What every SQL repository shares: its session, typed query helpers, error translation."""

from __future__ import annotations

from typing import Any, TypeVar

from sqlalchemy import ColumnElement, Delete, Update, delete, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import InstrumentedAttribute, Session
from sqlalchemy.sql.base import Executable
from sqlalchemy.sql.selectable import TypedReturnsRows

from childguard.storage.sql.errors import translate_errors
from childguard.storage.sql.models import Base

R = TypeVar("R")

# Writes are DML statements, not changes to loaded objects, so a row already in the
# session's identity map could be stale; every read refreshes what it loads.
_FRESH: dict[str, Any] = {"populate_existing": True}


class SqlRepositoryBase:
    """One session (one transaction); usable only until its unit of work ends."""

    def __init__(self, session: Session, backend: str) -> None:
        self._session = session
        self._backend = backend
        self._open = True

    def _db(self) -> Session:
        if not self._open:
            raise RuntimeError("this unit of work has ended; open a new one")
        return self._session

    def _close(self) -> None:
        self._open = False

    def _insert(self, entity: type[Base]) -> postgresql.Insert | sqlite.Insert:
        """An INSERT that can say ``ON CONFLICT``: conflicts are answered without aborting the transaction."""
        return postgresql.insert(entity) if self._backend == "postgresql" else sqlite.insert(entity)

    def _by_code_point(self, column: InstrumentedAttribute[str]) -> ColumnElement[str]:
        """``column`` for ORDER BY in Python's ``sorted`` order, whatever the database collation.

        PostgreSQL sorts text by the database's locale (``en_US``: ``a`` < ``B``), SQLite
        and the memory store by code point; the "C" collation gives PostgreSQL the same.
        """
        return column.collate("C") if self._backend == "postgresql" else column.expression

    def _update(self, entity: type[Base]) -> Update:
        # Loaded objects need no synchronising: reads refresh them anyway (see _FRESH).
        return update(entity).execution_options(synchronize_session=False)

    def _delete(self, entity: type[Base]) -> Delete:
        return delete(entity).execution_options(synchronize_session=False)

    def _all(self, statement: TypedReturnsRows[R]) -> list[R]:
        with translate_errors():
            return list(self._db().scalars(statement, execution_options=_FRESH).all())

    def _one_or_none(self, statement: TypedReturnsRows[R]) -> R | None:
        with translate_errors():
            return self._db().scalars(statement, execution_options=_FRESH).one_or_none()

    def _run(self, statement: Executable) -> None:
        with translate_errors():
            self._db().execute(statement)
