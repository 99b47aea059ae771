"""The hashed features of the trained heads are computed fast, and exactly as they were defined.

``reference_features`` is the plain definition (one slice, one CRC and one dictionary update per
n-gram); ``hashed_features`` must agree with it bit for bit, or a shipped model's scores change.
"""

from __future__ import annotations

import itertools
import math
import zlib

import numpy as np
import numpy.typing as npt
import pytest

from childguard.detectors.normalize import normalize
from childguard.detectors.textmodel import _NUMPY_FROM, _WORD, LinearTextModel, hashed_features


def reference_features(text: str, bits: int) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.float32]]:
    norm = normalize(text)
    if not norm:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
    padded = f" {norm} "
    words = _WORD.findall(norm)
    grams = [padded[i : i + n] for n in (2, 3, 4, 5) for i in range(len(padded) - n + 1)]
    grams += ["\x01" + w for w in words]
    grams += [f"\x02{a} {b}" for a, b in itertools.pairwise(words)]
    slots: dict[int, float] = {}
    for gram in grams:
        h = zlib.crc32(gram.encode("utf-8"))
        slot = h & ((1 << bits) - 1)
        slots[slot] = slots.get(slot, 0.0) + (1.0 if h & 0x80000000 else -1.0)
    idx = np.fromiter(slots.keys(), dtype=np.int64, count=len(slots))
    raw = np.fromiter(slots.values(), dtype=np.float32, count=len(slots))
    val = np.sign(raw) * (1.0 + np.log(np.maximum(np.abs(raw), 1.0)))
    val[raw == 0] = 0.0
    norm2 = float(np.sqrt(np.dot(val, val)))
    return idx, (val / norm2 if norm2 else val).astype(np.float32)


TEXTS = [
    "",
    "   ",
    "a",
    "ok",
    "gg ez",
    "Ur TRASH lol",
    "hahahahahahahahahahahahahahahahahaha",
    "u r so mature for ur age, dont tell ur mom we talk ok?",
    "Em bao nhiêu tuổi rồi? Anh 25 tuổi, nhà anh ở đường Lê Lợi",
    "¿Cuántos años tienes? No le digas a nadie que hablamos 😀😀",
    "你今年几岁了？别告诉你爸妈我们在聊天，我给你买皮肤",
    "noob noob noob noob noob noob noob noob noob noob noob noob noob noob noob noob noob noob",
    " ".join(f"word{i}" for i in range(200)),
    "x" * 3 + "y" * 3 + " ab" * 60,
]


@pytest.mark.parametrize("bits", [18, 8])
@pytest.mark.parametrize("text", TEXTS)
def test_features_match_the_definition(text: str, bits: int) -> None:
    idx, val = hashed_features(text, bits)
    ref_idx, ref_val = reference_features(text, bits)
    assert idx.dtype == ref_idx.dtype and val.dtype == ref_val.dtype
    assert np.array_equal(idx, ref_idx)
    assert np.array_equal(val, ref_val)


def test_both_ways_of_summing_are_exercised() -> None:
    sizes = [len(normalize(t)) * 4 for t in TEXTS if normalize(t)]
    assert min(sizes) < _NUMPY_FROM < max(sizes)


def test_model_probability_uses_the_same_features() -> None:
    rng = np.random.default_rng(7)
    model = LinearTextModel("t", "1", rng.normal(size=1 << 12).astype(np.float32), 0.1, 0.5, bits=12)
    for text in TEXTS:
        idx, val = reference_features(text, 12)
        z = 0.1 + float(np.dot(model.weights[idx], val)) if len(idx) else 0.1
        assert model.probability(text) == 1.0 / (1.0 + math.exp(-z))
