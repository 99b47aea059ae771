"""Abusive language in a single message, from a trained linear head (``models/abuse.npz``).

The lexicons find the targeted forms of bullying a reviewer can name (exclusion,
"kill yourself", threats); this head finds the long tail of insults and flaming in
any spelling. It emits the ``abusive_language`` cue, which the conversation detector
weighs like any other: toward a child and repeated, it is bullying; one insult in an
adults' game lobby stays below the threshold.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import ClassVar

from childguard.detectors.base import MessageDetector
from childguard.detectors.cues import CUES
from childguard.detectors.heads import load_head, shipped_head_path
from childguard.detectors.scoring import signals_by_category
from childguard.detectors.textmodel import LinearTextModel
from childguard.domain import Account, Category, Evidence, Message, Signal

CUE = "abusive_language"


def shipped_model_path() -> Path:
    return shipped_head_path("abuse")


class AbuseModelDetector(MessageDetector):
    name: ClassVar[str] = "abuse_model"
    version: ClassVar[str] = "1"
    categories: ClassVar[frozenset[Category]] = frozenset({Category.CYBERBULLYING})

    def __init__(self, model: LinearTextModel | None = None, path: Path | None = None) -> None:
        self.model = model or load_head(path or shipped_model_path())

    def languages(self) -> frozenset[str]:
        """The languages its training data covers (recorded in the model; the shipped one: en, es, vi, zh)."""
        return frozenset(self.model.meta.get("languages", ("en", "es", "vi", "zh")))

    def probability(self, text: str) -> float:
        return self.model.probability(text) if text.strip() else 0.0

    def detect_message(self, message: Message, accounts: Mapping[str, Account]) -> list[Signal]:
        p = self.probability(message.text)
        if p < self.model.threshold:
            return []
        spec = CUES[CUE]
        weight = round(spec.weight * p, 6)
        ev = Evidence(
            message_id=message.message_id,
            category=Category.CYBERBULLYING,
            reason=f"{spec.reason} (model {self.model.name} v{self.model.version}, {p:.2f})",
            cue=CUE,
            weight=weight,
        )
        return signals_by_category(self.name, f"{self.version}+{self.model.version}", message, [(weight, ev)])
