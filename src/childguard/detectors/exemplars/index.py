"""The contrastive exemplar index: how close a message is to known harm, against known look-alikes.

In the spirit of Roblox's open-sourced Sentinel: for each category, a message's
similarity to its nearest *harmful* exemplars (mean of the top ``k`` cosines) is set
against its similarity to the nearest *benign* exemplars, and a per-category logistic
calibration turns the two numbers into a probability. A message close to "send me a pic
just for me" but closer still to a parent's "send me a pic of your report card" scores low.

Calibration is fitted when the index is built, leave-one-out over the exemplars (each one
scored against the others) plus ordinary chat lines as extra negatives, so the probability
means the same thing for every category and encoder. Exemplars added later (reviewer
decisions) join the sets the similarities are taken over; the calibration is kept, and
the index version (the highest exemplar ``seq``) names the sets a signal was scored on.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from childguard.detectors.exemplars.encoders import HashingEncoder, TextEncoder, Vectors
from childguard.domain import ALL_CATEGORIES, Category
from childguard.domain.exemplars import Exemplar, ExemplarLabel

#: Similarities are averaged over this many nearest exemplars of a set.
TOP_K = 3
_BENIGN = "benign"


@dataclass(frozen=True)
class Calibration:
    """p = sigmoid(w_h * harmful_similarity + w_b * benign_similarity + bias)."""

    w_harmful: float
    w_benign: float
    bias: float

    def probability(self, harmful: npt.NDArray[np.float64], benign: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
        z = self.w_harmful * harmful + self.w_benign * benign + self.bias
        return 1.0 / (1.0 + np.exp(-np.clip(z, -40.0, 40.0)))


@dataclass(frozen=True)
class Match:
    category: Category
    probability: float
    #: The nearest harmful exemplar of the category: what the message resembles.
    nearest: Exemplar
    similarity: float


def _top_k_mean(sims: npt.NDArray[np.float64], k: int = TOP_K) -> npt.NDArray[np.float64]:
    """Mean of the ``k`` largest finite values of each row (``sims`` is rows x set members).

    ``-inf`` marks a value to leave out (an exemplar compared with itself); a row with no
    finite value has mean 0.
    """
    if sims.shape[1] == 0:
        return np.zeros(sims.shape[0])
    k = min(k, sims.shape[1])
    top = np.partition(sims, sims.shape[1] - k, axis=1)[:, -k:] if k < sims.shape[1] else sims
    valid = np.isfinite(top)
    counts = valid.sum(axis=1)
    total = np.where(valid, top, 0.0).sum(axis=1)
    means: npt.NDArray[np.float64] = np.divide(total, counts, out=np.zeros(sims.shape[0]), where=counts > 0)
    return means


def fit_logistic(
    x: npt.NDArray[np.float64], y: npt.NDArray[np.float64], l2: float = 1e-3, steps: int = 50
) -> npt.NDArray[np.float64]:
    """Weights (last one the bias) of an L2-regularised logistic regression, by Newton's method."""
    xb = np.hstack([x, np.ones((x.shape[0], 1))])
    w = np.zeros(xb.shape[1])
    reg = l2 * np.eye(xb.shape[1])
    reg[-1, -1] = 0.0
    for _ in range(steps):
        p = 1.0 / (1.0 + np.exp(-np.clip(xb @ w, -40.0, 40.0)))
        grad = xb.T @ (p - y) + reg @ w
        hess = (xb * (p * (1.0 - p))[:, None]).T @ xb + reg + 1e-9 * np.eye(xb.shape[1])
        step = np.linalg.solve(hess, grad)
        w -= step
        if float(np.max(np.abs(step))) < 1e-8:
            break
    return w


def calibrations_to_json(calibrations: Mapping[Category, Calibration]) -> dict[str, list[float]]:
    return {c.value: [cal.w_harmful, cal.w_benign, cal.bias] for c, cal in calibrations.items()}


def calibrations_from_json(data: Mapping[str, Sequence[float]]) -> dict[Category, Calibration]:
    return {Category(c): Calibration(float(w[0]), float(w[1]), float(w[2])) for c, w in data.items()}


@dataclass(frozen=True)
class _Snapshot:
    """The index as one consistent, immutable value: exemplars ordered by group, so that every
    group is a contiguous slice of the similarity row."""

    exemplars: tuple[Exemplar, ...]
    vectors: Vectors  # rows in the order of ``exemplars``
    bounds: Mapping[str, tuple[int, int]]
    #: Sparse vectors by dimension (CSR: ``indptr``, exemplar rows, values): a hashed message
    #: touches a few hundred of 4,096 dimensions, so its similarities are summed from those
    #: dimensions' postings alone. ``None`` for dense encoders.
    postings: tuple[npt.NDArray[np.int64], npt.NDArray[np.int64], Vectors] | None

    @classmethod
    def build(cls, exemplars: Sequence[Exemplar], vectors: Vectors, *, sparse: bool) -> _Snapshot:
        order = sorted(range(len(exemplars)), key=lambda i: (_group(exemplars[i]), i))
        ordered = tuple(exemplars[i] for i in order)
        rows = np.ascontiguousarray(vectors[order], dtype=np.float32)
        bounds: dict[str, tuple[int, int]] = {}
        for pos, ex in enumerate(ordered):
            start, _ = bounds.get(_group(ex), (pos, pos))
            bounds[_group(ex)] = (start, pos + 1)
        postings = None
        if sparse:
            dims, members = np.nonzero(rows.T)
            indptr = np.concatenate([[0], np.cumsum(np.bincount(dims, minlength=rows.shape[1]))]).astype(np.int64)
            postings = (indptr, members.astype(np.int64), rows.T[dims, members].astype(np.float32))
        return cls(ordered, rows, bounds, postings)

    def sparse_similarities(self, idx: npt.NDArray[np.int64], val: npt.NDArray[np.float32]) -> npt.NDArray[np.float64]:
        """Cosines of one sparse query (dimensions ``idx``, values ``val``) with every exemplar."""
        assert self.postings is not None
        indptr, members, values = self.postings
        starts = indptr[idx]
        lens = indptr[idx + 1] - starts
        total = int(lens.sum())
        at = np.repeat(starts - (np.cumsum(lens) - lens), lens) + np.arange(total)
        weights = values[at] * np.repeat(val, lens)
        return np.bincount(members[at], weights=weights, minlength=len(self.exemplars)).astype(np.float64)

    def members(self, group: str) -> slice:
        start, stop = self.bounds.get(group, (0, 0))
        return slice(start, stop)


class ExemplarIndex:
    """Exemplars and their vectors, grouped by (category, label). Reads never wait: an add builds
    a new snapshot and swaps it in."""

    def __init__(
        self,
        encoder: TextEncoder,
        exemplars: Sequence[Exemplar],
        vectors: Vectors | None = None,
        *,
        calibrations: Mapping[Category, Calibration] | None = None,
        calibration_negatives: Sequence[str] = (),
    ) -> None:
        """``calibrations`` as built before (``to_json``); without them the index calibrates
        itself on ``exemplars`` and ``calibration_negatives`` (ordinary chat lines)."""
        self.encoder = encoder
        self._lock = threading.Lock()  # serialises adds
        self._snapshot = _Snapshot.build((), np.zeros((0, encoder.dim), dtype=np.float32), sparse=self._sparse)
        self.add(exemplars, vectors)
        if calibrations is None:
            calibrations = self._calibrate(encoder.encode(list(calibration_negatives)))
        self.calibrations: dict[Category, Calibration] = dict(calibrations)
        #: What the artifact it was loaded from says about it (encoder, seed digest, counts).
        self.meta: dict[str, Any] = {}

    def copy(self) -> ExemplarIndex:
        """An index with the same exemplars and calibration that can grow on its own."""
        twin = ExemplarIndex.__new__(ExemplarIndex)
        twin.encoder, twin._lock, twin._snapshot = self.encoder, threading.Lock(), self._snapshot
        twin.calibrations, twin.meta = dict(self.calibrations), dict(self.meta)
        return twin

    # --- building -----------------------------------------------------------------------

    def add(self, exemplars: Iterable[Exemplar], vectors: Vectors | None = None) -> int:
        """Add exemplars not already held (by id); returns how many were new."""
        items = list(exemplars)
        if vectors is not None and len(vectors) != len(items):
            raise ValueError(f"{len(items)} exemplars but {len(vectors)} vectors")
        with self._lock:
            snap = self._snapshot
            held = {e.exemplar_id for e in snap.exemplars}
            keep: list[int] = []
            for i, e in enumerate(items):
                if e.exemplar_id not in held:
                    held.add(e.exemplar_id)
                    keep.append(i)
            if not keep:
                return 0
            fresh = [items[i] for i in keep]
            new_vectors = (
                self.encoder.encode([e.text for e in fresh])
                if vectors is None
                else np.asarray(vectors, dtype=np.float32)[keep]
            )
            self._snapshot = _Snapshot.build(
                (*snap.exemplars, *fresh),
                np.vstack([snap.vectors, new_vectors.astype(np.float32)]),
                sparse=self._sparse,
            )
            return len(fresh)

    def _calibrate(self, negatives: Vectors) -> dict[Category, Calibration]:
        """Leave-one-out features of every exemplar, plus the negatives, one fit per category."""
        snap = self._snapshot
        vectors = snap.vectors.astype(np.float64)
        sims = vectors @ vectors.T
        np.fill_diagonal(sims, -np.inf)  # an exemplar never finds itself
        neg_sims = negatives.astype(np.float64) @ vectors.T
        benign = snap.members(_BENIGN)
        if benign.stop == benign.start:
            return {}
        b_all = np.concatenate([_top_k_mean(sims[:, benign]), _top_k_mean(neg_sims[:, benign])])
        out: dict[Category, Calibration] = {}
        for category in ALL_CATEGORIES:
            members = snap.members(category.value)
            if members.stop - members.start < 2:
                continue
            h = np.concatenate([_top_k_mean(sims[:, members]), _top_k_mean(neg_sims[:, members])])
            y = np.zeros(len(h))
            y[members] = 1.0
            w = fit_logistic(np.column_stack([h, b_all]), y)
            out[category] = Calibration(float(w[0]), float(w[1]), float(w[2]))
        return out

    # --- reading ------------------------------------------------------------------------

    @property
    def version(self) -> int:
        return max((e.seq for e in self._snapshot.exemplars), default=0)

    def __len__(self) -> int:
        return len(self._snapshot.exemplars)

    def exemplars(self) -> list[Exemplar]:
        return list(self._snapshot.exemplars)

    def counts(self) -> dict[str, dict[str, int]]:
        """How many exemplars per category and label."""
        out: dict[str, dict[str, int]] = {}
        for e in self._snapshot.exemplars:
            per = out.setdefault(e.category.value, {"harmful": 0, "benign": 0})
            per[e.label.value] += 1
        return out

    def similarities(self, texts: Sequence[str]) -> npt.NDArray[np.float64]:
        """Cosine of each text (rows) with each exemplar (columns, in ``exemplars()`` order)."""
        return self._similarities(self._snapshot, texts)

    @property
    def _sparse(self) -> bool:
        return isinstance(self.encoder, HashingEncoder)

    def _similarities(self, snap: _Snapshot, texts: Sequence[str]) -> npt.NDArray[np.float64]:
        if isinstance(self.encoder, HashingEncoder) and snap.postings is not None and len(texts) == 1:
            return snap.sparse_similarities(*self.encoder.encode_sparse(texts[0]))[None, :]
        return self.encoder.encode(texts).astype(np.float64) @ snap.vectors.T.astype(np.float64)

    def match(self, texts: Sequence[str], threshold: float = 0.5) -> list[list[Match]]:
        """For each text, the categories whose probability reaches ``threshold``, most likely first."""
        if not texts:
            return []
        snap = self._snapshot
        sims = self._similarities(snap, texts)
        benign = _top_k_mean(sims[:, snap.members(_BENIGN)])
        results: list[list[Match]] = [[] for _ in texts]
        for category, cal in self.calibrations.items():
            members = snap.members(category.value)
            if members.stop == members.start:
                continue
            member_sims = sims[:, members]
            p = cal.probability(_top_k_mean(member_sims), benign)
            for row in np.flatnonzero(p >= threshold):
                best = int(np.argmax(member_sims[row]))
                nearest = snap.exemplars[members.start + best]
                results[row].append(Match(category, float(p[row]), nearest, float(member_sims[row, best])))
        for found in results:
            found.sort(key=lambda m: -m.probability)
        return results

    def probabilities(self, texts: Sequence[str]) -> dict[Category, list[float]]:
        """Every category's probability for every text (for evaluation and calibration reports)."""
        snap = self._snapshot
        sims = self._similarities(snap, texts)
        benign = _top_k_mean(sims[:, snap.members(_BENIGN)])
        return {
            category: [float(v) for v in cal.probability(_top_k_mean(sims[:, snap.members(category.value)]), benign)]
            for category, cal in self.calibrations.items()
        }


def _group(ex: Exemplar) -> str:
    return ex.category.value if ex.label is ExemplarLabel.HARMFUL else _BENIGN
