"""Response schemas and the documented request shape (``XIn``/``XPublic``).

Events are validated by ``childguard.interchange`` (the same code as ``scan``), so the
request models here describe the format for OpenAPI; they are not a second validator.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field


class AccountIn(BaseModel):
    model_config = ConfigDict(extra="allow")
    type: Literal["account"]
    account_id: str = Field(min_length=1, max_length=256)
    age: int | None = Field(default=None, ge=0, le=130)
    age_band: Literal["under_13", "13_15", "16_17", "adult"] | None = None
    country: str | None = Field(default=None, pattern=r"^[A-Z]{2}$", description="ISO 3166-1 alpha-2")
    language: str | None = Field(default=None, description="BCP 47 language tag")


class MessageIn(BaseModel):
    model_config = ConfigDict(extra="allow")
    type: Literal["message"]
    conversation_id: str = Field(min_length=1, max_length=256)
    message_id: str = Field(min_length=1, max_length=256)
    sender_id: str = Field(min_length=1, max_length=256)
    recipient_ids: list[str] = Field(max_length=1000)
    sent_at: str = Field(description="RFC 3339 timestamp with a time zone, such as 2026-03-01T18:00:00Z")
    text: str = Field(max_length=20_000)
    platform: str | None = None
    lang: str | None = None


class EventsIn(BaseModel):
    events: list[AccountIn | MessageIn]


class EvidencePublic(BaseModel):
    message_id: str
    category: str
    reason: str


class StagePublic(BaseModel):
    message_id: str
    category: str
    stage: str


class VerdictPublic(BaseModel):
    conversation_id: str
    flagged: bool
    category: str
    risk_score: float
    scores: dict[str, float]
    first_flagged_message_id: str | None
    evidence: list[EvidencePublic]
    actions: list[str]
    explanation: str


class VerdictDetailPublic(VerdictPublic):
    stages: list[StagePublic]
    fired_rules: list[str]
    versions: dict[str, str]
    case_id: str | None = None


class EffectPublic(BaseModel):
    kind: str
    params: dict[str, Any]
    rules: list[str]
    category: str | None
    actor_id: str | None
    target_ids: list[str]
    message_id: str | None


class DecisionPublic(BaseModel):
    decision_id: str
    actions: list[str]
    effects: list[EffectPublic]
    fired_rules: list[str]
    policy: dict[str, str]


class EventResultPublic(BaseModel):
    index: int
    type: str
    id: str
    status: Literal["accepted", "duplicate", "conflict"]
    decision: DecisionPublic | None = None
    verdict: VerdictPublic | None = None
    case_id: str | None = None
    error: str | None = None


class EventsPublic(BaseModel):
    results: list[EventResultPublic]


class FieldErrorPublic(BaseModel):
    index: int | None = None
    field: str
    message: str


class ErrorPublic(BaseModel):
    detail: str | list[FieldErrorPublic]


class CasePublic(BaseModel):
    case_id: str
    conversation_id: str
    category: str
    priority: str
    queue: str
    status: str
    risk_score: float
    rules: list[str]
    opened_at: str
    updated_at: str
    assignee: str | None
    escalated: bool


class CasesPublic(BaseModel):
    cases: list[CasePublic]
    total: int
    limit: int
    offset: int


class HealthPublic(BaseModel):
    status: str
