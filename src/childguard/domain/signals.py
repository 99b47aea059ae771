"""Signals: what a detector observed, with evidence. A signal never chooses an action."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field

from childguard.domain.categories import Category


class SignalScope(enum.StrEnum):
    MESSAGE = "message"
    CONVERSATION = "conversation"


@dataclass(frozen=True, kw_only=True)
class Evidence:
    """One piece of evidence: a message, the category it supports, and why (human readable).

    ``cue`` is the machine name of the pattern family (for example ``secrecy`` or
    ``photo_request``); conversation detectors use it to follow stages over time.
    """

    message_id: str
    category: Category
    reason: str
    cue: str | None = None
    #: How strongly this piece of evidence supports the category by itself, in [0, 1].
    weight: float = 1.0


@dataclass(frozen=True, kw_only=True)
class StageMark:
    """A stage reached in a conversation's timeline (grooming: trust, isolation, ...)."""

    message_id: str
    category: Category
    stage: str


@dataclass(frozen=True, kw_only=True)
class Signal:
    """A detector's observation about a message or a whole conversation.

    ``score`` is in [0, 1]. ``actor_id`` is the account whose behaviour the signal is
    about (the sender of a harmful message, a suspected groomer) and ``target_ids`` the
    accounts it is aimed at; policies use both to apply age rules. For conversation
    signals, ``flagged`` and ``first_flagged_message_id`` say whether and from which
    message the detector's own calibrated threshold was crossed.
    """

    detector: str
    detector_version: str
    category: Category
    score: float
    scope: SignalScope
    subject_id: str
    evidence: tuple[Evidence, ...] = ()
    actor_id: str | None = None
    target_ids: tuple[str, ...] = ()
    flagged: bool = False
    first_flagged_message_id: str | None = None
    stages: tuple[StageMark, ...] = field(default=())
    explanation: str = ""

    def __post_init__(self) -> None:
        if not 0.0 <= self.score <= 1.0:
            raise ValueError(f"signal score must be within [0, 1], got {self.score!r}")
