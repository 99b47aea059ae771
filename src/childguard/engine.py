"""The detection and decision pipeline, pure: conversation in, signals, decision and verdict out.

Both the offline ``scan`` and the service use this one engine, so a file scanned
today and the same messages sent to the API get the same verdict.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from childguard.detectors.language import UNDETERMINED, count_languages, language_name, message_language
from childguard.detectors.registry import DetectorRegistry, default_registry
from childguard.detectors.roles import parties
from childguard.domain import (
    ALL_CATEGORIES,
    NO_CATEGORY,
    SEVERITY_ORDER,
    AgeBand,
    Category,
    Conversation,
    Decision,
    Evidence,
    Message,
    Signal,
    SignalScope,
    Verdict,
)
from childguard.policy import Policy, PolicyInput, evaluate, load_default_policy

MAX_VERDICT_EVIDENCE = 20
#: Unsupported languages named one by one in an explanation; the rest are summed up.
MAX_NAMED_LANGUAGES = 3


@dataclass(frozen=True)
class Assessment:
    """What the detectors saw in a conversation, before any policy."""

    conversation: Conversation
    message_signals: Mapping[str, Sequence[Signal]]
    conversation_signals: tuple[Signal, ...]
    age_bands: Mapping[str, AgeBand]
    #: Each message's language code by message id: declared, else identified (``und`` when unknown).
    message_languages: Mapping[str, str] = field(default_factory=dict)
    #: The languages the detectors read (``None``: not known, so none is reported as unsupported).
    readable_languages: frozenset[str] | None = None

    def signals_for(self, message_ids: Sequence[str] | None) -> list[Signal]:
        """Conversation signals plus the message signals of ``message_ids`` (all messages when None)."""
        ids = message_ids if message_ids is not None else list(self.message_signals)
        out = list(self.conversation_signals)
        for mid in ids:
            out.extend(self.message_signals.get(mid, ()))
        return out


class Engine:
    def __init__(self, registry: DetectorRegistry | None = None, policy: Policy | None = None) -> None:
        self.registry = registry or default_registry()
        self.policy = policy or load_default_policy(self.registry)
        self.languages = self.registry.languages()

    @property
    def versions(self) -> dict[str, str]:
        return {**self.registry.versions(), f"policy:{self.policy.name}": self.policy.version}

    def message_signals(self, message: Message, conversation: Conversation) -> list[Signal]:
        ids = (message.sender_id, *message.recipient_ids)
        accounts = {a: conversation.account(a) for a in ids}
        return [s for d in self.registry.message_detectors for s in d.detect_message(message, accounts)]

    def assess(self, conversation: Conversation, cached: Mapping[str, Sequence[Signal]] | None = None) -> Assessment:
        """Run message detectors (reusing ``cached`` signals by message id) and conversation detectors.

        Also records each message's language, so the verdict can say which messages no lexicon read.
        """
        cached = cached or {}
        per_message: dict[str, Sequence[Signal]] = {}
        for m in conversation.messages:
            hit = cached.get(m.message_id)
            per_message[m.message_id] = hit if hit is not None else self.message_signals(m, conversation)
        conv_signals = tuple(
            s for d in self.registry.conversation_detectors for s in d.detect_conversation(conversation, per_message)
        )
        bands = {pid: p.band for pid, p in parties(conversation).items()}
        languages = {m.message_id: message_language(m.text, m.lang) for m in conversation.messages}
        return Assessment(conversation, per_message, conv_signals, bands, languages, self.languages)

    def decide(
        self, assessment: Assessment, *, trigger: Message | None = None, at: dt.datetime | None = None
    ) -> Decision:
        """The policy's decision: for the ``trigger`` message when streaming, else for the whole conversation."""
        conv = assessment.conversation
        countries = {a.account_id: a.country for a in conv.accounts.values() if a.country}
        platform = trigger.platform if trigger else next((m.platform for m in conv.messages if m.platform), None)
        inp = PolicyInput(
            conversation_id=conv.conversation_id,
            signals=assessment.signals_for([trigger.message_id] if trigger else None),
            age_bands=assessment.age_bands,
            countries=countries,
            platform=platform,
            trigger_message_id=trigger.message_id if trigger else None,
            trigger_sender_id=trigger.sender_id if trigger else None,
        )
        return evaluate(self.policy, inp, at=at)

    def verdict(self, assessment: Assessment, decision: Decision) -> Verdict:
        return build_verdict(assessment, decision, self.versions)

    def scan(self, conversation: Conversation) -> Verdict:
        """Assess and decide a whole conversation at once (offline scans)."""
        assessment = self.assess(conversation)
        return self.verdict(assessment, self.decide(assessment))


def build_verdict(assessment: Assessment, decision: Decision, versions: Mapping[str, str]) -> Verdict:
    conv = assessment.conversation
    if not conv.messages:
        return Verdict.empty(conv.conversation_id)
    languages = count_languages(assessment.message_languages.values())
    readable = assessment.readable_languages
    unsupported = tuple(c for c in languages if readable is not None and c != UNDETERMINED and c not in readable)
    note = _language_note(languages, unsupported)
    scores = {c.value: 0.0 for c in ALL_CATEGORIES}
    for s in assessment.conversation_signals:
        scores[s.category.value] = max(scores[s.category.value], s.score)
    flagged = [s for s in assessment.conversation_signals if s.flagged]
    risk = max(scores.values())
    order = {c: i for i, c in enumerate(SEVERITY_ORDER)}
    if not flagged:
        return Verdict(
            conversation_id=conv.conversation_id,
            flagged=False,
            category=NO_CATEGORY,
            risk_score=risk,
            scores=scores,
            first_flagged_message_id=None,
            evidence=(),
            actions=decision.actions,
            explanation=_benign_explanation(conv, assessment.conversation_signals) + note,
            fired_rules=decision.fired_rules,
            versions=dict(versions),
            languages=languages,
            unsupported_languages=unsupported,
        )
    # The verdict names the strongest flagged category; near-ties go to the more severe one.
    by_category: dict[Category, list[Signal]] = {}
    for s in flagged:
        by_category.setdefault(s.category, []).append(s)
    top_category = max(by_category, key=lambda c: (round(max(s.score for s in by_category[c]), 2), -order[c]))
    # Within it, the signal whose evidence names the moves (the cue pattern) speaks first; a second
    # detector that flags the same category adds its own sentence.
    top, *agreeing = sorted(by_category[top_category], key=lambda s: (not s.stages, -s.score))
    others = sorted((s for s in flagged if s.category is not top_category), key=lambda s: (-s.score, s.category.value))
    evidence: list[Evidence] = []
    seen: set[tuple[str, str]] = set()
    for s in [top, *agreeing, *others]:
        for e in s.evidence:
            k = (e.message_id, e.category.value)
            if k not in seen:
                seen.add(k)
                evidence.append(e)
    position = {m.message_id: i for i, m in enumerate(conv.messages)}
    evidence.sort(key=lambda e: position.get(e.message_id, 0))
    first = min(
        (s.first_flagged_message_id for s in flagged if s.first_flagged_message_id),
        key=lambda mid: position.get(mid, 0),
        default=None,
    )
    explanation = " ".join([top.explanation, *(s.explanation for s in agreeing)])
    other_names = list(dict.fromkeys(s.category.value.replace("_", " ") for s in others))
    if other_names:
        explanation += " Also flagged: " + ", ".join(other_names) + "."
    stages = tuple(st for s in [top, *agreeing, *others] for st in s.stages)
    return Verdict(
        conversation_id=conv.conversation_id,
        flagged=True,
        category=top.category.value,
        risk_score=risk,
        scores=scores,
        first_flagged_message_id=first,
        evidence=tuple(evidence[:MAX_VERDICT_EVIDENCE]),
        actions=decision.actions,
        explanation=explanation + note,
        stages=stages,
        fired_rules=decision.fired_rules,
        versions=dict(versions),
        languages=languages,
        unsupported_languages=unsupported,
    )


def _benign_explanation(conv: Conversation, signals: Sequence[Signal]) -> str:
    n = len(conv.messages)
    # Only signs a reviewer can look at: a model's low score without evidence messages is not one.
    weak = [s for s in signals if s.score > 0 and s.scope is SignalScope.CONVERSATION and s.evidence]
    if not weak:
        return f"No risk pattern found in {n} message{'s' if n != 1 else ''}."
    top = max(weak, key=lambda s: s.score)
    return (
        f"Not flagged: {n} message{'s' if n != 1 else ''} read; the strongest sign, "
        f"{top.category.value.replace('_', ' ')} ({top.score:.2f}), stays below its threshold."
    )


def _language_note(counts: Mapping[str, int], unsupported: Sequence[str]) -> str:
    """One sentence naming the messages no lexicon could read ("" when there are none), led by a space."""
    if not unsupported:
        return ""

    def messages(n: int) -> str:
        return f"{n} message{'s' if n != 1 else ''}"

    named = [f"{messages(counts[c])} in {language_name(c)} ({c})" for c in unsupported[:MAX_NAMED_LANGUAGES]]
    rest = unsupported[MAX_NAMED_LANGUAGES:]
    if rest:
        others = f"{len(rest)} other language{'s' if len(rest) != 1 else ''}"
        named.append(f"{messages(sum(counts[c] for c in rest))} in {others}")
    listed = named[0] if len(named) == 1 else ", ".join(named[:-1]) + " and " + named[-1]
    total = sum(counts[c] for c in unsupported)
    return f" {listed} {'was' if total == 1 else 'were'} checked only by language-independent detectors."


@dataclass(frozen=True)
class RuleOutcome:
    """One rule of the policy against one conversation: did it fire, on which signals."""

    name: str
    description: str
    location: str
    fired: bool
    signals: tuple[Signal, ...]
    actions: tuple[str, ...]


def explain_rules(engine: Engine, assessment: Assessment) -> list[RuleOutcome]:
    """Every rule of the engine's policy, fired or not, for a whole conversation."""
    from childguard.policy import matches

    conv = assessment.conversation
    inp = PolicyInput(
        conversation_id=conv.conversation_id,
        signals=assessment.signals_for(None),
        age_bands=assessment.age_bands,
        countries={a.account_id: a.country for a in conv.accounts.values() if a.country},
        platform=next((m.platform for m in conv.messages if m.platform), None),
    )
    hits = matches(engine.policy, inp)
    out = []
    for rule in engine.policy.rules:
        sigs = tuple(h.signal for h in hits if h.rule.name == rule.name)
        out.append(
            RuleOutcome(
                name=rule.name,
                description=rule.description,
                location=rule.location,
                fired=bool(sigs),
                signals=sigs,
                actions=tuple(e.kind.value for e in rule.effects),
            )
        )
    return out
