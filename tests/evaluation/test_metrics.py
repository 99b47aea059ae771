from __future__ import annotations

import pytest

from childguard.evaluation.metrics import binary_scores, roc_auc


def test_counts_and_ratios() -> None:
    s = binary_scores([True, True, False, False, True], [True, False, True, False, True])
    assert (s.tp, s.fp, s.fn, s.tn) == (2, 1, 1, 1)
    assert s.precision == pytest.approx(2 / 3) and s.recall == pytest.approx(2 / 3)
    assert s.f1 == pytest.approx(2 / 3) and s.f05 == pytest.approx(2 / 3)
    assert s.negative_f1 == pytest.approx(0.5)
    assert s.macro_f1 == pytest.approx((2 / 3 + 0.5) / 2)


def test_f05_weighs_precision_more() -> None:
    precise = binary_scores([True] * 4 + [False] * 4, [True, False, False, False] + [False] * 4)
    assert precise.f05 > precise.f1


def test_auc_perfect_random_and_ties() -> None:
    assert roc_auc([False, False, True, True], [0.1, 0.2, 0.8, 0.9]) == 1.0
    assert roc_auc([True, True, False, False], [0.1, 0.2, 0.8, 0.9]) == 0.0
    assert roc_auc([True, False], [0.5, 0.5]) == 0.5
    assert roc_auc([True, True], [0.1, 0.2]) is None


def test_empty_classes_do_not_divide_by_zero() -> None:
    s = binary_scores([False, False], [False, False])
    assert s.precision == s.recall == s.f1 == 0.0
