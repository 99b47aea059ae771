"""Run the evaluation: every data set through the same detectors the product uses.

What is measured where:

* ``pan12``: grooming vs other chat (including adults' sexual chat) on anonymised
  segments. The segments carry no author names, so who is the adult cannot be known:
  the grooming *pattern* score is measured (``ConversationRiskDetector(role_aware=False)``).
* ``gametox``, ``conda``, ``davidson``: abuse in a single message (any bullying cue
  from the message detectors), macro-F1 over abuse and not-abuse.
* ``cssrs``: self-harm risk of a Reddit user from their posts (Ideation, Behavior,
  Attempt vs Supportive, Indicator), with the conversation detector.
* ``suite``: the project's own conversations, end to end through ``Engine.scan`` with
  the default policy: every category one-vs-rest, false alarms on benign
  conversations, and how early grooming is flagged.
"""

from __future__ import annotations

import statistics
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

from childguard.detectors.base import MessageDetector
from childguard.detectors.conversation import ConversationRiskDetector
from childguard.detectors.registry import DetectorRegistry
from childguard.domain import ALL_CATEGORIES, Category, Conversation, Signal
from childguard.engine import Engine
from childguard.evaluation import datasets
from childguard.evaluation.metrics import BinaryScores, binary_scores

_T = TypeVar("_T")

#: The file each public data set is read from, to tell when a shipped head was trained on it.
_SOURCE_FILES = {"gametox": "gametox.csv", "conda": "CONDA_valid.csv", "davidson": "labeled_data.csv"}

#: A single message counts as abuse when its bullying cues reach this score (one insult cue does).
ABUSE_THRESHOLD = 0.25
#: A conversation-level category counts as detected at the detector's own flag threshold.
FLAG_THRESHOLD = 0.5


@dataclass
class Row:
    dataset: str
    task: str
    scores: BinaryScores
    note: str = ""


@dataclass
class Report:
    rows: list[Row] = field(default_factory=list)
    false_alarms: list[str] = field(default_factory=list)
    benign_total: int = 0
    grooming_earliness: list[float] = field(default_factory=list)
    misses: list[tuple[str, str, str]] = field(default_factory=list)  # (conversation, expected, got)
    skipped: list[str] = field(default_factory=list)


def _message_scores(engine: Engine, text: str, category: Category, only: str | None = None) -> float:
    conv = datasets.text_conversation(datasets.TextItem("x", text, False))
    if only is not None:
        detector = engine.registry.get(only)
        assert isinstance(detector, MessageDetector)
        signals = detector.detect_message(conv.messages[0], {})
    else:
        signals = engine.message_signals(conv.messages[0], conv)
    return max((s.score for s in signals if s.category is category), default=0.0)


def _conversation_score(
    detector: ConversationRiskDetector, engine: Engine, conv: Conversation, category: Category
) -> float:
    per_message: dict[str, Sequence[Signal]] = {m.message_id: engine.message_signals(m, conv) for m in conv.messages}
    return max(
        (s.score for s in detector.detect_conversation(conv, per_message) if s.category is category), default=0.0
    )


def _binary(dataset: str, task: str, gold: list[bool], scores: list[float], threshold: float, note: str = "") -> Row:
    return Row(dataset, task, binary_scores(gold, [s >= threshold for s in scores], scores), note)


def eval_texts(engine: Engine, name: str, items: Sequence[datasets.TextItem]) -> Row:
    """Abuse in one message: a lexicon bullying cue, or the abuse head above its threshold.

    The score for ROC-AUC is the larger of the lexicon score and the head's probability.
    """
    from childguard.detectors.abuse_model import AbuseModelDetector

    head = engine.registry.get(AbuseModelDetector.name)
    gold, predicted, scores = [], [], []
    for it in items:
        lexicon = _message_scores(engine, it.text, Category.CYBERBULLYING, only="text_patterns")
        p = head.probability(it.text) if isinstance(head, AbuseModelDetector) else 0.0
        threshold = head.model.threshold if isinstance(head, AbuseModelDetector) else 1.0
        gold.append(it.positive)
        predicted.append(lexicon >= ABUSE_THRESHOLD or p >= threshold)
        scores.append(max(lexicon, p))
    note = "lexicon + abuse head" if isinstance(head, AbuseModelDetector) else "lexicon only"
    if isinstance(head, AbuseModelDetector) and _SOURCE_FILES.get(name) in head.model.meta.get("sources", ()):
        note += "; IN-SAMPLE: the head was trained on this set"
    return Row(name, "abuse (message)", binary_scores(gold, predicted, scores), note)


def eval_pan12(engine: Engine, items: Sequence[datasets.TextItem]) -> list[Row]:
    """Three rows: the cue pattern alone, the grooming head alone, and both as the product combines them.

    The product flags a conversation when either detector flags it; its grooming score is the
    larger of the two. Segments have no authors, so both read them as if adult to minor, and a
    segment is a whole chat window in one text, so the head may flag on it alone.
    """
    from childguard.detectors.grooming_model import GroomingModelDetector

    pattern = ConversationRiskDetector(role_aware=False)
    installed = engine.registry.get(GroomingModelDetector.name)
    head = (
        GroomingModelDetector(installed.model, role_aware=False, min_flag_messages=1)
        if isinstance(installed, GroomingModelDetector)
        else None
    )
    gold = [it.positive for it in items]
    p_scores, h_scores, flags = [], [], []
    for it in items:
        conv = datasets.text_conversation(it)
        per_message = {m.message_id: engine.message_signals(m, conv) for m in conv.messages}
        pat = [s for s in pattern.detect_conversation(conv, per_message) if s.category is Category.GROOMING]
        hd = [s for s in head.detect_conversation(conv, per_message)] if head else []
        p_scores.append(max((s.score for s in pat), default=0.0))
        h_scores.append(max((s.score for s in hd), default=0.0))
        flags.append(any(s.flagged for s in (*pat, *hd)))
    rows = [_binary("pan12", "grooming: cue pattern", gold, p_scores, FLAG_THRESHOLD, "segments have no authors")]
    if head is not None:
        rows.append(
            _binary("pan12", "grooming: head", gold, h_scores, head.model.threshold, "segments have no authors")
        )
        both = [max(a, b) for a, b in zip(p_scores, h_scores, strict=True)]
        rows.append(Row("pan12", "grooming (as shipped)", binary_scores(gold, flags, both), "either flags"))
    return rows


def eval_cssrs(engine: Engine, users: Sequence[datasets.UserPosts]) -> Row:
    detector = ConversationRiskDetector()
    scores = [_conversation_score(detector, engine, datasets.posts_conversation(u), Category.SELF_HARM) for u in users]
    return _binary("cssrs", "self_harm (user)", [u.positive for u in users], scores, FLAG_THRESHOLD)


def eval_suite(engine: Engine, items: Sequence[datasets.ConversationItem], report: Report) -> None:
    verdicts = [engine.scan(it.conversation) for it in items]
    for category in ALL_CATEGORIES:
        gold = [it.label == category.value for it in items]
        predicted = [v.category == category.value for v in verdicts]
        scores = [float(v.scores.get(category.value, 0.0)) for v in verdicts]
        report.rows.append(Row("suite", category.value, binary_scores(gold, predicted, scores)))
    gold_any = [it.label != "none" for it in items]
    report.rows.append(
        Row(
            "suite",
            "any harm",
            binary_scores(gold_any, [v.flagged for v in verdicts], [v.risk_score for v in verdicts]),
        )
    )
    for lang in sorted({it.language for it in items}):
        pairs = [(it, v) for it, v in zip(items, verdicts, strict=True) if it.language == lang]
        report.rows.append(
            Row(
                f"suite/{lang}",
                "any harm",
                binary_scores(
                    [it.label != "none" for it, _ in pairs],
                    [v.flagged for _, v in pairs],
                    [v.risk_score for _, v in pairs],
                ),
            )
        )
    report.benign_total = sum(1 for it in items if it.label == "none")
    for it, v in zip(items, verdicts, strict=True):
        cid = it.conversation.conversation_id
        if it.label == "none" and v.flagged:
            report.false_alarms.append(f"{cid} ({v.category})")
        if it.label != v.category:
            report.misses.append((cid, it.label, v.category))
        if it.label == "grooming" and v.category == "grooming" and v.first_flagged_message_id:
            position = it.conversation.index_of(v.first_flagged_message_id) + 1
            report.grooming_earliness.append(position / len(it.conversation.messages))


Runner = Callable[[Engine, Path, Report, int | None], None]


def _limit(items: list[_T], limit: int | None) -> list[_T]:
    return items[:limit] if limit else items


def _run_pan12(engine: Engine, data: Path, report: Report, limit: int | None) -> None:
    report.rows.extend(eval_pan12(engine, _limit(datasets.pan12_segments(data / "pan12_segments" / "dev.csv"), limit)))


def _run_gametox(engine: Engine, data: Path, report: Report, limit: int | None) -> None:
    report.rows.append(eval_texts(engine, "gametox", _limit(datasets.gametox(data / "gametox" / "gametox.csv"), limit)))


def _run_conda(engine: Engine, data: Path, report: Report, limit: int | None) -> None:
    items = _limit(datasets.conda(data / "conda_ingame" / "CONDA_valid.csv"), limit)
    report.rows.append(eval_texts(engine, "conda", items))


def _run_davidson(engine: Engine, data: Path, report: Report, limit: int | None) -> None:
    items = _limit(datasets.davidson(data / "davidson_hate_offensive" / "labeled_data.csv"), limit)
    report.rows.append(eval_texts(engine, "davidson", items))


def _run_cssrs(engine: Engine, data: Path, report: Report, limit: int | None) -> None:
    users = _limit(datasets.cssrs(data / "reddit_cssrs_suicide" / "500_Reddit_users_posts_labels.csv"), limit)
    report.rows.append(eval_cssrs(engine, users))


DATASETS: dict[str, Runner] = {
    "pan12": _run_pan12,
    "gametox": _run_gametox,
    "conda": _run_conda,
    "davidson": _run_davidson,
    "cssrs": _run_cssrs,
}


def run(
    engine: Engine,
    *,
    data_dir: Path | None,
    suite_dir: Path | None,
    only: Sequence[str] = (),
    limit: int | None = None,
) -> Report:
    """Evaluate on every data set found (or the ``only`` ones); missing data is listed in ``skipped``."""
    report = Report()
    wanted = set(only) or {*DATASETS, "suite"}
    for name, runner in DATASETS.items():
        if name not in wanted:
            continue
        if data_dir is None or not data_dir.is_dir():
            report.skipped.append(f"{name}: no data directory")
            continue
        try:
            runner(engine, data_dir, report, limit)
        except FileNotFoundError as exc:
            report.skipped.append(f"{name}: {exc.filename} not found")
    if "suite" in wanted:
        if suite_dir is not None and suite_dir.is_dir() and any(suite_dir.glob("*.jsonl")):
            eval_suite(engine, _limit(datasets.suite(suite_dir), limit), report)
        else:
            report.skipped.append("suite: no conversation suite found")
    return report


def earliness_summary(values: Sequence[float]) -> str:
    if not values:
        return "no grooming conversation detected"
    return (
        f"median {statistics.median(values):.0%} of the conversation read before the flag "
        f"(mean {statistics.mean(values):.0%}, n={len(values)})"
    )


def default_registry_for_eval() -> DetectorRegistry:
    from childguard.detectors.registry import default_registry

    return default_registry(load_plugins=False)
