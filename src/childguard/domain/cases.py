"""Review cases and their lifecycle."""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass, replace


class CaseStatus(enum.StrEnum):
    OPEN = "open"
    IN_REVIEW = "in_review"
    ESCALATED = "escalated"
    RESOLVED = "resolved"


class Priority(enum.StrEnum):
    P0 = "p0"
    P1 = "p1"
    P2 = "p2"
    P3 = "p3"

    @property
    def rank(self) -> int:
        """0 is the most urgent."""
        return int(self.value[1])


# Which status may follow which. Resolved cases can be reopened (new evidence, appeal).
_TRANSITIONS: dict[CaseStatus, frozenset[CaseStatus]] = {
    CaseStatus.OPEN: frozenset({CaseStatus.IN_REVIEW, CaseStatus.ESCALATED, CaseStatus.RESOLVED}),
    CaseStatus.IN_REVIEW: frozenset({CaseStatus.OPEN, CaseStatus.ESCALATED, CaseStatus.RESOLVED}),
    CaseStatus.ESCALATED: frozenset({CaseStatus.IN_REVIEW, CaseStatus.RESOLVED}),
    CaseStatus.RESOLVED: frozenset({CaseStatus.OPEN}),
}

#: Statuses in which a case still needs a human.
ACTIVE_STATUSES = frozenset({CaseStatus.OPEN, CaseStatus.IN_REVIEW, CaseStatus.ESCALATED})


class InvalidTransition(ValueError):
    """A case was asked to move to a status that cannot follow its current one."""


@dataclass(frozen=True, kw_only=True)
class Case:
    """A conversation put in front of human reviewers. At most one active case per conversation."""

    case_id: str
    conversation_id: str
    category: str
    priority: Priority
    queue: str
    status: CaseStatus
    risk_score: float
    rules: tuple[str, ...]
    opened_at: dt.datetime
    updated_at: dt.datetime
    assignee: str | None = None
    escalated: bool = False

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_STATUSES

    def can_move_to(self, status: CaseStatus) -> bool:
        return status in _TRANSITIONS[self.status]

    def transition(self, status: CaseStatus, *, at: dt.datetime) -> Case:
        if not self.can_move_to(status):
            raise InvalidTransition(f"case {self.case_id}: cannot move from {self.status} to {status}")
        return replace(
            self,
            status=status,
            updated_at=at,
            escalated=self.escalated or status is CaseStatus.ESCALATED,
        )

    def raise_to(
        self, *, priority: Priority, risk_score: float, rules: tuple[str, ...], category: str, at: dt.datetime
    ) -> Case:
        """Fold a newer decision into an open case: priority and score only go up; rules accumulate."""
        more_urgent = priority.rank < self.priority.rank
        merged_rules = tuple(dict.fromkeys(self.rules + rules))
        return replace(
            self,
            priority=priority if more_urgent else self.priority,
            category=category if more_urgent or risk_score > self.risk_score else self.category,
            risk_score=max(self.risk_score, risk_score),
            rules=merged_rules,
            updated_at=at,
        )
