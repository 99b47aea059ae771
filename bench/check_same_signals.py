"""Dump every detector output on a fixed corpus, to prove a speed-up changed no result.

Usage::

    python bench/check_same_signals.py --out before.txt           # on the old code
    python bench/check_same_signals.py --out after.txt --against before.txt

The dump holds, one line per item:

* for every conversation of the demo file and of ``eval/suite/*.jsonl``: each message's
  signals, the conversation signals (role-aware and role-blind), the decision and the verdict;
* for every text of the public data sets in ``../shared/data`` (when present), of the lexicon
  tests' phrases and of the abuse head's training lines: the message detectors' signals as a
  one-message conversation, and the age stated in it.

Signals are written with ``repr``, so any change of category, score, evidence, reason or
order shows. ``--against`` exits with status 1 and prints the first differing lines.
"""

from __future__ import annotations

import argparse
import ast
import csv
import sys
from collections.abc import Iterator
from pathlib import Path

from childguard.cli.demo import demo_path
from childguard.detectors.age_hints import stated_age
from childguard.detectors.conversation import ConversationRiskDetector
from childguard.detectors.roles import family_pairs
from childguard.domain import Conversation
from childguard.engine import Engine
from childguard.evaluation import datasets
from childguard.interchange import LineError, load_conversations

ROOT = Path(__file__).resolve().parent.parent


def _conversations(path: Path) -> list[Conversation]:
    errors: list[LineError] = []
    with path.open(encoding="utf-8") as fh:
        return list(load_conversations(fh, errors).conversations())


def _conversation_lines(engine: Engine, role_blind: ConversationRiskDetector, conv: Conversation) -> Iterator[str]:
    assessment = engine.assess(conv)
    cid = conv.conversation_id
    for mid, sigs in assessment.message_signals.items():
        yield f"{cid} msg {mid} {sigs!r}"
    yield f"{cid} conv {assessment.conversation_signals!r}"
    yield f"{cid} blind {role_blind.detect_conversation(conv, assessment.message_signals)!r}"
    yield f"{cid} bands {sorted((k, v.value) for k, v in assessment.age_bands.items())!r}"
    yield f"{cid} family {sorted(sorted(p) for p in family_pairs(conv))!r}"
    decision = engine.decide(assessment)
    yield f"{cid} decision {decision.actions!r} {decision.fired_rules!r}"
    yield f"{cid} verdict {engine.verdict(assessment, decision).to_dict()!r}"
    # The streaming path: each message as the trigger over the conversation so far.
    for i, msg in enumerate(conv.messages):
        prefix = Conversation(conv.conversation_id, conv.messages[: i + 1], conv.accounts)
        part = engine.assess(prefix, assessment.message_signals)
        d = engine.decide(part, trigger=msg)
        yield f"{cid} stream {msg.message_id} {part.conversation_signals!r} {d.actions!r} {d.fired_rules!r}"


def _lexicon_test_phrases() -> list[str]:
    tree = ast.parse((ROOT / "tests" / "detectors" / "test_lexicons.py").read_text(encoding="utf-8"))
    return [n.value for n in ast.walk(tree) if isinstance(n, ast.Constant) and isinstance(n.value, str)]


def _texts(data: Path) -> Iterator[tuple[str, str]]:
    for i, text in enumerate(_lexicon_test_phrases()):
        yield f"lexicon-test-{i}", text
    with (ROOT / "training" / "abuse" / "own_examples.csv").open(encoding="utf-8", newline="") as fh:
        for i, row in enumerate(csv.DictReader(fh)):
            yield f"abuse-train-{i}", row.get("text") or row.get("message") or ""
    if not data.is_dir():
        print(f"note: {data} not found, public data sets skipped", file=sys.stderr)
        return
    items = [
        *datasets.pan12_segments(data / "pan12_segments" / "dev.csv"),
        *datasets.gametox(data / "gametox" / "gametox.csv"),
        *datasets.conda(data / "conda_ingame" / "CONDA_valid.csv"),
        *datasets.conda(data / "conda_ingame" / "CONDA_train.csv"),
        *datasets.davidson(data / "davidson_hate_offensive" / "labeled_data.csv"),
    ]
    for item in items:
        yield item.item_id, item.text
    for user in datasets.cssrs(data / "reddit_cssrs_suicide" / "500_Reddit_users_posts_labels.csv"):
        for j, post in enumerate(user.posts):
            yield f"cssrs-{user.user}-{j}", post


def dump(out: Path, data: Path) -> int:
    engine = Engine()
    role_blind = ConversationRiskDetector(role_aware=False)
    n = 0
    with out.open("w", encoding="utf-8") as fh:
        files = [demo_path(), *sorted((ROOT / "eval" / "suite").glob("*.jsonl"))]
        for path in files:
            for conv in _conversations(path):
                for line in _conversation_lines(engine, role_blind, conv):
                    fh.write(line.replace("\n", "\\n") + "\n")
                    n += 1
        for item_id, text in _texts(data):
            conv = datasets.text_conversation(datasets.TextItem(item_id, text, False))
            msg = conv.messages[0]
            sigs = engine.message_signals(msg, conv)
            line = f"{item_id} {sigs!r} age={stated_age(text)!r}"
            fh.write(line.replace("\n", "\\n") + "\n")
            n += 1
    return n


def compare(a: Path, b: Path, show: int = 5) -> int:
    diffs = 0
    with a.open(encoding="utf-8") as fa, b.open(encoding="utf-8") as fb:
        for i, (la, lb) in enumerate(zip(fa, fb, strict=False), 1):
            if la != lb:
                diffs += 1
                if diffs <= show:
                    print(f"line {i} differs:\n  - {la[:400].rstrip()}\n  + {lb[:400].rstrip()}")
        rest_a, rest_b = sum(1 for _ in fa), sum(1 for _ in fb)
    if rest_a or rest_b:
        print(f"lengths differ: {rest_a} more lines in {a}, {rest_b} more in {b}")
        diffs += 1
    return diffs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, required=True, help="where to write the dump")
    parser.add_argument("--against", type=Path, help="an earlier dump to compare with")
    parser.add_argument(
        "--data", type=Path, default=ROOT.parent / "shared" / "data", help="the public data sets (../shared/data)"
    )
    args = parser.parse_args()
    n = dump(args.out, args.data)
    print(f"{n:,} lines written to {args.out}")
    if args.against is not None:
        diffs = compare(args.against, args.out)
        print("identical" if not diffs else f"{diffs} differing lines")
        sys.exit(1 if diffs else 0)


if __name__ == "__main__":
    main()
