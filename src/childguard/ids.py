"""Identifiers: time-ordered, random, with a readable prefix (``case_0190f3c2a1b7e4d9c1f2``)."""

from __future__ import annotations

import secrets
import time


def new_id(prefix: str) -> str:
    """A new id that sorts by creation time (millisecond resolution) and cannot be guessed."""
    return f"{prefix}_{int(time.time() * 1000):012x}{secrets.token_hex(5)}"
