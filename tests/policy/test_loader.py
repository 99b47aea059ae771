from __future__ import annotations

from pathlib import Path

import pytest

from childguard.detectors.registry import default_registry
from childguard.domain import AgeBand, EffectKind
from childguard.policy import PolicyError, load_default_policy, load_policy, parse_policy_documents
from childguard.policy.model import PartyCondition, SignalCondition

REGISTRY = default_registry(load_plugins=False)

GOOD = """
policy: {name: test}
rules:
  - name: grooming_to_minor
    description: Grooming toward a child
    when_all:
      - signal: {detector: conversation_risk, category: grooming, min_score: 0.8}
      - target: {age_band: [under_13, 13_15]}
    then:
      - open_case: {queue: child_safety, priority: p0}
      - restrict_contact: {duration: 24h}
      - show_help: {topic: grooming}
      - hold_message
"""


def parse(text: str) -> object:
    return parse_policy_documents([("test.yaml", text)], REGISTRY)


def problems(text: str) -> list[str]:
    with pytest.raises(PolicyError) as exc:
        parse(text)
    return [str(p) for p in exc.value.problems]


def test_valid_policy_parses_unquoted_age_bands() -> None:
    policy = parse(GOOD)
    rule = policy.rules[0]  # type: ignore[attr-defined]
    party = next(c for c in rule.conditions if isinstance(c, PartyCondition))
    assert party.age_bands == {AgeBand.UNDER_13, AgeBand.AGE_13_15}
    sig = next(c for c in rule.conditions if isinstance(c, SignalCondition))
    assert sig.min_score == 0.8
    assert [e.kind for e in rule.effects][-1] is EffectKind.HOLD_MESSAGE
    assert rule.effects[0].params == {"queue": "child_safety", "priority": "p0"}


def test_version_changes_with_content_not_with_line_numbers() -> None:
    a = parse(GOOD)
    b = parse("\n\n" + GOOD)
    c = parse(GOOD.replace("0.8", "0.7"))
    assert a.version == b.version != c.version  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("detector: conversation_risk", "detector: nope", "test.yaml:7: unknown detector 'nope'"),
        ("category: grooming", "category: bad", "test.yaml:7: unknown category 'bad'"),
        ("- hold_message", "- delete_user", "unknown action 'delete_user'"),
        ("    description: Grooming toward a child\n", "", "test.yaml:4: rule 'grooming_to_minor' has no description"),
        ("priority: p0", "priority: urgent", "open_case.priority must be one of p0, p1, p2, p3"),
        ("duration: 24h", "duration: soon", "restrict_contact.duration must be a duration"),
        ("min_score: 0.8", "min_score: 2", "min_score must be a number between 0 and 1"),
        ("age_band: [under_13, 13_15]", "age_band: [kid]", "target.age_band: 'kid' is not one of"),
        ("queue: child_safety,", "queue: child_safety, colour: red,", "open_case: unknown parameter 'colour'"),
        ("when_all:", "when_some:", "unknown field(s) when_some"),
    ],
)
def test_errors_name_file_line_and_problem(old: str, new: str, expected: str) -> None:
    found = problems(GOOD.replace(old, new))
    assert any(expected in p for p in found), found
    assert all(p.startswith("test.yaml:") for p in found)


def test_duplicate_rule_names_are_reported_with_both_places() -> None:
    rule = GOOD.split("rules:\n", 1)[1]
    found = problems(GOOD + rule)
    assert any("duplicate rule name 'grooming_to_minor' (first defined at test.yaml:4)" in p for p in found)


def test_rule_without_signal_condition_is_rejected() -> None:
    text = GOOD.replace("      - signal: {detector: conversation_risk, category: grooming, min_score: 0.8}\n", "")
    assert any("needs at least one signal condition" in p for p in problems(text))


def test_category_the_detector_never_emits_is_rejected() -> None:
    text = GOOD.replace(
        "detector: conversation_risk, category: grooming", "detector: personal_info, category: grooming"
    )
    assert any("never emits category 'grooming'" in p for p in problems(text))


def test_yaml_syntax_error_has_a_line() -> None:
    found = problems("rules:\n  - name: x\n   bad indent: [\n")
    assert found[0].startswith("test.yaml:") and "not valid YAML" in found[0]


def test_duplicate_yaml_keys_are_rejected() -> None:
    assert any("duplicate key" in p for p in problems(GOOD.replace("    then:", "    name: again\n    then:")))


def test_every_problem_is_reported_not_only_the_first() -> None:
    text = GOOD.replace("detector: conversation_risk", "detector: nope").replace("- hold_message", "- delete_user")
    assert len(problems(text)) >= 2


def test_default_pack_is_valid_and_covers_every_category() -> None:
    policy = load_default_policy(REGISTRY)
    categories = {
        c.category.value
        for r in policy.rules
        for c in r.conditions
        if isinstance(c, SignalCondition) and c.category is not None
    }
    assert categories == {
        "grooming",
        "sextortion",
        "online_kidnapping",
        "cyberbullying",
        "self_harm",
        "sexual_content",
        "personal_info",
    }
    assert all(r.description for r in policy.rules)


def test_load_policy_from_a_directory(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text(GOOD, encoding="utf-8")
    (tmp_path / "b.yaml").write_text(GOOD.replace("grooming_to_minor", "other_rule"), encoding="utf-8")
    policy = load_policy([tmp_path], REGISTRY)
    assert [r.name for r in policy.rules] == ["grooming_to_minor", "other_rule"]
    assert policy.rules[1].location.endswith("b.yaml:4")
