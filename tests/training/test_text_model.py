from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from childguard.cli.main import cli
from childguard.detectors.abuse_model import AbuseModelDetector
from childguard.detectors.textmodel import LinearTextModel, hashed_features
from childguard.domain import Category
from childguard.engine import Engine
from childguard.training.text import Example, TrainingDataError, read_examples, train_text_model
from tests.detectors.conftest import account, conversation

ABUSIVE = ["you are trash uninstall", "ur so braindead lol", "worst player ever idiot", "stfu noob", "kys loser"]
CLEAN = ["gg well played", "need heal mid", "nice shot", "lag again ugh", "push top now", "ty for the carry"]


def _examples(n: int = 8) -> list[Example]:
    out = []
    for i in range(n):
        out += [Example(f"{t} {i}", True, "t") for t in ABUSIVE] + [Example(f"{t} {i}", False, "t") for t in CLEAN]
    return out


def test_features_are_deterministic_normalised_and_bounded() -> None:
    a_idx, a_val = hashed_features("Ur TRASH lol", bits=12)
    b_idx, b_val = hashed_features("ur trash lol", bits=12)
    assert np.array_equal(a_idx, b_idx) and np.allclose(a_val, b_val)
    assert a_idx.max() < 4096 and np.isclose(np.linalg.norm(a_val), 1.0)
    assert len(hashed_features("", bits=12)[0]) == 0


def test_training_separates_the_classes_and_round_trips(tmp_path: Path) -> None:
    result = train_text_model(_examples(), name="abuse", version="t1", bits=14)
    model = result.model
    assert model.probability("you are trash uninstall now") > model.probability("gg well played team")
    path = tmp_path / "m.npz"
    model.save(path)
    loaded = LinearTextModel.load(path)
    assert loaded.name == "abuse" and loaded.version == "t1" and loaded.threshold == model.threshold
    assert loaded.probability("stfu noob") == pytest.approx(model.probability("stfu noob"), abs=1e-2)
    assert result.examples == 88 and result.positives == 40


def test_training_needs_both_classes() -> None:
    with pytest.raises(TrainingDataError, match="both positive and negative"):
        train_text_model([Example("a", True, "t")] * 5, name="x", version="1")


def test_read_examples_csv_jsonl_and_errors(tmp_path: Path) -> None:
    csv_path = tmp_path / "a.csv"
    csv_path.write_text('tweet,class\n"hi, there",2\nidiot,1\n', encoding="utf-8")
    ex = read_examples(csv_path, text_field="tweet", label_field="class", positive=("0", "1"))
    assert [(e.text, e.label) for e in ex] == [("hi, there", False), ("idiot", True)]
    jl = tmp_path / "b.jsonl"
    jl.write_text(json.dumps({"text": "gg", "label": 0}) + "\n" + "{oops\n", encoding="utf-8")
    with pytest.raises(TrainingDataError, match=r"b.jsonl:2: not valid JSON"):
        read_examples(jl)
    with pytest.raises(TrainingDataError, match="no column 'text'"):
        read_examples(csv_path)


def test_train_command_writes_a_model_the_engine_can_use(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data = tmp_path / "own.csv"
    rows = ["text,label"] + [f"{e.text},{int(e.label)}" for e in _examples()]
    data.write_text("\n".join(rows) + "\n", encoding="utf-8")
    out = tmp_path / "abuse.npz"
    result = CliRunner().invoke(cli, ["train", "abuse", "--data", str(data), "--out", str(out), "--bits", "14"])
    assert result.exit_code == 0, result.output
    assert "Held-out 10%" in result.output and out.is_file()
    bad = CliRunner().invoke(cli, ["train", "abuse", "--data", f"{data}#colour=red", "--out", str(out)])
    assert bad.exit_code == 2 and "options are" in bad.output
    zero = CliRunner().invoke(cli, ["train", "abuse", "--data", f"{data}#weight=0", "--out", str(out)])
    assert zero.exit_code == 2 and "weight='0'" in zero.output
    heavy = CliRunner().invoke(cli, ["train", "abuse", "--data", f"{data}#weight=3", "--out", str(out), "--bits", "14"])
    assert heavy.exit_code == 0 and LinearTextModel.load(out).meta["source_weights"] == {"own.csv": 3.0}
    monkeypatch.setenv("CHILDGUARD_ABUSE_MODEL", str(tmp_path / "missing.npz"))
    scan = CliRunner().invoke(cli, ["scan", str(data)])
    assert scan.exit_code == 1 and "CHILDGUARD_ABUSE_MODEL" in scan.output


def test_shipped_head_emits_the_abusive_language_cue() -> None:
    detector = AbuseModelDetector()
    conv = conversation([("a", "b", "uninstall the game you braindead idiot, worst player ever")])
    signals = detector.detect_message(conv.messages[0], {})
    assert signals and signals[0].category is Category.CYBERBULLYING
    assert signals[0].evidence[0].cue == "abusive_language"
    assert detector.detect_message(conversation([("a", "b", "gg well played, need heal mid")]).messages[0], {}) == []


def test_one_insult_between_adults_is_not_bullying() -> None:
    v = Engine().scan(
        conversation([("a", "b", "uninstall the game you braindead idiot")], [account("a", 30), account("b", 28)])
    )
    assert not v.flagged
