"""Response schemas and the documented request shape (``XIn``/``XPublic``).

Events are validated by ``childguard.interchange`` (the same code as ``scan``), so the
request models here describe the format for OpenAPI; they are not a second validator.
"""

from __future__ import annotations

from typing import Any, Generic, Literal, TypeVar

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
    languages: dict[str, int] = Field(
        default_factory=dict,
        description="Messages per language code: declared `lang`, else identified; `und` when it cannot be told.",
    )
    unsupported_languages: list[str] = Field(
        default_factory=list,
        description="Languages of this conversation that no lexicon covers (`und` excluded): their messages were "
        "read only by language-independent detectors.",
    )
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


# --- POST /v1/moderations (OpenAI-compatible) ------------------------------------------------

T = TypeVar("T")
# The route validates its body with ``childguard.moderation.parse_request``; these models document it.


class ModerationTextIn(BaseModel):
    type: Literal["text"]
    text: str = Field(max_length=20_000)


class ModerationImageUrlIn(BaseModel):
    """Accepted by OpenAI; refused here with 422 until childguard judges images."""

    type: Literal["image_url"]
    image_url: dict[str, Any]


class ModerationAudienceIn(BaseModel):
    """childguard's extension: who will read the text. Neither field: unknown age, never assumed adult."""

    model_config = ConfigDict(extra="forbid")
    age: int | None = Field(default=None, ge=0, le=130)
    age_band: Literal["under_13", "13_15", "16_17", "adult"] | None = None


class ModerationIn(BaseModel):
    input: str | list[str] | list[ModerationTextIn | ModerationImageUrlIn] = Field(
        description="One text, up to 100 texts (one result each), or the content parts of one input (one result)."
    )
    model: str | None = Field(default=None, description="Accepted for compatibility and ignored.")
    audience: ModerationAudienceIn | None = None


class PerModerationCategory(BaseModel, Generic[T]):
    """One value per category: OpenAI's thirteen, then childguard's seven under ``childguard/``."""

    model_config = ConfigDict(populate_by_name=True)
    harassment: T
    harassment_threatening: T = Field(alias="harassment/threatening")
    hate: T
    hate_threatening: T = Field(alias="hate/threatening")
    illicit: T
    illicit_violent: T = Field(alias="illicit/violent")
    self_harm: T = Field(alias="self-harm")
    self_harm_intent: T = Field(alias="self-harm/intent")
    self_harm_instructions: T = Field(alias="self-harm/instructions")
    sexual: T
    sexual_minors: T = Field(alias="sexual/minors")
    violence: T
    violence_graphic: T = Field(alias="violence/graphic")
    childguard_grooming: T = Field(alias="childguard/grooming")
    childguard_sextortion: T = Field(alias="childguard/sextortion")
    childguard_online_kidnapping: T = Field(alias="childguard/online_kidnapping")
    childguard_cyberbullying: T = Field(alias="childguard/cyberbullying")
    childguard_self_harm: T = Field(alias="childguard/self_harm")
    childguard_sexual_content: T = Field(alias="childguard/sexual_content")
    childguard_personal_info: T = Field(alias="childguard/personal_info")


class ModerationCategoriesPublic(PerModerationCategory[bool]):
    pass


class ModerationScoresPublic(PerModerationCategory[float]):
    pass


class ModerationInputTypesPublic(PerModerationCategory[list[str]]):
    """``["text"]`` where the category was judged; ``[]`` for the categories childguard does not detect."""


class ModerationDetailPublic(BaseModel):
    explanation: str
    languages: dict[str, int]
    unsupported_languages: list[str]


class ModerationResultPublic(BaseModel):
    flagged: bool
    categories: ModerationCategoriesPublic
    category_scores: ModerationScoresPublic
    category_applied_input_types: ModerationInputTypesPublic
    childguard: ModerationDetailPublic = Field(description="childguard's extension: why, and in which language.")


class ModerationsPublic(BaseModel):
    id: str = Field(description="modr-...")
    model: str = Field(description="childguard-<version>")
    results: list[ModerationResultPublic]
