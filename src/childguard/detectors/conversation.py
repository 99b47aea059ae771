"""Conversation-level risk: follow cues over time, per pair of people, per category.

For every message in order, each cue its message-level signals found is credited
to an (actor, target) pair: the sender and each recipient (for self-harm, the
sender and themselves). A pair's score in a category is the noisy-or of its cues,
where a cue seen again adds less each time, boosted when the pattern spans several
stages (trust, then isolation, then sexualisation is grooming; one compliment is
not), and multiplied by ``role_factor`` for who is talking to whom. A category's
score is its best pair's. The first message after which a category's score reaches
its threshold is where the conversation should have been flagged.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import ClassVar

from childguard.detectors.base import ConversationDetector
from childguard.detectors.cues import CUES, RESEMBLANCE_STAGE
from childguard.detectors.roles import Party, family_pairs, parties, relationship, role_factor
from childguard.detectors.scoring import noisy_or
from childguard.domain import (
    ALL_CATEGORIES,
    Category,
    Conversation,
    Evidence,
    Signal,
    SignalScope,
    StageMark,
)

#: Default flag thresholds; calibrated per category (see docs/detection.md).
DEFAULT_THRESHOLDS: Mapping[Category, float] = {c: 0.5 for c in ALL_CATEGORIES}
#: Each repeat of a cue in a pair counts this fraction of the previous one.
REPEAT_DECAY = 0.5
#: Patterns spanning this many distinct stages are boosted ...
MULTI_STAGE = 3
#: ... by removing this share of the remaining doubt.
MULTI_STAGE_BOOST = 0.4
MAX_EVIDENCE = 12
#: Personal information shared within a family pair (see ``roles.family_pairs``) counts this much.
FAMILY_FACTOR = 0.3
#: A pattern seen in one message only is discounted by this factor in these categories: one
#: "i want to die" after a friend's joke, or one "i'll post it" between classmates, is a
#: weak sign until a second message corroborates it. Explicit content and disclosures of
#: personal information need no second message, nor does a self-harm plan.
SINGLE_MESSAGE_FACTOR = 0.8
_CORROBORATE = frozenset(
    {Category.GROOMING, Category.SEXTORTION, Category.ONLINE_KIDNAPPING, Category.CYBERBULLYING, Category.SELF_HARM}
)
_DECISIVE_CUES = frozenset({"plan"})

_SELF_DIRECTED = frozenset({Category.SELF_HARM})
#: Categories where several senders ganging up on one target add up (group bullying).
_GROUP = frozenset({Category.CYBERBULLYING})
_ANYONE = "*"
#: Evidence weaker than this share of its cue's weight (a cue in a warning or support message)
#: still shows in the timeline but does not count toward the multi-stage boost.
STRONG_SHARE = 0.5


@dataclass
class _PairTrack:
    actor: Party
    target: Party
    cue_weights: dict[str, list[float]] = field(default_factory=dict)
    evidence: list[Evidence] = field(default_factory=list)
    stages: list[StageMark] = field(default_factory=list)
    strong_stages: set[str] = field(default_factory=set)
    message_ids: set[str] = field(default_factory=set)
    senders: Counter[str] = field(default_factory=Counter)
    family: bool = False

    def add(self, category: Category, message_id: str, sender: str, ev: Evidence) -> None:
        cue = ev.cue or ""
        self.cue_weights.setdefault(cue, []).append(ev.weight)
        if not any(e.message_id == message_id and e.cue == ev.cue for e in self.evidence):
            self.evidence.append(ev)
        self.message_ids.add(message_id)
        self.senders[sender] += 1
        spec = CUES.get(cue)
        stage = spec.stage if spec else cue
        if all(s.stage != stage for s in self.stages):
            self.stages.append(StageMark(message_id=message_id, category=category, stage=stage))
        if stage != RESEMBLANCE_STAGE and (spec is None or ev.weight >= STRONG_SHARE * spec.weight):
            self.strong_stages.add(stage)

    @property
    def main_actor(self) -> str:
        """The sender behind most of the evidence (the actor itself, for a pair)."""
        return self.senders.most_common(1)[0][0] if self.senders else self.actor.account_id

    def score(self, category: Category, role_aware: bool = True) -> float:
        per_cue = []
        for weights in self.cue_weights.values():
            ordered = sorted(weights, reverse=True)
            per_cue.append(noisy_or(w * REPEAT_DECAY**i for i, w in enumerate(ordered)))
        base = noisy_or(per_cue)
        if len(self.strong_stages) >= MULTI_STAGE:
            base = 1.0 - (1.0 - base) * (1.0 - MULTI_STAGE_BOOST)
        if category is Category.PERSONAL_INFO and self.family:
            base *= FAMILY_FACTOR
        if category in _CORROBORATE and len(self.message_ids) < 2 and not _DECISIVE_CUES & self.cue_weights.keys():
            base *= SINGLE_MESSAGE_FACTOR
        return base * role_factor(category, self.actor, self.target) if role_aware else base


class ConversationRiskDetector(ConversationDetector):
    name: ClassVar[str] = "conversation_risk"
    version: ClassVar[str] = "4"
    categories: ClassVar[frozenset[Category]] = frozenset(ALL_CATEGORIES)

    def __init__(self, thresholds: Mapping[Category, float] | None = None, *, role_aware: bool = True) -> None:
        """``role_aware=False`` scores the pattern alone, as if every pair were adult to minor: for text
        whose authors are unknown (evaluation on anonymised segments), never for live decisions."""
        self.thresholds = {**DEFAULT_THRESHOLDS, **(thresholds or {})}
        self.role_aware = role_aware

    def detect_conversation(
        self, conversation: Conversation, message_signals: Mapping[str, Sequence[Signal]]
    ) -> list[Signal]:
        people = parties(conversation)
        family = family_pairs(conversation)
        tracks: dict[tuple[Category, str, str], _PairTrack] = {}
        best: dict[Category, float] = {}
        first_flag: dict[Category, str] = {}
        for msg in conversation.messages:
            touched: set[Category] = set()
            for sig in _own_cues_first(message_signals.get(msg.message_id, ())):
                targets = (msg.sender_id,) if sig.category in _SELF_DIRECTED else msg.recipient_ids
                for target in targets:
                    actors = (msg.sender_id, _ANYONE) if sig.category in _GROUP else (msg.sender_id,)
                    for actor in actors:
                        key = (sig.category, actor, target)
                        track = tracks.get(key)
                        if track is None:
                            track = tracks[key] = _PairTrack(people[msg.sender_id], people[target])
                            track.family = frozenset((msg.sender_id, target)) in family
                        for ev in sig.evidence:
                            track.add(sig.category, msg.message_id, msg.sender_id, ev)
                touched.add(sig.category)
            for category in touched:
                score = max(t.score(category, self.role_aware) for (c, _, _), t in tracks.items() if c is category)
                best[category] = score
                if category not in first_flag and score >= self.thresholds[category]:
                    first_flag[category] = msg.message_id
        signals = []
        for category, score in best.items():
            top = max(
                (t for (c, _, _), t in tracks.items() if c is category),
                key=lambda t: t.score(category, self.role_aware),
            )
            flagged = category in first_flag
            signals.append(
                Signal(
                    detector=self.name,
                    detector_version=self.version,
                    category=category,
                    score=round(min(1.0, score), 6),
                    scope=SignalScope.CONVERSATION,
                    subject_id=conversation.conversation_id,
                    evidence=tuple(top.evidence[:MAX_EVIDENCE]),
                    actor_id=top.main_actor,
                    target_ids=(top.target.account_id,),
                    flagged=flagged,
                    first_flagged_message_id=first_flag.get(category),
                    stages=tuple(top.stages),
                    explanation=_explain(category, top, flagged),
                )
            )
        signals.sort(key=lambda s: ALL_CATEGORIES.index(s.category))
        return signals


def _own_cues_first(signals: Sequence[Signal]) -> list[Signal]:
    """A message's signals without resemblance evidence where the message has cues of its own in
    that category: the cues already say what it is (or a protective context weakened them), and
    counting the resemblance too would count one message twice."""
    explained = {s.category for s in signals if any(_cue_stage(e) != RESEMBLANCE_STAGE for e in s.evidence)}
    out = []
    for sig in signals:
        if sig.category in explained and all(_cue_stage(e) == RESEMBLANCE_STAGE for e in sig.evidence):
            continue
        out.append(sig)
    return out


def _cue_stage(ev: Evidence) -> str | None:
    spec = CUES.get(ev.cue or "")
    return spec.stage if spec else None


_LABELS = {
    Category.GROOMING: "Grooming pattern",
    Category.SEXTORTION: "Sextortion",
    Category.ONLINE_KIDNAPPING: "Coercive control ('online kidnapping')",
    Category.CYBERBULLYING: "Bullying",
    Category.SELF_HARM: "Self-harm risk",
    Category.SEXUAL_CONTENT: "Sexual content",
    Category.PERSONAL_INFO: "Personal information shared",
}


def _explain(category: Category, track: _PairTrack, flagged: bool) -> str:
    cues = list(dict.fromkeys(e.cue for e in track.evidence if e.cue))
    what = ", ".join(c.replace("_", " ") for c in cues[:5])
    n = len(track.message_ids)
    plural = "s" if n != 1 else ""
    label = _LABELS[category]
    if category in _SELF_DIRECTED:
        who = f"in messages from {track.actor.describe()}"
    elif category is Category.PERSONAL_INFO:
        who = f"by {track.actor.describe()} with {track.target.describe()}"
    elif len(track.senders) > 1:
        who = f"from {len(track.senders)} people toward {track.target.describe()}"
    else:
        who = f"from {track.actor.describe()} toward {track.target.describe()}"
    rel = relationship(track.actor, track.target).replace("_", " ")
    lead = label if flagged else f"Weak signs of {label[0].lower() + label[1:]}"
    return f"{lead} {who}, {rel}: {what}, in {n} message{plural}."
