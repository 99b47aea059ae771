"""The validated policy model: rules made of conditions and effects.

A policy is data. ``loader.load_policy`` turns YAML into these values and rejects
anything it cannot fully understand; ``evaluate.evaluate`` applies them. See
docs/policies.md for the language.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from childguard.domain import AgeBand, Category, EffectKind, SignalScope


class Match(enum.StrEnum):
    ALL = "all"
    ANY = "any"


@dataclass(frozen=True)
class SignalCondition:
    """Matches a signal. Every field left out matches anything."""

    detector: str | None = None
    category: Category | None = None
    min_score: float | None = None
    flagged: bool | None = None
    scope: SignalScope | None = None


class PartyRole(enum.StrEnum):
    ACTOR = "actor"
    TARGET = "target"


@dataclass(frozen=True)
class PartyCondition:
    """Constrains the actor or the targets of the matched signal by their (effective) age band.

    For targets, the condition holds when any target satisfies it.
    """

    role: PartyRole
    age_bands: frozenset[AgeBand]


@dataclass(frozen=True)
class CountryCondition:
    """The child's country: the first minor target's, else any participant's declared country."""

    countries: frozenset[str]


@dataclass(frozen=True)
class PlatformCondition:
    platforms: frozenset[str]


Condition = SignalCondition | PartyCondition | CountryCondition | PlatformCondition


@dataclass(frozen=True)
class EffectSpec:
    kind: EffectKind
    params: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Rule:
    name: str
    description: str
    match: Match
    conditions: tuple[Condition, ...]
    effects: tuple[EffectSpec, ...]
    source: str = ""
    line: int = 0

    @property
    def location(self) -> str:
        return f"{self.source}:{self.line}"


@dataclass(frozen=True)
class Policy:
    name: str
    version: str
    rules: tuple[Rule, ...]
    sources: tuple[str, ...] = ()

    def rule(self, name: str) -> Rule | None:
        return next((r for r in self.rules if r.name == name), None)
