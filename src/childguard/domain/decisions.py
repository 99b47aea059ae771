"""Decisions made of effects. Each effect remembers the policy rules that caused it.

Effects are intentions ("open a case", "hold this message"); ``childguard.actions``
carries them out. Keeping the two apart lets a policy be explained, replayed and
tested without touching any store.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any


class EffectKind(enum.StrEnum):
    OPEN_CASE = "open_case"
    HOLD_MESSAGE = "hold_message"
    BLOCK_MESSAGE = "block_message"
    RESTRICT_CONTACT = "restrict_contact"
    SHOW_HELP = "show_help"
    NOTIFY_GUARDIAN = "notify_guardian"
    ESCALATE = "escalate"


@dataclass(frozen=True, kw_only=True)
class Effect:
    """One thing the policy wants done, bound to the accounts and message it concerns."""

    kind: EffectKind
    params: Mapping[str, Any] = field(default_factory=dict)
    rules: tuple[str, ...] = ()
    category: str | None = None
    actor_id: str | None = None
    target_ids: tuple[str, ...] = ()
    message_id: str | None = None

    def key(self) -> tuple[object, ...]:
        """Identity used to merge the same effect asked for by several rules."""
        return (
            self.kind,
            tuple(sorted((k, str(v)) for k, v in self.params.items())),
            self.actor_id,
            self.target_ids,
            self.message_id,
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind.value,
            "params": dict(self.params),
            "rules": list(self.rules),
            "category": self.category,
            "actor_id": self.actor_id,
            "target_ids": list(self.target_ids),
            "message_id": self.message_id,
        }


@dataclass(frozen=True, kw_only=True)
class Decision:
    """The policy's answer for one evaluation: effects plus the versions that produced them."""

    conversation_id: str
    effects: tuple[Effect, ...]
    fired_rules: tuple[str, ...]
    policy_name: str
    policy_version: str
    message_id: str | None = None
    decided_at: dt.datetime | None = None

    @property
    def actions(self) -> tuple[str, ...]:
        """Names of the distinct effect kinds, in the order of ``EffectKind``."""
        kinds = {e.kind for e in self.effects}
        return tuple(k.value for k in EffectKind if k in kinds)

    def to_dict(self) -> dict[str, Any]:
        return {
            "conversation_id": self.conversation_id,
            "message_id": self.message_id,
            "actions": list(self.actions),
            "effects": [e.to_dict() for e in self.effects],
            "fired_rules": list(self.fired_rules),
            "policy": {"name": self.policy_name, "version": self.policy_version},
            "decided_at": self.decided_at.isoformat() if self.decided_at else None,
        }
