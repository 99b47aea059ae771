"""Train a ``LinearTextModel`` from labelled texts.

Examples come from CSV or JSON Lines files with a text and a 0/1 label (column names
configurable), so a platform can retrain on its own moderation history. 10% of the
examples (stratified, fixed seed) are held out to choose the operating threshold and
to report precision and recall; the model is then refitted on everything.

scikit-learn (the ``train`` extra) fits the weights; prediction needs only numpy.
"""

from __future__ import annotations

import csv
import json
import random
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from childguard.detectors.textmodel import DEFAULT_BITS, LinearTextModel, feature_matrix
from childguard.evaluation.metrics import BinaryScores, binary_scores


class TrainingDataError(ValueError):
    """A training file cannot be used; the message names the file, line and field."""


@dataclass(frozen=True)
class Example:
    text: str
    label: bool
    source: str
    #: How much this example counts in the fit (a platform's own data may count more than a public set).
    weight: float = 1.0


def read_examples(
    path: Path,
    *,
    text_field: str = "text",
    label_field: str = "label",
    positive: Sequence[str] = ("1", "1.0", "true"),
    weight: float = 1.0,
) -> list[Example]:
    """Labelled texts from a ``.csv`` or ``.jsonl`` file; ``positive`` lists the label values that mean 1."""
    pos = {p.lower() for p in positive}
    out: list[Example] = []
    if path.suffix == ".jsonl":
        with path.open(encoding="utf-8") as fh:
            for n, line in enumerate(fh, start=1):
                if not line.strip():
                    continue
                try:
                    obj = json.loads(line)
                except json.JSONDecodeError as exc:
                    raise TrainingDataError(f"{path}:{n}: not valid JSON ({exc.msg})") from None
                out.append(_example(path, n, obj, text_field, label_field, pos, weight))
        return out
    csv.field_size_limit(sys.maxsize)
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        for field in (text_field, label_field):
            if reader.fieldnames is None or field not in reader.fieldnames:
                raise TrainingDataError(f"{path}: no column {field!r} (columns: {reader.fieldnames})")
        for n, row in enumerate(reader, start=2):
            out.append(_example(path, n, row, text_field, label_field, pos, weight))
    return out


def _example(
    path: Path, line: int, obj: object, text_field: str, label_field: str, pos: set[str], weight: float
) -> Example:
    if not isinstance(obj, dict):
        raise TrainingDataError(f"{path}:{line}: expected an object with {text_field!r} and {label_field!r}")
    text, label = obj.get(text_field), obj.get(label_field)
    if not isinstance(text, str):
        raise TrainingDataError(f"{path}:{line}: field {text_field!r} must be text")
    if label is None:
        raise TrainingDataError(f"{path}:{line}: field {label_field!r} is missing")
    return Example(text, str(label).strip().lower() in pos, str(path.name), weight)


@dataclass(frozen=True)
class TrainingResult:
    model: LinearTextModel
    held_out: BinaryScores
    examples: int
    positives: int


def _fit(examples: Sequence[Example], bits: int, c: float) -> tuple[np.ndarray, float]:
    from scipy.sparse import csr_matrix
    from sklearn.linear_model import LogisticRegression

    rows, cols, vals = feature_matrix([e.text for e in examples], bits)
    x = csr_matrix((vals, (rows, cols)), shape=(len(examples), 1 << bits), dtype=np.float32)
    clf = LogisticRegression(C=c, class_weight="balanced", max_iter=3000, solver="liblinear")
    clf.fit(x, np.array([e.label for e in examples], dtype=np.int8), sample_weight=[e.weight for e in examples])
    return clf.coef_[0].astype(np.float32), float(clf.intercept_[0])


def train_text_model(
    examples: Sequence[Example], *, name: str, version: str, bits: int = DEFAULT_BITS, c: float = 4.0, seed: int = 13
) -> TrainingResult:
    if len({e.label for e in examples}) < 2:
        raise TrainingDataError("training needs both positive and negative examples")
    rng = random.Random(seed)
    pos = [e for e in examples if e.label]
    neg = [e for e in examples if not e.label]
    rng.shuffle(pos)
    rng.shuffle(neg)
    held = pos[: max(1, len(pos) // 10)] + neg[: max(1, len(neg) // 10)]
    fit = pos[len(pos) // 10 or 1 :] + neg[len(neg) // 10 or 1 :]
    w, b = _fit(fit, bits, c)
    probe = LinearTextModel(name=name, version=version, weights=w, bias=b, threshold=0.5, bits=bits)
    probs = probe.probabilities(e.text for e in held)
    gold = [e.label for e in held]
    # The operating point: the threshold with the best F0.5 on held-out data (precision first).
    best = max(
        (t / 100 for t in range(20, 96, 5)),
        key=lambda t: binary_scores(gold, [p >= t for p in probs]).f05,
    )
    held_scores = binary_scores(gold, [p >= best for p in probs], probs)
    w, b = _fit(examples, bits, c)
    sources = sorted({e.source for e in examples})
    weights = {e.source: e.weight for e in examples}
    model = LinearTextModel(
        name=name,
        version=version,
        weights=w,
        bias=b,
        threshold=best,
        bits=bits,
        meta={
            "examples": len(examples),
            "positives": len(pos),
            "sources": sources,
            "source_weights": weights,
            "c": c,
            "seed": seed,
        },
    )
    return TrainingResult(model, held_scores, len(examples), len(pos))
