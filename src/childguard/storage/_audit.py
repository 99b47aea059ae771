"""Building the next audit entry, shared by every store so their chains are identical."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from collections.abc import Mapping
from typing import Any

from childguard.domain import AuditEvent
from childguard.storage.codec import require_aware


def next_audit_event(
    *,
    last_seq: int,
    last_hash: str,
    at: dt.datetime,
    actor: str,
    action: str,
    subject_type: str,
    subject_id: str,
    details: Mapping[str, Any] | None,
) -> AuditEvent:
    """The entry that follows ``(last_seq, last_hash)``, with its hash filled in.

    ``details`` are reduced to plain JSON first, the way ``AuditEvent.payload`` writes
    them (``default=str``), so the hash covers exactly what is stored and read back:
    a chain verifies the same before and after a round trip through any store.
    """
    plain = json.loads(json.dumps(dict(details or {}), default=str))
    draft = AuditEvent(
        seq=last_seq + 1,
        at=require_aware(at, "audit time"),
        actor=actor,
        action=action,
        subject_type=subject_type,
        subject_id=subject_id,
        details=plain,
        prev_hash=last_hash,
    )
    return dataclasses.replace(draft, hash=draft.compute_hash())
