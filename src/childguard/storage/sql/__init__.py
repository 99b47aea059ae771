"""The SQL store: the only package that imports SQLAlchemy."""

from childguard.storage.sql.migrate import upgrade
from childguard.storage.sql.store import SqlStore, SqlUnitOfWork

__all__ = ["SqlStore", "SqlUnitOfWork", "upgrade"]
