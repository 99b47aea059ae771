from __future__ import annotations

from childguard.detectors.registry import default_registry
from childguard.domain import AgeBand, Category, EffectKind, Signal, SignalScope
from childguard.policy import PolicyInput, evaluate, load_default_policy, parse_policy_documents

REGISTRY = default_registry(load_plugins=False)
POLICY = load_default_policy(REGISTRY)


def conv_signal(
    category: Category, score: float, *, actor: str = "adult", target: str = "kid", flagged: bool = True
) -> Signal:
    return Signal(
        detector="conversation_risk",
        detector_version="1",
        category=category,
        score=score,
        scope=SignalScope.CONVERSATION,
        subject_id="c1",
        actor_id=actor,
        target_ids=(target,),
        flagged=flagged,
    )


BANDS = {"adult": AgeBand.ADULT, "kid": AgeBand.AGE_13_15, "small": AgeBand.UNDER_13, "peer": AgeBand.AGE_13_15}


def test_grooming_toward_a_minor_opens_a_p0_case_and_helps_the_child() -> None:
    d = evaluate(
        POLICY,
        PolicyInput(
            conversation_id="c1",
            signals=[conv_signal(Category.GROOMING, 0.8)],
            age_bands=BANDS,
            trigger_message_id="m5",
            trigger_sender_id="adult",
        ),
    )
    kinds = {e.kind for e in d.effects}
    assert {EffectKind.OPEN_CASE, EffectKind.HOLD_MESSAGE, EffectKind.RESTRICT_CONTACT, EffectKind.SHOW_HELP} <= kinds
    assert EffectKind.NOTIFY_GUARDIAN not in kinds  # only for under-13s
    case = next(e for e in d.effects if e.kind is EffectKind.OPEN_CASE)
    assert case.params["priority"] == "p0" and case.rules == ("grooming_toward_minor",)
    hold = next(e for e in d.effects if e.kind is EffectKind.HOLD_MESSAGE)
    assert hold.message_id == "m5"
    help_ = next(e for e in d.effects if e.kind is EffectKind.SHOW_HELP)
    assert help_.target_ids == ("kid",) and help_.params["topic"] == "grooming"


def test_the_childs_own_reply_is_never_held() -> None:
    d = evaluate(
        POLICY,
        PolicyInput(
            conversation_id="c1",
            signals=[conv_signal(Category.GROOMING, 0.8)],
            age_bands=BANDS,
            trigger_message_id="m6",
            trigger_sender_id="kid",
        ),
    )
    assert EffectKind.HOLD_MESSAGE not in {e.kind for e in d.effects}
    assert EffectKind.OPEN_CASE in {e.kind for e in d.effects}


def test_under_13_target_also_notifies_guardian() -> None:
    d = evaluate(
        POLICY,
        PolicyInput(
            conversation_id="c1", signals=[conv_signal(Category.GROOMING, 0.8, target="small")], age_bands=BANDS
        ),
    )
    notify = next(e for e in d.effects if e.kind is EffectKind.NOTIFY_GUARDIAN)
    assert notify.target_ids == ("small",) and notify.rules == ("grooming_under_13_guardian",)


def test_unflagged_signals_fire_nothing() -> None:
    d = evaluate(
        POLICY,
        PolicyInput(
            conversation_id="c1", signals=[conv_signal(Category.GROOMING, 0.4, flagged=False)], age_bands=BANDS
        ),
    )
    assert d.effects == () and d.fired_rules == ()


def test_grooming_toward_an_adult_fires_nothing() -> None:
    d = evaluate(
        POLICY,
        PolicyInput(
            conversation_id="c1",
            signals=[conv_signal(Category.GROOMING, 0.9, target="adult", actor="x")],
            age_bands={**BANDS, "x": AgeBand.ADULT},
        ),
    )
    assert d.effects == ()


def test_same_effect_from_two_rules_is_merged_and_lists_both() -> None:
    text = """
rules:
  - name: a
    description: first
    when_all: [{signal: {category: grooming}}]
    then: [{open_case: {priority: p1}}]
  - name: b
    description: second
    when_any: [{signal: {category: grooming}}, {signal: {category: self_harm}}]
    then: [{open_case: {priority: p1}}]
"""
    policy = parse_policy_documents([("t.yaml", text)], REGISTRY)
    d = evaluate(policy, PolicyInput(conversation_id="c1", signals=[conv_signal(Category.GROOMING, 0.9)]))
    assert len(d.effects) == 1 and d.effects[0].rules == ("a", "b")
    assert d.fired_rules == ("a", "b") and d.policy_version == policy.version


def test_country_and_platform_conditions() -> None:
    text = """
rules:
  - name: vn_only
    description: Vietnam games
    when_all: [{signal: {category: cyberbullying}}, {country: VN}, {platform: [game_chat]}]
    then: [show_help]
"""
    policy = parse_policy_documents([("t.yaml", text)], REGISTRY)
    sig = [conv_signal(Category.CYBERBULLYING, 0.9)]
    vn = PolicyInput(conversation_id="c", signals=sig, age_bands=BANDS, countries={"kid": "VN"}, platform="game_chat")
    gb = PolicyInput(conversation_id="c", signals=sig, age_bands=BANDS, countries={"kid": "GB"}, platform="game_chat")
    assert evaluate(policy, vn).fired_rules == ("vn_only",)
    assert evaluate(policy, gb).fired_rules == ()
