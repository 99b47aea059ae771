"""The per-conversation verdict: the public output of ``scan`` and of the API."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from childguard.domain.categories import ALL_CATEGORIES, NO_CATEGORY
from childguard.domain.signals import Evidence, StageMark


@dataclass(frozen=True, kw_only=True)
class Verdict:
    """A conversation's current risk.

    ``languages`` counts the conversation's messages per language code (``und`` for messages
    whose language could not be told) and ``unsupported_languages`` lists the codes no
    lexicon covers, most messages first: text in those languages was read only by
    language-independent detectors. Both are in ``to_detail_dict`` only; ``to_dict`` is the
    frozen interchange form.
    """

    conversation_id: str
    flagged: bool
    category: str
    risk_score: float
    scores: Mapping[str, float]
    first_flagged_message_id: str | None
    evidence: tuple[Evidence, ...]
    actions: tuple[str, ...]
    explanation: str
    stages: tuple[StageMark, ...] = ()
    fired_rules: tuple[str, ...] = ()
    versions: Mapping[str, str] = field(default_factory=dict)
    languages: Mapping[str, int] = field(default_factory=dict)
    unsupported_languages: tuple[str, ...] = ()

    @classmethod
    def empty(cls, conversation_id: str) -> Verdict:
        return cls(
            conversation_id=conversation_id,
            flagged=False,
            category=NO_CATEGORY,
            risk_score=0.0,
            scores={c.value: 0.0 for c in ALL_CATEGORIES},
            first_flagged_message_id=None,
            evidence=(),
            actions=(),
            explanation="No messages yet.",
        )

    def to_dict(self) -> dict[str, Any]:
        """The interchange form, keys in the documented order (see docs/interchange.md)."""
        return {
            "conversation_id": self.conversation_id,
            "flagged": self.flagged,
            "category": self.category,
            "risk_score": round(self.risk_score, 4),
            "scores": {c.value: round(float(self.scores.get(c.value, 0.0)), 4) for c in ALL_CATEGORIES},
            "first_flagged_message_id": self.first_flagged_message_id,
            "evidence": [
                {"message_id": e.message_id, "category": e.category.value, "reason": e.reason} for e in self.evidence
            ],
            "actions": list(self.actions),
            "explanation": self.explanation,
        }

    def to_detail_dict(self) -> dict[str, Any]:
        """The interchange form plus the stage timeline, fired rules, versions and languages (API detail view)."""
        out = self.to_dict()
        out["stages"] = [
            {"message_id": s.message_id, "category": s.category.value, "stage": s.stage} for s in self.stages
        ]
        out["fired_rules"] = list(self.fired_rules)
        out["versions"] = dict(self.versions)
        out["languages"] = dict(self.languages)
        out["unsupported_languages"] = list(self.unsupported_languages)
        return out
