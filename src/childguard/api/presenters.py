"""Domain values -> JSON-ready dicts matching the response schemas."""

from __future__ import annotations

from typing import Any

from childguard.domain import Case, Verdict
from childguard.service import IngestResult


def verdict_detail_public(verdict: Verdict, case_id: str | None) -> dict[str, Any]:
    out = verdict.to_detail_dict()
    out["case_id"] = case_id
    return out


def event_result_public(r: IngestResult) -> dict[str, Any]:
    decision = None
    if r.decision is not None:
        d = r.decision.to_dict()
        decision = {
            "decision_id": r.decision_id,
            "actions": d["actions"],
            "effects": d["effects"],
            "fired_rules": d["fired_rules"],
            "policy": d["policy"],
        }
    return {
        "index": r.index,
        "type": r.type,
        "id": r.id,
        "status": r.status,
        "decision": decision,
        "verdict": r.verdict.to_dict() if r.verdict else None,
        "case_id": r.case_id,
        "error": r.error,
    }


def case_public(c: Case) -> dict[str, Any]:
    return {
        "case_id": c.case_id,
        "conversation_id": c.conversation_id,
        "category": c.category,
        "priority": c.priority.value,
        "queue": c.queue,
        "status": c.status.value,
        "risk_score": round(c.risk_score, 4),
        "rules": list(c.rules),
        "opened_at": c.opened_at.isoformat(),
        "updated_at": c.updated_at.isoformat(),
        "assignee": c.assignee,
        "escalated": c.escalated,
    }
