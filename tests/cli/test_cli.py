"""End-to-end tests through the CLI."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from childguard.cli.main import cli


def line(obj: dict[str, object]) -> str:
    return json.dumps(obj, ensure_ascii=False)


def msg(mid: str, sender: str, text: str, conv: str = "c1", minute: int = 0, to: str = "kid") -> dict[str, object]:
    return {
        "type": "message",
        "conversation_id": conv,
        "message_id": mid,
        "sender_id": sender,
        "recipient_ids": [to],
        "sent_at": f"2026-03-01T18:{minute:02d}:00Z",
        "text": text,
    }


EXPORT = [
    msg("b1", "mum", "don't tell dad about the surprise party, ok? our secret", conv="c2"),
    {"type": "account", "account_id": "kid", "age": 12},
    msg("a3", "x", "send me a pic of u, and dont tell your parents we talk. its our secret", minute=3),
    msg("a1", "x", "ur so mature for ur age", minute=1),
    {"type": "account", "account_id": "x", "age": 30},
]


def write(path: Path, rows: list[object]) -> Path:
    path.write_text("\n".join(r if isinstance(r, str) else line(r) for r in rows) + "\n", encoding="utf-8")
    return path


def test_scan_writes_one_verdict_per_conversation_sorted(runner: CliRunner, tmp_path: Path) -> None:
    src = write(tmp_path / "in.jsonl", EXPORT)  # type: ignore[arg-type]
    out = tmp_path / "out.jsonl"
    result = runner.invoke(cli, ["scan", str(src), "-o", str(out)])
    assert result.exit_code == 0, result.output
    verdicts = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    assert [v["conversation_id"] for v in verdicts] == ["c1", "c2"]
    assert verdicts[0]["category"] == "grooming" and verdicts[0]["first_flagged_message_id"] == "a3"
    assert verdicts[1]["flagged"] is False and verdicts[1]["actions"] == []
    assert list(verdicts[0]) == [
        "conversation_id",
        "flagged",
        "category",
        "risk_score",
        "scores",
        "first_flagged_message_id",
        "evidence",
        "actions",
        "explanation",
    ]
    assert "Scanned 2 conversations, 3 messages" in result.output and "grooming" in result.output


def test_scan_reports_every_bad_line_scans_the_rest_and_exits_1(runner: CliRunner, tmp_path: Path) -> None:
    rows: list[object] = [*EXPORT, "{broken", msg("z1", "x", "hi", conv="c3") | {"sent_at": "soon"}]
    out = tmp_path / "out.jsonl"
    result = runner.invoke(cli, ["scan", str(write(tmp_path / "in.jsonl", rows)), "-o", str(out)])
    assert result.exit_code == 1
    assert "line 6: not valid JSON" in result.output
    assert "line 7: field 'sent_at'" in result.output
    assert len(out.read_text(encoding="utf-8").splitlines()) == 2


def test_scan_strict_stops_at_the_first_bad_line(runner: CliRunner, tmp_path: Path) -> None:
    rows: list[object] = ["{broken", *EXPORT]
    result = runner.invoke(cli, ["scan", "--strict", str(write(tmp_path / "in.jsonl", rows)), "-o", "-"])
    assert result.exit_code == 2 and "line 1" in result.output


def test_scan_a_missing_file_is_a_clear_error(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(cli, ["scan", str(tmp_path / "nope.jsonl")])
    assert result.exit_code != 0 and "nope.jsonl" in result.output and "Traceback" not in result.output


def test_scan_the_demo_file_matches_its_labels(runner: CliRunner, tmp_path: Path) -> None:
    from childguard.cli.demo import demo_path

    labels = json.loads((demo_path().parent / "demo_labels.json").read_text(encoding="utf-8"))
    out = tmp_path / "demo.jsonl"
    result = runner.invoke(cli, ["scan", str(demo_path()), "-o", str(out)])
    assert result.exit_code == 0, result.output
    got = {v["conversation_id"]: v["category"] for v in map(json.loads, out.read_text(encoding="utf-8").splitlines())}
    assert got == labels
    harmful = {c for c, label in labels.items() if label != "none"}
    assert {labels[c] for c in harmful} == {
        "grooming",
        "sextortion",
        "online_kidnapping",
        "cyberbullying",
        "self_harm",
        "sexual_content",
        "personal_info",
    }
    assert len(labels) - len(harmful) >= len(labels) // 2  # at least half are hard benign


def test_policy_validate_reports_file_and_line(runner: CliRunner, tmp_path: Path) -> None:
    bad = tmp_path / "p.yaml"
    bad.write_text(
        "rules:\n  - name: r1\n    when_all: [{signal: {detector: nope}}]\n    then: [explode]\n", encoding="utf-8"
    )
    result = runner.invoke(cli, ["policy", "validate", str(bad)])
    assert result.exit_code == 1
    assert f"{bad}:2: rule 'r1' has no description" in result.output
    assert f"{bad}:3: unknown detector 'nope'" in result.output
    assert "unknown action 'explode'" in result.output
    from childguard.policy import loader

    good = tmp_path / "good.yaml"
    good.write_text(loader.default_policy_text(), encoding="utf-8")
    ok = runner.invoke(cli, ["policy", "validate", str(good)])
    assert ok.exit_code == 0 and "OK: policy 'default'" in ok.output


def test_policy_explain_lists_fired_rules(runner: CliRunner, tmp_path: Path) -> None:
    src = write(tmp_path / "in.jsonl", EXPORT)  # type: ignore[arg-type]
    result = runner.invoke(cli, ["policy", "explain", str(src), "--conversation", "c1"])
    assert result.exit_code == 0, result.output
    assert "FIRED grooming_toward_minor" in result.output and "FIRED grooming_under_13_guardian" in result.output
    assert "sextortion  [packs/default.yaml:" in result.output


def test_keys_audit_and_demo_through_the_store(runner: CliRunner, tmp_path: Path) -> None:
    created = runner.invoke(cli, ["keys", "create", "--name", "backend", "--scope", "ingest,review"])
    assert created.exit_code == 0, created.output
    token = created.output.strip().splitlines()[-1]
    key_id = token.split("_")[1]
    listed = runner.invoke(cli, ["keys", "list"])
    assert key_id in listed.output and "ingest,review" in listed.output and token not in listed.output
    assert runner.invoke(cli, ["keys", "create", "--name", "x", "--scope", "god"]).exit_code == 2
    assert runner.invoke(cli, ["keys", "revoke", key_id]).exit_code == 0
    assert "revoked" in runner.invoke(cli, ["keys", "list"]).output
    assert runner.invoke(cli, ["keys", "revoke", "nope"]).exit_code == 1

    loaded = runner.invoke(cli, ["demo", "load"])
    assert loaded.exit_code == 0 and "already loaded" in loaded.output
    again = runner.invoke(cli, ["demo", "load"])
    assert again.output.startswith("0 new event(s)")

    verified = runner.invoke(cli, ["audit", "verify"])
    assert verified.exit_code == 0 and "chain verified" in verified.output
    db = tmp_path / "data" / "childguard.sqlite3"
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE audit_events SET actor = 'someone-else' WHERE seq = 2")
    broken = runner.invoke(cli, ["audit", "verify"])
    assert broken.exit_code == 1 and "entry 2" in broken.output


def test_bad_setting_names_the_variable(runner: CliRunner, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CHILDGUARD_MAX_BATCH", "lots")
    result = runner.invoke(cli, ["keys", "list"])
    assert result.exit_code == 1 and "CHILDGUARD_MAX_BATCH" in result.output
