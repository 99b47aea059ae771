"""The domain core: plain frozen values and rules about them. Standard library only."""

from childguard.domain.ages import AgeBand
from childguard.domain.audit import AuditEvent, ChainProblem, chain, verify_chain
from childguard.domain.cases import ACTIVE_STATUSES, Case, CaseStatus, InvalidTransition, Priority
from childguard.domain.categories import ALL_CATEGORIES, NO_CATEGORY, SEVERITY_ORDER, Category
from childguard.domain.decisions import Decision, Effect, EffectKind
from childguard.domain.events import Account, Conversation, Event, Message
from childguard.domain.signals import Evidence, Signal, SignalScope, StageMark
from childguard.domain.verdicts import Verdict

__all__ = [
    "ACTIVE_STATUSES",
    "ALL_CATEGORIES",
    "NO_CATEGORY",
    "SEVERITY_ORDER",
    "Account",
    "AgeBand",
    "AuditEvent",
    "Case",
    "CaseStatus",
    "Category",
    "ChainProblem",
    "Conversation",
    "Decision",
    "Effect",
    "EffectKind",
    "Event",
    "Evidence",
    "InvalidTransition",
    "Message",
    "Priority",
    "Signal",
    "SignalScope",
    "StageMark",
    "Verdict",
    "chain",
    "verify_chain",
]
