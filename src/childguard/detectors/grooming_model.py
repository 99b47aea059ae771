"""Grooming read from a window of chat as a whole, by a trained linear head (``models/grooming.npz``).

The lexicons find the moves a reviewer can name one message at a time; grooming is also
a register: a long friendly chat with an adult who keeps returning to age, being alone,
the child's body and keeping things quiet. This head reads the last ``WINDOW`` messages
of the conversation joined (both sides, as training segments are written) and gives the
probability that they come from a grooming conversation.

It reads every ``STRIDE``-th message, every message that carries a grooming cue of its
own (lexicon or exemplar), and the conversation's last message, skipping windows where
no pair could be grooming (adults only, or minors of an age). Its probability is
multiplied by the role factor of the most exposed pair in the window (adult or unknown
toward a minor) to rank it, and a window flags only when the probability reaches the
threshold and that pair could be grooming, so the same words between two 15-year-olds or
two adults do not flag. Evidence is the messages
of the best window, from the exposed pair's actor, that push the head furthest, each scored
alone.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import lru_cache
from pathlib import Path
from typing import ClassVar

from childguard.detectors.base import ConversationDetector
from childguard.detectors.heads import load_head, shipped_head_path
from childguard.detectors.roles import Party, parties, role_factor
from childguard.detectors.textmodel import LinearTextModel
from childguard.domain import Category, Conversation, Evidence, Message, Signal, SignalScope

#: Messages read together, the size of the training segments (6-25 messages).
WINDOW = 20
#: The head reads the window at every STRIDE-th message (and at cued and last messages).
STRIDE = 5
#: Windows whose most exposed pair has a lower grooming role factor are not read.
MIN_EXPOSURE = 0.3
#: A window shorter than this never flags: a register needs a few exchanges (the training
#: windows hold 6 to 40 messages); a single line is the lexicons' to judge.
MIN_FLAG_MESSAGES = 5
#: A window flags only where its most exposed pair has at least this role factor (an adult or
#: unknown account toward a minor or an account of unknown age).
FLAG_EXPOSURE = 0.5
#: The head flags at its trained threshold or this, whichever is higher. Its threshold is chosen
#: on held-out *written* chat, which is easier than real chat; a flag opens a review case, so
#: precision comes first.
FLAG_FLOOR = 0.8
MAX_EVIDENCE = 5
G = Category.GROOMING


def shipped_model_path() -> Path:
    return shipped_head_path("grooming")


class GroomingModelDetector(ConversationDetector):
    name: ClassVar[str] = "grooming_model"
    version: ClassVar[str] = "1"
    categories: ClassVar[frozenset[Category]] = frozenset({G})

    def __init__(
        self,
        model: LinearTextModel | None = None,
        path: Path | None = None,
        *,
        role_aware: bool = True,
        min_flag_messages: int = MIN_FLAG_MESSAGES,
    ) -> None:
        """``role_aware=False`` scores the text alone, as if every pair were adult to minor, and
        ``min_flag_messages=1`` lets one long message flag: both for anonymised evaluation
        segments (a whole chat window in one text), never for live decisions."""
        self.model = model or load_head(path or shipped_model_path())
        self.role_aware = role_aware
        self.min_flag_messages = min_flag_messages
        # A service re-reads a conversation at every new message; its earlier windows are the same
        # texts, so their probabilities are remembered rather than recomputed.
        self._probability = lru_cache(maxsize=8192)(self.model.probability)

    def languages(self) -> frozenset[str]:
        return frozenset(self.model.meta.get("languages", ("en", "es", "vi", "zh")))

    def detect_conversation(
        self, conversation: Conversation, message_signals: Mapping[str, Sequence[Signal]]
    ) -> list[Signal]:
        messages = conversation.messages
        if not messages:
            return []
        cued = [i for i, m in enumerate(messages) if _has_grooming_cue(message_signals.get(m.message_id, ()))]
        checkpoints = sorted({*cued, *range(STRIDE - 1, len(messages), STRIDE), len(messages) - 1})
        people = parties(conversation) if self.role_aware else {}
        threshold = max(self.model.threshold, FLAG_FLOOR)
        best: tuple[float, int, float, tuple[str, str] | None] | None = None  # (score, index, p, pair)
        first_flag: str | None = None
        for i in checkpoints:
            window = messages[max(0, i - WINDOW + 1) : i + 1]
            exposure, pair = self._exposure(window, people) if self.role_aware else (1.0, None)
            if exposure < MIN_EXPOSURE:
                continue
            p = self._probability(" ".join(m.text for m in window))
            score = p * exposure
            if best is None or score > best[0]:
                best = (score, i, p, pair)
            flaggable = len(window) >= self.min_flag_messages and exposure >= FLAG_EXPOSURE
            if first_flag is None and flaggable and p >= threshold:
                first_flag = messages[i].message_id
        if best is None or best[0] <= 0.0:
            return []
        score, at, p, pair = best
        window = messages[max(0, at - WINDOW + 1) : at + 1]
        evidence = self._evidence(window, p, pair[0] if pair else None)
        flagged = first_flag is not None
        return [
            Signal(
                detector=self.name,
                detector_version=f"{self.version}+{self.model.version}",
                category=G,
                score=round(min(1.0, score), 6),
                scope=SignalScope.CONVERSATION,
                subject_id=conversation.conversation_id,
                evidence=evidence,
                actor_id=pair[0] if pair else (_sender(window, evidence[0].message_id) if evidence else None),
                target_ids=(pair[1],) if pair else (),
                flagged=flagged,
                first_flagged_message_id=first_flag,
                explanation=(
                    f"{'The' if flagged else 'Weak signs: the'} last {len(window)} messages read as a grooming "
                    f"conversation to the grooming model (p={p:.2f}, flags at {threshold:.2f})"
                    + (f", from {people[pair[0]].describe()} toward {people[pair[1]].describe()}." if pair else ".")
                ),
            )
        ]

    def _exposure(self, window: Sequence[Message], people: Mapping[str, Party]) -> tuple[float, tuple[str, str] | None]:
        """The highest grooming role factor over the sender -> recipient pairs in the window, and that pair."""
        factor, pair = 0.0, None
        for m in window:
            actor = people.get(m.sender_id)
            for r in m.recipient_ids:
                target = people.get(r)
                if actor is not None and target is not None:
                    f = role_factor(G, actor, target)
                    if f > factor:
                        factor, pair = f, (m.sender_id, r)
        return factor, pair

    def _evidence(self, window: Sequence[Message], p: float, actor: str | None) -> tuple[Evidence, ...]:
        """The window's messages (the actor's, when known) that the head reads as grooming alone."""
        mine = [m for m in window if actor is None or m.sender_id == actor]
        scored = sorted(
            ((self._probability(m.text), k, m) for k, m in enumerate(mine) if m.text.strip()),
            key=lambda x: (-x[0], x[1]),
        )
        return tuple(
            Evidence(
                message_id=m.message_id,
                category=G,
                reason=f"part of a window the grooming model reads as grooming (p={p:.2f}); this message alone {q:.2f}",
                cue="grooming_register",
                weight=round(q, 6),
            )
            for q, _, m in scored[:MAX_EVIDENCE]
            if q >= 0.5
        )


def _has_grooming_cue(signals: Sequence[Signal]) -> bool:
    return any(s.category is G for s in signals)


def _sender(window: Sequence[Message], message_id: str) -> str | None:
    return next((m.sender_id for m in window if m.message_id == message_id), None)
