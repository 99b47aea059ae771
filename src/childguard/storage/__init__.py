"""Storage: narrow interfaces (interfaces.py), an in-memory store and a SQL store.

``open_store(url)`` is the one way the application gets a store; the SQL package
(and with it SQLAlchemy) is imported only when a database URL asks for it.
"""

from __future__ import annotations

from childguard.storage.errors import AlreadyExists, NotFound, StorageError, StorageUnavailable
from childguard.storage.interfaces import Store, StoredDecision, UnitOfWork
from childguard.storage.memory import MemoryStore

#: The URL that names the in-memory store.
MEMORY_URL = "memory://"


def open_store(url: str | None = None) -> Store:
    """The store named by ``url``: ``None`` or ``memory://`` -> ``MemoryStore``.

    Anything else is a SQLAlchemy database URL (``sqlite:///childguard.db``,
    ``postgresql+psycopg://user@host/db``) opened as a ``SqlStore``, its schema
    upgraded to the newest revision. ``ValueError`` for an unsupported URL,
    ``StorageUnavailable`` when the database cannot be reached.
    """
    if url is None or url == MEMORY_URL:
        return MemoryStore()
    from childguard.storage.sql import SqlStore  # lazily: SQLAlchemy only when a database is used

    return SqlStore(url)


def upgrade_database(url: str | None) -> None:
    """Bring the schema of the database at ``url`` to the newest revision.

    Nothing to do for the memory store. Safe to run while other processes use or
    upgrade the same database.
    """
    if url is None or url == MEMORY_URL:
        return
    from childguard.storage.sql import upgrade

    upgrade(url)


__all__ = [
    "MEMORY_URL",
    "AlreadyExists",
    "MemoryStore",
    "NotFound",
    "StorageError",
    "StorageUnavailable",
    "Store",
    "StoredDecision",
    "UnitOfWork",
    "open_store",
    "upgrade_database",
]
