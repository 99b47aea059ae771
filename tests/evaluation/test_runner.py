from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from childguard.cli.main import cli
from childguard.engine import Engine
from childguard.evaluation import datasets
from childguard.evaluation.runner import run

SHARED = Path(__file__).resolve().parents[2].parent / "shared" / "data"


def _write_fake_data(root: Path) -> None:
    """Tiny files in the public data sets' layouts, written here (never copies of the real ones)."""
    (root / "pan12_segments").mkdir(parents=True)
    (root / "pan12_segments" / "dev.csv").write_text(
        "segment,label\n"
        '"how old r u? im 13. ur so mature for ur age. dont tell ur parents we talk, its our secret. '
        'send me a pic of u",1\n'
        '"did u see the match last night, that goal was unreal",0\n',
        encoding="utf-8",
    )
    (root / "gametox").mkdir()
    (root / "gametox" / "gametox.csv").write_text(
        "message,label\nnice shot mate,0.0\nyou're so stupid and ugly lol,1.0\n", encoding="utf-8"
    )
    (root / "reddit_cssrs_suicide").mkdir()
    (root / "reddit_cssrs_suicide" / "500_Reddit_users_posts_labels.csv").write_text(
        "User,Post,Label\n"
        "user-0,\"['i want to die. i have been saving pills and wrote a note for my family']\",Attempt\n"
        "user-1,\"['hang in there, talking to someone helped me a lot']\",Supportive\n",
        encoding="utf-8",
    )


def _write_suite(root: Path) -> None:
    root.mkdir(parents=True)
    lines = [
        {"type": "account", "account_id": "a", "age": 35},
        {"type": "account", "account_id": "k", "age": 12},
    ]
    texts = ["hey how old are u", "12", "ur so mature for ur age", "dont tell ur parents we talk ok? our secret"]
    for i, t in enumerate(texts):
        lines.append(
            {
                "type": "message",
                "conversation_id": "s1",
                "message_id": f"s1-{i}",
                "sender_id": "k" if i == 1 else "a",
                "recipient_ids": ["a" if i == 1 else "k"],
                "sent_at": f"2026-01-01T10:0{i}:00Z",
                "text": t,
            }
        )
    lines.append(
        {
            "type": "message",
            "conversation_id": "s2",
            "message_id": "s2-0",
            "sender_id": "a",
            "recipient_ids": ["k"],
            "sent_at": "2026-01-01T10:00:00Z",
            "text": "dinner is at 7, love you",
        }
    )
    (root / "en.jsonl").write_text("\n".join(json.dumps(x) for x in lines) + "\n", encoding="utf-8")
    (root / "labels-en.json").write_text(json.dumps({"s1": "grooming", "s2": "none"}), encoding="utf-8")


def test_run_on_small_fake_data(tmp_path: Path) -> None:
    _write_fake_data(tmp_path / "data")
    _write_suite(tmp_path / "suite")
    report = run(Engine(), data_dir=tmp_path / "data", suite_dir=tmp_path / "suite")
    by = {(r.dataset, r.task): r.scores for r in report.rows}
    assert by[("pan12", "grooming: cue pattern")].tp == 1 and by[("pan12", "grooming: cue pattern")].fp == 0
    assert ("pan12", "grooming: head") in by and ("pan12", "grooming (as shipped)") in by
    assert by[("gametox", "abuse (message)")].tp == 1 and by[("gametox", "abuse (message)")].tn == 1
    assert by[("cssrs", "self_harm (user)")].tp == 1
    assert by[("suite", "grooming")].tp == 1 and report.false_alarms == [] and report.benign_total == 1
    assert report.grooming_earliness == [1.0]
    assert {s.split(":")[0] for s in report.skipped} == {"conda", "davidson"}


def test_eval_command_prints_and_writes_json(tmp_path: Path) -> None:
    _write_fake_data(tmp_path / "data")
    _write_suite(tmp_path / "suite")
    out = tmp_path / "eval.json"
    result = CliRunner().invoke(
        cli, ["eval", "--data", str(tmp_path / "data"), "--suite", str(tmp_path / "suite"), "--json", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert "pan12" in result.output and "0 false alarm(s) on 1 benign" in result.output
    figures = json.loads(out.read_text(encoding="utf-8"))
    assert {r["dataset"] for r in figures["rows"]} == {"pan12", "gametox", "cssrs", "suite", "suite/en"}


def test_suite_without_a_label_is_refused(tmp_path: Path) -> None:
    _write_suite(tmp_path / "suite")
    (tmp_path / "suite" / "labels-en.json").write_text(json.dumps({"s1": "grooming"}), encoding="utf-8")
    with pytest.raises(ValueError, match="no label for s2"):
        datasets.suite(tmp_path / "suite")


@pytest.mark.skipif(not SHARED.is_dir(), reason="the shared data sets are not beside the repository")
def test_loaders_read_the_real_data_sets() -> None:
    assert len(datasets.pan12_segments(SHARED / "pan12_segments" / "dev.csv")) == 1017
    assert (
        sum(u.positive for u in datasets.cssrs(SHARED / "reddit_cssrs_suicide" / "500_Reddit_users_posts_labels.csv"))
        == 293
    )
    assert len(datasets.conda(SHARED / "conda_ingame" / "CONDA_valid.csv")) > 8000
