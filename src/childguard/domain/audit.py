"""A tamper-evident audit trail: every entry is chained to the previous one by a hash.

Editing or deleting any entry changes the hash of every later one, so
``verify_chain`` finds it. The hash covers a canonical JSON form, so it is the same
on every store and every platform.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

GENESIS_HASH = "0" * 64


@dataclass(frozen=True, kw_only=True)
class AuditEvent:
    seq: int
    at: dt.datetime
    actor: str
    action: str
    subject_type: str
    subject_id: str
    details: Mapping[str, Any] = field(default_factory=dict)
    prev_hash: str = GENESIS_HASH
    hash: str = ""

    def payload(self) -> str:
        body = {
            "seq": self.seq,
            "at": self.at.astimezone(dt.UTC).isoformat(),
            "actor": self.actor,
            "action": self.action,
            "subject_type": self.subject_type,
            "subject_id": self.subject_id,
            "details": self.details,
            "prev_hash": self.prev_hash,
        }
        return json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)

    def compute_hash(self) -> str:
        return hashlib.sha256(self.payload().encode("utf-8")).hexdigest()


def chain(
    *,
    prev: AuditEvent | None,
    at: dt.datetime,
    actor: str,
    action: str,
    subject_type: str,
    subject_id: str,
    details: Mapping[str, Any] | None = None,
) -> AuditEvent:
    """Build the entry that follows ``prev`` (or the first one), with its hash filled in."""
    draft = AuditEvent(
        seq=(prev.seq + 1) if prev else 1,
        at=at,
        actor=actor,
        action=action,
        subject_type=subject_type,
        subject_id=subject_id,
        details=dict(details or {}),
        prev_hash=prev.hash if prev else GENESIS_HASH,
    )
    return AuditEvent(**{**draft.__dict__, "hash": draft.compute_hash()})


@dataclass(frozen=True)
class ChainProblem:
    seq: int
    problem: str


def verify_chain(events: Iterable[AuditEvent]) -> list[ChainProblem]:
    """Every break in the chain: edited entries, deleted entries, reordered entries."""
    problems: list[ChainProblem] = []
    expected_prev = GENESIS_HASH
    expected_seq = 1
    for ev in events:
        if ev.seq != expected_seq:
            problems.append(ChainProblem(ev.seq, f"expected entry {expected_seq}: entries missing or reordered"))
        if ev.prev_hash != expected_prev:
            problems.append(
                ChainProblem(ev.seq, "does not link to the previous entry (an entry was removed or edited)")
            )
        if ev.compute_hash() != ev.hash:
            problems.append(ChainProblem(ev.seq, "content does not match its hash (the entry was edited)"))
        expected_prev = ev.hash
        expected_seq = ev.seq + 1
    return problems
