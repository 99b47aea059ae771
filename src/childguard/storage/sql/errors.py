"""Translation of SQLAlchemy and driver exceptions into ``childguard.storage.errors``.

Every call into SQLAlchemy made by this package runs inside ``translate_errors()``,
so nothing from SQLAlchemy or the drivers reaches the service or the web layer.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import exc

from childguard.storage.errors import AlreadyExists, StorageError, StorageUnavailable


@contextmanager
def translate_errors() -> Iterator[None]:
    """Re-raise database errors as storage errors.

    * a unique or other integrity violation -> ``AlreadyExists``;
    * lost or refused connections, lock and busy timeouts, deadlocks, pool exhaustion
      -> ``StorageUnavailable`` (worth retrying);
    * a value that could not be converted for the database (a naive datetime, a
      value that is not JSON) -> the original ``ValueError`` or ``TypeError``, as the
      memory store raises it;
    * anything else -> ``StorageError``.
    """
    try:
        yield
    except exc.IntegrityError as e:
        raise AlreadyExists(_first_line(e)) from e
    except exc.OperationalError as e:
        if _is_missing_schema(e):
            raise StorageError(f"{_first_line(e)} (has the schema been upgraded?)") from e
        raise StorageUnavailable(_first_line(e)) from e
    except exc.TimeoutError as e:  # no pooled connection came free in time
        raise StorageUnavailable(str(e)) from e
    except exc.DBAPIError as e:
        if e.connection_invalidated:
            raise StorageUnavailable(_first_line(e)) from e
        raise StorageError(_first_line(e)) from e
    except exc.StatementError as e:
        if isinstance(e.orig, (TypeError, ValueError)):
            raise e.orig from None
        raise StorageError(_first_line(e)) from e
    except exc.SQLAlchemyError as e:
        raise StorageError(str(e)) from e


def _first_line(error: exc.StatementError) -> str:
    # The driver's message without the SQL statement and parameters that follow it:
    # parameters can hold message text, which must not end up in logs by accident.
    return str(error.orig if error.orig is not None else error).strip().splitlines()[0]


def _is_missing_schema(error: exc.OperationalError) -> bool:
    # SQLite reports a missing table as an OperationalError; it is not worth retrying.
    return "no such table" in str(error.orig) or "no such column" in str(error.orig)
