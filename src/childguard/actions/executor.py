"""Carry out a decision's effects, idempotently, inside the caller's unit of work.

``open_case`` and ``escalate`` change the review queue; every effect is also written
to the action log under an idempotency key made from the decision and the effect,
so replaying a decision (a redelivered event, a retried request) does nothing twice.
Delivery to the platform (hide the message, show the help screen, message the
guardian) is read from the action log by the platform or by sinks.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Sequence

from childguard.domain import Case, CaseStatus, Decision, Effect, EffectKind, Priority, Verdict
from childguard.domain.actions import ActionRecord
from childguard.ids import new_id
from childguard.storage.interfaces import UnitOfWork

SYSTEM_ACTOR = "system:policy"


def _idempotency_key(decision_id: str, effect: Effect) -> str:
    raw = repr((decision_id, effect.key()))
    return hashlib.sha256(raw.encode()).hexdigest()[:32]


def _case_request(effects: Sequence[Effect]) -> tuple[Priority, str, tuple[str, ...]] | None:
    asks = [e for e in effects if e.kind in (EffectKind.OPEN_CASE, EffectKind.ESCALATE)]
    if not asks:
        return None
    opens = [e for e in asks if e.kind is EffectKind.OPEN_CASE]
    best = min(opens, key=lambda e: Priority(e.params.get("priority", "p2")).rank) if opens else None
    priority = Priority(best.params.get("priority", "p2")) if best else Priority.P0
    queue = str(best.params.get("queue", "default")) if best else "child_safety"
    rules = tuple(dict.fromkeys(r for e in asks for r in e.rules))
    return priority, queue, rules


def carry_out(
    uow: UnitOfWork,
    *,
    decision: Decision,
    decision_id: str,
    verdict: Verdict,
    at: dt.datetime,
    actor: str = SYSTEM_ACTOR,
) -> Case | None:
    """Apply ``decision``'s effects and audit them. Returns the conversation's active case, if any.

    Audit entries are appended last: on PostgreSQL appending locks the chain's head row
    until commit, so taking it after every other write keeps lock order the same everywhere.
    """
    audit: list[tuple[str, str, str, dict[str, object]]] = []
    case = uow.active_case_for_conversation(decision.conversation_id)
    request = _case_request(decision.effects)
    if request is not None:
        priority, queue, rules = request
        category = verdict.category if verdict.flagged else (decision.effects[0].category or "none")
        if case is None:
            case = Case(
                case_id=new_id("case"),
                conversation_id=decision.conversation_id,
                category=category,
                priority=priority,
                queue=queue,
                status=CaseStatus.OPEN,
                risk_score=verdict.risk_score,
                rules=rules,
                opened_at=at,
                updated_at=at,
            )
            uow.add_case(case)
            audit.append(
                (
                    "case.opened",
                    "case",
                    case.case_id,
                    {"conversation_id": case.conversation_id, "priority": priority.value, "rules": list(rules)},
                )
            )
        else:
            updated = case.raise_to(
                priority=priority, risk_score=verdict.risk_score, rules=rules, category=category, at=at
            )
            if updated != case:
                uow.update_case(updated)
                case = updated
        wants_escalation = any(e.kind is EffectKind.ESCALATE for e in decision.effects)
        if wants_escalation and not case.escalated and case.can_move_to(CaseStatus.ESCALATED):
            case = case.transition(CaseStatus.ESCALATED, at=at)
            uow.update_case(case)
            to = [str(e.params.get("to")) for e in decision.effects if e.kind is EffectKind.ESCALATE]
            audit.append(("case.escalated", "case", case.case_id, {"to": to}))
    for effect in decision.effects:
        uow.record_action(
            ActionRecord(
                action_id=new_id("act"),
                idempotency_key=_idempotency_key(decision_id, effect),
                kind=effect.kind.value,
                conversation_id=decision.conversation_id,
                message_id=effect.message_id,
                actor_id=effect.actor_id,
                target_ids=effect.target_ids,
                params=dict(effect.params),
                rules=effect.rules,
                decision_id=decision_id,
                case_id=case.case_id if case and effect.kind in (EffectKind.OPEN_CASE, EffectKind.ESCALATE) else None,
                at=at,
            )
        )
    if decision.effects:
        subject = (
            ("message", decision.message_id) if decision.message_id else ("conversation", decision.conversation_id)
        )
        details: dict[str, object] = {
            "decision_id": decision_id,
            "conversation_id": decision.conversation_id,
            "actions": list(decision.actions),
            "rules": list(decision.fired_rules),
            "policy_version": decision.policy_version,
        }
        audit.append(("decision.made", subject[0], subject[1], details))
    for action, subject_type, subject_id, entry in audit:
        who = SYSTEM_ACTOR if action.startswith("case.") else actor
        uow.append_audit(
            at=at, actor=who, action=action, subject_type=subject_type, subject_id=subject_id, details=entry
        )
    return case
