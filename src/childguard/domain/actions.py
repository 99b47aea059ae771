"""Records of effects that were carried out (the action log)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True, kw_only=True)
class ActionRecord:
    """One effect carried out. ``idempotency_key`` makes re-running the same decision harmless."""

    action_id: str
    idempotency_key: str
    kind: str
    conversation_id: str
    message_id: str | None
    actor_id: str | None
    target_ids: tuple[str, ...]
    params: Mapping[str, Any] = field(default_factory=dict)
    rules: tuple[str, ...] = ()
    decision_id: str | None = None
    case_id: str | None = None
    at: dt.datetime
