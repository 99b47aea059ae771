"""Classification metrics, standard library only (no scikit-learn at run time)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class BinaryScores:
    """Counts and the usual ratios for one positive class."""

    tp: int
    fp: int
    fn: int
    tn: int
    auc: float | None = None

    @property
    def support(self) -> int:
        return self.tp + self.fn

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    def f_beta(self, beta: float) -> float:
        p, r = self.precision, self.recall
        b2 = beta * beta
        return (1 + b2) * p * r / (b2 * p + r) if p + r else 0.0

    @property
    def f1(self) -> float:
        return self.f_beta(1.0)

    @property
    def f05(self) -> float:
        return self.f_beta(0.5)

    @property
    def negative_f1(self) -> float:
        """F1 of the negative class (for macro-F1 over both classes)."""
        p = self.tn / (self.tn + self.fn) if self.tn + self.fn else 0.0
        r = self.tn / (self.tn + self.fp) if self.tn + self.fp else 0.0
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def macro_f1(self) -> float:
        return (self.f1 + self.negative_f1) / 2


def binary_scores(
    gold: Sequence[bool], predicted: Sequence[bool], scores: Sequence[float] | None = None
) -> BinaryScores:
    if len(gold) != len(predicted):
        raise ValueError("gold and predicted differ in length")
    tp = sum(1 for g, p in zip(gold, predicted, strict=True) if g and p)
    fp = sum(1 for g, p in zip(gold, predicted, strict=True) if not g and p)
    fn = sum(1 for g, p in zip(gold, predicted, strict=True) if g and not p)
    tn = len(gold) - tp - fp - fn
    auc = roc_auc(gold, scores) if scores is not None else None
    return BinaryScores(tp, fp, fn, tn, auc)


def roc_auc(gold: Sequence[bool], scores: Sequence[float]) -> float | None:
    """Area under the ROC curve by the rank-sum (Mann-Whitney) formula, ties counted half.

    None when only one class is present.
    """
    pos = sum(1 for g in gold if g)
    neg = len(gold) - pos
    if pos == 0 or neg == 0:
        return None
    order = sorted(range(len(scores)), key=lambda i: scores[i])
    ranks = [0.0] * len(scores)
    i = 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and scores[order[j + 1]] == scores[order[i]]:
            j += 1
        mid = (i + j) / 2 + 1  # average rank of the tie group, 1-based
        for k in range(i, j + 1):
            ranks[order[k]] = mid
        i = j + 1
    rank_sum = sum(r for r, g in zip(ranks, gold, strict=True) if g)
    return (rank_sum - pos * (pos + 1) / 2) / (pos * neg)
