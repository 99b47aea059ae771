"""``childguard exemplars`` and ``childguard train grooming`` end to end."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from childguard.cli.main import cli
from childguard.detectors.exemplars import artifact
from childguard.detectors.exemplars.encoders import HashingEncoder
from childguard.detectors.textmodel import LinearTextModel

SCRIPT = "zorblax kwintal: transfer the 900 vouchers to the wallet before midnight"


def test_add_import_list_and_status(runner: CliRunner, tmp_path: Path) -> None:
    r = runner.invoke(cli, ["exemplars", "add", "--text", SCRIPT, "--category", "sextortion", "--label", "harmful"])
    assert r.exit_code == 0, r.output
    assert "seq 1" in r.output and "harmful sextortion" in r.output
    good = tmp_path / "good.jsonl"
    good.write_text(
        json.dumps({"text": "we got destroyed lol gg", "category": "cyberbullying", "label": "benign", "id": "g1"})
        + "\n",
        encoding="utf-8",
    )
    r = runner.invoke(cli, ["exemplars", "import", str(good)])
    assert r.exit_code == 0, r.output
    assert "1 exemplars stored; index version 2" in r.output
    r = runner.invoke(cli, ["exemplars", "list", "--jsonl"])
    records = [json.loads(x) for x in r.output.splitlines()]
    assert [x["seq"] for x in records] == [1, 2] and records[1]["exemplar_id"] == "g1"
    assert runner.invoke(cli, ["exemplars", "list", "--after", "1"]).output.count("g1") == 1
    r = runner.invoke(cli, ["exemplars", "status"])
    assert r.exit_code == 0 and "encoder hashing; index version 2" in r.output and "(2 stored" in r.output


def test_a_bad_import_names_line_and_field_and_adds_nothing(runner: CliRunner, tmp_path: Path) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text(
        json.dumps({"text": "fine", "category": "grooming", "label": "harmful"})
        + "\n"
        + json.dumps({"text": "x", "category": "grooming", "label": "maybe"})
        + "\n",
        encoding="utf-8",
    )
    r = runner.invoke(cli, ["exemplars", "import", str(bad)])
    assert r.exit_code == 1 and "bad.jsonl:2: field 'label'" in r.output
    assert runner.invoke(cli, ["exemplars", "list"]).output == ""


def test_add_needs_text_and_category_or_a_case(runner: CliRunner) -> None:
    r = runner.invoke(cli, ["exemplars", "add", "--label", "harmful"])
    assert r.exit_code == 2 and "--text and --category" in r.output
    r = runner.invoke(cli, ["exemplars", "add", "--from-case", "case_nope", "--label", "benign"])
    assert r.exit_code == 1 and "no case 'case_nope'" in r.output


def test_build_writes_an_artifact_that_loads(runner: CliRunner, tmp_path: Path) -> None:
    seed = tmp_path / "seed"
    seed.mkdir()
    lines = [
        {"text": "pay 200 in gift cards or i post your pics", "category": "sextortion", "label": "harmful"},
        {"text": "send 300 or your photos go to your school", "category": "sextortion", "label": "harmful"},
        {"text": "my mom got me a gift card", "category": "sextortion", "label": "benign"},
        {"text": "post the pics from the trip", "category": "sextortion", "label": "benign"},
    ]
    (seed / "en.jsonl").write_text("\n".join(json.dumps(x) for x in lines) + "\n", encoding="utf-8")
    negatives = tmp_path / "chat.txt"
    negatives.write_text("gg\nwhat time is practice\nlol\n", encoding="utf-8")
    out = tmp_path / "ex.npz"
    args = ["--encoder", "hashing", "--seed", str(seed), "--negatives", str(negatives), "--out", str(out)]
    r = runner.invoke(cli, ["exemplars", "build", *args])
    assert r.exit_code == 0, r.output
    index = artifact.load(HashingEncoder(), artifact.read_seed(seed), out)
    assert index.meta["negatives"] == 3 and len(index) == 4


def test_train_grooming_writes_a_head(runner: CliRunner, tmp_path: Path) -> None:
    data = tmp_path / "g.csv"
    rows = ["text,label"]
    for i in range(30):
        rows.append(f'"how old r u {i} ur so mature dont tell ur parents r u alone send a pic",1')
        rows.append(f'"what did u get on the test {i} lol practice is at 6 see u there",0')
    data.write_text("\n".join(rows) + "\n", encoding="utf-8")
    out = tmp_path / "grooming.npz"
    r = runner.invoke(cli, ["train", "grooming", "--data", str(data), "--out", str(out)])
    assert r.exit_code == 0, r.output
    model = LinearTextModel.load(out)
    assert model.name == "grooming" and model.probability("r u alone? dont tell ur parents") > 0.5
