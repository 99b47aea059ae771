"""The exemplar detector: a message that resembles confirmed harm more than its look-alikes.

It emits one ``resembles_<category>`` cue per category whose calibrated probability
reaches the threshold, weighted by that probability, with the nearest exemplar named in
the reason so a reviewer sees what the message was found to resemble. The conversation
detector weighs these cues like any other (who to whom, repeats, corroboration) but never
counts them as a stage of the pattern, so they add reach (reworded scripts, paraphrases,
other languages with a multilingual encoder) without doubling a message the lexicons
already explain.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import lru_cache
from typing import ClassVar

from childguard.detectors.base import MessageDetector
from childguard.detectors.cues import CUES, RESEMBLANCE_CUES
from childguard.detectors.exemplars.index import ExemplarIndex, Match
from childguard.detectors.scoring import signals_by_category
from childguard.domain import ALL_CATEGORIES, Account, Category, Evidence, Message, Signal
from childguard.domain.exemplars import Exemplar

#: A category is emitted when its calibrated probability reaches this.
DEFAULT_THRESHOLD = 0.5
#: Messages shorter than this (after stripping) carry too little to compare.
MIN_CHARS = 4


class ExemplarDetector(MessageDetector):
    name: ClassVar[str] = "exemplars"
    version: ClassVar[str] = "1"
    categories: ClassVar[frozenset[Category]] = frozenset(ALL_CATEGORIES)

    def __init__(self, index: ExemplarIndex, threshold: float = DEFAULT_THRESHOLD) -> None:
        self.index = index
        self.threshold = threshold
        self._match = lru_cache(maxsize=4096)(self._match_uncached)

    @property
    def index_version(self) -> int:
        return self.index.version

    def languages(self) -> frozenset[str]:
        return frozenset(e.language for e in self.index.exemplars() if e.language)

    def add(self, exemplars: Iterable[Exemplar]) -> int:
        """Add exemplars (a reviewer's decision); later messages are compared with them too."""
        added = self.index.add(exemplars)
        if added:
            self._match.cache_clear()
        return added

    def _match_uncached(self, text: str) -> tuple[Match, ...]:
        return tuple(self.index.match([text], self.threshold)[0])

    def detect_message(self, message: Message, accounts: Mapping[str, Account]) -> list[Signal]:
        if len(message.text.strip()) < MIN_CHARS:
            return []
        found = []
        for m in self._match(message.text):
            spec = CUES[RESEMBLANCE_CUES[m.category]]
            weight = round(spec.weight * m.probability, 6)
            like = m.nearest.note or m.nearest.exemplar_id
            found.append(
                (
                    weight,
                    Evidence(
                        message_id=message.message_id,
                        category=m.category,
                        reason=f"{spec.reason} ({m.probability:.2f}; nearest: {like}, index v{self.index.version})",
                        cue=spec.name,
                        weight=weight,
                    ),
                )
            )
        return signals_by_category(self.name, self.version, message, found)
