"""Storage errors. Adapters translate their driver's exceptions into these at the boundary."""

from __future__ import annotations


class StorageError(Exception):
    """Base class of every error a store raises on purpose."""


class AlreadyExists(StorageError):
    """A record with the same identity is already stored."""


class NotFound(StorageError):
    """The record asked for does not exist."""


class StorageUnavailable(StorageError):
    """The store cannot be reached or did not answer in time. The caller may retry."""
