"""JSON forms of the domain values that stores keep. Standard library only.

Every ``X_to_json`` returns a dict made of JSON values (str, int, float, bool, None,
lists and dicts) and ``X_from_json`` rebuilds an equal value from it:
``X_from_json(json.loads(json.dumps(X_to_json(x)))) == x``. Both stores use these
functions, so a value reads back the same from memory, SQLite and PostgreSQL.

Rules the round trip relies on:

* datetimes must be timezone-aware (a naive one raises ``ValueError``); they are
  written in UTC and come back as aware UTC datetimes (equal instants compare equal);
* free-form mappings (``extra``, ``params``, ``details``, ``versions``) must hold JSON
  values already: a tuple inside them comes back as a list;
* decoders read optional fields with their defaults, so records written before a
  field existed still decode.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from typing import Any, TypeVar, cast

from childguard.domain import (
    Account,
    AgeBand,
    AuditEvent,
    Case,
    CaseStatus,
    Category,
    Decision,
    Effect,
    EffectKind,
    Evidence,
    Message,
    Priority,
    Signal,
    SignalScope,
    StageMark,
    Verdict,
)
from childguard.domain.access import ApiKey, ConsoleSession, Scope
from childguard.domain.actions import ActionRecord
from childguard.domain.audit import GENESIS_HASH
from childguard.domain.exemplars import Exemplar, ExemplarLabel

JsonObject = dict[str, Any]
T = TypeVar("T")


def require_aware(value: dt.datetime, what: str = "datetime") -> dt.datetime:
    """``value`` converted to UTC; ``ValueError`` when it is naive (its instant is unknown)."""
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{what} must be timezone-aware, got naive {value.isoformat()}")
    return value.astimezone(dt.UTC)


def datetime_to_json(value: dt.datetime) -> str:
    return require_aware(value).isoformat()


def datetime_from_json(value: str) -> dt.datetime:
    return require_aware(dt.datetime.fromisoformat(value), "stored datetime")


def _optional_datetime_to_json(value: dt.datetime | None) -> str | None:
    return None if value is None else datetime_to_json(value)


def _optional_datetime_from_json(value: str | None) -> dt.datetime | None:
    return None if value is None else datetime_from_json(value)


def _scopes_to_json(scopes: frozenset[Scope]) -> list[str]:
    # Sorted so that equal sets always give the same JSON (stable hashes, clean diffs).
    return sorted(s.value for s in scopes)


def _scopes_from_json(values: list[str]) -> frozenset[Scope]:
    return frozenset(Scope(v) for v in values)


# --- signals --------------------------------------------------------------------------


def evidence_to_json(evidence: Evidence) -> JsonObject:
    return {
        "message_id": evidence.message_id,
        "category": evidence.category.value,
        "reason": evidence.reason,
        "cue": evidence.cue,
        "weight": evidence.weight,
    }


def evidence_from_json(data: Mapping[str, Any]) -> Evidence:
    return Evidence(
        message_id=data["message_id"],
        category=Category(data["category"]),
        reason=data["reason"],
        cue=data.get("cue"),
        weight=data.get("weight", 1.0),
    )


def stage_to_json(stage: StageMark) -> JsonObject:
    return {"message_id": stage.message_id, "category": stage.category.value, "stage": stage.stage}


def stage_from_json(data: Mapping[str, Any]) -> StageMark:
    return StageMark(message_id=data["message_id"], category=Category(data["category"]), stage=data["stage"])


def signal_to_json(signal: Signal) -> JsonObject:
    return {
        "detector": signal.detector,
        "detector_version": signal.detector_version,
        "category": signal.category.value,
        "score": signal.score,
        "scope": signal.scope.value,
        "subject_id": signal.subject_id,
        "evidence": [evidence_to_json(e) for e in signal.evidence],
        "actor_id": signal.actor_id,
        "target_ids": list(signal.target_ids),
        "flagged": signal.flagged,
        "first_flagged_message_id": signal.first_flagged_message_id,
        "stages": [stage_to_json(s) for s in signal.stages],
        "explanation": signal.explanation,
    }


def signal_from_json(data: Mapping[str, Any]) -> Signal:
    return Signal(
        detector=data["detector"],
        detector_version=data["detector_version"],
        category=Category(data["category"]),
        score=data["score"],
        scope=SignalScope(data["scope"]),
        subject_id=data["subject_id"],
        evidence=tuple(evidence_from_json(e) for e in data.get("evidence", ())),
        actor_id=data.get("actor_id"),
        target_ids=tuple(data.get("target_ids", ())),
        flagged=data.get("flagged", False),
        first_flagged_message_id=data.get("first_flagged_message_id"),
        stages=tuple(stage_from_json(s) for s in data.get("stages", ())),
        explanation=data.get("explanation", ""),
    )


# --- verdicts and decisions -----------------------------------------------------------


def verdict_to_json(verdict: Verdict) -> JsonObject:
    return {
        "conversation_id": verdict.conversation_id,
        "flagged": verdict.flagged,
        "category": verdict.category,
        "risk_score": verdict.risk_score,
        "scores": dict(verdict.scores),
        "first_flagged_message_id": verdict.first_flagged_message_id,
        "evidence": [evidence_to_json(e) for e in verdict.evidence],
        "actions": list(verdict.actions),
        "explanation": verdict.explanation,
        "stages": [stage_to_json(s) for s in verdict.stages],
        "fired_rules": list(verdict.fired_rules),
        "versions": dict(verdict.versions),
        "languages": dict(verdict.languages),
        "unsupported_languages": list(verdict.unsupported_languages),
    }


def verdict_from_json(data: Mapping[str, Any]) -> Verdict:
    return Verdict(
        conversation_id=data["conversation_id"],
        flagged=data["flagged"],
        category=data["category"],
        risk_score=data["risk_score"],
        scores=dict(data["scores"]),
        first_flagged_message_id=data.get("first_flagged_message_id"),
        evidence=tuple(evidence_from_json(e) for e in data.get("evidence", ())),
        actions=tuple(data.get("actions", ())),
        explanation=data.get("explanation", ""),
        stages=tuple(stage_from_json(s) for s in data.get("stages", ())),
        fired_rules=tuple(data.get("fired_rules", ())),
        versions=dict(data.get("versions", {})),
        languages=dict(data.get("languages", {})),
        unsupported_languages=tuple(data.get("unsupported_languages", ())),
    )


def effect_to_json(effect: Effect) -> JsonObject:
    # Not Effect.to_dict(): that is the public explanation form; this one must round-trip.
    return {
        "kind": effect.kind.value,
        "params": dict(effect.params),
        "rules": list(effect.rules),
        "category": effect.category,
        "actor_id": effect.actor_id,
        "target_ids": list(effect.target_ids),
        "message_id": effect.message_id,
    }


def effect_from_json(data: Mapping[str, Any]) -> Effect:
    return Effect(
        kind=EffectKind(data["kind"]),
        params=dict(data.get("params", {})),
        rules=tuple(data.get("rules", ())),
        category=data.get("category"),
        actor_id=data.get("actor_id"),
        target_ids=tuple(data.get("target_ids", ())),
        message_id=data.get("message_id"),
    )


def decision_to_json(decision: Decision) -> JsonObject:
    return {
        "conversation_id": decision.conversation_id,
        "effects": [effect_to_json(e) for e in decision.effects],
        "fired_rules": list(decision.fired_rules),
        "policy_name": decision.policy_name,
        "policy_version": decision.policy_version,
        "message_id": decision.message_id,
        "decided_at": _optional_datetime_to_json(decision.decided_at),
    }


def decision_from_json(data: Mapping[str, Any]) -> Decision:
    return Decision(
        conversation_id=data["conversation_id"],
        effects=tuple(effect_from_json(e) for e in data.get("effects", ())),
        fired_rules=tuple(data.get("fired_rules", ())),
        policy_name=data["policy_name"],
        policy_version=data["policy_version"],
        message_id=data.get("message_id"),
        decided_at=_optional_datetime_from_json(data.get("decided_at")),
    )


# --- events ---------------------------------------------------------------------------


def account_to_json(account: Account) -> JsonObject:
    return {
        "account_id": account.account_id,
        "age": account.age,
        "age_band": account.age_band.value,
        "country": account.country,
        "language": account.language,
        "extra": dict(account.extra),
    }


def account_from_json(data: Mapping[str, Any]) -> Account:
    return Account(
        account_id=data["account_id"],
        age=data.get("age"),
        age_band=AgeBand(data.get("age_band", AgeBand.UNKNOWN.value)),
        country=data.get("country"),
        language=data.get("language"),
        extra=dict(data.get("extra", {})),
    )


def message_to_json(message: Message) -> JsonObject:
    return {
        "conversation_id": message.conversation_id,
        "message_id": message.message_id,
        "sender_id": message.sender_id,
        "recipient_ids": list(message.recipient_ids),
        "sent_at": datetime_to_json(message.sent_at),
        "text": message.text,
        "platform": message.platform,
        "lang": message.lang,
        "seq": message.seq,
        "extra": dict(message.extra),
    }


def message_from_json(data: Mapping[str, Any]) -> Message:
    return Message(
        conversation_id=data["conversation_id"],
        message_id=data["message_id"],
        sender_id=data["sender_id"],
        recipient_ids=tuple(data["recipient_ids"]),
        sent_at=datetime_from_json(data["sent_at"]),
        text=data["text"],
        platform=data.get("platform"),
        lang=data.get("lang"),
        seq=data.get("seq", 0),
        extra=dict(data.get("extra", {})),
    )


# --- review, actions, audit, access ---------------------------------------------------


def case_to_json(case: Case) -> JsonObject:
    return {
        "case_id": case.case_id,
        "conversation_id": case.conversation_id,
        "category": case.category,
        "priority": case.priority.value,
        "queue": case.queue,
        "status": case.status.value,
        "risk_score": case.risk_score,
        "rules": list(case.rules),
        "opened_at": datetime_to_json(case.opened_at),
        "updated_at": datetime_to_json(case.updated_at),
        "assignee": case.assignee,
        "escalated": case.escalated,
    }


def case_from_json(data: Mapping[str, Any]) -> Case:
    return Case(
        case_id=data["case_id"],
        conversation_id=data["conversation_id"],
        category=data["category"],
        priority=Priority(data["priority"]),
        queue=data["queue"],
        status=CaseStatus(data["status"]),
        risk_score=data["risk_score"],
        rules=tuple(data.get("rules", ())),
        opened_at=datetime_from_json(data["opened_at"]),
        updated_at=datetime_from_json(data["updated_at"]),
        assignee=data.get("assignee"),
        escalated=data.get("escalated", False),
    )


def action_record_to_json(record: ActionRecord) -> JsonObject:
    return {
        "action_id": record.action_id,
        "idempotency_key": record.idempotency_key,
        "kind": record.kind,
        "conversation_id": record.conversation_id,
        "message_id": record.message_id,
        "actor_id": record.actor_id,
        "target_ids": list(record.target_ids),
        "params": dict(record.params),
        "rules": list(record.rules),
        "decision_id": record.decision_id,
        "case_id": record.case_id,
        "at": datetime_to_json(record.at),
    }


def action_record_from_json(data: Mapping[str, Any]) -> ActionRecord:
    return ActionRecord(
        action_id=data["action_id"],
        idempotency_key=data["idempotency_key"],
        kind=data["kind"],
        conversation_id=data["conversation_id"],
        message_id=data.get("message_id"),
        actor_id=data.get("actor_id"),
        target_ids=tuple(data.get("target_ids", ())),
        params=dict(data.get("params", {})),
        rules=tuple(data.get("rules", ())),
        decision_id=data.get("decision_id"),
        case_id=data.get("case_id"),
        at=datetime_from_json(data["at"]),
    )


def audit_event_to_json(event: AuditEvent) -> JsonObject:
    return {
        "seq": event.seq,
        "at": datetime_to_json(event.at),
        "actor": event.actor,
        "action": event.action,
        "subject_type": event.subject_type,
        "subject_id": event.subject_id,
        "details": dict(event.details),
        "prev_hash": event.prev_hash,
        "hash": event.hash,
    }


def audit_event_from_json(data: Mapping[str, Any]) -> AuditEvent:
    return AuditEvent(
        seq=data["seq"],
        at=datetime_from_json(data["at"]),
        actor=data["actor"],
        action=data["action"],
        subject_type=data["subject_type"],
        subject_id=data["subject_id"],
        details=dict(data.get("details", {})),
        prev_hash=data.get("prev_hash", GENESIS_HASH),
        hash=data.get("hash", ""),
    )


def api_key_to_json(key: ApiKey) -> JsonObject:
    return {
        "key_id": key.key_id,
        "name": key.name,
        "scopes": _scopes_to_json(key.scopes),
        "secret_hash": key.secret_hash,
        "created_at": datetime_to_json(key.created_at),
        "revoked_at": _optional_datetime_to_json(key.revoked_at),
    }


def api_key_from_json(data: Mapping[str, Any]) -> ApiKey:
    return ApiKey(
        key_id=data["key_id"],
        name=data["name"],
        scopes=_scopes_from_json(data["scopes"]),
        secret_hash=data["secret_hash"],
        created_at=datetime_from_json(data["created_at"]),
        revoked_at=_optional_datetime_from_json(data.get("revoked_at")),
    )


def console_session_to_json(session: ConsoleSession) -> JsonObject:
    return {
        "session_id": session.session_id,
        "token_hash": session.token_hash,
        "principal": session.principal,
        "scopes": _scopes_to_json(session.scopes),
        "csrf_token": session.csrf_token,
        "created_at": datetime_to_json(session.created_at),
        "expires_at": datetime_to_json(session.expires_at),
    }


def console_session_from_json(data: Mapping[str, Any]) -> ConsoleSession:
    return ConsoleSession(
        session_id=data["session_id"],
        token_hash=data["token_hash"],
        principal=data["principal"],
        scopes=_scopes_from_json(data["scopes"]),
        csrf_token=data["csrf_token"],
        created_at=datetime_from_json(data["created_at"]),
        expires_at=datetime_from_json(data["expires_at"]),
    )


def exemplar_to_json(exemplar: Exemplar) -> JsonObject:
    return {
        "exemplar_id": exemplar.exemplar_id,
        "text": exemplar.text,
        "category": exemplar.category.value,
        "label": exemplar.label.value,
        "language": exemplar.language,
        "source": exemplar.source,
        "note": exemplar.note,
        "case_id": exemplar.case_id,
        "message_id": exemplar.message_id,
        "added_by": exemplar.added_by,
        "added_at": _optional_datetime_to_json(exemplar.added_at),
        "seq": exemplar.seq,
    }


def exemplar_from_json(data: Mapping[str, Any]) -> Exemplar:
    return Exemplar(
        exemplar_id=data["exemplar_id"],
        text=data["text"],
        category=Category(data["category"]),
        label=ExemplarLabel(data["label"]),
        language=data.get("language", ""),
        source=data.get("source", "api"),
        note=data.get("note", ""),
        case_id=data.get("case_id"),
        message_id=data.get("message_id"),
        added_by=data.get("added_by", ""),
        added_at=_optional_datetime_from_json(data.get("added_at")),
        seq=int(data.get("seq", 0)),
    )


# --- by type --------------------------------------------------------------------------

_CODECS: dict[type[Any], tuple[Callable[[Any], JsonObject], Callable[[Mapping[str, Any]], Any]]] = {
    Evidence: (evidence_to_json, evidence_from_json),
    StageMark: (stage_to_json, stage_from_json),
    Signal: (signal_to_json, signal_from_json),
    Verdict: (verdict_to_json, verdict_from_json),
    Effect: (effect_to_json, effect_from_json),
    Decision: (decision_to_json, decision_from_json),
    Account: (account_to_json, account_from_json),
    Message: (message_to_json, message_from_json),
    Case: (case_to_json, case_from_json),
    ActionRecord: (action_record_to_json, action_record_from_json),
    AuditEvent: (audit_event_to_json, audit_event_from_json),
    ApiKey: (api_key_to_json, api_key_from_json),
    ConsoleSession: (console_session_to_json, console_session_from_json),
    Exemplar: (exemplar_to_json, exemplar_from_json),
}

#: The types this module encodes.
ENCODABLE_TYPES: tuple[type[Any], ...] = tuple(_CODECS)


def to_json(value: object) -> JsonObject:
    """The JSON form of any value of ``ENCODABLE_TYPES``; ``TypeError`` for anything else."""
    try:
        encode = _CODECS[type(value)][0]
    except KeyError:
        raise TypeError(f"no JSON codec for {type(value).__name__}") from None
    return encode(value)


def from_json(kind: type[T], data: Mapping[str, Any]) -> T:
    """Rebuild a ``kind`` from its JSON form; ``TypeError`` for a type without a codec."""
    try:
        decode = _CODECS[kind][1]
    except KeyError:
        raise TypeError(f"no JSON codec for {kind.__name__}") from None
    return cast(T, decode(data))
