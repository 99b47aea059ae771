"""The grooming head: a window of chat read as a whole, weighed by who is talking to whom."""

from __future__ import annotations

import numpy as np

from childguard.detectors.grooming_model import FLAG_FLOOR, STRIDE, GroomingModelDetector
from childguard.detectors.textmodel import LinearTextModel, hashed_features
from childguard.domain import Category

from .conftest import account, conversation

GROOMING_WORDS = ["alone", "secret", "mature", "pics", "parents"]


def toy_model(threshold: float = 0.5) -> LinearTextModel:
    """A head that reads 'alone', 'secret', 'mature', 'pics' and 'parents' as grooming."""
    bits = 12
    weights = np.zeros(1 << bits, dtype=np.float32)
    for word in GROOMING_WORDS:
        idx, _ = hashed_features(word, bits)
        weights[idx] += 40.0
    return LinearTextModel(name="toy", version="t", weights=weights, bias=-2.0, threshold=threshold, bits=bits)


GROOMING_CHAT = [
    ("adult", "kid", "ur so mature for ur age"),
    ("kid", "adult", "lol thx"),
    ("adult", "kid", "r ur parents home? are u alone"),
    ("kid", "adult", "yea alone"),
    ("adult", "kid", "keep this our secret ok, send pics"),
]


def test_flags_a_grooming_window_toward_a_child_of_unknown_or_known_age() -> None:
    detector = GroomingModelDetector(toy_model())
    for kid in (account("kid"), account("kid", 13)):
        [signal] = detector.detect_conversation(conversation(GROOMING_CHAT, [kid, account("adult", 30)]), {})
        assert signal.category is Category.GROOMING and signal.flagged
        assert signal.score >= FLAG_FLOOR * 0.6  # p alone reaches the floor; the score is p x the role factor
        assert signal.actor_id == "adult" and signal.target_ids == ("kid",)
        assert signal.first_flagged_message_id == "m5"
        assert {e.message_id for e in signal.evidence} <= {f"m{i}" for i in range(1, 6)}
        assert signal.evidence and all(e.cue == "grooming_register" for e in signal.evidence)


def test_the_same_words_between_adults_are_not_read() -> None:
    detector = GroomingModelDetector(toy_model())
    conv = conversation(GROOMING_CHAT, [account("kid", 31), account("adult", 30)])
    assert detector.detect_conversation(conv, {}) == []


def test_without_roles_the_text_alone_is_scored() -> None:
    detector = GroomingModelDetector(toy_model(), role_aware=False)
    [signal] = detector.detect_conversation(conversation(GROOMING_CHAT, [account("kid", 31), account("adult", 30)]), {})
    assert signal.flagged


def test_ordinary_chat_is_not_flagged_and_long_chats_are_read_in_strides() -> None:
    calls: list[str] = []
    model = toy_model()

    class Counting(LinearTextModel):
        def probability(self, text: str) -> float:
            calls.append(text)
            return LinearTextModel.probability(self, text)

    fields = ("name", "version", "weights", "bias", "threshold", "bits")
    detector = GroomingModelDetector(Counting(**{f: getattr(model, f) for f in fields}))
    turns = [("a", "b", f"what did u get on question {i}") for i in range(4 * STRIDE)]
    conv = conversation(turns)
    signals = detector.detect_conversation(conv, {})
    assert all(not s.flagged for s in signals)
    windows = [t for t in calls if t.count("question") > 1]
    assert len(windows) == 4, calls  # every STRIDE-th message; the last one is one of them
    detector.detect_conversation(conv, {})  # read again (the next message's turn): remembered
    assert len([t for t in calls if t.count("question") > 1]) == 4


def test_the_shipped_head_loads_with_its_threshold() -> None:
    detector = GroomingModelDetector()
    assert 0.0 < detector.model.threshold < 1.0
    assert detector.model.meta["examples"] > 500
