"""Small scoring helpers shared by the detectors."""

from __future__ import annotations

from collections.abc import Iterable

from childguard.domain import Category, Evidence, Message, Signal, SignalScope


def noisy_or(weights: Iterable[float]) -> float:
    """Probability that at least one independent cue is right: 1 - prod(1 - w)."""
    miss = 1.0
    for w in weights:
        miss *= 1.0 - w
    return 1.0 - miss


def signals_by_category(
    detector: str, version: str, message: Message, cues: Iterable[tuple[float, Evidence]]
) -> list[Signal]:
    """One message-scoped signal per category, its score the noisy-or of its cues, strongest evidence first."""
    by_cat: dict[Category, list[tuple[float, Evidence]]] = {}
    for weight, ev in cues:
        by_cat.setdefault(ev.category, []).append((weight, ev))
    signals = []
    for category, items in by_cat.items():
        items.sort(key=lambda x: -x[0])
        signals.append(
            Signal(
                detector=detector,
                detector_version=version,
                category=category,
                score=round(noisy_or(w for w, _ in items), 6),
                scope=SignalScope.MESSAGE,
                subject_id=message.message_id,
                evidence=tuple(ev for _, ev in items),
                actor_id=message.sender_id,
                target_ids=message.recipient_ids,
            )
        )
    signals.sort(key=lambda s: s.category.value)
    return signals
