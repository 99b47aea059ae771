"""Apply a policy to what the detectors saw. Pure: no I/O, same input -> same decision.

Each rule is tried against every signal. The signal a rule matches is bound to the
rule's effects: its actor is who gets restricted, its targets (or the child among
the parties) who is shown help, and the message to hold is the triggering message
when its sender is the actor. The same effect asked for by several rules becomes one
effect that lists all of them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from childguard.domain import AgeBand, Decision, Effect, EffectKind, Signal
from childguard.policy.model import (
    Condition,
    CountryCondition,
    EffectSpec,
    Match,
    PartyCondition,
    PartyRole,
    PlatformCondition,
    Policy,
    Rule,
    SignalCondition,
)


@dataclass(frozen=True, kw_only=True)
class PolicyInput:
    """Everything a policy may look at.

    ``age_bands`` are the effective bands (declared, else stated in chat, else unknown).
    ``trigger_message_id``/``trigger_sender_id`` name the message being decided on when
    events stream in; for a whole-conversation scan they are ``None``.
    """

    conversation_id: str
    signals: Sequence[Signal]
    age_bands: Mapping[str, AgeBand] = field(default_factory=dict)
    countries: Mapping[str, str] = field(default_factory=dict)
    platform: str | None = None
    trigger_message_id: str | None = None
    trigger_sender_id: str | None = None


@dataclass(frozen=True)
class RuleMatch:
    rule: Rule
    signal: Signal


def _band(inp: PolicyInput, account_id: str | None) -> AgeBand:
    if account_id is None:
        return AgeBand.UNKNOWN
    return inp.age_bands.get(account_id, AgeBand.UNKNOWN)


def _holds(cond: Condition, signal: Signal, inp: PolicyInput) -> bool:
    if isinstance(cond, SignalCondition):
        return (
            (cond.detector is None or signal.detector == cond.detector)
            and (cond.category is None or signal.category is cond.category)
            and (cond.min_score is None or signal.score >= cond.min_score)
            and (cond.flagged is None or signal.flagged == cond.flagged)
            and (cond.scope is None or signal.scope is cond.scope)
        )
    if isinstance(cond, PartyCondition):
        if cond.role is PartyRole.ACTOR:
            return _band(inp, signal.actor_id) in cond.age_bands
        return any(_band(inp, t) in cond.age_bands for t in signal.target_ids)
    if isinstance(cond, CountryCondition):
        return _child_country(signal, inp) in cond.countries
    if isinstance(cond, PlatformCondition):
        return inp.platform in cond.platforms
    raise TypeError(f"unknown condition {cond!r}")  # pragma: no cover - the loader only builds the above


def _child_country(signal: Signal, inp: PolicyInput) -> str | None:
    people = [*signal.target_ids, *([signal.actor_id] if signal.actor_id else [])]
    minors = [p for p in people if _band(inp, p).is_minor]
    for p in minors + people:
        if p in inp.countries:
            return inp.countries[p]
    return next(iter(inp.countries.values()), None)


def matches(policy: Policy, inp: PolicyInput) -> list[RuleMatch]:
    """Every (rule, signal) pair that fires, rules in policy order, signals strongest first."""
    ordered = sorted(inp.signals, key=lambda s: -s.score)
    out: list[RuleMatch] = []
    for rule in policy.rules:
        check = all if rule.match is Match.ALL else any
        for signal in ordered:
            if check(_holds(c, signal, inp) for c in rule.conditions):
                out.append(RuleMatch(rule, signal))
    return out


def _children(signal: Signal, inp: PolicyInput) -> tuple[str, ...]:
    people = tuple(dict.fromkeys([*signal.target_ids, *([signal.actor_id] if signal.actor_id else [])]))
    minors = tuple(p for p in people if _band(inp, p).is_minor)
    if minors:
        return minors
    unknown = tuple(p for p in people if _band(inp, p) is AgeBand.UNKNOWN)
    return unknown or signal.target_ids


def _bind(spec: EffectSpec, rm: RuleMatch, inp: PolicyInput) -> Effect | None:
    s = rm.signal
    params = dict(spec.params)
    targets = s.target_ids
    message_id: str | None = None
    if spec.kind in (EffectKind.HOLD_MESSAGE, EffectKind.BLOCK_MESSAGE):
        if inp.trigger_message_id is not None:
            if inp.trigger_sender_id != s.actor_id:
                return None  # never hold the child's own reply for what the other person wrote
            message_id = inp.trigger_message_id
        else:
            from_actor = [e.message_id for e in s.evidence]
            message_id = from_actor[-1] if from_actor else None
            if message_id is None:
                return None
    elif spec.kind is EffectKind.SHOW_HELP:
        to = params.get("to", "child")
        targets = (
            _children(s, inp) if to == "child" else ((s.actor_id,) if to == "actor" and s.actor_id else s.target_ids)
        )
        params.setdefault("topic", s.category.value)
    elif spec.kind is EffectKind.NOTIFY_GUARDIAN:
        targets = _children(s, inp)
        params.setdefault("about", s.category.value)
    return Effect(
        kind=spec.kind,
        params=params,
        rules=(rm.rule.name,),
        category=s.category.value,
        actor_id=s.actor_id,
        target_ids=tuple(targets),
        message_id=message_id,
    )


def evaluate(policy: Policy, inp: PolicyInput, *, at: dt.datetime | None = None) -> Decision:
    """The decision for ``inp``: every effect of every firing rule, merged, each listing its rules."""
    merged: dict[tuple[object, ...], Effect] = {}
    fired: dict[str, None] = {}
    for rm in matches(policy, inp):
        fired.setdefault(rm.rule.name, None)
        for spec in rm.rule.effects:
            effect = _bind(spec, rm, inp)
            if effect is None:
                continue
            key = effect.key()
            if key in merged:
                prev = merged[key]
                if rm.rule.name not in prev.rules:
                    merged[key] = Effect(
                        kind=prev.kind,
                        params=prev.params,
                        rules=(*prev.rules, rm.rule.name),
                        category=prev.category,
                        actor_id=prev.actor_id,
                        target_ids=prev.target_ids,
                        message_id=prev.message_id,
                    )
            else:
                merged[key] = effect
    return Decision(
        conversation_id=inp.conversation_id,
        effects=tuple(merged.values()),
        fired_rules=tuple(fired),
        policy_name=policy.name,
        policy_version=policy.version,
        message_id=inp.trigger_message_id,
        decided_at=at,
    )
