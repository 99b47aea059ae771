"""Small linear text models: hashed n-gram features and logistic-regression weights.

These are the trained heads childguard ships next to its lexicons. A model is a
``.npz`` file (weights, bias, and a JSON header with its name, version, training
data and threshold), small enough to commit, reproduced by ``childguard train`` and
retrainable by a platform on its own labelled data.

Features are computed here, identically at training and prediction time: the text is
normalised (``normalize``), then character 2-5-grams and word 1-2-grams are hashed
(CRC-32, with a sign bit to cancel collisions) into ``2**bits`` slots, weighted by
1 + log(count) (sign kept) and L2-normalised. Only numpy is needed to predict.
"""

from __future__ import annotations

import itertools
import json
import math
import re
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from childguard.detectors.normalize import normalize

DEFAULT_BITS = 18
_WORD = re.compile(r"\w+|[^\w\s]")


def hashed_features(text: str, bits: int = DEFAULT_BITS) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.float32]]:
    """Indices and values of the feature vector of ``text`` (already L2-normalised)."""
    norm = normalize(text)
    if not norm:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
    idx, raw = _slot_counts(_gram_hashes(norm), (1 << bits) - 1)
    # Sublinear term frequency, keeping the hashing sign: repeats count, but less and less.
    val = np.sign(raw) * (1.0 + np.log(np.maximum(np.abs(raw), 1.0)))
    val[raw == 0] = 0.0
    norm2 = float(np.sqrt(np.dot(val, val)))
    return idx, (val / norm2 if norm2 else val).astype(np.float32)


def _gram_hashes(norm: str) -> list[int]:
    """CRC-32 of the UTF-8 bytes of every feature, in order: the character 2- to 5-grams of ``norm``
    with a space either side (all 2-grams, then all 3-grams, ...), then its words, then word pairs."""
    # CRC-32 runs over bytes in order, so the CRC of an n-gram is the CRC of its (n-1)-gram
    # continued with its last character: each n costs one C call per position, no slicing.
    crc = zlib.crc32
    chars = list(map(str.encode, f" {norm} "))
    hashes: list[int] = []
    prev = list(map(crc, chars))
    for n in (2, 3, 4, 5):
        prev = list(map(crc, chars[n - 1 :], prev))
        hashes += prev
    words = _WORD.findall(norm)
    hashes += map(crc, [("\x01" + w).encode() for w in words])
    hashes += map(crc, [f"\x02{a} {b}".encode() for a, b in itertools.pairwise(words)])
    return hashes


#: Below this many features a Python loop sums them faster than numpy's sort.
_NUMPY_FROM = 96


def _slot_counts(hashes: list[int], mask: int) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.float32]]:
    """Each slot (``hash & mask``) hit, in order of first hit, and its signed count (+1 when bit 31 is set).

    The order matters: it is the order of the terms of the dot products, whose float32 result
    depends on it.
    """
    if len(hashes) < _NUMPY_FROM:
        slots: dict[int, float] = {}
        for h in hashes:
            slot = h & mask
            slots[slot] = slots.get(slot, 0.0) + (1.0 if h & 0x80000000 else -1.0)
        idx = np.fromiter(slots.keys(), dtype=np.int64, count=len(slots))
        return idx, np.fromiter(slots.values(), dtype=np.float32, count=len(slots))
    arr = np.array(hashes, dtype=np.int64)
    order = np.argsort(arr & mask, kind="stable")
    ordered = (arr & mask)[order]
    first = np.empty(len(ordered), dtype=bool)  # the first (earliest, the sort is stable) hit of its slot
    first[0] = True
    np.not_equal(ordered[1:], ordered[:-1], out=first[1:])
    sums = np.bincount(np.cumsum(first) - 1, weights=np.where(arr[order] >= 0x80000000, 1.0, -1.0))
    by_first_hit = np.argsort(order[first])
    return ordered[first][by_first_hit], sums[by_first_hit].astype(np.float32)


@dataclass(frozen=True)
class LinearTextModel:
    """A logistic-regression head over hashed features. ``threshold`` is its calibrated operating point."""

    name: str
    version: str
    weights: npt.NDArray[np.float32]
    bias: float
    threshold: float
    bits: int = DEFAULT_BITS
    meta: dict[str, Any] = field(default_factory=dict)

    def probability(self, text: str) -> float:
        idx, val = hashed_features(text, self.bits)
        z = self.bias + float(np.dot(self.weights[idx], val)) if len(idx) else self.bias
        return 1.0 / (1.0 + math.exp(-max(-60.0, min(60.0, z))))

    def probabilities(self, texts: Iterable[str]) -> list[float]:
        return [self.probability(t) for t in texts]

    def save(self, path: Path) -> None:
        header = {
            "name": self.name,
            "version": self.version,
            "bias": self.bias,
            "threshold": self.threshold,
            "bits": self.bits,
            "meta": self.meta,
        }
        with path.open("wb") as fh:
            np.savez_compressed(fh, weights=self.weights.astype(np.float16), header=np.array(json.dumps(header)))

    @classmethod
    def load(cls, path: Path) -> LinearTextModel:
        with np.load(path, allow_pickle=False) as data:
            header = json.loads(str(data["header"]))
            weights = data["weights"].astype(np.float32)
        if weights.shape != (1 << int(header["bits"]),):
            raise ValueError(f"{path}: weights do not match {header['bits']} hash bits")
        return cls(
            name=str(header["name"]),
            version=str(header["version"]),
            weights=weights,
            bias=float(header["bias"]),
            threshold=float(header["threshold"]),
            bits=int(header["bits"]),
            meta=dict(header.get("meta", {})),
        )


def feature_matrix(texts: Sequence[str], bits: int = DEFAULT_BITS) -> tuple[list[int], list[int], list[float]]:
    """Rows, columns and values of the sparse feature matrix of ``texts`` (for training)."""
    rows: list[int] = []
    cols: list[int] = []
    vals: list[float] = []
    for r, t in enumerate(texts):
        idx, val = hashed_features(t, bits)
        rows.extend([r] * len(idx))
        cols.extend(int(i) for i in idx)
        vals.extend(float(v) for v in val)
    return rows, cols, vals
