"""Synthetic domain values for the storage tests. No real conversations."""

from __future__ import annotations

import datetime as dt
from typing import Any

from childguard.domain import (
    Account,
    AgeBand,
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

T0 = dt.datetime(2025, 3, 1, 12, 0, 0, 123456, tzinfo=dt.UTC)
#: A non-UTC offset, to check that stores hand datetimes back in UTC.
CET = dt.timezone(dt.timedelta(hours=1))


def at(minutes: float) -> dt.datetime:
    return T0 + dt.timedelta(minutes=minutes)


def message(
    message_id: str,
    *,
    conversation_id: str = "c1",
    sender_id: str = "u1",
    recipient_ids: tuple[str, ...] = ("u2",),
    sent_at: dt.datetime | None = None,
    text: str = "hello",
    extra: dict[str, Any] | None = None,
) -> Message:
    return Message(
        conversation_id=conversation_id,
        message_id=message_id,
        sender_id=sender_id,
        recipient_ids=recipient_ids,
        sent_at=sent_at or T0,
        text=text,
        platform="test",
        lang="en",
        extra=extra or {},
    )


def account(account_id: str, *, age: int | None = 14, country: str | None = "DE") -> Account:
    band = AgeBand.UNKNOWN if age is None else AgeBand.from_age(age)
    return Account(
        account_id=account_id, age=age, age_band=band, country=country, language="de", extra={"tier": "free"}
    )


def signal(message_id: str, *, detector: str = "text_risk", score: float = 0.75) -> Signal:
    return Signal(
        detector=detector,
        detector_version="1.2.0",
        category=Category.GROOMING,
        score=score,
        scope=SignalScope.MESSAGE,
        subject_id=message_id,
        evidence=(
            Evidence(message_id=message_id, category=Category.GROOMING, reason="asks for secrecy", cue="secrecy"),
        ),
        actor_id="u1",
        target_ids=("u2",),
        explanation="secrecy request",
    )


def verdict(conversation_id: str = "c1", *, risk: float = 0.91) -> Verdict:
    return Verdict(
        conversation_id=conversation_id,
        flagged=True,
        category=Category.GROOMING.value,
        risk_score=risk,
        scores={c.value: 0.1 for c in Category} | {"grooming": risk},
        first_flagged_message_id="m2",
        evidence=(
            Evidence(message_id="m2", category=Category.GROOMING, reason="isolation", cue="isolation", weight=0.5),
        ),
        actions=("open_case", "show_help"),
        explanation="Grooming pattern towards a 13-year-old.",
        stages=(
            StageMark(message_id="m1", category=Category.GROOMING, stage="trust"),
            StageMark(message_id="m2", category=Category.GROOMING, stage="isolation"),
        ),
        fired_rules=("grooming_to_minor",),
        versions={"policy": "default@3", "text_risk": "1.2.0"},
        languages={"en": 2, "ar": 1},
        unsupported_languages=("ar",),
    )


def decision(
    conversation_id: str = "c1", message_id: str | None = "m1", *, decided_at: dt.datetime | None = T0
) -> Decision:
    return Decision(
        conversation_id=conversation_id,
        effects=(
            Effect(
                kind=EffectKind.OPEN_CASE,
                params={"queue": "child_safety", "priority": "p0"},
                rules=("grooming_to_minor",),
                category="grooming",
                actor_id="u1",
                target_ids=("u2",),
                message_id=message_id,
            ),
            Effect(kind=EffectKind.SHOW_HELP, params={"topic": "grooming"}, rules=("grooming_to_minor",)),
        ),
        fired_rules=("grooming_to_minor",),
        policy_name="default",
        policy_version="3",
        message_id=message_id,
        decided_at=decided_at,
    )


def case(
    case_id: str,
    *,
    conversation_id: str = "c1",
    priority: Priority = Priority.P1,
    status: CaseStatus = CaseStatus.OPEN,
    opened_at: dt.datetime | None = None,
) -> Case:
    opened = opened_at or T0
    return Case(
        case_id=case_id,
        conversation_id=conversation_id,
        category="grooming",
        priority=priority,
        queue="child_safety",
        status=status,
        risk_score=0.87,
        rules=("grooming_to_minor",),
        opened_at=opened,
        updated_at=opened,
    )


def action(action_id: str, *, key: str | None = None, conversation_id: str = "c1") -> ActionRecord:
    return ActionRecord(
        action_id=action_id,
        idempotency_key=key or f"key-{action_id}",
        kind="restrict_contact",
        conversation_id=conversation_id,
        message_id="m1",
        actor_id="u1",
        target_ids=("u2",),
        params={"duration": "24h"},
        rules=("grooming_to_minor",),
        decision_id="d1",
        case_id="case-1",
        at=T0,
    )


def api_key(key_id: str, *, created_at: dt.datetime | None = None) -> ApiKey:
    return ApiKey(
        key_id=key_id,
        name=f"key {key_id}",
        scopes=frozenset({Scope.INGEST, Scope.REVIEW}),
        secret_hash="sha256$" + "ab" * 32,
        created_at=created_at or T0,
    )


def console_session(session_id: str) -> ConsoleSession:
    return ConsoleSession(
        session_id=session_id,
        token_hash="cd" * 32,
        principal="reviewer@example.org",
        scopes=frozenset({Scope.REVIEW}),
        csrf_token="csrf-" + session_id,
        created_at=T0,
        expires_at=at(480),
    )
